import { describe, expect, it } from 'vitest';
import {
  CampaignSchema,
  abVariant,
  campaignStatus,
  fnv1a32,
  liveCampaigns,
  parseShanghaiTime,
  type Campaign,
  type CampaignUser,
} from '../src/campaigns/index';

const at = (local: string) => parseShanghaiTime(local)!;
/** A valid campaign with `fields` replaced; a field set to undefined is removed. */
const make = (fields: Record<string, unknown>): Campaign => {
  const merged: Record<string, unknown> = {
    id: 'c1',
    name: '测试活动',
    type: 'spend_and_save',
    tiers: [{ thresholdFen: 9900, offFen: 1000 }],
    window: { start: '2026-11-01 00:00', end: '2026-12-01 00:00' },
    ...fields,
  };
  return CampaignSchema.parse(Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)));
};
const user = (fields: Partial<CampaignUser> = {}): CampaignUser => ({ id: 'u-1', level: 'NORMAL', isNew: false, segments: [], ...fields });
const NOV_20 = at('2026-11-20 12:00');

describe('FNV-1a', () => {
  it('matches the published 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes Chinese text by its UTF-8 bytes', () => {
    // Same bytes as Buffer.from('会员', 'utf8'), so any implementation that hashes UTF-8 agrees.
    let h = 0x811c9dc5;
    for (const b of Buffer.from('会员', 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    expect(fnv1a32('会员')).toBe(h);
  });
});

describe('A/B split', () => {
  const ab = { experiment: 'beauty-manjian-2026', variants: [{ name: 'control', weight: 50 }, { name: 'treatment', weight: 50 }] };

  it('puts the same user in the same variant every time', () => {
    for (let i = 0; i < 100; i++) expect(abVariant(ab, `u-${i}`)).toBe(abVariant(ab, `u-${i}`));
    expect(abVariant(ab, 'sandbox-openid-xiaoming')).toBe(abVariant({ ...ab, variants: [...ab.variants] }, 'sandbox-openid-xiaoming'));
  });

  it.each([
    [[50, 50]],
    [[10, 90]],
    [[1, 1, 1]],
    [[20, 30, 50]],
    [[0, 1]],
  ])('splits 10,000 sequential ids close to the weights %j', (weights) => {
    const variants = weights.map((weight, i) => ({ name: `v${i}`, weight }));
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const v = abVariant({ experiment: 'exp-split', variants }, `u-${i}`);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    variants.forEach((v, i) => {
      // ±2 percentage points: four standard deviations of a fair 50/50 split over 10,000 ids.
      expect(Math.abs((counts.get(v.name) ?? 0) / 10_000 - weights[i] / total)).toBeLessThan(0.02);
    });
  });

  it('splits different experiments independently', () => {
    const other = { ...ab, experiment: 'another-test' };
    let same = 0;
    for (let i = 0; i < 10_000; i++) if (abVariant(ab, `u-${i}`) === abVariant(other, `u-${i}`)) same++;
    expect(same / 10_000).toBeGreaterThan(0.47);
    expect(same / 10_000).toBeLessThan(0.53);
  });

  it('shows an A/B campaign only to the variants listed in show', () => {
    const c = make({ targeting: { ab: { ...ab, show: ['treatment'] } } });
    let shown = 0;
    for (let i = 0; i < 1000; i++) {
      const u = user({ id: `u-${i}` });
      const live = campaignStatus(c, NOV_20, u).live;
      expect(live).toBe(abVariant(ab, u.id) === 'treatment');
      if (live) shown++;
    }
    expect(shown).toBeGreaterThan(400);
    expect(shown).toBeLessThan(600);
  });
});

describe('liveCampaigns', () => {
  it('is live from the start minute up to, not including, the end minute', () => {
    const c = make({ window: { start: '2026-11-11 00:00', end: '2026-11-12 00:00' } });
    const config = { campaigns: [c] };
    expect(liveCampaigns(config, { at: at('2026-11-10 23:59:59'), user: user() })).toEqual([]);
    expect(liveCampaigns(config, { at: at('2026-11-11 00:00'), user: user() })).toEqual([c]);
    expect(liveCampaigns(config, { at: at('2026-11-11 23:59:59'), user: user() })).toEqual([c]);
    expect(liveCampaigns(config, { at: at('2026-11-12 00:00'), user: user() })).toEqual([]);
  });

  it('leaves out disabled campaigns', () => {
    expect(campaignStatus(make({ enabled: false }), NOV_20, user())).toEqual({ live: false, reason: '已停用' });
  });

  it('targets member levels', () => {
    const c = make({ targeting: { levels: ['GOLD', 'PLATINUM', 'DIAMOND'] } });
    expect(campaignStatus(c, NOV_20, user({ level: 'SILVER' }))).toEqual({ live: false, reason: '仅限金卡、白金、钻石会员' });
    expect(campaignStatus(c, NOV_20, user({ level: 'GOLD' })).live).toBe(true);
  });

  it('targets new or returning shoppers', () => {
    const newOnly = make({ targeting: { returning: false } });
    const returningOnly = make({ targeting: { newUsers: false } });
    expect(campaignStatus(newOnly, NOV_20, user({ isNew: true })).live).toBe(true);
    expect(campaignStatus(newOnly, NOV_20, user({ isNew: false }))).toEqual({ live: false, reason: '仅限新用户' });
    expect(campaignStatus(returningOnly, NOV_20, user({ isNew: true }))).toEqual({ live: false, reason: '仅限老用户' });
    expect(campaignStatus(returningOnly, NOV_20, user({ isNew: false })).live).toBe(true);
  });

  it('targets segments: any one of the listed tags is enough', () => {
    const c = make({ targeting: { segments: ['beauty-lover', 'dormant-90d'] } });
    expect(campaignStatus(c, NOV_20, user({ segments: [] })).live).toBe(false);
    expect(campaignStatus(c, NOV_20, user({ segments: ['dormant-90d'] })).live).toBe(true);
    expect(campaignStatus(c, NOV_20, user({ segments: ['sports-fan'] }))).toEqual({
      live: false,
      reason: '仅限带有标签 beauty-lover、dormant-90d 的用户',
    });
  });

  it('runs a weekly member day only on its weekday (in Shanghai) and only for levels with a discount', () => {
    const c = make({ type: 'member_day', tiers: undefined, weekday: 3, percentByLevel: { GOLD: 95 } });
    const gold = user({ level: 'GOLD' });
    expect(campaignStatus(c, at('2026-11-25 00:00'), gold).live).toBe(true); // a Wednesday
    expect(campaignStatus(c, at('2026-11-24 23:59'), gold)).toEqual({ live: false, reason: '今天不是会员日（每周三）' });
    expect(campaignStatus(c, at('2026-11-25 10:00'), user({ level: 'SILVER' }))).toEqual({ live: false, reason: '银卡会员无会员日折扣' });
  });

  it('runs a monthly member day on its date', () => {
    const c = make({ type: 'member_day', tiers: undefined, dayOfMonth: 18, percentByLevel: { NORMAL: 98 } });
    expect(campaignStatus(c, at('2026-11-18 09:00'), user()).live).toBe(true);
    expect(campaignStatus(c, at('2026-11-19 09:00'), user())).toEqual({ live: false, reason: '今天不是会员日（每月 18 日）' });
  });

  it('drops new-user gifts on new users, win-back coupons on returning ones, birthday coupons in the birthday month', () => {
    const drop = (trigger: string) => make({ type: 'coupon_drop', tiers: undefined, trigger, templateIds: ['tpl-a'] });
    expect(campaignStatus(drop('new_user_gift'), NOV_20, user({ isNew: true })).live).toBe(true);
    expect(campaignStatus(drop('new_user_gift'), NOV_20, user({ isNew: false })).live).toBe(false);
    expect(campaignStatus(drop('win_back'), NOV_20, user({ isNew: true })).live).toBe(false);
    expect(campaignStatus(drop('win_back'), NOV_20, user({ isNew: false })).live).toBe(true);
    expect(campaignStatus(drop('birthday'), NOV_20, user({ birthday: '1990-11-02' })).live).toBe(true);
    expect(campaignStatus(drop('birthday'), NOV_20, user({ birthday: '12-02' }))).toEqual({ live: false, reason: '仅在生日当月发放' });
    expect(campaignStatus(drop('birthday'), NOV_20, user())).toEqual({ live: false, reason: '未填写生日' });
  });

  it('orders live campaigns by priority, highest first', () => {
    const low = make({ id: 'low', priority: 1 });
    const high = make({ id: 'high', priority: 9 });
    const mid = make({ id: 'mid', priority: 5 });
    expect(liveCampaigns({ campaigns: [low, high, mid] }, { at: NOV_20, user: user() }).map((c) => c.id)).toEqual(['high', 'mid', 'low']);
  });
});
