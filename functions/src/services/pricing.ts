/**
 * The price of a checkout for one shopper, now: the server's catalog prices, the campaigns live for this shopper,
 * the coupons they hold and the campaign counters, through the shared rules (`priceCheckout` → `quote`). The quote
 * page and order placement both call this, so what a shopper is charged is computed exactly as they were shown it.
 *
 * Reads, all at once: one BatchGet (SKUs, products, address, flash-sale and gift counters), the shopper's coupons
 * (one Query of their partition) and whether they have paid before (a Query that stops at the first paid order).
 */
import {
  DomainError,
  MAX_CHECKOUT_SKUS,
  couponLabel,
  hintText,
  liveCampaigns,
  priceCheckout,
  quote,
  type CampaignUser,
  type CheckoutPricing,
  type PricingLine,
  type Quote,
  type QuoteCouponOption,
  type QuoteView,
} from '@shop/shared';
import { campaignConfig } from '../providers/campaign-config';
import { keyId } from '../repositories/batch';
import { campaignRepo, type FlashRef, type FlashTake } from '../repositories/campaign-repo';
import { catalogRepo } from '../repositories/catalog-repo';
import { couponRepo, type CouponItem } from '../repositories/coupon-repo';
import { keys } from '../repositories/keys';
import { orderRepo } from '../repositories/order-repo';
import { addressSnapshot, type OrderGift, type OrderLine, type ShippingAddress, type StockMove } from '../domain/order';
import { priceBreakdown } from './views';

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
}

/** Member levels and segment tags are not kept yet: every shopper is 普通 and untagged until those issues land. */
const DEFAULT_LEVEL = 'NORMAL' as const;

export async function priceCheckoutFor(
  userId: string,
  wanted: Wanted[],
  options: { addressId?: string; couponIds?: string[]; now: number; alsoRead?: { key: { PK: string; SK: string }; seen(items: Record<string, unknown>[]): void } },
): Promise<PricedCheckout> {
  const { now } = options;
  if (wanted.length === 0) throw new DomainError('EMPTY_CHECKOUT');
  if (wanted.length > MAX_CHECKOUT_SKUS) throw new DomainError('TOO_MANY_LINES');
  const { config } = await campaignConfig();

  // Counters of every campaign that could apply (targeting is decided after the reads, so read for all of them).
  const open = config.campaigns.filter((c) => c.enabled && c.window.startAt <= now && now < c.window.endAt);
  const inCart = new Set(wanted.map((w) => w.skuId));
  const flashRefs: FlashRef[] = open.flatMap((c) =>
    c.type === 'flash_sale' ? c.items.filter((i) => inCart.has(i.skuId)).map((i) => ({ campaignId: c.id, skuId: i.skuId })) : [],
  );
  const giftCampaigns = open.flatMap((c) => (c.type === 'gift_with_purchase' ? [c] : []));
  const giftQuotaIds = giftCampaigns.filter((c) => c.quota !== undefined).map((c) => c.id);
  const addressKey = options.addressId ? [keys.address(userId, options.addressId)] : [];

  // Only the reads this checkout needs: no coupon query when the shopper chose none, and no "has paid before" query
  // unless a price-changing campaign open now tells new shoppers from returning ones (coupon drops do not price).
  const wantsCoupons = !(options.couponIds && options.couponIds.length === 0);
  const needsIsNew = open.some((c) => c.type !== 'coupon_drop' && (!c.targeting.newUsers || !c.targeting.returning));
  const [catalog, held, hasPaid] = await Promise.all([
    catalogRepo.skusWithProducts(
      [...wanted, ...giftCampaigns.map((c) => ({ productId: c.gift.productId, skuId: c.gift.skuId }))],
      [...addressKey, ...campaignRepo.usageKeys(userId, flashRefs, giftQuotaIds), ...(options.alsoRead ? [options.alsoRead.key] : [])],
    ),
    wantsCoupons ? couponRepo.listForUser(userId) : Promise.resolve([]),
    needsIsNew ? orderRepo.hasPaidOrder(userId) : Promise.resolve(false),
  ]);
  // What the caller reads along (the checkout key) is looked at before any rule.
  options.alsoRead?.seen(catalog.extra as Record<string, unknown>[]);
  const { skus, products } = catalog;
  const extra = new Map(catalog.extra.map((i) => [keyId(i as { PK: string; SK: string }), i]));

  const input: PricingLine[] = wanted.map((w) => {
    const sku = skus.get(w.skuId);
    const product = products.get(w.productId);
    if (!sku || !product || sku.productId !== w.productId) throw new DomainError('SKU_NOT_FOUND', undefined, { skuId: w.skuId });
    if (!product.onShelf) throw new DomainError('OFF_SHELF', `商品已下架：${product.title}`, { skuId: w.skuId });
    if (sku.stock < w.quantity) {
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

  const user: CampaignUser = { id: userId, level: DEFAULT_LEVEL, isNew: !hasPaid, segments: [] };
  const usable = held.filter((c) => c.status === 'UNUSED' && c.validTo > now);
  const pricing = priceCheckout(input, {
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

  const q = quote(
    pricing.lines.map(({ categoryId: _c, ...line }) => line),
    { discounts: pricing.discounts, lineDiscounts: pricing.perLineDiscountFen },
  );
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
    },
    address,
    pricing,
    stock: [...stockBySku.values()],
    couponIds: pricing.couponIds,
    flashSales,
    gifts,
    refusedCoupon: refusedChoice(options.couponIds, pricing, held, now),
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
