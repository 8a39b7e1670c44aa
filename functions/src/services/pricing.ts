/**
 * The price of a checkout for one shopper, now: the server's catalog prices, the campaigns live for this shopper,
 * the coupons they hold and the campaign counters, through the shared rules (`priceCheckout` → `quote`). The quote
 * page and order placement both call this, so what a shopper is charged is computed exactly as they were shown it.
 *
 * Reads, all at once: one BatchGet (SKUs, products, address, flash-sale and gift counters, the shopper's member record
 * and points balance), the shopper's coupons (one Query of their partition) and whether they have paid before (a Query
 * that stops at the first paid order).
 *
 * The shopper's level (members config) prices too: its member price (会员价) off every line before the member day,
 * free shipping, and campaign targeting by level. Points chosen at checkout (`usePoints`) come off last, at most the
 * configured percent of what the goods cost after every discount (N points = ¥1).
 */
import {
  DomainError,
  MEMBER_LEVEL_NAMES,
  allocateDiscount,
  benefitsOf,
  MAX_CHECKOUT_SKUS,
  couponLabel,
  hintText,
  liveCampaigns,
  priceCheckout,
  quote,
  shippingTerms,
  yuan,
  type Campaign,
  type CampaignConfig,
  type CampaignOf,
  type CampaignUser,
  type CheckoutPricing,
  type PricingLine,
  type Quote,
  type QuoteCouponOption,
  type QuoteView,
  type ShippingInfo,
  type MemberLevel,
} from '@shop/shared';
import { membersConfig } from '../providers/members-config';
import { campaignConfig } from '../providers/campaign-config';
import { keyId } from '../repositories/batch';
import { campaignRepo, type FlashRef, type FlashTake } from '../repositories/campaign-repo';
import { catalogRepo } from '../repositories/catalog-repo';
import { couponRepo, type CouponItem } from '../repositories/coupon-repo';
import { keys } from '../repositories/keys';
import { orderRepo } from '../repositories/order-repo';
import { addressSnapshot, type OrderGift, type OrderLine, type ShippingAddress, type StockMove } from '../domain/order';
import { priceBreakdown } from './views';
import { segmentKeys, segmentsFromItems } from './segments';

export interface Wanted {
  productId: string;
  skuId: string;
  quantity: number;
}

export interface PricedCheckout {
  quote: Quote & { lines: OrderLine[] };
  view: QuoteView;
  address: ShippingAddress | null;
  pricing: CheckoutPricing;
  /** One move per SKU: bought lines with the list price the quote used (checked in the write), plus gifts. */
  stock: (StockMove & { priceFen?: number })[];
  couponIds: string[];
  flashSales: FlashTake[];
  gifts: OrderGift[];
  /** The first coupon the shopper named that cannot be applied, and why. */
  refusedCoupon: { couponId: string; reason: string } | null;
  /** Points spent on this checkout (0 = none) and what they take off; `refused` when more were asked than allowed. */
  points: { used: number; deductionFen: number; refused: string | null };
}

/** Segment tags are not kept yet: every shopper is untagged. A shopper without a member record is 普通. */
const DEFAULT_LEVEL: MemberLevel = 'NORMAL';

export async function priceCheckoutFor(
  userId: string,
  wanted: Wanted[],
  options: {
    addressId?: string;
    couponIds?: string[];
    usePoints?: number;
    /** The quote: `usePoints` is "up to" (the most this checkout allows); an order spends exactly what it names. */
    pointsUpTo?: boolean;
    now: number;
    alsoRead?: { key: { PK: string; SK: string }; seen(items: Record<string, unknown>[]): void };
  },
): Promise<PricedCheckout> {
  if (wanted.length === 0) throw new DomainError('EMPTY_CHECKOUT');
  if (wanted.length > MAX_CHECKOUT_SKUS) throw new DomainError('TOO_MANY_LINES');
  const reads = await readForPricing(userId, wanted, {
    addressId: options.addressId,
    wantsCoupons: !(options.couponIds && options.couponIds.length === 0),
    now: options.now,
    alsoRead: options.alsoRead?.key,
  });
  // What the caller reads along (the checkout key) is looked at before any rule.
  options.alsoRead?.seen(reads.catalog.extra as Record<string, unknown>[]);
  return priceFromReads(reads, wanted, { couponIds: options.couponIds, usePoints: options.usePoints, pointsUpTo: options.pointsUpTo, refuse: true });
}

/** Everything pricing reads for one shopper (or a visitor) and a set of SKUs, read at once. */
export interface PricingReads {
  userId: string;
  now: number;
  config: CampaignConfig;
  open: Campaign[];
  flashRefs: FlashRef[];
  giftCampaigns: CampaignOf<'gift_with_purchase'>[];
  giftQuotaIds: string[];
  addressKey: { PK: string; SK: string }[];
  catalog: Awaited<ReturnType<typeof catalogRepo.skusWithProducts>>;
  extra: Map<string, Record<string, unknown>>;
  held: CouponItem[];
  /** The shopper as campaigns target them (a visitor: new, 普通, untagged). */
  user: CampaignUser;
  /** Points the shopper can spend now (0 for a visitor). */
  pointsAvailable: number;
}

/** A visitor has no coupons, no counters of their own and counts as a new shopper. */
const VISITOR_ID = 'visitor';

/**
 * Reads what pricing `refs` needs: the SKUs and products, the flash-sale and gift counters, the address, the shopper's
 * coupons and whether they have paid before. `userId` null = a visitor (the public price).
 */
export async function readForPricing(
  userId: string | null,
  refs: { productId: string; skuId: string }[],
  options: { addressId?: string; wantsCoupons: boolean; now: number; alsoRead?: { PK: string; SK: string } },
): Promise<PricingReads> {
  const { now } = options;
  const { config } = await campaignConfig();
  const uid = userId ?? VISITOR_ID;

  // Counters of every campaign that could apply (targeting is decided after the reads, so read for all of them).
  const open = config.campaigns.filter((c) => c.enabled && c.window.startAt <= now && now < c.window.endAt);
  const inCart = new Set(refs.map((w) => w.skuId));
  const flashRefs: FlashRef[] = open.flatMap((c) =>
    c.type === 'flash_sale' ? c.items.filter((i) => inCart.has(i.skuId)).map((i) => ({ campaignId: c.id, skuId: i.skuId })) : [],
  );
  const giftCampaigns = open.flatMap((c) => (c.type === 'gift_with_purchase' ? [c] : []));
  const giftQuotaIds = giftCampaigns.filter((c) => c.quota !== undefined).map((c) => c.id);
  const addressKey = options.addressId && userId ? [keys.address(userId, options.addressId)] : [];
  // The member record (level), the points balance and what segment tags are computed from ride along in the same BatchGet.
  const memberKeys = userId ? [keys.member(userId), keys.pointsBalance(userId), ...segmentKeys(userId)] : [];

  // Only the reads this checkout needs: no coupon query when the shopper chose none, and no "has paid before" query
  // unless a price-changing campaign open now tells new shoppers from returning ones (coupon drops do not price).
  const needsIsNew = userId !== null && open.some((c) => c.type !== 'coupon_drop' && (!c.targeting.newUsers || !c.targeting.returning));
  const [catalog, held, hasPaid] = await Promise.all([
    catalogRepo.skusWithProducts(
      [...refs, ...giftCampaigns.map((c) => ({ productId: c.gift.productId, skuId: c.gift.skuId }))],
      [...addressKey, ...memberKeys, ...campaignRepo.usageKeys(uid, flashRefs, giftQuotaIds), ...(options.alsoRead ? [options.alsoRead] : [])],
    ),
    options.wantsCoupons && userId ? couponRepo.listForUser(userId) : Promise.resolve([]),
    needsIsNew ? orderRepo.hasPaidOrder(uid) : Promise.resolve(false),
  ]);
  const extra = new Map(catalog.extra.map((i) => [keyId(i as { PK: string; SK: string }), i as Record<string, unknown>]));
  const member = userId ? extra.get(keyId(keys.member(userId))) : undefined;
  const balance = userId ? extra.get(keyId(keys.pointsBalance(userId))) : undefined;
  const level = (member?.level as MemberLevel | undefined) ?? DEFAULT_LEVEL;
  const user: CampaignUser = { id: uid, level, isNew: !hasPaid, segments: userId ? segmentsFromItems(userId, extra, now) : [] };
  const pointsAvailable = Math.max(0, Number(balance?.available ?? 0));
  return { userId: uid, now, config, open, flashRefs, giftCampaigns, giftQuotaIds, addressKey, catalog, extra, held, user, pointsAvailable };
}

/**
 * Prices `wanted` from what readForPricing read: the one computation behind the quote, the order, the product page and
 * the cart. `refuse` (checkout) refuses what cannot be bought now; without it (what a page shows) a sold-out or
 * off-shelf SKU is priced all the same.
 */
export function priceFromReads(
  reads: PricingReads,
  wanted: Wanted[],
  options: { couponIds?: string[]; usePoints?: number; pointsUpTo?: boolean; refuse: boolean },
): PricedCheckout {
  const { now, userId, open, flashRefs, giftCampaigns, giftQuotaIds, addressKey, extra, held, user, config } = reads;
  const { skus, products } = reads.catalog;
  const input: PricingLine[] = wanted.map((w) => {
    const sku = skus.get(w.skuId);
    const product = products.get(w.productId);
    if (!sku || !product || sku.productId !== w.productId) throw new DomainError('SKU_NOT_FOUND', undefined, { skuId: w.skuId });
    if (options.refuse && !product.onShelf) throw new DomainError('OFF_SHELF', `商品已下架：${product.title}`, { skuId: w.skuId });
    if (options.refuse && sku.stock < w.quantity) {
      throw new DomainError('OUT_OF_STOCK', `库存不足：${product.title}（${sku.specText}）`, { skuId: w.skuId, stock: Math.max(0, sku.stock) });
    }
    return {
      productId: w.productId,
      skuId: w.skuId,
      categoryId: product.categoryId,
      title: product.title,
      specText: sku.specText,
      image: sku.image ?? product.images[0],
      unitPriceFen: sku.priceFen,
      quantity: w.quantity,
    };
  });

  const usable = held.filter((c) => c.status === 'UNUSED' && c.validTo > now);
  const members = membersConfig();
  const benefits = benefitsOf(user.level, members.levels.tiers);
  const pricing = priceCheckout(input, {
    memberDiscountPercent: benefits.discountPercent,
    campaigns: liveCampaigns(config, { at: now, user }),
    coupons: usable,
    chosenCouponIds: options.couponIds,
    user,
    at: now,
    usage: campaignRepo.usageFrom(extra, userId, flashRefs, giftQuotaIds),
  });

  const hints = pricing.hints.map(hintText);

  // Gifts need their SKU in stock too (beside any units of it being bought).
  const gifts: OrderGift[] = [];
  for (const g of pricing.gifts) {
    if (!g.given) {
      if (g.reason) hints.push(`${g.label}：${g.reason}`);
      continue;
    }
    const sku = skus.get(g.skuId);
    const product = products.get(g.productId);
    const bought = pricing.lines.find((l) => l.skuId === g.skuId)?.quantity ?? 0;
    if (!sku || !product || !product.onShelf || sku.stock < bought + g.quantity) {
      hints.push(`${g.label}：赠品已送完`);
      continue;
    }
    const campaign = giftCampaigns.find((c) => c.id === g.campaignId);
    gifts.push({
      campaignId: g.campaignId,
      productId: g.productId,
      skuId: g.skuId,
      title: `${product.title}（${sku.specText}）`,
      quantity: g.quantity,
      quota: campaign?.quota ?? null,
    });
  }

  const flashSales: FlashTake[] = [];
  const flashOfLine = new Map<number, OrderLine['flashSale']>();
  for (const f of pricing.flashSaleLines) {
    const line = pricing.lines[f.lineIndex];
    if (!f.applied) {
      if (f.reason) hints.push(`${line.title}：${f.reason}，按原价购买`);
      continue;
    }
    const sale = open.find((c) => c.id === f.campaignId);
    const item = sale?.type === 'flash_sale' ? sale.items.find((i) => i.skuId === f.skuId) : undefined;
    if (!sale || !item) continue;
    flashSales.push({ campaignId: f.campaignId, skuId: f.skuId, quantity: f.quantity, quota: item.quota, perUserLimit: item.perUserLimit });
    flashOfLine.set(f.lineIndex, { campaignId: sale.id, name: sale.name, listPriceFen: f.originalPriceFen, endsAt: f.endsAt });
  }

  // Points last: at most the configured percent of what the goods cost after every discount, 1 fen always left to pay.
  const redeem = members.points.redeem;
  const capFen = Math.max(0, Math.min(Math.floor((pricing.goodsPayableFen * redeem.maxPercentOfPayable) / 100), pricing.goodsPayableFen - 1));
  const fenOf = (points: number) => Math.floor((points * 100) / redeem.pointsPerYuan);
  const pointsFor = (fen: number) => Math.ceil((fen * redeem.pointsPerYuan) / 100);
  const maxPoints = Math.min(reads.pointsAvailable, pointsFor(capFen));
  const asked = options.pointsUpTo ? Math.min(options.usePoints ?? 0, maxPoints) : (options.usePoints ?? 0);
  const refusedPoints =
    asked > reads.pointsAvailable ? `可用积分仅 ${reads.pointsAvailable}` : asked > maxPoints ? `本单最多可用 ${maxPoints} 积分` : null;
  const deductionFen = refusedPoints ? 0 : Math.min(fenOf(asked), capFen);
  const used = deductionFen > 0 ? pointsFor(deductionFen) : 0;
  const discounts = [...pricing.discounts];
  let lineDiscounts = pricing.perLineDiscountFen;
  if (deductionFen > 0) {
    discounts.push({ kind: 'points', label: `积分抵扣（${used} 积分）`, amountFen: deductionFen });
    const parts = allocateDiscount(
      pricing.lines.map((l, i) => l.unitPriceFen * l.quantity - pricing.perLineDiscountFen[i]),
      deductionFen,
    );
    lineDiscounts = lineDiscounts.map((d, i) => d + parts[i]);
  }

  const terms = shippingTerms();
  const q = quote(
    pricing.lines.map(({ categoryId: _c, ...line }) => line),
    { discounts, lineDiscounts, ...(benefits.freeShipping ? { shipping: { feeFen: terms.feeFen, freeFromFen: 0 } } : {}) },
  );
  const levelName = MEMBER_LEVEL_NAMES[user.level];
  const memberLines = [
    ...pricing.discountDetails.filter((d) => d.kind === 'member_price' || d.kind === 'member_day').map((d) => ({ label: d.label, amountFen: d.amountFen })),
    ...(benefits.freeShipping ? [{ label: `${levelName}会员包邮`, amountFen: q.subtotalFen >= (terms.freeFromFen ?? Infinity) ? 0 : terms.feeFen }] : []),
    ...(benefits.pointsMultiplier > 1 ? [{ label: `${levelName}会员购物积分 ${benefits.pointsMultiplier} 倍`, amountFen: 0 }] : []),
  ];
  const lines: OrderLine[] = q.lines.map((l, i) => (flashOfLine.has(i) ? { ...l, flashSale: flashOfLine.get(i) } : l));

  const stockBySku = new Map<string, StockMove & { priceFen?: number }>();
  for (const l of input) stockBySku.set(l.skuId, { productId: l.productId, skuId: l.skuId, quantity: l.quantity, priceFen: l.unitPriceFen });
  for (const g of gifts) {
    const seen = stockBySku.get(g.skuId);
    stockBySku.set(g.skuId, seen ? { ...seen, quantity: seen.quantity + g.quantity } : { productId: g.productId, skuId: g.skuId, quantity: g.quantity });
  }

  const addressItem = addressKey.length ? extra.get(keyId(addressKey[0])) : undefined;
  const address = addressItem ? addressSnapshot(addressItem as unknown as ShippingAddress) : null;

  return {
    quote: { ...q, lines },
    view: {
      ...priceBreakdown({ ...q, lines }),
      couponIds: pricing.couponIds,
      coupons: couponOptions(usable, pricing),
      gifts: gifts.map(({ productId, skuId, title, quantity }) => ({ productId, skuId, title, quantity })),
      hints,
      member: reads.userId === VISITOR_ID ? null : { level: user.level, levelName, benefits: memberLines },
      points:
        reads.userId === VISITOR_ID
          ? null
          : {
              available: reads.pointsAvailable,
              maxUsable: maxPoints,
              maxDeductionFen: Math.min(fenOf(maxPoints), capFen),
              used,
              deductionFen,
              pointsPerYuan: redeem.pointsPerYuan,
              maxPercentOfPayable: redeem.maxPercentOfPayable,
            },
    },
    address,
    pricing,
    stock: [...stockBySku.values()],
    couponIds: pricing.couponIds,
    flashSales,
    gifts,
    refusedCoupon: refusedChoice(options.couponIds, pricing, held, now),
    points: { used, deductionFen, refused: refusedPoints },
  };
}

/** Every coupon that could be used, with what it takes off or why not: the ones in use first, then the best. */
function couponOptions(usable: CouponItem[], pricing: CheckoutPricing): QuoteCouponOption[] {
  const byId = new Map(usable.map((c) => [c.id, c]));
  return pricing.couponReasons
    .map((r) => {
      const c = byId.get(r.couponId)!;
      const label = couponLabel(c);
      return {
        couponId: c.id,
        label,
        name: c.name ?? label,
        usable: r.usable,
        chosen: pricing.couponIds.includes(c.id),
        amountFen: r.amountFen,
        reason: r.reason ?? null,
        validTo: c.validTo,
      };
    })
    .sort(
      (a, b) =>
        Number(b.chosen) - Number(a.chosen) ||
        Number(b.usable) - Number(a.usable) ||
        b.amountFen - a.amountFen ||
        a.validTo - b.validTo,
    );
}

/** Why a coupon the shopper named is not applied: the order is refused rather than priced differently. */
function refusedChoice(
  chosen: string[] | undefined,
  pricing: CheckoutPricing,
  held: CouponItem[],
  now: number,
): { couponId: string; reason: string } | null {
  for (const id of new Set(chosen ?? [])) {
    if (pricing.couponIds.includes(id)) continue;
    const coupon = held.find((c) => c.id === id);
    const reason = !coupon
      ? '优惠券不存在'
      : coupon.status === 'USED'
        ? '已使用'
        : coupon.status === 'LOCKED'
          ? '已被待支付订单占用'
          : coupon.validTo <= now
            ? '已过期'
            : (pricing.couponReasons.find((r) => r.couponId === id)?.reason ?? '不可用');
    return { couponId: id, reason };
  }
  return null;
}

/** A priced line as a page shows it: the unit price the quote charges, what that price is, and why a promotion does not apply. */
export interface LineLivePrice {
  priceFen: number;
  label: string | null;
  crossedOutFen: number | null;
  note: string | null;
  flash: { name: string; endsAt: number; perUserLimit: number; showCountdown: boolean } | null;
  /** 会员价: the unit price after this shopper's member price and member day (null when neither applies). */
  memberPriceFen: number | null;
}

/** The live price of every line of a priced checkout, aligned with its (merged) lines. */
export function livePrices(priced: PricedCheckout, reads: PricingReads): LineLivePrice[] {
  return (priced.quote.lines as OrderLine[]).map((line, i) => {
    const listFen = reads.catalog.skus.get(line.skuId)?.priceFen ?? line.unitPriceFen;
    const referenceFen = reads.catalog.skus.get(line.skuId)?.originalPriceFen ?? null;
    const f = priced.pricing.flashSaleLines.find((x) => x.lineIndex === i);
    const sale = f ? reads.open.find((c) => c.id === f.campaignId) : undefined;
    const item = sale?.type === 'flash_sale' ? sale.items.find((it) => it.skuId === line.skuId) : undefined;
    const flash =
      line.flashSale && sale?.type === 'flash_sale' && item
        ? { name: sale.name, endsAt: line.flashSale.endsAt, perUserLimit: item.perUserLimit, showCountdown: sale.showCountdown }
        : null;
    // Crossed out: the list price under a flash price, else the product's reference price; never one below the price.
    const crossed = flash ? listFen : (referenceFen ?? 0);
    const memberFen = priced.pricing.discountDetails
      .filter((d) => d.kind === 'member_price' || d.kind === 'member_day')
      .reduce((n, d) => n + d.perLineFen[i], 0);
    return {
      priceFen: line.unitPriceFen,
      memberPriceFen: memberFen > 0 ? line.unitPriceFen - Math.floor(memberFen / line.quantity) : null,
      label: flash ? '秒杀价' : null,
      crossedOutFen: crossed > line.unitPriceFen ? crossed : null,
      note: f && !f.applied && f.reason ? `${f.reason}，按原价购买` : null,
      flash,
    };
  });
}

/** 运费 as the product page and the cart state it: the rule quote() charges. */
export function shippingInfo(): ShippingInfo {
  const t = shippingTerms();
  const fee = t.feeFen === 0 ? '包邮' : `运费 ${yuan(t.feeFen)}${t.freeFromFen !== null ? `，满 ${yuan(t.freeFromFen)} 包邮` : ''}`;
  return { feeFen: t.feeFen, freeFromFen: t.freeFromFen, text: fee, estimate: `付款后 ${t.dispatchWithinHours} 小时内发货` };
}
