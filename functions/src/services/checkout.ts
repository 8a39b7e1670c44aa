import { createHash } from 'node:crypto';
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
import { newId } from '../lib/ids';
import { cartRepo } from '../repositories/cart-repo';
import { newUnpaidOrder, orderRepo, type OrderItem } from '../repositories/order-repo';
import { TransactionRefused } from '../repositories/transactions';
import { toOrderView } from './orders';
import { priceCheckoutFor, type PricedCheckout, type Wanted } from './pricing';

/** DynamoDB's limit on the items of one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

/** What the shopper is buying: the selected cart lines (same SKU summed) or one SKU from the product page. */
async function wantedLines(userId: string, source: CheckoutSource): Promise<Wanted[]> {
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
    now,
  });
  return priced.view;
}

/** Same request, same hash: a retried submit must carry the same content to get the same order back. */
function requestHash(req: CreateOrderRequest): string {
  const parts: unknown[] = [req.source, req.addressId, req.remark];
  if (req.couponIds !== undefined) parts.push([...req.couponIds].sort());
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * The order an idempotency key already made, if any. The same key with other content (another hash) is a client bug,
 * not a retry. Shared by every way of placing an order.
 */
export async function orderForCheckoutKey(userId: string, idempotencyKey: string, hash: string): Promise<OrderView | null> {
  const key = await orderRepo.checkoutKey(userId, idempotencyKey);
  if (!key) return null;
  if (key.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  const order = await orderRepo.get(key.orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  return toOrderView(order);
}

function existingOrder(userId: string, req: CreateOrderRequest): Promise<OrderView | null> {
  return orderForCheckoutKey(userId, req.idempotencyKey, requestHash(req));
}

/**
 * Places an order at the price the quote shows. The stock check, the coupons (UNUSED → LOCKED by this order, owner
 * checked), the flash-sale and gift quotas, the order, the idempotency key and the cart clean-up are one DynamoDB
 * transaction (orderRepo.place); a retry with the same idempotency key returns the order the first attempt made.
 * Coupons the shopper named that cannot be used refuse the order: it is never charged at a price they did not see.
 */
export async function createOrder(userId: string, req: CreateOrderRequest, now: number): Promise<OrderView> {
  const wanted = await wantedLines(userId, req.source);
  if (wanted.length === 0) {
    // A retry after success finds the cart already emptied by the first attempt: answer with that order.
    const again = await existingOrder(userId, req);
    if (again) return again;
  }
  let priced: PricedCheckout;
  try {
    priced = await priceCheckoutFor(userId, wanted, { addressId: req.addressId, couponIds: req.couponIds, now });
    if (priced.refusedCoupon) {
      const { couponId, reason } = priced.refusedCoupon;
      throw new DomainError('COUPON_NOT_USABLE', `优惠券不可用：${reason}`, { couponId, reason });
    }
  } catch (e) {
    // A retry of a placed order finds its coupons already locked by that order.
    if (e instanceof DomainError && e.code === 'COUPON_NOT_USABLE') {
      const again = await existingOrder(userId, req);
      if (again) return again;
    }
    throw e;
  }
  const { quote: q, address } = priced;
  if (!address) throw new DomainError('ADDRESS_NOT_FOUND');
  const id = newId(now);
  const order: OrderItem = {
    ...newUnpaidOrder({
      id,
      userId,
      quote: q,
      address,
      remark: req.remark,
      createdAt: now,
      deadlineAt: now + config().paymentWindowMs,
      idempotencyKey: req.idempotencyKey,
      sourceType: req.source.type,
      note: '订单已提交，等待付款',
    }),
    couponIds: priced.couponIds,
    flashSales: priced.flashSales,
    gifts: priced.gifts,
  };
  const cartSkuIds = req.source.type === 'cart' ? q.lines.map((l) => l.skuId) : [];
  const items =
    priced.stock.length + cartSkuIds.length + 2 + priced.couponIds.length + 2 * priced.flashSales.length + priced.gifts.filter((g) => g.quota !== null).length;
  if (items > MAX_TRANSACTION_ITEMS) throw new DomainError('TOO_MANY_LINES', '本单商品和优惠较多，请分两次结算');
  try {
    await orderRepo.place({ order, stock: priced.stock, checkoutKey: { requestHash: requestHash(req) }, cartSkuIds });
  } catch (e) {
    if (!(e instanceof TransactionRefused)) throw e;
    if (e.failed().includes('checkoutKey')) {
      const again = await existingOrder(userId, req);
      if (again) return again;
    }
    throw refusal(e, order);
  }
  return toOrderView(order);
}

/** Names the rule that refused the order: which SKU ran out, which coupon was taken, which quota is spent. */
function refusal(e: TransactionRefused, order: OrderItem): unknown {
  const failed = e.failed();
  const reason = (label: string) => e.reasons[e.labels.indexOf(label)]?.item;
  const sku = failed.find((f) => f.startsWith('sku:'));
  if (sku) {
    const line = order.lines.find((l) => `sku:${l.skuId}` === sku);
    if (!line) return new DomainError('ORDER_STATE_CONFLICT', '赠品库存不足，请重新确认订单');
    const old = reason(sku) as { priceFen?: number; stock?: number } | undefined;
    if (old && old.priceFen !== undefined && old.priceFen !== (line.flashSale?.listPriceFen ?? line.unitPriceFen)) {
      return new DomainError('ORDER_STATE_CONFLICT', `商品价格已变动：${line.title}，请重新确认`, { skuId: line.skuId });
    }
    return new DomainError('OUT_OF_STOCK', `库存不足：${line.title}（${line.specText}）`, { skuId: line.skuId, stock: Math.max(0, old?.stock ?? 0) });
  }
  const coupon = failed.find((f) => f.startsWith('coupon:'));
  if (coupon) {
    return new DomainError('COUPON_NOT_USABLE', '优惠券已被使用或已失效，请重新选择', { couponId: coupon.slice('coupon:'.length) });
  }
  const flash = failed.find((f) => f.startsWith('flash:') || f.startsWith('flashLimit:'));
  if (flash) {
    const take = order.flashSales!.find((f) => flash.endsWith(`:${f.campaignId}#${f.skuId}`))!;
    const line = order.lines.find((l) => l.skuId === take.skuId)!;
    const details = { campaignId: take.campaignId, skuId: take.skuId };
    return flash.startsWith('flash:')
      ? new DomainError('FLASH_SALE_SOLD_OUT', `${line.title} 秒杀已抢光`, details)
      : new DomainError('FLASH_SALE_LIMIT', `${line.title} 每人限购 ${take.perUserLimit} 件`, { ...details, perUserLimit: take.perUserLimit });
  }
  if (failed.some((f) => f.startsWith('gift:'))) return new DomainError('ORDER_STATE_CONFLICT', '赠品已送完，请重新确认订单');
  if (e.conflicted()) return new DomainError('RATE_LIMITED', '当前下单人数较多，请稍后再试');
  return e;
}
