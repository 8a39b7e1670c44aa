import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bestSelection,
  chosenSelection,
  couponDiscount,
  couponFromTemplate,
  couponLabel,
  selectionAllowed,
  type Coupon,
  type CouponLine,
  type CouponRules,
} from '../src/coupons/index';
import { CouponTemplateSchema, DAY_MS, parseShanghaiTime, type PromotionScope } from '../src/campaigns/index';

const NOW = parseShanghaiTime('2026-11-25 10:00')!;
const coupon = (fields: Partial<Coupon> = {}): Coupon => ({
  id: 'k1',
  templateId: 'tpl',
  kind: 'fixed',
  thresholdFen: 9900,
  offFen: 1000,
  scope: { type: 'all' },
  validFrom: NOW - DAY_MS,
  validTo: NOW + DAY_MS,
  status: 'UNUSED',
  ...fields,
});
const percent88 = (fields: Partial<Coupon> = {}) =>
  coupon({ kind: 'percent', percent: 88, capFen: 5000, thresholdFen: 0, offFen: 0, ...fields });
const line = (amountFen: number, categoryId = 'beauty', productId = `p-${categoryId}`, couponEligible = true): CouponLine => ({
  productId,
  categoryId,
  amountFen,
  couponEligible,
});
/** A set of coupons applied together through the shopper's-choice path, with no order rule in the way. */
const applyAll = (lines: CouponLine[], set: Coupon[]) =>
  chosenSelection(
    lines,
    set.map((c) => ({ ...c, stackable: true })),
    set.map((c) => c.id),
    { maxCouponsPerOrder: set.length, stackableAllowed: true },
    NOW,
  );

describe('couponDiscount: one coupon on a cart', () => {
  it('满99减10 is usable from exactly ¥99: 1 fen short says how much is missing', () => {
    expect(couponDiscount(coupon(), [line(9899)], NOW)).toEqual({ usable: false, amountFen: 0, reason: '未满 ¥99 可用，还差 ¥0.01' });
    expect(couponDiscount(coupon(), [line(9900)], NOW)).toEqual({ usable: true, amountFen: 1000, eligibleFen: 9900 });
    expect(couponDiscount(coupon(), [line(9901)], NOW)).toEqual({ usable: true, amountFen: 1000, eligibleFen: 9901 });
  });

  it('counts the threshold over all covered lines together', () => {
    expect(couponDiscount(coupon(), [line(5000), line(4900, 'food')], NOW)).toMatchObject({ usable: true, amountFen: 1000 });
  });

  it('88折 takes 12 %, rounded down to the fen, and never more than its cap', () => {
    expect(couponDiscount(percent88(), [line(10000)], NOW)).toMatchObject({ amountFen: 1200 });
    expect(couponDiscount(percent88(), [line(999)], NOW)).toMatchObject({ amountFen: 119 }); // 119.88
    expect(couponDiscount(percent88(), [line(41666)], NOW)).toMatchObject({ amountFen: 4999 }); // 4999.92
    expect(couponDiscount(percent88(), [line(41667)], NOW)).toMatchObject({ amountFen: 5000 }); // 5000.04 → cap
    expect(couponDiscount(percent88(), [line(99900)], NOW)).toMatchObject({ amountFen: 5000 });
  });

  it('never takes more than the covered amount', () => {
    const fiveYuan = coupon({ kind: 'no_threshold', thresholdFen: 0, offFen: 500 });
    expect(couponDiscount(fiveYuan, [line(300)], NOW)).toMatchObject({ usable: true, amountFen: 300 });
  });

  it('counts only the lines in scope, and says so when the scope covers nothing', () => {
    const beauty = percent88({ scope: { type: 'categories', categoryIds: ['beauty'] }, thresholdFen: 9900 });
    expect(couponDiscount(beauty, [line(50000, 'food')], NOW)).toEqual({ usable: false, amountFen: 0, reason: '不适用于所选商品' });
    expect(couponDiscount(beauty, [line(5000, 'beauty'), line(50000, 'food')], NOW)).toEqual({
      usable: false,
      amountFen: 0,
      reason: '适用商品未满 ¥99 可用，还差 ¥49',
    });
    expect(couponDiscount(beauty, [line(10000, 'beauty'), line(50000, 'food')], NOW)).toMatchObject({ amountFen: 1200, eligibleFen: 10000 });
    const product = coupon({ scope: { type: 'products', productIds: ['p-lipstick-01'] } });
    expect(couponDiscount(product, [line(9900, 'beauty', 'p-lipstick-01')], NOW)).toMatchObject({ usable: true });
    expect(couponDiscount(product, [line(9900, 'beauty', 'p-cream-01')], NOW)).toMatchObject({ reason: '不适用于所选商品' });
  });

  it('is not usable on flash-sale lines', () => {
    expect(couponDiscount(coupon(), [line(20000, 'beauty', 'p', false)], NOW)).toMatchObject({ reason: '限时抢购商品不可用券' });
  });

  it('is usable from validFrom up to, not including, validTo', () => {
    const c = coupon({ validFrom: NOW, validTo: NOW + 1000 });
    expect(couponDiscount(c, [line(9900)], NOW - 1)).toMatchObject({ reason: '不在有效期（2026-11-25 10:00 起可用）' });
    expect(couponDiscount(c, [line(9900)], NOW)).toMatchObject({ usable: true });
    expect(couponDiscount(c, [line(9900)], NOW + 999)).toMatchObject({ usable: true });
    expect(couponDiscount(c, [line(9900)], NOW + 1000)).toMatchObject({ reason: '已过期' });
  });

  it('is not usable once used, locked by an unpaid order, or expired', () => {
    expect(couponDiscount(coupon({ status: 'USED' }), [line(9900)], NOW)).toMatchObject({ reason: '已使用' });
    expect(couponDiscount(coupon({ status: 'LOCKED' }), [line(9900)], NOW)).toMatchObject({ reason: '已被待支付订单占用' });
    expect(couponDiscount(coupon({ status: 'EXPIRED' }), [line(9900)], NOW)).toMatchObject({ reason: '已过期' });
  });

  it('reads like the coupon face', () => {
    expect(couponLabel(coupon())).toBe('满99减10');
    expect(couponLabel(percent88())).toBe('88折 最高减50');
    expect(couponLabel(coupon({ kind: 'no_threshold', thresholdFen: 0, offFen: 500 }))).toBe('无门槛减5');
    expect(couponLabel(percent88({ percent: 90, thresholdFen: 19900, capFen: 2000 }))).toBe('满199享9折 最高减20');
  });
});

describe('couponFromTemplate', () => {
  it('makes a "7 days after claim" coupon valid for 7 × 24 h from the claim', () => {
    const t = CouponTemplateSchema.parse({
      id: 'tpl-new-user-5',
      name: '新人无门槛券',
      kind: 'no_threshold',
      offFen: 500,
      validity: { type: 'days_after_claim', days: 7 },
      totalStock: 10,
    });
    expect(couponFromTemplate(t, { id: 'k9', claimedAt: NOW })).toEqual({
      id: 'k9',
      templateId: 'tpl-new-user-5',
      name: '新人无门槛券',
      kind: 'no_threshold',
      thresholdFen: 0,
      offFen: 500,
      scope: { type: 'all' },
      validFrom: NOW,
      validTo: NOW + 7 * DAY_MS,
      status: 'UNUSED',
      stackable: false,
    });
  });

  it('gives a window coupon the window, whenever it was claimed', () => {
    const t = CouponTemplateSchema.parse({
      id: 'tpl-beauty-88',
      name: '美妆88折',
      kind: 'percent',
      percent: 88,
      capFen: 5000,
      scope: { categoryIds: ['beauty'] },
      validity: { type: 'window', start: '2026-11-01 00:00', end: '2026-12-01 00:00' },
      totalStock: 10,
    });
    expect(couponFromTemplate(t, { id: 'k1', claimedAt: NOW })).toMatchObject({
      percent: 88,
      capFen: 5000,
      offFen: 0,
      thresholdFen: 0,
      scope: { type: 'categories', categoryIds: ['beauty'] },
      validFrom: parseShanghaiTime('2026-11-01 00:00'),
      validTo: parseShanghaiTime('2026-12-01 00:00'),
    });
  });
});

describe('bestSelection', () => {
  const ONE: CouponRules = { maxCouponsPerOrder: 1, stackableAllowed: true };
  const TWO: CouponRules = { maxCouponsPerOrder: 2, stackableAllowed: true };

  it('picks the coupon worth most and says why each other one is not used', () => {
    const cart = [line(20000, 'beauty'), line(5000, 'food')];
    const result = bestSelection(
      cart,
      [
        coupon({ id: 'full99' }),
        percent88({ id: 'beauty88', scope: { type: 'categories', categoryIds: ['beauty'] } }),
        coupon({ id: 'used', status: 'USED' }),
        coupon({ id: 'big', thresholdFen: 50000, offFen: 8000 }),
      ],
      ONE,
      NOW,
    );
    expect(result.couponIds).toEqual(['beauty88']);
    expect(result.totalFen).toBe(2400);
    expect(result.applied[0].perLineFen).toEqual([2400, 0]);
    expect(result.reasons).toEqual([
      { couponId: 'full99', usable: true, reason: '每单限用 1 张优惠券，已选择更优惠的券', amountFen: 1000 },
      { couponId: 'beauty88', usable: true, amountFen: 2400 },
      { couponId: 'used', usable: false, reason: '已使用', amountFen: 0 },
      { couponId: 'big', usable: false, reason: '未满 ¥500 可用，还差 ¥250', amountFen: 0 },
    ]);
  });

  it('on a tie, uses the coupon that expires first', () => {
    const later = coupon({ id: 'a-later', validTo: NOW + 5 * DAY_MS });
    const sooner = coupon({ id: 'b-sooner', validTo: NOW + 2 * DAY_MS });
    expect(bestSelection([line(9900)], [later, sooner], ONE, NOW).couponIds).toEqual(['b-sooner']);
  });

  it('uses no coupon when none is usable', () => {
    const result = bestSelection([line(100)], [coupon()], ONE, NOW);
    expect(result).toMatchObject({ couponIds: [], totalFen: 0, applied: [] });
    expect(result.reasons[0]).toEqual({ couponId: 'k1', usable: false, reason: '未满 ¥99 可用，还差 ¥98', amountFen: 0 });
  });

  it('combines stackable coupons when two per order are allowed, never a non-stackable one', () => {
    const share = coupon({ id: 'share3', kind: 'no_threshold', thresholdFen: 0, offFen: 300, stackable: true });
    const full = coupon({ id: 'full99', stackable: true });
    const exclusive = coupon({ id: 'exclusive', thresholdFen: 9900, offFen: 1200 });
    const result = bestSelection([line(10000)], [share, full, exclusive], TWO, NOW);
    expect(result.couponIds).toEqual(['share3', 'full99']);
    expect(result.totalFen).toBe(1300);
    expect(result.reasons.find((r) => r.couponId === 'exclusive')).toEqual({
      couponId: 'exclusive',
      usable: true,
      reason: '每单最多使用 2 张优惠券',
      amountFen: 1200,
    });
    expect(bestSelection([line(10000)], [share, full, exclusive], { maxCouponsPerOrder: 2, stackableAllowed: false }, NOW).couponIds).toEqual([
      'exclusive',
    ]);
  });

  it('judges stacked thresholds on the amount before coupons and never takes a line below zero', () => {
    const a = coupon({ id: 'a', kind: 'no_threshold', thresholdFen: 0, offFen: 8000, stackable: true });
    const b = coupon({ id: 'b', thresholdFen: 9900, offFen: 5000, stackable: true });
    const result = applyAll([line(9900)], [a, b]);
    expect(result.totalFen).toBe(9900);
    expect(result.applied.map((x) => x.amountFen)).toEqual([8000, 1900]);
  });

  it('honours the shopper’s own choice, and leaves out what cannot be used with a reason', () => {
    const cheap = coupon({ id: 'cheap', kind: 'no_threshold', thresholdFen: 0, offFen: 300 });
    const best = coupon({ id: 'best' });
    const locked = coupon({ id: 'locked', status: 'LOCKED' });
    const mine = chosenSelection([line(9900)], [cheap, best, locked], ['cheap', 'locked'], ONE, NOW);
    expect(mine.couponIds).toEqual(['cheap']);
    expect(mine.totalFen).toBe(300);
    expect(mine.reasons.find((r) => r.couponId === 'locked')?.reason).toBe('已被待支付订单占用');
    expect(chosenSelection([line(9900)], [cheap, best], ['cheap', 'best'], ONE, NOW).couponIds).toEqual(['cheap']);
    expect(chosenSelection([line(9900)], [cheap, best], [], ONE, NOW).reasons.map((r) => r.reason)).toEqual(['未选择', '未选择']);
  });
});

// ───────────── property: bestSelection is optimal ─────────────

const scopeArb: fc.Arbitrary<PromotionScope> = fc.oneof(
  fc.constant({ type: 'all' as const }),
  fc.subarray(['c1', 'c2'], { minLength: 1 }).map((categoryIds) => ({ type: 'categories' as const, categoryIds })),
  fc.subarray(['p1', 'p2', 'p3'], { minLength: 1 }).map((productIds) => ({ type: 'products' as const, productIds })),
);

const lineArb: fc.Arbitrary<CouponLine> = fc.record({
  productId: fc.constantFrom('p1', 'p2', 'p3'),
  categoryId: fc.constantFrom('c1', 'c2'),
  amountFen: fc.integer({ min: 0, max: 30_000 }),
  couponEligible: fc.constantFrom(true, true, true, false),
});

const couponsArb: fc.Arbitrary<Coupon[]> = fc
  .array(
    fc.record({
      kind: fc.constantFrom('fixed' as const, 'percent' as const, 'no_threshold' as const),
      thresholdFen: fc.integer({ min: 0, max: 40_000 }),
      offFen: fc.integer({ min: 1, max: 20_000 }),
      percent: fc.integer({ min: 1, max: 99 }),
      capFen: fc.integer({ min: 1, max: 10_000 }),
      scope: scopeArb,
      // Few distinct expiry days, so ties between equally good coupons happen often.
      fromDays: fc.integer({ min: -3, max: 1 }),
      toDays: fc.integer({ min: 0, max: 3 }),
      status: fc.constantFrom('UNUSED' as const, 'UNUSED' as const, 'UNUSED' as const, 'USED' as const, 'LOCKED' as const, 'EXPIRED' as const),
      stackable: fc.boolean(),
    }),
    { maxLength: 6 },
  )
  .map((raw) =>
    raw.map(
      (r, i): Coupon => ({
        id: `k${i}`,
        templateId: `t${i}`,
        kind: r.kind,
        thresholdFen: r.kind === 'no_threshold' ? 0 : r.thresholdFen,
        offFen: r.kind === 'percent' ? 0 : r.offFen,
        ...(r.kind === 'percent' ? { percent: r.percent, capFen: r.capFen } : {}),
        scope: r.scope,
        validFrom: NOW + r.fromDays * DAY_MS,
        validTo: NOW + r.toDays * DAY_MS + 1,
        status: r.status,
        stackable: r.stackable,
      }),
    ),
  );

/** What one coupon is worth, written from the rules in plain terms (independent of couponDiscount). */
function worthAlone(c: Coupon, lines: CouponLine[]): number | null {
  if (c.status !== 'UNUSED' || NOW < c.validFrom || NOW >= c.validTo) return null;
  const covers = (l: CouponLine) =>
    c.scope.type === 'all' ||
    (c.scope.type === 'categories' && c.scope.categoryIds.includes(l.categoryId)) ||
    (c.scope.type === 'products' && c.scope.productIds.includes(l.productId));
  const eligible = lines.filter((l) => covers(l) && l.couponEligible !== false);
  if (eligible.length === 0) return null;
  const base = eligible.reduce((s, l) => s + l.amountFen, 0);
  if (base < c.thresholdFen) return null;
  const raw = c.kind === 'percent' ? Math.min(Math.floor((base * (100 - c.percent!)) / 100), c.capFen!) : c.offFen;
  return Math.min(raw, base);
}

function subsets<T>(items: T[], maxSize: number): T[][] {
  const out: T[][] = [[]];
  for (const item of items) for (const s of [...out]) if (s.length < maxSize) out.push([...s, item]);
  return out;
}

describe('bestSelection is optimal (property, against brute force)', () => {
  it('one coupon per order: the best single coupon, and the soonest-expiring among equals', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 5 }), couponsArb, (lines, coupons) => {
        const worth = coupons.map((c) => worthAlone(c, lines));
        const best = Math.max(0, ...worth.map((w) => w ?? 0));
        const result = bestSelection(lines, coupons, { maxCouponsPerOrder: 1, stackableAllowed: true }, NOW);
        expect(result.totalFen).toBe(best);
        if (best === 0) {
          expect(result.couponIds).toEqual([]);
          return;
        }
        expect(result.couponIds).toHaveLength(1);
        const chosen = coupons.find((c) => c.id === result.couponIds[0])!;
        const soonest = Math.min(...coupons.filter((_, i) => worth[i] === best).map((c) => c.validTo));
        expect(chosen.validTo).toBe(soonest);
        // Every coupon gets a verdict; the unusable ones say why.
        result.reasons.forEach((r, i) => {
          expect(r.usable).toBe(worth[i] !== null);
          if (worth[i] === null) expect(r.reason).toBeTruthy();
        });
      }),
      { numRuns: 500 },
    );
  });

  it('up to two coupons per order: no allowed pair or single does better', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 5 }), couponsArb, fc.boolean(), (lines, coupons, stackableAllowed) => {
        const rules: CouponRules = { maxCouponsPerOrder: 2, stackableAllowed };
        let best = 0;
        for (const set of subsets(coupons, 2)) {
          if (set.length === 0 || !selectionAllowed(set, rules)) continue;
          if (set.some((c) => worthAlone(c, lines) === null)) continue;
          const value = set.length === 1 ? worthAlone(set[0], lines)! : applyAll(lines, set).totalFen;
          best = Math.max(best, value);
        }
        const result = bestSelection(lines, coupons, rules, NOW);
        expect(result.totalFen).toBe(best);
        expect(result.couponIds.length).toBeLessThanOrEqual(2);
        expect(selectionAllowed(coupons.filter((c) => result.couponIds.includes(c.id)), rules)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('splits every coupon over its lines in whole fen, exactly, never below zero on a line', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 5 }), couponsArb, (lines, coupons) => {
        const usable = coupons.filter((c) => worthAlone(c, lines) !== null);
        const result = applyAll(lines, usable);
        const perLine = lines.map((_, i) => result.applied.reduce((s, a) => s + a.perLineFen[i], 0));
        for (const a of result.applied) expect(a.perLineFen.reduce((s, x) => s + x, 0)).toBe(a.amountFen);
        perLine.forEach((taken, i) => {
          expect(taken).toBeGreaterThanOrEqual(0);
          expect(taken).toBeLessThanOrEqual(lines[i].couponEligible ? lines[i].amountFen : 0);
        });
        expect(result.totalFen).toBe(perLine.reduce((s, x) => s + x, 0));
      }),
      { numRuns: 300 },
    );
  });
});
