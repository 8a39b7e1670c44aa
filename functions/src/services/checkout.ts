import { createHash } from 'node:crypto';
import {
  DomainError,
  MAX_CHECKOUT_SKUS,
  mergeSameSku,
  quote,
  type CheckoutSource,
  type CreateOrderRequest,
  type OrderView,
  type Quote,
  type QuoteInputLine,
  type QuoteRequest,
  type QuoteView,
} from '@shop/shared';
import { config } from '../lib/config';
import { newId } from '../lib/ids';
import { cartRepo } from '../repositories/cart-repo';
import { catalogRepo } from '../repositories/catalog-repo';
import { keys } from '../repositories/keys';
import { orderRepo, type OrderItem, type ShippingAddress } from '../repositories/order-repo';
import { TransactionRefused } from '../repositories/transactions';
import { toOrderView } from './orders';

interface Wanted {
  productId: string;
  skuId: string;
  quantity: number;
}

/** What the shopper is buying: the selected cart lines (same SKU summed) or one SKU from the product page. */
async function wantedLines(userId: string, source: CheckoutSource): Promise<Wanted[]> {
  if (source.type === 'buyNow') return [{ productId: source.productId, skuId: source.skuId, quantity: source.quantity }];
  const lines = (await cartRepo.lines(userId)).filter((l) => l.selected);
  return mergeSameSku(lines.map(({ productId, skuId, quantity }) => ({ productId, skuId, quantity })));
}

interface Priced {
  quote: Quote;
  address: ShippingAddress | null;
}

/**
 * Prices the checkout from the server's own catalog (one consistent BatchGet that also fetches the address).
 * Refuses lines that are off the shelf or out of stock, naming the SKU.
 */
async function price(userId: string, wanted: Wanted[], addressId: string | undefined): Promise<Priced> {
  if (wanted.length === 0) throw new DomainError('EMPTY_CHECKOUT');
  if (wanted.length > MAX_CHECKOUT_SKUS) throw new DomainError('TOO_MANY_LINES');
  const { skus, products, extra } = await catalogRepo.skusWithProducts(
    wanted,
    addressId ? [keys.address(userId, addressId)] : [],
  );
  const input: QuoteInputLine[] = wanted.map((w) => {
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
      title: product.title,
      specText: sku.specText,
      image: sku.image ?? product.images[0],
      unitPriceFen: sku.priceFen,
      quantity: w.quantity,
    };
  });
  const addressItem = extra.find((i) => i.type === 'address');
  const address = addressItem
    ? (({ name, phone, province, city, district, detail }) => ({ name, phone, province, city, district, detail }))(
        addressItem as unknown as ShippingAddress,
      )
    : null;
  return { quote: quote(input), address };
}

function quoteView(q: Quote): QuoteView {
  return {
    ...q,
    lines: q.lines.map(({ productId, skuId, title, specText, image, unitPriceFen, quantity, lineTotalFen, discountFen, payableFen }) => ({
      productId, skuId, title, specText, image, unitPriceFen, quantity, lineTotalFen, discountFen, payableFen,
    })),
  };
}

export async function quoteCheckout(userId: string, req: QuoteRequest): Promise<QuoteView> {
  const { quote: q } = await price(userId, await wantedLines(userId, req.source), req.addressId);
  return quoteView(q);
}

/** Same request, same hash: a retried submit must carry the same content to get the same order back. */
function requestHash(req: CreateOrderRequest): string {
  return createHash('sha256').update(JSON.stringify([req.source, req.addressId, req.remark])).digest('hex');
}

async function existingOrder(userId: string, req: CreateOrderRequest): Promise<OrderView | null> {
  const key = await orderRepo.checkoutKey(userId, req.idempotencyKey);
  if (!key) return null;
  if (key.requestHash !== requestHash(req)) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  const order = await orderRepo.get(key.orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  return toOrderView(order);
}

/**
 * Places an order. The stock check, the order, the idempotency key and the cart clean-up are one DynamoDB
 * transaction (orderRepo.place); a retry with the same idempotency key returns the order the first attempt made.
 */
export async function createOrder(userId: string, req: CreateOrderRequest, now: number): Promise<OrderView> {
  const wanted = await wantedLines(userId, req.source);
  if (wanted.length === 0) {
    // A retry after success finds the cart already emptied by the first attempt: answer with that order.
    const again = await existingOrder(userId, req);
    if (again) return again;
  }
  const { quote: q, address } = await price(userId, wanted, req.addressId);
  if (!address) throw new DomainError('ADDRESS_NOT_FOUND');
  const id = newId(now);
  const order: OrderItem = {
    id,
    userId,
    status: 'PENDING_PAYMENT',
    lines: q.lines,
    itemCount: q.itemCount,
    subtotalFen: q.subtotalFen,
    shippingFen: q.shippingFen,
    discountFen: q.discountFen,
    discounts: q.discounts,
    payableFen: q.payableFen,
    address,
    remark: req.remark,
    createdAt: now,
    deadlineAt: now + config().paymentWindowMs,
    paidAt: null,
    cancelledAt: null,
    cancelReason: null,
    transactionId: null,
    paidFen: null,
    refundedFen: 0,
    refundedLines: {},
    prepayId: null,
    prepayCreatedAt: null,
    timeline: [{ at: now, status: 'PENDING_PAYMENT', note: '订单已提交，等待付款' }],
    idempotencyKey: req.idempotencyKey,
    sourceType: req.source.type,
  };
  try {
    await orderRepo.place({
      order,
      stock: q.lines.map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity, priceFen: l.unitPriceFen })),
      checkoutKey: { requestHash: requestHash(req) },
      cartSkuIds: req.source.type === 'cart' ? q.lines.map((l) => l.skuId) : [],
    });
  } catch (e) {
    if (!(e instanceof TransactionRefused)) throw e;
    const failed = e.failed();
    if (failed.includes('checkoutKey')) {
      const again = await existingOrder(userId, req);
      if (again) return again;
    }
    const sku = failed.find((f) => f.startsWith('sku:'));
    if (sku) {
      const line = q.lines.find((l) => `sku:${l.skuId}` === sku)!;
      const old = e.reasons[e.labels.indexOf(sku)]?.item as { priceFen?: number; stock?: number } | undefined;
      if (old && old.priceFen !== undefined && old.priceFen !== line.unitPriceFen) {
        throw new DomainError('ORDER_STATE_CONFLICT', `商品价格已变动：${line.title}，请重新确认`, { skuId: line.skuId });
      }
      throw new DomainError('OUT_OF_STOCK', `库存不足：${line.title}（${line.specText}）`, {
        skuId: line.skuId,
        stock: Math.max(0, old?.stock ?? 0),
      });
    }
    if (e.conflicted()) throw new DomainError('RATE_LIMITED', '当前下单人数较多，请稍后再试');
    throw e;
  }
  return toOrderView(order);
}
