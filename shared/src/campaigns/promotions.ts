/**
 * Promotions on a cart, before coupons. The order, and why:
 *   1. 限时抢购 replaces the unit price of its SKU. The flash price is the final price of that line: the line takes
 *      part in no other promotion and no coupon (so a quota-limited price cannot be pushed lower still).
 *   2. 会员价: the shopper's level's member discount (members config) off every remaining line, each line rounded down
 *      on its own so a unit's member price is the same on the product page, in the cart and at checkout.
 *      会员日 then takes its percent off what is left in its scope (one member day per order, highest priority).
 *   3. 满减 looks at what is left after the member-day price; each line counts towards at most one 满减 campaign
 *      (the shopper gets whichever assignment takes the most off), and the best tier reached applies.
 *   4. 满赠 compares the same post-promotion amount with its threshold and adds a gift line (price 0, not charged).
 *   5. Coupons come last, on what is left of each line (coupons/rules.ts).
 * Every discount is split over the lines it came from, in whole fen, so a partial refund returns exactly what the
 * shopper paid for that line.
 */
import { allocateDiscount, mergeSameSku, type QuoteDiscount, type QuoteInputLine } from '../quote';
import { lineTotalFen, type Fen } from '../money';
import {
  MEMBER_LEVEL_NAMES,
  type Campaign,
  type CampaignOf,
  type SpendAndSaveCampaign,
} from './schema';
import type { CampaignUser } from './live';
import { yuan, zheLabel } from './format';
import { inScope } from '../coupons/rules';

/** A checkout line as the server prices it: the quote line plus the category coupons and 满减 scopes need. */
export interface PricingLine extends QuoteInputLine {
  categoryId: string;
}

/** Counters the server reads before pricing; the conditional writes at checkout remain the real guard. */
export interface PromotionUsage {
  /** Units sold so far per `flashKey(campaignId, skuId)`. */
  flashSold?: Record<string, number>;
  /** Units this shopper already bought per `flashKey(campaignId, skuId)`. */
  flashBoughtByUser?: Record<string, number>;
  /** Gifts handed out so far per gift campaign id. */
  giftsGiven?: Record<string, number>;
}

export const flashKey = (campaignId: string, skuId: string) => `${campaignId}#${skuId}`;

export interface FlashSaleLine {
  /** Index into the (merged) lines. */
  lineIndex: number;
  skuId: string;
  campaignId: string;
  originalPriceFen: Fen;
  flashPriceFen: Fen;
  quantity: number;
  /** False when the quota or the per-user limit does not allow this quantity: the line stays at its normal price. */
  applied: boolean;
  reason?: string;
  /** For the countdown. */
  endsAt: number;
  showCountdown: boolean;
}

export interface GiftLine {
  campaignId: string;
  label: string;
  productId: string;
  skuId: string;
  quantity: number;
  given: boolean;
  reason?: string;
}

/** A discount with its source and its split over the lines; `kind`, `label`, `amountFen` are quote()'s QuoteDiscount. */
export interface DiscountDetail extends QuoteDiscount {
  kind: 'member_price' | 'member_day' | 'spend_and_save' | 'coupon';
  campaignId?: string;
  couponId?: string;
  /** Aligned with the merged lines; sums to amountFen. */
  perLineFen: Fen[];
}

export interface PromotionHint {
  campaignId: string;
  /** 凑单 hint for the cart, e.g. 再买 ¥20.01 可减 ¥20. */
  message: string;
  /** The promotion it leads to, in the shopper's words (满299减40, 满199赠品), and what is left to add for it. */
  label?: string;
  shortFen?: Fen;
}

/** A 凑单 hint as the shopper reads it, labelled with the promotion it leads to: 满299减40：再买 ¥23. */
export function hintText(h: PromotionHint): string {
  return h.label && h.shortFen !== undefined ? `${h.label}：再买 ${yuan(h.shortFen)}` : h.message;
}

export interface PromotionResult {
  /** Same-SKU lines merged (as quote() does), flash prices applied. */
  lines: PricingLine[];
  flashSaleLines: FlashSaleLine[];
  discounts: DiscountDetail[];
  /** What is left to pay on each line after promotions. */
  remainingFen: Fen[];
  /** False for flash-sale lines. */
  couponEligible: boolean[];
  gifts: GiftLine[];
  hints: PromotionHint[];
  /** Highest live points multiplier for this shopper, 1 when none. */
  pointsMultiplier: number;
}

const byPriority = <T extends Campaign>(cs: T[]) =>
  [...cs].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

function ofType<T extends Campaign['type']>(campaigns: Campaign[], type: T): CampaignOf<T>[] {
  return byPriority(campaigns.filter((c): c is CampaignOf<T> => c.type === type));
}

/**
 * Applies the live campaigns' promotions to a cart. `campaigns` must already be the ones live for this shopper now
 * (liveCampaigns); coupon drops, points and group deals in it are ignored here except for the points multiplier.
 */
export function applyPromotions(
  input: PricingLine[],
  campaigns: Campaign[],
  user: Pick<CampaignUser, 'level'>,
  options: { usage?: PromotionUsage; memberDiscountPercent?: number } = {},
): PromotionResult {
  const usage = options.usage ?? {};
  const lines = mergeSameSku(input);
  const flashSaleLines: FlashSaleLine[] = [];
  const couponEligible = lines.map(() => true);

  // 1. Flash sale: the highest-priority live sale of a SKU sets its price.
  const flashSales = ofType(campaigns, 'flash_sale');
  lines.forEach((line, i) => {
    for (const sale of flashSales) {
      const item = sale.items.find((it) => it.skuId === line.skuId);
      if (!item) continue;
      const key = flashKey(sale.id, item.skuId);
      const left = item.quota - (usage.flashSold?.[key] ?? 0);
      const bought = usage.flashBoughtByUser?.[key] ?? 0;
      const reason =
        left <= 0
          ? '已抢光'
          : line.quantity > item.perUserLimit - bought
            ? `每人限购 ${item.perUserLimit} 件${bought > 0 ? `，您已购买 ${bought} 件` : ''}`
            : line.quantity > left
              ? `秒杀库存仅剩 ${left} 件`
              : undefined;
      flashSaleLines.push({
        lineIndex: i,
        skuId: line.skuId,
        campaignId: sale.id,
        originalPriceFen: line.unitPriceFen,
        flashPriceFen: item.priceFen,
        quantity: line.quantity,
        applied: reason === undefined,
        ...(reason ? { reason } : {}),
        endsAt: sale.window.endAt,
        showCountdown: sale.showCountdown,
      });
      if (reason === undefined) {
        lines[i] = { ...line, unitPriceFen: item.priceFen };
        couponEligible[i] = false;
      }
      break;
    }
  });

  const remaining = lines.map((l) => lineTotalFen(l.unitPriceFen, l.quantity));
  const discounts: DiscountDetail[] = [];
  const hints: PromotionHint[] = [];
  const promotable = (i: number) => couponEligible[i];

  const take = (idx: number[], amountFen: Fen): Fen[] => {
    const parts = allocateDiscount(idx.map((i) => remaining[i]), amountFen);
    const perLineFen = lines.map(() => 0);
    idx.forEach((i, k) => {
      perLineFen[i] = parts[k];
      remaining[i] -= parts[k];
    });
    return perLineFen;
  };

  // 2. Member price (level discount), then the member day.
  const memberPercent = options.memberDiscountPercent ?? 100;
  if (memberPercent < 100) {
    const perLineFen = lines.map((_, i) => (promotable(i) ? Math.floor((remaining[i] * (100 - memberPercent)) / 100) : 0));
    const amountFen = perLineFen.reduce((s, f) => s + f, 0);
    if (amountFen > 0) {
      perLineFen.forEach((f, i) => (remaining[i] -= f));
      discounts.push({ kind: 'member_price', label: `${MEMBER_LEVEL_NAMES[user.level]}会员价 ${zheLabel(memberPercent)}`, amountFen, perLineFen });
    }
  }
  const memberDay = ofType(campaigns, 'member_day').find((c) => c.percentByLevel[user.level] !== undefined);
  if (memberDay) {
    const percent = memberDay.percentByLevel[user.level]!;
    const idx = lines.flatMap((l, i) => (promotable(i) && inScope(memberDay.scope, l) ? [i] : []));
    const base = idx.reduce((s, i) => s + remaining[i], 0);
    const amountFen = Math.floor((base * (100 - percent)) / 100);
    if (amountFen > 0)
      discounts.push({
        kind: 'member_day',
        label: `${memberDay.name} ${MEMBER_LEVEL_NAMES[user.level]}${zheLabel(percent)}`,
        amountFen,
        campaignId: memberDay.id,
        perLineFen: take(idx, amountFen),
      });
  }

  // 3. 满减: each line counts towards one campaign at most. Campaigns claim their lines one after another; of the
  // orders they could do that in, the one that takes the most off wins (priority order on a tie), so a shopper who
  // sees an extra 满减 (say, in an A/B variant) never pays more than one who does not.
  const spendAndSave = ofType(campaigns, 'spend_and_save');
  // Up to 5 competing 满减 (120 orders) are searched; more than that at once is not a real promotion calendar, and
  // they are then taken in priority order.
  const orders = spendAndSave.length <= 5 ? permutations(spendAndSave) : [spendAndSave];
  let bestPlan: ReturnType<typeof planSpendAndSave> | undefined;
  for (const order of orders) {
    const plan = planSpendAndSave(order, lines, remaining, promotable);
    if (!bestPlan || plan.totalFen > bestPlan.totalFen) bestPlan = plan;
  }
  for (const step of bestPlan?.steps ?? []) {
    if (step.hint) hints.push({ campaignId: step.campaign.id, ...step.hint });
    if (!step.tier) continue;
    const { campaign: c, tier } = step;
    discounts.push({
      kind: 'spend_and_save',
      label: `${c.name} 满${yuan(tier.thresholdFen).slice(1)}减${yuan(tier.offFen).slice(1)}`,
      amountFen: step.amountFen,
      campaignId: c.id,
      perLineFen: take(step.idx, step.amountFen),
    });
  }

  // 4. 满赠.
  const gifts: GiftLine[] = [];
  for (const c of ofType(campaigns, 'gift_with_purchase')) {
    const counted = lines.flatMap((l, i) => (promotable(i) && inScope(c.scope, l) ? [i] : []));
    const base = counted.reduce((s, i) => s + remaining[i], 0);
    if (base < c.thresholdFen) {
      // Like 满减: a hint only when some line counts towards it (nothing in scope is no step towards a gift).
      if (counted.length === 0) continue;
      const shortFen = c.thresholdFen - base;
      hints.push({ campaignId: c.id, message: `再买 ${yuan(shortFen)} 可获赠品`, label: `满${yuan(c.thresholdFen).slice(1)}赠品`, shortFen });
      continue;
    }
    const soldOut = c.quota !== undefined && (usage.giftsGiven?.[c.id] ?? 0) + c.gift.quantity > c.quota;
    gifts.push({
      campaignId: c.id,
      label: c.name,
      productId: c.gift.productId,
      skuId: c.gift.skuId,
      quantity: c.gift.quantity,
      given: !soldOut,
      ...(soldOut ? { reason: '赠品已送完' } : {}),
    });
  }

  const pointsMultiplier = ofType(campaigns, 'points_multiplier').reduce((m, c) => Math.max(m, c.multiplier), 1);
  return { lines, flashSaleLines, discounts, remainingFen: remaining, couponEligible, gifts, hints, pointsMultiplier };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((first, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest]));
}

/** 满减 campaigns claiming lines in the given order: which lines each gets, the tier reached, and what to add for the next. */
function planSpendAndSave(
  order: SpendAndSaveCampaign[],
  lines: PricingLine[],
  remaining: Fen[],
  promotable: (i: number) => boolean,
) {
  const claimed = lines.map(() => false);
  let totalFen = 0;
  const steps = order.map((campaign) => {
    const idx = lines.flatMap((l, i) => (promotable(i) && !claimed[i] && inScope(campaign.scope, l) ? [i] : []));
    const base = idx.reduce((s, i) => s + remaining[i], 0);
    const tier = idx.length > 0 ? [...campaign.tiers].reverse().find((t) => base >= t.thresholdFen) : undefined;
    const next = idx.length > 0 ? campaign.tiers.find((t) => base < t.thresholdFen) : undefined;
    const amountFen = tier ? Math.min(tier.offFen, base) : 0;
    if (tier) idx.forEach((i) => (claimed[i] = true));
    totalFen += amountFen;
    return {
      campaign,
      idx,
      tier,
      amountFen,
      hint: next
        ? {
            message: `再买 ${yuan(next.thresholdFen - base)} 可减 ${yuan(next.offFen)}`,
            label: `满${yuan(next.thresholdFen).slice(1)}减${yuan(next.offFen).slice(1)}`,
            shortFen: next.thresholdFen - base,
          }
        : undefined,
    };
  });
  return { steps, totalFen };
}
