/**
 * The whole price of a checkout before shipping: promotions (campaigns/promotions.ts), then coupons on what is left,
 * then the 1-fen floor. The result feeds quote() directly: `quote(p.lines, { discounts: p.discounts })`, and
 * `perLineDiscountFen` is the split the order stores per line so partial refunds are exact.
 */
import type { Fen } from '../money';
import type { QuoteDiscount } from '../quote';
import type { Campaign } from '../campaigns/schema';
import { isCampaignLive, type CampaignUser } from '../campaigns/live';
import {
  applyPromotions,
  type DiscountDetail,
  type FlashSaleLine,
  type GiftLine,
  type PricingLine,
  type PromotionHint,
  type PromotionUsage,
} from '../campaigns/promotions';
import {
  DEFAULT_COUPON_RULES,
  bestSelection,
  chosenSelection,
  couponLabel,
  type Coupon,
  type CouponLine,
  type CouponReason,
  type CouponRules,
} from './rules';

export interface CheckoutPricingContext {
  /** The stage's campaigns (or just the live ones): anything not live for `user` at `at` is skipped. */
  campaigns: Campaign[];
  /** The shopper's coupons; the server passes only coupons this shopper owns. */
  coupons: Coupon[];
  /** The shopper's choice; omitted = pick the best; [] = use no coupon. */
  chosenCouponIds?: string[];
  user: CampaignUser;
  at: number;
  rules?: CouponRules;
  usage?: PromotionUsage;
  /** The shopper's level's member price, percent of the list price (members config; omitted = 100). */
  memberDiscountPercent?: number;
}

export interface CheckoutPricing {
  /** Merged, flash prices applied: pass to quote(). */
  lines: PricingLine[];
  subtotalFen: Fen;
  /** Every promotion and coupon applied, in the order applied, as quote() takes them. */
  discounts: QuoteDiscount[];
  /** The same discounts with their source and per-line split. */
  discountDetails: DiscountDetail[];
  /** Total discount per line (aligned with `lines`); sums to discountFen and never exceeds a line's total. */
  perLineDiscountFen: Fen[];
  discountFen: Fen;
  /** subtotal − discounts, before shipping; at least 1 fen for a non-empty cart. */
  goodsPayableFen: Fen;
  couponIds: string[];
  couponReasons: CouponReason[];
  gifts: GiftLine[];
  flashSaleLines: FlashSaleLine[];
  hints: PromotionHint[];
  pointsMultiplier: number;
}

/**
 * Takes `excess` fen back from the discounts applied last (the coupon before the promotions), so the shopper pays at
 * least 1 fen: WeChat Pay cannot charge 0 (and the peers that allowed it ended up with negative totals).
 */
function giveBack(details: DiscountDetail[], excess: Fen): void {
  for (let d = details.length - 1; d >= 0 && excess > 0; d--) {
    const detail = details[d];
    const cut = Math.min(excess, detail.amountFen);
    detail.amountFen -= cut;
    excess -= cut;
    for (let left = cut; left > 0; ) {
      const i = detail.perLineFen.reduce((best, v, k, a) => (v > a[best] ? k : best), 0);
      const step = Math.min(left, detail.perLineFen[i]);
      detail.perLineFen[i] -= step;
      left -= step;
    }
  }
}

export function priceCheckout(input: PricingLine[], ctx: CheckoutPricingContext): CheckoutPricing {
  const live = ctx.campaigns.filter((c) => isCampaignLive(c, ctx.at, ctx.user));
  const promo = applyPromotions(input, live, ctx.user, { usage: ctx.usage, memberDiscountPercent: ctx.memberDiscountPercent });
  const { lines } = promo;
  const totals = lines.map((l) => l.unitPriceFen * l.quantity);
  const subtotalFen = totals.reduce((s, t) => s + t, 0);

  const couponLines: CouponLine[] = lines.map((l, i) => ({
    productId: l.productId,
    categoryId: l.categoryId,
    amountFen: promo.remainingFen[i],
    couponEligible: promo.couponEligible[i],
  }));
  const rules = ctx.rules ?? DEFAULT_COUPON_RULES;
  const selection =
    ctx.chosenCouponIds === undefined
      ? bestSelection(couponLines, ctx.coupons, rules, ctx.at)
      : chosenSelection(couponLines, ctx.coupons, ctx.chosenCouponIds, rules, ctx.at);

  const byId = new Map(ctx.coupons.map((c) => [c.id, c]));
  const details: DiscountDetail[] = [
    ...promo.discounts.map((d) => ({ ...d, perLineFen: [...d.perLineFen] })),
    ...selection.applied.map((a): DiscountDetail => {
      const coupon = byId.get(a.couponId)!;
      return {
        kind: 'coupon',
        label: `优惠券 ${coupon.name ? `${coupon.name}（${couponLabel(coupon)}）` : couponLabel(coupon)}`,
        amountFen: a.amountFen,
        couponId: a.couponId,
        perLineFen: [...a.perLineFen],
      };
    }),
  ];

  const wanted = details.reduce((s, d) => s + d.amountFen, 0);
  if (subtotalFen > 0 && wanted > subtotalFen - 1) giveBack(details, wanted - (subtotalFen - 1));
  const kept = details.filter((d) => d.amountFen > 0);
  const perLineDiscountFen = lines.map((_, i) => kept.reduce((s, d) => s + d.perLineFen[i], 0));
  const discountFen = kept.reduce((s, d) => s + d.amountFen, 0);

  // A coupon cut to nothing by the floor is not spent.
  const couponIds = selection.couponIds.filter((id) => kept.some((d) => d.couponId === id));
  const couponReasons = selection.reasons.map((r) => {
    const d = kept.find((x) => x.couponId === r.couponId);
    if (d) return { ...r, amountFen: d.amountFen };
    if (selection.couponIds.includes(r.couponId)) return { ...r, amountFen: 0, reason: '订单金额已不足以使用' };
    return r;
  });

  return {
    lines,
    subtotalFen,
    discounts: kept.map(({ kind, label, amountFen }) => ({ kind, label, amountFen })),
    discountDetails: kept,
    perLineDiscountFen,
    discountFen,
    goodsPayableFen: subtotalFen - discountFen,
    couponIds,
    couponReasons,
    gifts: promo.gifts,
    flashSaleLines: promo.flashSaleLines,
    hints: promo.hints,
    pointsMultiplier: promo.pointsMultiplier,
  };
}
