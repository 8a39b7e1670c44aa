/**
 * After-sales requests (售后): 仅退款 and 退货退款 per order line and quantity, moved only by their own transition table
 * (shared/src/after-sales.ts) through the repository's conditions. The money goes back through the refund service
 * (requestRefund, reason AFTER_SALE, one out_refund_no per request), so the refund rules' exact proration, the cap at
 * what was paid, and the coupon and points effects are the same as every other refund's. Deadlines: each state that
 * waits on a party carries a due time (an exact schedule per request, and the sweeper as the safety net).
 */
import {
  AFTER_SALE_REASONS,
  AFTER_SALE_STATE_LABEL,
  AFTER_SALE_TYPE_LABEL,
  DEFAULT_AFTER_SALE_DEADLINES,
  DomainError,
  REFUND_STATUS_LABEL,
  afterSaleDeadline,
  afterSaleRefusal,
  afterSaleShopperActions,
  afterSaleTransition,
  outRefundNo,
  planLineRefund,
  refundAttemptBase,
  type AfterSaleDeadlines,
  type AfterSaleEvent,
  type AfterSaleState,
  type AfterSaleView,
  type CreateAfterSaleRequest,
  type OrderStatus,
  type ShipReturnRequest,
} from '@shop/shared';
import { afterSaleUntil } from '../lib/fulfilment-config';
import { logger } from '../lib/http';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { z } from 'zod';
import { orderRepo } from '../repositories/order-repo';
import { refundRepo, type RefundItem } from '../repositories/refund-repo';
import { afterSalesRepo, parseAfterSaleId, type AfterSaleItem } from '../repositories/after-sales-repo';
import type { LabelledItem } from '../repositories/transactions';
import type { OrderItem } from '../domain/order';
import { scheduleAfterSaleDeadline } from '../providers/scheduler';
import { requestRefund } from './refunds';
import { checkPhotos, photoLinks } from './uploads';

/* ───────── configuration (stage environment; docs/after-sales.md) ───────── */

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
}

/** The parties' deadlines: AFTERSALES_APPROVE_UNSHIPPED_HOURS, _APPROVE_DAYS, _RETURN_SHIP_DAYS, _RETURN_RECEIVE_DAYS. */
function afterSaleDeadlines(): AfterSaleDeadlines {
  const d = DEFAULT_AFTER_SALE_DEADLINES;
  return {
    approveUnshippedHours: positive('AFTERSALES_APPROVE_UNSHIPPED_HOURS', d.approveUnshippedHours),
    approveDays: positive('AFTERSALES_APPROVE_DAYS', d.approveDays),
    returnShipDays: positive('AFTERSALES_RETURN_SHIP_DAYS', d.returnShipDays),
    returnReceiveDays: positive('AFTERSALES_RETURN_RECEIVE_DAYS', d.returnReceiveDays),
  };
}

/** Where returns go: RETURN_ADDRESS_NAME, RETURN_ADDRESS_PHONE, RETURN_ADDRESS (one line). */
function returnAddress(): { name: string; phone: string; address: string } {
  const address = process.env.RETURN_ADDRESS?.trim();
  if (!address) throw new DomainError('INTERNAL', '退货地址未配置，请联系客服', { missing: 'RETURN_ADDRESS' });
  return { name: process.env.RETURN_ADDRESS_NAME?.trim() || '售后服务部', phone: process.env.RETURN_ADDRESS_PHONE?.trim() || '', address };
}

/** How long after refunding is asked for a request in 退款中 without a refund record is tried again. */
const REFUND_RETRY_MS = 10 * 60 * 1000;

/* ───────── shoppers ───────── */

/** The order statuses in which a request of each type may be made (checked again in the creating transaction). */
const ORDER_STATUSES_FOR: Record<AfterSaleItem['kind'], readonly OrderStatus[]> = {
  REFUND_ONLY: ['PAID', 'SHIPPED'],
  RETURN_REFUND: ['SHIPPED', 'COMPLETED'],
};

function unitsLeft(order: OrderItem, skuId: string): number {
  const line = order.lines.find((l) => l.skuId === skuId);
  return line ? line.quantity - (order.refundedLines?.[skuId]?.quantity ?? 0) : 0;
}

/** A refund of these units is the order's whole refund: nothing shipped yet and no other unit left to give back. */
function isWholeOrder(order: OrderItem, skuId: string, quantity: number): boolean {
  return order.status === 'PAID' && order.lines.every((l) => unitsLeft(order, l.skuId) === (l.skuId === skuId ? quantity : 0));
}

/** What the refund of these units gives back by the refund rules (the whole rest of the order when it is a full refund). */
function plannedRefundFen(order: OrderItem, skuId: string, quantity: number): number {
  if (isWholeOrder(order, skuId, quantity)) return (order.paidFen ?? 0) - (order.refundedFen ?? 0);
  const plan = planLineRefund(
    order.lines.map((l) => ({
      skuId: l.skuId,
      quantity: l.quantity,
      payableFen: l.payableFen,
      refundedQuantity: order.refundedLines?.[l.skuId]?.quantity ?? 0,
      refundedFen: order.refundedLines?.[l.skuId]?.fen ?? 0,
    })),
    [{ skuId, quantity }],
  );
  if (!plan.ok) throw new DomainError('VALIDATION_FAILED', plan.reason);
  return plan.amountFen;
}

export async function createAfterSale(userId: string, req: CreateAfterSaleRequest, now: number): Promise<AfterSaleView> {
  const order = await orderRepo.get(req.orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  const refusal = afterSaleRefusal({ ...order, afterSaleUntil: afterSaleUntil(order) }, req.type, now);
  if (refusal) throw new DomainError('AFTER_SALE_NOT_ALLOWED', refusal);
  const line = order.lines.find((l) => l.skuId === req.skuId);
  if (!line) throw new DomainError('VALIDATION_FAILED', '订单中没有该商品');
  const left = unitsLeft(order, req.skuId);
  if (left < 1) throw new DomainError('AFTER_SALE_NOT_ALLOWED', '该商品已全部退款');
  if (req.quantity > left) throw new DomainError('VALIDATION_FAILED', `售后数量超过可退数量（还可退 ${left} 件）`);
  const photoKeys = await checkPhotos(userId, 'after_sales', req.photoKeys);
  const seq = await afterSalesRepo.nextSeq(order.id);
  const unshipped = order.status === 'PAID';
  const due = afterSaleDeadline({ state: 'REQUESTED', type: req.type, enteredAt: now }, !unshipped, afterSaleDeadlines());
  const item: AfterSaleItem = {
    id: `${order.id}-${seq}`,
    orderId: order.id,
    seq,
    userId,
    kind: req.type,
    state: 'REQUESTED',
    productId: line.productId,
    skuId: line.skuId,
    title: line.title,
    specText: line.specText,
    image: line.image,
    quantity: req.quantity,
    reason: req.reason,
    description: req.description,
    photoKeys,
    refundFen: plannedRefundFen(order, req.skuId, req.quantity),
    refundNo: null,
    unshippedAtRequest: unshipped,
    returnAddress: null,
    returnShipment: null,
    rejectReason: null,
    enteredAt: now,
    dueAt: due?.at ?? null,
    dueEvent: due?.event ?? null,
    timeline: [{ at: now, state: 'REQUESTED', note: `你申请了${AFTER_SALE_TYPE_LABEL[req.type]}：${AFTER_SALE_REASONS[req.reason]}` }],
    createdAt: now,
    updatedAt: now,
  };
  const result = await afterSalesRepo.create(item, ORDER_STATUSES_FOR[req.type]);
  if (result === 'line_open') throw new DomainError('AFTER_SALE_OPEN', '该商品已有进行中的售后申请，请在售后详情中查看');
  if (result === 'order_moved') throw new DomainError('ORDER_STATE_CONFLICT', '订单状态已变化，请刷新后重试');
  return view(item, null);
}

/** The caller's own request (another shopper's is simply not found). */
async function ownRequest(userId: string, id: string): Promise<AfterSaleItem> {
  const ref = parseAfterSaleId(id);
  const item = ref ? await afterSalesRepo.get(ref.orderId, ref.seq) : null;
  if (!item || item.userId !== userId) throw new DomainError('AFTER_SALE_NOT_FOUND');
  return item;
}

export async function getAfterSale(userId: string, id: string): Promise<AfterSaleView> {
  const item = await ownRequest(userId, id);
  return view(item, await refundOf(item));
}

const Position = z.object({ k: z.string().max(80) });

export async function listAfterSales(userId: string, query: { cursor?: string; limit: number }) {
  const scope = `USER#${userId}#AFTERSALES`;
  const after = decodeCursor(query.cursor, scope, Position);
  const page = await afterSalesRepo.forUser(userId, query.limit, after?.k);
  return {
    items: await Promise.all(page.items.map((i) => view(i, null))),
    nextCursor: page.last ? encodeCursor(scope, { k: page.last }) : null,
  };
}

export async function withdrawAfterSale(userId: string, id: string, now: number): Promise<AfterSaleView> {
  const item = await ownRequest(userId, id);
  return view(await transition(item, 'WITHDRAW', { now }), null);
}

export async function shipReturn(userId: string, id: string, body: ShipReturnRequest, now: number): Promise<AfterSaleView> {
  const item = await ownRequest(userId, id);
  const shipment = { carrier: body.carrier, trackingNo: body.trackingNo.toUpperCase(), at: now };
  return view(await transition(item, 'SHIP_RETURN', { now, set: { returnShipment: shipment }, note: `你已寄回商品：${shipment.carrier} ${shipment.trackingNo}` }), null);
}

/* ───────── operators ───────── */

/** An operator's action, with what the operator log records in the same write. */
export interface OperatorAct {
  actor: string;
  /** The operator-log item of this action (written in the move's transaction). */
  log?: (entry: { action: string; target: string; summary: string }) => LabelledItem;
}

async function anyRequest(id: string): Promise<AfterSaleItem> {
  const ref = parseAfterSaleId(id);
  const item = ref ? await afterSalesRepo.get(ref.orderId, ref.seq) : null;
  if (!item) throw new DomainError('AFTER_SALE_NOT_FOUND');
  return item;
}

const logged = (act: OperatorAct, action: string, target: string, summary: string) => (act.log ? [act.log({ action, target, summary })] : []);

export async function approveAfterSale(id: string, act: OperatorAct, now: number) {
  const item = await anyRequest(id);
  const moved = await transition(item, 'APPROVE', { now, alsoWrite: logged(act, 'after-sale.approve', id, `同意${AFTER_SALE_TYPE_LABEL[item.kind]}`) });
  return opsView(moved);
}

export async function rejectAfterSale(id: string, reason: string, act: OperatorAct, now: number) {
  const item = await anyRequest(id);
  const moved = await transition(item, 'REJECT', {
    now,
    set: { rejectReason: reason },
    note: `商家拒绝了申请：${reason}`,
    alsoWrite: logged(act, 'after-sale.reject', id, `拒绝：${reason}`),
  });
  return opsView(moved);
}

export async function receiveReturn(id: string, act: OperatorAct, now: number) {
  const item = await anyRequest(id);
  const moved = await transition(item, 'RECEIVE_RETURN', { now, alsoWrite: logged(act, 'after-sale.receive', id, '确认收到退货') });
  return opsView(moved);
}

/** 退款中 without a refund paid: ask again (a refund WeChat closed gets a new attempt; a running one is left alone). */
export async function retryAfterSaleRefund(id: string, act: OperatorAct, now: number) {
  const item = await anyRequest(id);
  if (item.state !== 'REFUNDING') throw new DomainError('AFTER_SALE_STATE_CONFLICT', `售后单当前为「${AFTER_SALE_STATE_LABEL[item.state]}」，无需退款`);
  await afterSalesRepo.log(logged(act, 'after-sale.refund', id, '重新发起退款'));
  return opsView(await startRefund(item, now));
}

export async function opsListAfterSales(query: { state: AfterSaleState; cursor?: string; limit: number }) {
  const scope = `AFTERSALES#${query.state}`;
  const after = decodeCursor(query.cursor, scope, Position);
  const page = await afterSalesRepo.inState(query.state, query.limit, after?.k);
  return {
    items: await Promise.all(page.items.map(opsView)),
    nextCursor: page.last ? encodeCursor(scope, { k: page.last }) : null,
  };
}

async function opsView(item: AfterSaleItem) {
  return { ...(await view(item, await refundOf(item))), userId: item.userId };
}

/* ───────── moves ───────── */

interface MoveOptions {
  now: number;
  note?: string;
  set?: Parameters<typeof afterSalesRepo.move>[1]['set'];
  alsoWrite?: LabelledItem[];
}

/**
 * Moves a request by the table (refused in words when the table does not allow it from the request's state), sets the
 * next deadline, and asks for the refund when the row says so.
 */
async function transition(item: AfterSaleItem, event: AfterSaleEvent, o: MoveOptions): Promise<AfterSaleItem> {
  const row = afterSaleTransition(item.state, event, item.kind);
  if (!row) throw new DomainError('AFTER_SALE_STATE_CONFLICT', `售后单当前为「${AFTER_SALE_STATE_LABEL[item.state]}」，不能进行此操作`);
  const set = { ...o.set, ...(row.to === 'AWAITING_RETURN' ? { returnAddress: returnAddress() } : {}) };
  const next = afterSaleDeadline({ state: row.to, type: item.kind, enteredAt: o.now }, !item.unshippedAtRequest, afterSaleDeadlines());
  const due = row.to === 'REFUNDING' ? { at: o.now + REFUND_RETRY_MS, event: 'RETRY_REFUND' as const } : next ? { at: next.at, event: next.event } : null;
  const moved = await afterSalesRepo.move(item, { event, now: o.now, note: o.note ?? row.label, set, due, alsoWrite: o.alsoWrite });
  if (!moved) {
    const fresh = await afterSalesRepo.get(item.orderId, item.seq);
    throw new DomainError('AFTER_SALE_STATE_CONFLICT', `售后单当前为「${AFTER_SALE_STATE_LABEL[fresh?.state ?? item.state]}」，请刷新后重试`);
  }
  return row.startsRefund ? startRefund(moved, o.now) : moved;
}

/**
 * The request's refund through the refund service: the order's whole refund (shipping, coupons and quotas back) when
 * nothing has shipped and these are the last units; otherwise these units of the line, prorated exactly. The units
 * go back on sale when they never left (unshipped) or came back (退货退款). A failure leaves the request in 退款中
 * with its retry deadline: the sweeper asks again with the same out_refund_no.
 */
async function startRefund(item: AfterSaleItem, now: number): Promise<AfterSaleItem> {
  try {
    const order = await orderRepo.get(item.orderId);
    if (!order) throw new DomainError('ORDER_NOT_FOUND');
    const restock = item.kind === 'RETURN_REFUND' || order.status === 'PAID';
    const whole = isWholeOrder(order, item.skuId, item.quantity);
    const refund = await requestRefund(
      item.orderId,
      whole
        ? { reason: 'AFTER_SALE', restock, sequence: item.seq }
        : { reason: 'AFTER_SALE', lines: [{ skuId: item.skuId, quantity: item.quantity }], restock, sequence: item.seq },
      now,
    );
    await afterSalesRepo.noteRefund(item, refund.outRefundNo, refund.amountFen, now);
    return { ...item, refundNo: refund.outRefundNo, refundFen: refund.amountFen, dueAt: null, dueEvent: null };
  } catch (e) {
    logger.error('after-sale refund not started; the sweeper asks again', { afterSaleId: item.id, error: e as Error });
    return item;
  }
}

/* ───────── deadlines and reactions ───────── */

/**
 * A request's deadline (its exact schedule, or the sweeper): the table's event for the state, sent by the system.
 * A fast approval of an unshipped 仅退款 whose order has shipped since waits for the ordinary approval deadline.
 */
export async function runAfterSaleDeadline(orderId: string, seq: number, now: number): Promise<'applied' | 'not_due' | 'none' | 'rescheduled' | 'refund-asked'> {
  const item = await afterSalesRepo.get(orderId, seq);
  if (!item || item.dueAt === null || !item.dueEvent) return 'none';
  if (item.dueAt > now) return 'not_due';
  if (item.dueEvent === 'RETRY_REFUND') {
    await startRefund(item, now);
    return 'refund-asked';
  }
  if (item.state === 'REQUESTED' && item.kind === 'REFUND_ONLY' && item.unshippedAtRequest) {
    const order = await orderRepo.get(orderId);
    if (order && order.status !== 'PAID') {
      const later = afterSaleDeadline({ state: 'REQUESTED', type: item.kind, enteredAt: item.enteredAt }, true, afterSaleDeadlines());
      if (later && later.at > now) {
        await afterSalesRepo.reschedule(item, later.at, later.event);
        return 'rescheduled';
      }
    }
  }
  try {
    await transition(item, item.dueEvent, { now });
    return 'applied';
  } catch (e) {
    if (e instanceof DomainError && e.code === 'AFTER_SALE_STATE_CONFLICT') return 'none';
    throw e;
  }
}

/** Every request whose deadline passed (the safety net under the exact schedules); running it twice changes nothing. */
export async function sweepAfterSales(now: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { orderId, seq } of await afterSalesRepo.due(now)) {
    try {
      const r = await runAfterSaleDeadline(orderId, seq, now);
      counts[r] = (counts[r] ?? 0) + 1;
    } catch (e) {
      counts.failed = (counts.failed ?? 0) + 1;
      logger.error('after-sale deadline failed', { orderId, seq, error: e as Error });
    }
  }
  return counts;
}

/**
 * From the table's stream: a request with a new deadline gets its exact schedule; an after-sales refund WeChat paid
 * moves its request to 已退款. Idempotent (the move's condition refuses a second time).
 */
export async function onChangeForAfterSales(change: { next: Record<string, any> | null; previous: Record<string, any> | null }, now: number): Promise<void> {
  const { next, previous } = change;
  if (!next) return;
  if (next.type === 'aftersale' && typeof next.dueAt === 'number' && next.dueAt !== previous?.dueAt) {
    await scheduleAfterSaleDeadline(next.id, next.dueAt);
    return;
  }
  if (next.type === 'refund' && next.reason === 'AFTER_SALE' && next.status === 'REFUNDED' && previous?.status !== 'REFUNDED') {
    const m = /-AFTERSALE-(\d+)$/.exec(refundAttemptBase(next.outRefundNo as string));
    if (!m) return;
    const item = await afterSalesRepo.get(next.orderId, Number(m[1]));
    if (!item || item.state !== 'REFUNDING') return;
    await afterSalesRepo.move(item, { event: 'REFUND_PAID', now, note: `退款 ¥${(next.amountFen / 100).toFixed(2)} 已原路退回`, set: { refundFen: next.amountFen }, due: null });
  }
}

/* ───────── views ───────── */

async function refundOf(item: AfterSaleItem): Promise<RefundItem | null> {
  const base = outRefundNo(item.orderId, 'AFTER_SALE', item.seq);
  const mine = (await refundRepo.forOrder(item.orderId)).filter((r) => refundAttemptBase(r.outRefundNo) === base);
  return mine.sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
}

function deadlineText(item: AfterSaleItem): string {
  const at = new Date(item.dueAt! + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
  switch (item.dueEvent) {
    case 'AUTO_APPROVE':
      return `商家将在 ${at} 前处理，逾期自动同意`;
    case 'RETURN_EXPIRED':
      return `请在 ${at} 前寄回商品并填写快递单号，逾期申请将关闭`;
    case 'AUTO_RECEIVE_RETURN':
      return `商家将在 ${at} 前确认收货，逾期自动退款`;
    default:
      return '退款处理中';
  }
}

async function view(item: AfterSaleItem, refund: RefundItem | null): Promise<AfterSaleView> {
  return {
    id: item.id,
    orderId: item.orderId,
    type: item.kind,
    typeLabel: AFTER_SALE_TYPE_LABEL[item.kind],
    state: item.state,
    stateLabel: AFTER_SALE_STATE_LABEL[item.state],
    line: { productId: item.productId, skuId: item.skuId, title: item.title, specText: item.specText, image: item.image },
    quantity: item.quantity,
    reason: item.reason,
    reasonLabel: AFTER_SALE_REASONS[item.reason],
    description: item.description,
    photos: await photoLinks(item.photoKeys),
    refundFen: refund?.amountFen ?? item.refundFen,
    refund: refund
      ? { statusLabel: REFUND_STATUS_LABEL[refund.status], amountFen: refund.amountFen }
      : item.refundNo
        ? { statusLabel: item.state === 'REFUNDED' ? '已退款' : '退款中', amountFen: item.refundFen }
        : null,
    returnAddress: item.returnAddress,
    returnShipment: item.returnShipment,
    rejectReason: item.rejectReason,
    deadline: item.dueAt !== null && item.dueEvent ? { at: item.dueAt, text: deadlineText(item) } : null,
    actions: afterSaleShopperActions(item.state, item.kind),
    timeline: item.timeline.map((t) => ({ ...t, stateLabel: AFTER_SALE_STATE_LABEL[t.state] })),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}
