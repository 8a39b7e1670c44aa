import {
  DomainError,
  mergeSameSku,
  type CheckoutSource,
  type CreateOrderRequest,
  type OrderView,
  type QuoteRequest,
  type QuoteView,
} from '@shop/shared';
import { config } from '../lib/config';
import { cartRepo } from '../repositories/cart-repo';
import { placeOrder, type KeyLookup, type PlacementKind, type PricedPlacement, type ResolvedLine } from './placement';
import { priceCheckoutFor } from './pricing';

/** What the shopper is buying: the selected cart lines (same SKU summed) or one SKU from the product page. */
async function wantedLines(userId: string, source: CheckoutSource): Promise<ResolvedLine[]> {
  if (source.type === 'buyNow') return [{ productId: source.productId, skuId: source.skuId, quantity: source.quantity }];
  const lines = (await cartRepo.lines(userId)).filter((l) => l.selected);
  return mergeSameSku(lines.map(({ productId, skuId, quantity }) => ({ productId, skuId, quantity })));
}

/**
 * The checkout page's price: promotions, the best (or the chosen) coupons with a reason for every other one, gifts,
 * 凑单 hints. Coupons the shopper chose that cannot be used are shown unchosen with their reason, not refused.
 */
export async function quoteCheckout(userId: string, req: QuoteRequest, now: number): Promise<QuoteView> {
  const priced = await priceCheckoutFor(userId, await wantedLines(userId, req.source), {
    addressId: req.addressId,
    couponIds: req.couponIds,
    usePoints: req.usePoints,
    pointsUpTo: true,
    now,
  });
  return priced.view;
}

/**
 * The price step of a cart or buy-now order: exactly the quote the shopper was shown. Coupons the shopper named that
 * cannot be used refuse the order: it is never charged at a price they did not see.
 */
async function priceAsQuoted(userId: string, req: CreateOrderRequest, lines: ResolvedLine[], now: number, key: KeyLookup): Promise<PricedPlacement> {
  const priced = await priceCheckoutFor(userId, lines, { addressId: req.addressId, couponIds: req.couponIds, usePoints: req.usePoints, now, alsoRead: key });
  if (priced.refusedCoupon) {
    const { couponId, reason } = priced.refusedCoupon;
    throw new DomainError('COUPON_NOT_USABLE', `优惠券不可用：${reason}`, { couponId, reason });
  }
  if (!priced.address) throw new DomainError('ADDRESS_NOT_FOUND');
  if (priced.points.refused) throw new DomainError('POINTS_INSUFFICIENT', `积分抵扣不可用：${priced.points.refused}，请重新确认订单`);
  return {
    points: priced.points,
    quote: priced.quote,
    address: priced.address,
    stock: priced.stock,
    couponIds: priced.couponIds,
    flashSales: priced.flashSales,
    gifts: priced.gifts,
    deadlineAt: now + config().paymentWindowMs,
    note: '订单已提交，等待付款',
  };
}

/** The selected cart lines; they leave the cart with the order. */
const cartOrder: PlacementKind<CreateOrderRequest> = {
  name: 'cart',
  sourceType: 'cart',
  clearsCart: true,
  terms: () => null,
  resolve: (userId, req) => wantedLines(userId, req.source),
  price: priceAsQuoted,
};

/** 立即购买: one SKU and quantity straight from the product page. */
const buyNowOrder: PlacementKind<CreateOrderRequest> = {
  name: 'buyNow',
  sourceType: 'buyNow',
  clearsCart: false,
  terms: () => null,
  resolve: (userId, req) => wantedLines(userId, req.source),
  price: priceAsQuoted,
};

const KINDS: Record<CheckoutSource['type'], PlacementKind<CreateOrderRequest>> = { cart: cartOrder, buyNow: buyNowOrder };

/**
 * Places a cart or buy-now order at the price the quote shows (the placement pipeline: key first, then lines, price,
 * one transaction). A retry with the same idempotency key and content returns the order the first attempt made.
 */
export function createOrder(userId: string, req: CreateOrderRequest, now: number): Promise<OrderView> {
  return placeOrder(KINDS[req.source.type], userId, req, now);
}
