import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROFILES_CONFIG as CFG,
  ProfilesConfigSchema,
  applyEvents,
  applyPaidOrder,
  decayInterests,
  emptyProfile,
  lifecycleStage,
  priceBand,
  rfmScores,
  segmentsOf,
  summarizeProfile,
  type ProductFacts,
} from '../src/index';
import { parseProfilesConfig } from '../src/profiles/config-file';

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2027, 0, 1);
const facts = new Map<string, ProductFacts>([
  ['lip', { categoryId: 'beauty', priceFen: 10_000, attributes: ['口红', '哑光'] }],
  ['cream', { categoryId: 'beauty', priceFen: 20_000, attributes: ['面霜'] }],
  ['phone', { categoryId: 'digital', priceFen: 300_000, attributes: ['手机'] }],
]);

describe('interests decay with a half-life', () => {
  it('halves every half-life, and an older interest loses to a newer one of the same weight', () => {
    let p = applyEvents(emptyProfile(), [{ kind: 'cart', productId: 'lip', at: T0 }], facts, CFG);
    expect(p.interests.cats.beauty).toBe(3);
    const later = decayInterests(p.interests, T0 + 14 * DAY, 14);
    expect(later.cats.beauty).toBeCloseTo(1.5, 10);
    expect(decayInterests(p.interests, T0 + 28 * DAY, 14).cats.beauty).toBeCloseTo(0.75, 10);
    // The same weight of digital four weeks later: beauty has a fifth of the interest left.
    p = applyEvents(p, [{ kind: 'cart', productId: 'phone', at: T0 + 28 * DAY }], facts, CFG);
    const s = summarizeProfile(p, T0 + 28 * DAY, CFG);
    expect(s.categories).toEqual([
      { id: 'digital', share: 0.8 },
      { id: 'beauty', share: 0.2 },
    ]);
  });

  it('weighs a view by its dwell (half at 0 ms, full from 30 s), and learns nothing from exposures or purchases events', () => {
    const p = applyEvents(
      emptyProfile(),
      [
        { kind: 'view', productId: 'lip', at: T0, dwellMs: 0 },
        { kind: 'view', productId: 'cream', at: T0, dwellMs: 60_000 },
        { kind: 'exposure', productId: 'phone', at: T0 },
        { kind: 'purchase', productId: 'phone', at: T0 },
      ],
      facts,
      CFG,
    );
    expect(p.interests.cats).toEqual({ beauty: 1.5 });
    expect(p.interests.attrs).toEqual({ 口红: 0.5, 哑光: 0.5, 面霜: 1 });
    // Recent items: newest first, one per product and kind, no exposures.
    expect(p.recent.map((r) => `${r.productId}:${r.kind}`)).toEqual(['cream:view', 'lip:view']);
  });

  it('keeps the price band around what drew interest', () => {
    const p = applyEvents(emptyProfile(), [{ kind: 'cart', productId: 'lip', at: T0 }, { kind: 'cart', productId: 'cream', at: T0 }], facts, CFG);
    const band = priceBand(p)!;
    expect(band.lowFen).toBeLessThan(10_000 + 1);
    expect(band.highFen).toBeGreaterThan(20_000 - 1);
    expect(priceBand(emptyProfile())).toBeNull();
  });
});

describe('orders, RFM and the lifecycle', () => {
  const order = (id: string, paidAt: number, paidFen: number) => ({ id, paidAt, paidFen, lines: [{ productId: 'lip', unitPriceFen: paidFen, quantity: 1 }] });

  it('counts a paid order once, and without 行为数据 only its stats', () => {
    const once = applyPaidOrder(emptyProfile(), order('o1', T0, 12_000), facts, CFG, true)!;
    expect(once.orders).toMatchObject({ count: 1, spentFen: 12_000, firstPaidAt: T0, lastPaidAt: T0, ids: ['o1'] });
    expect(once.recent).toEqual([{ productId: 'lip', kind: 'purchase', at: T0 }]);
    expect(once.interests.cats.beauty).toBe(5);
    expect(applyPaidOrder(once, order('o1', T0, 12_000), facts, CFG, true)).toBeNull();
    const private_ = applyPaidOrder(emptyProfile(), order('o2', T0, 12_000), facts, CFG, false)!;
    expect(private_.orders.count).toBe(1);
    expect(private_.recent).toEqual([]);
    expect(private_.interests.cats).toEqual({});
  });

  it('scores RFM against the clock given', () => {
    let p = emptyProfile();
    expect(rfmScores(p, T0, CFG)).toEqual({ r: 0, f: 0, m: 0 });
    p = applyPaidOrder(p, order('o1', T0, 40_000), facts, CFG, true)!;
    p = applyPaidOrder(p, order('o2', T0 + DAY, 80_000), facts, CFG, true)!;
    expect(rfmScores(p, T0 + DAY, CFG)).toEqual({ r: 5, f: 2, m: 4 });
    expect(rfmScores(p, T0 + 31 * DAY, CFG).r).toBe(4);
    expect(rfmScores(p, T0 + 32 * DAY, CFG).r).toBe(3);
    expect(rfmScores(p, T0 + 400 * DAY, CFG).r).toBe(1);
  });

  it('moves new → active → churn risk → dormant as time passes', () => {
    const created = T0;
    let p = applyEvents(emptyProfile(), [{ kind: 'view', productId: 'lip', at: T0, dwellMs: 1000 }], facts, CFG);
    expect(lifecycleStage(p, T0 + 10 * DAY, CFG, created)).toBe('new');
    expect(lifecycleStage(p, T0 + 31 * DAY, CFG, created)).toBe('active');
    p = applyPaidOrder(p, order('o1', T0 + 40 * DAY, 9_900), facts, CFG, true)!;
    expect(lifecycleStage(p, T0 + 41 * DAY, CFG, created)).toBe('active');
    // Still browsing, but the last paid order is over 60 days old.
    p = applyEvents(p, [{ kind: 'view', productId: 'cream', at: T0 + 100 * DAY, dwellMs: 1000 }], facts, CFG);
    expect(lifecycleStage(p, T0 + 101 * DAY, CFG, created)).toBe('churn_risk');
    // Then nothing at all for over 90 days.
    expect(lifecycleStage(p, T0 + 191 * DAY, CFG, created)).toBe('dormant');
    expect(summarizeProfile(p, T0 + 191 * DAY, CFG, created).lifecycleName).toBe('沉睡');
  });
});

describe('segments', () => {
  it('tags by the configured rules at the moment asked', () => {
    let p = applyEvents(emptyProfile(), [{ kind: 'cart', productId: 'lip', at: T0 }], facts, CFG);
    expect(segmentsOf(p, T0, CFG, T0)).toEqual(['new-shopper', 'beauty-lover']);
    p = applyEvents(p, [{ kind: 'cart', productId: 'phone', at: T0 + 60 * DAY }, { kind: 'cart', productId: 'phone', at: T0 + 60 * DAY }], facts, CFG);
    // Beauty decayed to almost nothing next to the new digital interest.
    expect(segmentsOf(p, T0 + 60 * DAY, CFG, T0)).toEqual([]);
    expect(segmentsOf(p, T0 + 151 * DAY, CFG, T0)).toEqual(['dormant-90d']);
  });

  it('reads segment definitions from the stage file, refusing a bad one in words', () => {
    const ok = parseProfilesConfig('segments:\n  - { id: big-spender, name: 大客户, when: { minRfm: { m: 5 } } }\n', 'profiles/x.yaml');
    expect(ok.ok && ok.config.segments.map((s) => s.id)).toEqual(['big-spender']);
    const bad = parseProfilesConfig('segments:\n  - { id: Big, name: x, when: {} }\n  - { id: a, name: x, when: {} }\n  - { id: a, name: y, when: {} }\n', 'profiles/x.yaml');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toEqual(['profiles/x.yaml: segments.0.id: 标签只能包含小写字母、数字、:、_ 和 -', 'profiles/x.yaml: segments.2.id: 标签重复: a']);
    expect(ProfilesConfigSchema.safeParse({ rfm: { recencyDays: [30, 7, 90, 180] } }).success).toBe(false);
    // An empty rule matches nobody.
    const empty = ProfilesConfigSchema.parse({ segments: [{ id: 'all', name: '全部', when: {} }] });
    expect(segmentsOf(emptyProfile(), T0, empty, T0)).toEqual([]);
  });
});
