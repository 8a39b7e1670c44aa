import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { priceCheckout, type Coupon } from '../src/coupons/index';
import {
  CampaignSchema,
  DAY_MS,
  applyPromotions,
  hintText,
  flashKey,
  parseShanghaiTime,
  type Campaign,
  type CampaignUser,
  type PricingLine,
} from '../src/campaigns/index';
import { quote } from '../src/quote';

const WEDNESDAY = parseShanghaiTime('2026-11-25 10:00')!;
const WINDOW = { start: '2026-11-01 00:00', end: '2027-01-01 00:00' };
let seq = 0;
const campaign = (fields: Record<string, unknown>): Campaign =>
  CampaignSchema.parse({ id: `c${++seq}`, name: '测试活动', window: WINDOW, ...fields });
const memberDay = (percentByLevel: Record<string, number>) => campaign({ type: 'member_day', weekday: 3, percentByLevel });
const manjian = (tiers: [number, number][], scope: unknown = 'all', priority = 0) =>
  campaign({ type: 'spend_and_save', tiers: tiers.map(([thresholdFen, offFen]) => ({ thresholdFen, offFen })), scope, priority });
const flashSale = (skuId: string, priceFen: number, quota = 10, perUserLimit = 1) =>
  campaign({ id: 'flash', type: 'flash_sale', items: [{ productId: `p-${skuId}`, skuId, priceFen, quota, perUserLimit }] });

const line = (skuId: string, unitPriceFen: number, quantity = 1, categoryId = 'beauty'): PricingLine => ({
  productId: `p-${skuId}`,
  skuId,
  categoryId,
  title: skuId,
  specText: '',
  image: '',
  unitPriceFen,
  quantity,
});
const gold: CampaignUser = { id: 'u-gold', level: 'GOLD', isNew: false, segments: [] };
const coupon = (fields: Partial<Coupon> = {}): Coupon => ({
  id: 'full99',
  templateId: 'tpl-full-99-10',
  name: '满99减10',
  kind: 'fixed',
  thresholdFen: 9900,
  offFen: 1000,
  scope: { type: 'all' },
  validFrom: WEDNESDAY - DAY_MS,
  validTo: WEDNESDAY + DAY_MS,
  status: 'UNUSED',
  ...fields,
});

describe('priceCheckout: promotions first, then coupons, line by line', () => {
  it('applies the member day, then the 满减 tier reached, then the best coupon, and splits each over the lines', () => {
    const cart = [line('lipstick', 20000), line('nuts', 10000, 1, 'food')];
    const p = priceCheckout(cart, {
      campaigns: [memberDay({ GOLD: 95 }), manjian([[19900, 2000], [29900, 4000]])],
      coupons: [coupon()],
      user: gold,
      at: WEDNESDAY,
    });
    // 30000 × 5 % = 1500 → 28500 left: reaches 满199 (not 满299) → 2000 → 26500 left: 满99减10 → 1000.
    expect(p.discounts).toEqual([
      { kind: 'member_day', label: '测试活动 金卡95折', amountFen: 1500 },
      { kind: 'spend_and_save', label: '测试活动 满199减20', amountFen: 2000 },
      { kind: 'coupon', label: '优惠券 满99减10（满99减10）', amountFen: 1000 },
    ]);
    expect(p.discountDetails.map((d) => d.perLineFen)).toEqual([
      [1000, 500],
      [1333, 667],
      [667, 333],
    ]);
    expect(p.perLineDiscountFen).toEqual([3000, 1500]);
    expect(p.discountFen).toBe(4500);
    expect(p.goodsPayableFen).toBe(25500);
    expect(p.couponIds).toEqual(['full99']);
    expect(p.hints).toEqual([{ campaignId: expect.any(String), message: '再买 ¥14 可减 ¥40', label: '满299减40', shortFen: 1400 }]);
    expect(p.hints.map(hintText)).toEqual(['满299减40：再买 ¥14']);

    const q = quote(p.lines, { discounts: p.discounts });
    expect(q.discountFen).toBe(p.discountFen);
    expect(q.payableFen).toBe(25500);
  });

  it('prices a flash-sale line at the flash price and keeps it out of every other promotion and coupon', () => {
    const cart = [line('powerbank', 9900, 1, 'digital'), line('lipstick', 12900)];
    const p = priceCheckout(cart, {
      campaigns: [flashSale('powerbank', 5900, 10, 2), memberDay({ GOLD: 90 })],
      coupons: [coupon({ scope: { type: 'categories', categoryIds: ['digital'] } })],
      user: gold,
      at: WEDNESDAY,
    });
    expect(p.lines.map((l) => l.unitPriceFen)).toEqual([5900, 12900]);
    expect(p.flashSaleLines).toEqual([
      expect.objectContaining({ lineIndex: 0, originalPriceFen: 9900, flashPriceFen: 5900, applied: true, showCountdown: true }),
    ]);
    expect(p.perLineDiscountFen).toEqual([0, 1290]);
    expect(p.couponReasons).toEqual([{ couponId: 'full99', usable: false, reason: '限时抢购商品不可用券', amountFen: 0 }]);
  });

  it('keeps the normal price when the flash quota or the per-user limit does not cover the quantity', () => {
    const sale = flashSale('powerbank', 5900, 10, 2);
    const price = (quantity: number, usage = {}) =>
      applyPromotions([line('powerbank', 9900, quantity, 'digital')], [sale], gold, { usage }).flashSaleLines[0];
    expect(price(2)).toMatchObject({ applied: true });
    expect(price(3)).toMatchObject({ applied: false, reason: '每人限购 2 件' });
    expect(price(1, { flashBoughtByUser: { [flashKey('flash', 'powerbank')]: 2 } })).toMatchObject({
      applied: false,
      reason: '每人限购 2 件，您已购买 2 件',
    });
    expect(price(2, { flashSold: { [flashKey('flash', 'powerbank')]: 9 } })).toMatchObject({ applied: false, reason: '秒杀库存仅剩 1 件' });
    expect(price(1, { flashSold: { [flashKey('flash', 'powerbank')]: 10 } })).toMatchObject({ applied: false, reason: '已抢光' });
  });

  it('gives the 满赠 gift once the post-promotion amount reaches the threshold, while gifts last', () => {
    const gift = campaign({
      id: 'gift',
      type: 'gift_with_purchase',
      thresholdFen: 29900,
      gift: { productId: 'p-mask-01', skuId: 'sku-mask-01-hydra-10' },
      quota: 5,
    });
    const at = (amount: number, given = 0) =>
      applyPromotions([line('essence', amount)], [gift], gold, { usage: { giftsGiven: { gift: given } } });
    expect(at(29899).gifts).toEqual([]);
    expect(at(29899).hints).toEqual([{ campaignId: 'gift', message: '再买 ¥0.01 可获赠品', label: '满299赠品', shortFen: 1 }]);
    expect(at(29899).hints.map(hintText)).toEqual(['满299赠品：再买 ¥0.01']);
    expect(at(29900).gifts).toEqual([
      { campaignId: 'gift', label: '测试活动', productId: 'p-mask-01', skuId: 'sku-mask-01-hydra-10', quantity: 1, given: true },
    ]);
    expect(at(29900, 5).gifts[0]).toMatchObject({ given: false, reason: '赠品已送完' });
    // A 满赠 no line counts towards (here: digital only, the cart holds beauty) gives no 凑单 hint, like 满减.
    const digitalOnly = { ...gift, scope: { type: 'categories' as const, categoryIds: ['digital'] } };
    expect(applyPromotions([line('essence', 1000)], [digitalOnly], gold, {}).hints).toEqual([]);
  });

  it('lets each line join one 满减 and picks the assignment worth most to the shopper', () => {
    // The beauty-only 满减 has the higher priority, but the store-wide one reaches a bigger tier with all lines.
    const beauty = manjian([[30000, 5000]], { categoryIds: ['beauty'] }, 20);
    const all = manjian([[19900, 2000], [49900, 8000]], 'all', 10);
    const cart = [line('essence', 31000), line('tshirt', 19000, 1, 'fashion')];
    const p = priceCheckout(cart, { campaigns: [beauty, all], coupons: [], user: { ...gold, level: 'NORMAL' }, at: WEDNESDAY });
    expect(p.discounts).toEqual([{ kind: 'spend_and_save', label: '测试活动 满499减80', amountFen: 8000 }]);
    const small = priceCheckout([line('essence', 31000), line('tshirt', 9000, 1, 'fashion')], {
      campaigns: [beauty, all],
      coupons: [],
      user: { ...gold, level: 'NORMAL' },
      at: WEDNESDAY,
    });
    // 310 + 90 = 400 < 499: the beauty 满300减50 (on 310) beats store-wide 满199减20.
    expect(small.discounts.map((d) => d.amountFen)).toEqual([5000]);
  });

  it('skips campaigns that are not live for this shopper now', () => {
    const p = priceCheckout([line('lipstick', 20000)], {
      campaigns: [memberDay({ GOLD: 95 }), manjian([[9900, 1000]])],
      coupons: [],
      user: gold,
      at: WEDNESDAY + DAY_MS, // Thursday
    });
    expect(p.discounts.map((d) => d.kind)).toEqual(['spend_and_save']);
  });

  it('uses the shopper’s chosen coupon, or none when they chose none', () => {
    const cheap = coupon({ id: 'cheap', kind: 'no_threshold', thresholdFen: 0, offFen: 300, name: '新人无门槛券' });
    const ctx = { campaigns: [], coupons: [coupon(), cheap], user: gold, at: WEDNESDAY };
    expect(priceCheckout([line('a', 10000)], ctx).couponIds).toEqual(['full99']);
    expect(priceCheckout([line('a', 10000)], { ...ctx, chosenCouponIds: ['cheap'] }).couponIds).toEqual(['cheap']);
    expect(priceCheckout([line('a', 10000)], { ...ctx, chosenCouponIds: ['cheap'] }).discounts[0].label).toBe('优惠券 新人无门槛券（无门槛减3）');
    expect(priceCheckout([line('a', 10000)], { ...ctx, chosenCouponIds: [] }).discountFen).toBe(0);
  });

  it('reports the points multiplier of the live campaigns', () => {
    const points = campaign({ type: 'points_multiplier', multiplier: 2, levels: ['GOLD'] });
    const ctx = { campaigns: [points], coupons: [], at: WEDNESDAY };
    expect(priceCheckout([line('a', 100)], { ...ctx, user: gold }).pointsMultiplier).toBe(2);
    expect(priceCheckout([line('a', 100)], { ...ctx, user: { ...gold, level: 'SILVER' } }).pointsMultiplier).toBe(1);
  });

  it('merges two lines of one SKU the way quote() does, so per-line amounts line up with the quote', () => {
    const p = priceCheckout([line('a', 5000), line('b', 3000), line('a', 5000, 2)], {
      campaigns: [manjian([[9900, 1000]])],
      coupons: [],
      user: gold,
      at: WEDNESDAY,
    });
    expect(p.lines.map((l) => [l.skuId, l.quantity])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(quote(p.lines, { discounts: p.discounts }).lines.map((l) => l.skuId)).toEqual(['a', 'b']);
  });
});

describe('payable never below 1 fen', () => {
  it('cuts the last discount so a ¥5 coupon on a ¥5 cart leaves 1 fen to pay', () => {
    const five = coupon({ id: 'five', kind: 'no_threshold', thresholdFen: 0, offFen: 500, name: '新人无门槛券' });
    const p = priceCheckout([line('a', 500)], { campaigns: [], coupons: [five], user: gold, at: WEDNESDAY });
    expect(p.discountFen).toBe(499);
    expect(p.goodsPayableFen).toBe(1);
    expect(p.couponReasons).toEqual([{ couponId: 'five', usable: true, amountFen: 499 }]);
    expect(quote(p.lines, { discounts: p.discounts }).payableFen).toBe(1 + 1000);
  });

  it('does not spend a coupon that the floor cut to nothing', () => {
    const p = priceCheckout([line('a', 10000)], {
      campaigns: [manjian([[10000, 9999]])],
      coupons: [coupon({ id: 'five', kind: 'no_threshold', thresholdFen: 0, offFen: 500 })],
      user: gold,
      at: WEDNESDAY,
    });
    expect(p.goodsPayableFen).toBe(1);
    expect(p.couponIds).toEqual([]);
    expect(p.couponReasons[0]).toMatchObject({ couponId: 'five', amountFen: 0, reason: '订单金额已不足以使用' });
  });

  const cartArb = fc.array(
    fc.record({
      skuId: fc.constantFrom('s1', 's2', 's3', 's4', 's5', 's6'),
      unitPriceFen: fc.integer({ min: 1, max: 50_000 }),
      quantity: fc.integer({ min: 1, max: 3 }),
      categoryId: fc.constantFrom('beauty', 'food'),
    }),
    { minLength: 1, maxLength: 5 },
  );
  const campaignsArb = fc.record({
    percent: fc.option(fc.integer({ min: 1, max: 99 })),
    tier: fc.option(fc.integer({ min: 2, max: 60_000 }).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 1, max: t - 1 })))),
    flashPrice: fc.option(fc.integer({ min: 1, max: 40_000 })),
    couponOffs: fc.array(fc.integer({ min: 1, max: 60_000 }), { maxLength: 3 }),
    maxCoupons: fc.integer({ min: 1, max: 2 }),
  });

  it('holds for any cart, promotions and coupons; the per-line split adds up exactly and matches quote()', () => {
    fc.assert(
      fc.property(cartArb, campaignsArb, (rawCart, c) => {
        const cart = rawCart.map((l) => line(l.skuId, l.unitPriceFen, l.quantity, l.categoryId));
        const campaigns: Campaign[] = [];
        if (c.percent !== null) campaigns.push(memberDay({ GOLD: c.percent }));
        if (c.tier !== null) campaigns.push(manjian([c.tier]));
        if (c.flashPrice !== null) campaigns.push(flashSale('s1', c.flashPrice, 100, 3));
        const coupons = c.couponOffs.map((off, i) =>
          coupon({ id: `k${i}`, kind: 'no_threshold', thresholdFen: 0, offFen: off, stackable: true }),
        );
        const p = priceCheckout(cart, {
          campaigns,
          coupons,
          user: gold,
          at: WEDNESDAY,
          rules: { maxCouponsPerOrder: c.maxCoupons, stackableAllowed: true },
        });
        const totals = p.lines.map((l) => l.unitPriceFen * l.quantity);
        expect(p.goodsPayableFen).toBeGreaterThanOrEqual(1);
        expect(p.subtotalFen - p.discountFen).toBe(p.goodsPayableFen);
        expect(p.perLineDiscountFen.reduce((s, x) => s + x, 0)).toBe(p.discountFen);
        expect(p.discounts.reduce((s, d) => s + d.amountFen, 0)).toBe(p.discountFen);
        for (const d of p.discountDetails) expect(d.perLineFen.reduce((s, x) => s + x, 0)).toBe(d.amountFen);
        p.perLineDiscountFen.forEach((x, i) => {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(totals[i]);
        });
        const q = quote(p.lines, { discounts: p.discounts });
        expect(q.discountFen).toBe(p.discountFen);
        expect(q.payableFen).toBe(p.goodsPayableFen + q.shippingFen);
      }),
      { numRuns: 400 },
    );
  });
});
