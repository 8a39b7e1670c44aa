/**
 * Placing an order: one pipeline of named steps for every kind of order. A kind (cart, buy-now, group; points-mall
 * and after-sales orders next) says only how its lines are found and priced; everything else is the same for all:
 *
 *   1. lookupKey  the shopper's idempotency key, once, before anything is priced or any stock is looked at
 *   2. resolve    (kind) the lines being bought, same SKU summed
 *   3. hash       the request's content, computed once: the resolved lines (skuId + quantity, sorted), the address,
 *                 the remark, the coupons named, the points chosen, the kind and its own terms
 *      → a key that already made an order answers here: that order (same content) or IDEMPOTENCY_KEY_REUSED
 *   4. price      (kind) catalog, promotions, address; refuses what cannot be bought now
 *   5. build      the new unpaid order
 *   6. place      orderRepo.place: stock, promotions, points spent, order, key and cart lines in one transaction
 *   7. explain    a refusal becomes the DomainError the shopper sees — unless an attempt with the same key placed the
 *                 order meanwhile (a retry sent while the first was in flight), which is then the answer
 */
import { createHash } from 'node:crypto';
import { DomainError, yuan, type OrderView, type Quote } from '@shop/shared';
import { pointsRepo } from '../repositories/points-repo';
import type { FlashTake } from '../repositories/campaign-repo';
import { orderRepo } from '../repositories/order-repo';
import { newUnpaidOrder, type OrderGift, type OrderGroup, type OrderItem, type OrderLine, type ShippingAddress, type StockMove } from '../domain/order';
import { TransactionRefused } from '../repositories/transactions';
import { newId } from '../lib/ids';
import { toOrderView } from './views';

/** What every kind of order request carries. */
export interface PlacementRequest {
  /** Chosen by the client once per checkout page: a retried submit carries the same key and content. */
  idempotencyKey: string;
  addressId: string;
  remark: string;
  /** The coupons the shopper named (omitted: the server picks the best; only kinds that take coupons). */
  couponIds?: string[];
  /** Points spent on the order (积分抵扣); omitted = none. */
  usePoints?: number;
}

/** A line being bought, before pricing. */
export interface ResolvedLine {
  productId: string;
  skuId: string;
  quantity: number;
}

/** A kind's priced order: what the build step turns into a new unpaid order and the place step writes. */
export interface PricedPlacement {
  quote: Quote & { lines: OrderLine[] };
  address: ShippingAddress;
  /** One move per SKU; `priceFen` (the list price the quote used) is checked in the transaction when present. */
  stock: (StockMove & { priceFen?: number })[];
  couponIds: string[];
  flashSales: FlashTake[];
  gifts: OrderGift[];
  group?: OrderGroup;
  /** Points spent on the order and what they take off (absent or 0 = none). */
  points?: { used: number; deductionFen: number };
  deadlineAt: number;
  /** The first timeline note (订单已提交，等待付款…). */
  note: string;
}

/** One kind of order: how its lines are found and priced. Nothing else differs between kinds. */
export interface PlacementKind<R extends PlacementRequest> {
  /** Part of the request hash: the same lines sent as another kind are another request. */
  readonly name: string;
  /** What the order records as its source. */
  readonly sourceType: OrderItem['sourceType'];
  /** The bought cart lines leave the cart in the placing transaction. */
  readonly clearsCart: boolean;
  /** The request's content besides lines, address, remark and coupons that decides the order (hashed). */
  terms(req: R): unknown;
  /** The lines being bought. May be empty (a cart already checked out): a key that exists then names the order. */
  resolve(userId: string, req: R): Promise<ResolvedLine[]>;
  /**
   * Their price now; throws the DomainError that refuses the order (sold out, off shelf, coupon, deal ended…). The
   * price step's batch read also reads the checkout key (`key.key`) and hands what it read to `key.seen` before any
   * rule is applied: the key is looked up first, without a round trip of its own.
   */
  price(userId: string, req: R, lines: ResolvedLine[], now: number, key: KeyLookup): Promise<PricedPlacement>;
}

/** Step 1 inside the price step's read: `seen` throws KeyTaken when the key already made an order. */
export interface KeyLookup {
  key: { PK: string; SK: string };
  seen(items: Record<string, unknown>[]): void;
}

class KeyTaken extends Error {
  constructor(readonly stored: StoredKey) {
    super('checkout key already made an order');
  }
}

/** DynamoDB's limit on the items of one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

/** The stored key: the order it made and the hash of the request that made it. */
type StoredKey = { orderId: string; requestHash: string };

/**
 * The request's hash, in two parts: `<content>.<lines>`. The content part (kind, terms, address, remark, coupons) is
 * known without reading anything; the lines part covers the lines actually bought, so the same key with another cart
 * is a different request. A cart already checked out resolves to no lines: then the content part alone decides.
 */
interface RequestHash {
  content: string;
  full: string;
}

const sha256 = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

function requestHash<R extends PlacementRequest>(kind: PlacementKind<R>, req: R, lines: ResolvedLine[]): RequestHash {
  const coupons = req.couponIds === undefined ? null : [...new Set(req.couponIds)].sort();
  const content = sha256([kind.name, kind.terms(req) ?? null, req.addressId, req.remark, coupons, req.usePoints ?? 0]);
  const bought = lines.map((l) => [l.skuId, l.quantity] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { content, full: `${content}.${sha256(bought)}` };
}

/** Step 1. */
function lookupKey(userId: string, idempotencyKey: string): Promise<StoredKey | null> {
  return orderRepo.checkoutKey(userId, idempotencyKey);
}

/**
 * The answer to a request whose key already made an order: that order when the content is the same (all of it, or —
 * when nothing is left to buy — all but the lines), else IDEMPOTENCY_KEY_REUSED: the same key with other content is
 * a client bug, not a retry, and must never be answered with an order for something else.
 */
async function orderOfKey(userId: string, key: StoredKey, hash: RequestHash, lines: ResolvedLine[]): Promise<OrderView> {
  const same = key.requestHash === hash.full || (lines.length === 0 && key.requestHash.startsWith(`${hash.content}.`));
  if (!same) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  const order = await orderRepo.get(key.orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  return toOrderView(order);
}

/** Step 5. */
function buildOrder<R extends PlacementRequest>(kind: PlacementKind<R>, userId: string, req: R, priced: PricedPlacement, now: number): OrderItem {
  const order: OrderItem = {
    ...newUnpaidOrder({
      id: newId(now),
      userId,
      quote: priced.quote,
      address: priced.address,
      remark: req.remark,
      createdAt: now,
      deadlineAt: priced.deadlineAt,
      idempotencyKey: req.idempotencyKey,
      sourceType: kind.sourceType,
      note: priced.note,
    }),
    couponIds: priced.couponIds,
    flashSales: priced.flashSales,
    gifts: priced.gifts,
  };
  if (priced.group) order.group = priced.group;
  if (priced.points && priced.points.used > 0) order.points = { used: priced.points.used, deductionFen: priced.points.deductionFen };
  return order;
}

/** Step 6: the one transaction (refused whole if any rule fails). */
async function place(order: OrderItem, priced: PricedPlacement, hash: RequestHash, clearsCart: boolean): Promise<void> {
  const cartSkuIds = clearsCart ? order.lines.map((l) => l.skuId) : [];
  const items =
    priced.stock.length +
    cartSkuIds.length +
    2 +
    priced.couponIds.length +
    2 * priced.flashSales.length +
    priced.gifts.filter((g) => g.quota !== null).length +
    (priced.group ? 2 : 0) +
    (order.points ? 2 + MAX_POINTS_LOTS : 0);
  if (items > MAX_TRANSACTION_ITEMS) throw new DomainError('TOO_MANY_LINES', '本单商品和优惠较多，请分两次结算');
  // Points lots move under concurrent spends: a refused lot means plan again (the rest of the order is unchanged).
  for (let attempt = 0; ; attempt++) {
    const spend = order.points
      ? await pointsRepo.spendItems({
          userId: order.userId,
          businessId: `SPEND#${order.id}`,
          source: 'SPEND',
          points: order.points.used,
          at: order.createdAt,
          orderId: order.id,
          note: `下单积分抵扣 ${yuan(order.points.deductionFen)}`,
        })
      : [];
    try {
      await orderRepo.place({ order, stock: priced.stock, checkoutKey: { requestHash: hash.full }, cartSkuIds, extraItems: spend });
      return;
    } catch (e) {
      const lotMoved = e instanceof TransactionRefused && e.failed().length > 0 && e.failed().every((f) => f.startsWith('pointsLot:'));
      if (!lotMoved || attempt >= MAX_POINTS_PLANS) throw e;
    }
  }
}

/** Points lots one checkout may take (a spend rarely spans more than a few months) and how often it plans again. */
const MAX_POINTS_LOTS = 24;
const MAX_POINTS_PLANS = 20;

/**
 * Step 7, for every kind: names the rule that refused the placing transaction — which SKU ran out or changed price,
 * which coupon was taken, which flash-sale, gift or group quota is spent.
 */
function explainRefusal(e: TransactionRefused, order: OrderItem, stock: (StockMove & { priceFen?: number })[]): DomainError | TransactionRefused {
  const failed = e.failed();
  const old = (label: string) => e.reasons[e.labels.indexOf(label)]?.item;
  const sku = failed.find((f) => f.startsWith('sku:'));
  if (sku) {
    const line = order.lines.find((l) => `sku:${l.skuId}` === sku);
    if (!line) return new DomainError('ORDER_STATE_CONFLICT', '赠品库存不足，请重新确认订单');
    const seen = old(sku) as { priceFen?: number; stock?: number } | undefined;
    const checked = stock.find((s) => s.skuId === line.skuId)?.priceFen;
    if (seen?.priceFen !== undefined && checked !== undefined && seen.priceFen !== checked) {
      return new DomainError('ORDER_STATE_CONFLICT', `商品价格已变动：${line.title}，请重新确认`, { skuId: line.skuId });
    }
    return outOfStock(line, seen?.stock ?? 0);
  }
  const coupon = failed.find((f) => f.startsWith('coupon:'));
  if (coupon) {
    return new DomainError('COUPON_NOT_USABLE', '优惠券已被使用或已失效，请重新选择', { couponId: coupon.slice('coupon:'.length) });
  }
  const flash = failed.find((f) => f.startsWith('flash:') || f.startsWith('flashLimit:'));
  const take = flash ? order.flashSales?.find((f) => flash.endsWith(`:${f.campaignId}#${f.skuId}`)) : undefined;
  if (flash && take) {
    const title = order.lines.find((l) => l.skuId === take.skuId)?.title ?? '';
    const details = { campaignId: take.campaignId, skuId: take.skuId };
    return flash.startsWith('flash:')
      ? new DomainError('FLASH_SALE_SOLD_OUT', `${title} 秒杀已抢光`, details)
      : new DomainError('FLASH_SALE_LIMIT', `${title} 每人限购 ${take.perUserLimit} 件`, { ...details, perUserLimit: take.perUserLimit });
  }
  if (failed.includes('pointsBalance') || failed.some((f) => f.startsWith('pointsLot:'))) {
    return new DomainError('POINTS_INSUFFICIENT', '积分不足，可用积分已变化，请重新确认订单');
  }
  if (failed.some((f) => f.startsWith('gift:'))) return new DomainError('ORDER_STATE_CONFLICT', '赠品已送完，请重新确认订单');
  const group = order.group?.take;
  if (group && failed.some((f) => f.startsWith('groupQuota:'))) {
    return new DomainError('OUT_OF_STOCK', '拼团名额已抢光', { campaignId: group.campaignId });
  }
  if (group && failed.some((f) => f.startsWith('groupLimit:'))) {
    return new DomainError('QUANTITY_LIMIT', `每人最多参加 ${group.perUserLimit} 次`, { campaignId: group.campaignId, perUserLimit: group.perUserLimit });
  }
  if (e.conflicted()) return new DomainError('RATE_LIMITED', '当前下单人数较多，请稍后再试');
  return e;
}

/** The one sold-out refusal, for every kind and both moments (the price step's read and the transaction). */
export function outOfStock(line: { skuId: string; title: string; specText: string }, stock: number): DomainError {
  return new DomainError('OUT_OF_STOCK', `库存不足：${line.title}（${line.specText}）`, { skuId: line.skuId, stock: Math.max(0, stock) });
}

/**
 * Runs the pipeline for one kind. Returns the order placed, or the order the same key already made; throws the
 * DomainError that explains a refusal.
 */
export async function placeOrder<R extends PlacementRequest>(kind: PlacementKind<R>, userId: string, req: R, now: number): Promise<OrderView> {
  // Step 2 first: the lines decide the hash. Step 1, the key, is read with the price step's batch read and checked
  // before any rule (a cart already checked out has no lines to price: then the key is read on its own).
  const lines = await kind.resolve(userId, req);
  const hash = requestHash(kind, req, lines);
  if (lines.length === 0) {
    const key = await lookupKey(userId, req.idempotencyKey);
    if (key) return orderOfKey(userId, key, hash, lines);
  }
  const peek = orderRepo.checkoutKeyPeek(userId, req.idempotencyKey);
  const keyLookup: KeyLookup = {
    key: peek.key,
    seen(items) {
      const stored = peek.find(items);
      if (stored) throw new KeyTaken(stored);
    },
  };

  let placing: { order: OrderItem; stock: PricedPlacement['stock'] } | null = null;
  try {
    const priced = await kind.price(userId, req, lines, now, keyLookup);
    const order = buildOrder(kind, userId, req, priced, now);
    placing = { order, stock: priced.stock };
    await place(order, priced, hash, kind.clearsCart);
    return toOrderView(order);
  } catch (e) {
    if (e instanceof KeyTaken) return orderOfKey(userId, e.stored, hash, lines);
    if (!(e instanceof DomainError) && !(e instanceof TransactionRefused)) throw e;
    // Refused: by the key itself (taken in the same transaction), or by what an attempt with the same key still in
    // flight when step 1 ran has since done (taken the last stock, locked the coupons, emptied the cart). Either way
    // that attempt's order is the answer.
    const taken = await lookupKey(userId, req.idempotencyKey);
    if (taken) return orderOfKey(userId, taken, hash, lines);
    if (e instanceof TransactionRefused && placing) throw explainRefusal(e, placing.order, placing.stock);
    throw e;
  }
}
