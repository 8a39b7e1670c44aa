import { DomainError, outRefundNo, planLineRefund, refundAttemptNo, refundAttemptOf, type OrderEvent } from '@shop/shared';
import { logger } from '../lib/http';
import { orderRepo } from '../repositories/order-repo';
import { heldStock, type OrderItem, type StockMove } from '../domain/order';
import { paymentRepo, type PaymentRecord } from '../repositories/payment-repo';
import { refundRepo, type RefundItem } from '../repositories/refund-repo';
import { wechatPay } from '../providers/wechat-pay/index';
import { outTradeNoFor } from '../providers/wechat-pay/v3-crypto';

/** Why money goes back; each reason has its own deterministic out_refund_no per order. */
export const REFUND_REASONS = {
  CANCELLED_AFTER_PAY: '买家取消已支付订单',
  LATE_PAYMENT: '订单已关闭后收到的付款',
  GROUP_FAILED: '拼团未成功',
  GROUP_FULL: '拼团已满',
  GROUP_CLOSED: '拼团已结束',
  GROUP_DUP: '已在团中，重复参团',
  GROUP_LEADER: '团长免单返现',
  AFTER_SALE: '售后退款',
  DUPLICATE_PAYMENT: '重复付款退回',
} as const;
export type RefundReason = keyof typeof REFUND_REASONS;

/**
 * The transition-table event of a FULL refund for each reason (its from-statuses and group guard are the write's
 * condition); every partial refund is REFUND_PART. null: never a full refund.
 */
const FULL_REFUND_EVENT: Record<RefundReason, OrderEvent | null> = {
  CANCELLED_AFTER_PAY: 'CANCEL_PAID',
  LATE_PAYMENT: 'REFUND_LATE',
  GROUP_FAILED: 'GROUP_FAILED',
  GROUP_FULL: 'SEAT_REFUSED',
  GROUP_CLOSED: 'SEAT_REFUSED',
  GROUP_DUP: 'SEAT_REFUSED',
  // The rebate is an amount refund of an order that still ships.
  GROUP_LEADER: null,
  AFTER_SALE: 'REFUND_ALL',
  // A second payment goes back on its own transaction (refundSecondPayment), never as an order refund.
  DUPLICATE_PAYMENT: null,
};

export interface RefundRequest {
  reason: RefundReason;
  /** Omit (and omit amountFen) for a full refund of everything paid (shipping included). */
  lines?: { skuId: string; quantity: number }[];
  /**
   * An amount-only partial refund (no units returned, the order keeps its status and still ships), e.g. the
   * leader-free rebate. Bounded like every refund: the order's refunded total never passes what was paid.
   */
  amountFen?: number;
  /** Put the refunded units back on sale (false when stock was already released, e.g. a late payment). */
  restock: boolean;
  /** Distinguishes several partial refunds for the same reason (after-sales); full refunds use 0. */
  sequence?: number;
}

/**
 * Gives money back. The refund is recorded first, in one transaction that also moves the order's refunded total
 * under a condition (never above what was paid; one record per out_refund_no), then WeChat is asked. If WeChat cannot
 * be reached the record stays REFUNDING and reconciliation asks again with the same out_refund_no, which WeChat treats
 * as the same refund. Asking again for a refund whose last attempt ended CLOSED or ABNORMAL (its amount released)
 * starts the next attempt under a new out_refund_no (`refundAttemptNo`); asking again while an attempt is running or
 * paid returns that attempt. The order moves by the transition table's event for the reason (FULL_REFUND_EVENT).
 */
export async function requestRefund(orderId: string, req: RefundRequest, now: number): Promise<RefundItem> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const order = await orderRepo.get(orderId);
    if (!order) throw new DomainError('ORDER_NOT_FOUND');
    const base = outRefundNo(order.id, req.reason, req.sequence ?? 0);
    const latest = latestAttempt(await refundRepo.forOrder(order.id), base);
    if (latest && !latest.refund.released) return latest.refund;
    const no = refundAttemptNo(base, latest ? latest.attempt + 1 : 1);
    if (order.paidFen === null || !order.transactionId) throw new DomainError('ORDER_STATE_CONFLICT', '订单未支付，无需退款');
    const refund = planRefund(order, req, no, now);
    const result = await refundRepo.start({
      order,
      refund,
      event: refund.full ? fullRefundEvent(req.reason, order) : 'REFUND_PART',
      restock: req.restock ? restockMoves(order, refund) : [],
      // A cancelled order gave its coupons and quotas back when it was cancelled (a late payment's refund).
      returnPromotions: refund.full && order.status !== 'CANCELLED',
      note: `${REFUND_REASONS[req.reason]}，退款 ${(refund.amountFen / 100).toFixed(2)} 元`,
      now,
    });
    if (result.started) {
      await sendToWechat(order, result.refund);
      return (await refundRepo.forOrder(order.id)).find((r) => r.outRefundNo === no) ?? result.refund;
    }
    // DUPLICATE: a concurrent request created this very refund; STALE: the order changed, plan again on fresh numbers.
  }
  throw new DomainError('ORDER_STATE_CONFLICT', '退款处理繁忙，请稍后再试');
}

function fullRefundEvent(reason: RefundReason, order: OrderItem): OrderEvent {
  const event = FULL_REFUND_EVENT[reason];
  if (!event) throw new DomainError('VALIDATION_FAILED', '该退款只能按金额部分退回');
  // A payer refused a seat is FAILED already when the refund of that refusal ended unpaid (CLOSED/ABNORMAL, released):
  // the new attempt is the table's refund of a FAILED membership, not a second refusal of a PENDING one.
  if (event === 'SEAT_REFUSED' && order.group?.status === 'FAILED') return 'GROUP_FAILED';
  return event;
}

/** The newest attempt of the refund whose first out_refund_no is `base`. */
function latestAttempt(refunds: RefundItem[], base: string): { refund: RefundItem; attempt: number } | null {
  let latest: { refund: RefundItem; attempt: number } | null = null;
  for (const r of refunds) {
    const attempt = refundAttemptOf(base, r.outRefundNo);
    if (attempt !== null && (!latest || attempt > latest.attempt)) latest = { refund: r, attempt };
  }
  return latest;
}

function planRefund(order: OrderItem, req: RefundRequest, no: string, now: number): RefundItem {
  const base = { outRefundNo: no, orderId: order.id, userId: order.userId, reason: req.reason, status: 'REFUNDING' as const, refundId: null, createdAt: now, finishedAt: null, attempts: 0 };
  if (req.amountFen !== undefined) {
    if (req.lines) throw new DomainError('VALIDATION_FAILED', '退款金额与退款商品不能同时指定');
    if (!Number.isSafeInteger(req.amountFen) || req.amountFen < 1) throw new DomainError('VALIDATION_FAILED', '退款金额至少 1 分');
    if (req.amountFen > (order.paidFen ?? 0) - (order.refundedFen ?? 0)) throw new DomainError('ORDER_STATE_CONFLICT', '退款金额超过可退金额');
    return { ...base, amountFen: req.amountFen, lines: [], full: false };
  }
  if (!req.lines) {
    const amountFen = (order.paidFen ?? 0) - (order.refundedFen ?? 0);
    if (amountFen <= 0) throw new DomainError('ORDER_STATE_CONFLICT', '订单已全部退款');
    // A full refund covers every unit not yet refunded.
    const lines = order.lines
      .map((l) => {
        const done = order.refundedLines?.[l.skuId] ?? { quantity: 0, fen: 0 };
        return { skuId: l.skuId, quantity: l.quantity - done.quantity, amountFen: l.payableFen - done.fen };
      })
      .filter((l) => l.quantity > 0);
    return { ...base, amountFen, lines, full: true };
  }
  const plan = planLineRefund(
    order.lines.map((l) => ({
      skuId: l.skuId,
      quantity: l.quantity,
      payableFen: l.payableFen,
      refundedQuantity: order.refundedLines?.[l.skuId]?.quantity ?? 0,
      refundedFen: order.refundedLines?.[l.skuId]?.fen ?? 0,
    })),
    req.lines,
  );
  if (!plan.ok) throw new DomainError('VALIDATION_FAILED', plan.reason);
  return { ...base, amountFen: plan.amountFen, lines: plan.lines, full: false };
}

/** The refunded units back on sale; a full refund also brings the order's gifts back (one move per SKU). */
function restockMoves(order: OrderItem, refund: RefundItem): StockMove[] {
  const moves = refund.lines.map((l) => ({ productId: order.lines.find((x) => x.skuId === l.skuId)!.productId, skuId: l.skuId, quantity: l.quantity }));
  if (!refund.full) return moves;
  return heldStock({ lines: moves, gifts: order.gifts });
}

/** Asks WeChat to pay the refund; failures leave the record REFUNDING for reconciliation. */
async function sendToWechat(order: Pick<OrderItem, 'id' | 'paidFen' | 'userId'>, refund: RefundItem): Promise<void> {
  const pay = await wechatPay();
  try {
    await refundRepo.noteAttempt(refund.orderId, refund.outRefundNo);
    const state = await pay.refund({
      outTradeNo: outTradeNoFor(order.id),
      ...(refund.paymentTransactionId ? { transactionId: refund.paymentTransactionId } : {}),
      outRefundNo: refund.outRefundNo,
      reason: REFUND_REASONS[refund.reason as RefundReason] ?? refund.reason,
      refundFen: refund.amountFen,
      totalFen: order.paidFen ?? refund.amountFen,
    });
    await applyRefundState(refund, state.status, state.refundId, state.successTime ?? Date.now());
  } catch (e) {
    logger.warn('refund request not accepted yet; reconciliation will retry', { outRefundNo: refund.outRefundNo, error: e as Error });
  }
}

/**
 * Applies WeChat's answer about a refund (notification, query or the answer to 申请退款), once:
 * - SUCCESS of a running refund: REFUNDED (a full refund's order too);
 * - CLOSED / ABNORMAL of a running refund: the record ends so and the order gets the counted amount back
 *   (refundRepo.release), so the refund can be asked for again under a new out_refund_no;
 * - SUCCESS of a released refund (an ABNORMAL one resolved later): counted again if it still fits, otherwise recorded
 *   as paid twice for the daily report (refundRepo.recount).
 * true when it changed something; replays and stale answers change nothing.
 */
export async function applyRefundState(refund: RefundItem, status: string, refundId: string | null, now: number): Promise<boolean> {
  if (status === 'SUCCESS') {
    if (refund.status === 'REFUNDING') return refundRepo.finish(refund, { status: 'REFUNDED', refundId, now, userId: refund.userId });
    if (!refund.released || refund.status === 'REFUNDED') return false;
    const result = await refundRepo.recount(refund, { refundId, now });
    if (result === 'PAID_TWICE') {
      logger.error('refund paid by WeChat after another attempt already gave the same money back: paid twice', {
        outRefundNo: refund.outRefundNo,
        orderId: refund.orderId,
        amountFen: refund.amountFen,
      });
    }
    return result !== 'ALREADY';
  }
  if ((status === 'ABNORMAL' || status === 'CLOSED') && refund.status === 'REFUNDING') {
    const released = await refundRepo.release(refund, { status, refundId, now });
    if (released) {
      logger.error('refund ended unpaid at WeChat; amount released to the order', { outRefundNo: refund.outRefundNo, status, amountFen: refund.amountFen });
    }
    return released;
  }
  return false;
}

/**
 * An ABNORMAL refund (e.g. the buyer's card was closed) resolved by the merchant: WeChat pays it again to the card
 * named here (USER_BANK_CARD) or to the merchant's account for an offline transfer (MERCHANT_BANK_CARD), and reports
 * the outcome by the usual REFUND.* notification for the same out_refund_no.
 */
export async function resolveAbnormalRefund(
  orderId: string,
  outRefundNo: string,
  target: { type: 'MERCHANT_BANK_CARD' } | { type: 'USER_BANK_CARD'; bankType: string; bankAccount: string; realName: string },
): Promise<void> {
  const refund = (await refundRepo.forOrder(orderId)).find((r) => r.outRefundNo === outRefundNo);
  if (!refund) throw new DomainError('NOT_FOUND', '退款单不存在');
  if (refund.status !== 'ABNORMAL' || !refund.refundId) throw new DomainError('ORDER_STATE_CONFLICT', '只有退款异常的退款单可以处理');
  const pay = await wechatPay();
  await pay.applyAbnormalRefund({ refundId: refund.refundId, outRefundNo, ...target });
}

export type RefundNotifyOutcome = { status: 200; result: 'APPLIED' | 'ALREADY' | 'RECORDED' } | { status: 401; result: 'REJECTED'; reason: string };

/**
 * WeChat's refund result (REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED): verified and decrypted exactly like a
 * payment notification, then applied once (see applyRefundState; the records' conditions make replays no-ops).
 */
export async function settleRefundNotification(headers: Record<string, string | undefined>, rawBody: string, now: number): Promise<RefundNotifyOutcome> {
  const pay = await wechatPay();
  let n;
  try {
    n = pay.parseRefundNotification(headers, rawBody, now);
  } catch (e) {
    if ((e as Error).name === 'NotifyRejected') {
      logger.warn('refund notification rejected', { reason: (e as { reason?: string }).reason });
      return { status: 401, result: 'REJECTED', reason: String((e as { reason?: string }).reason) };
    }
    throw e;
  }
  const refund = (await refundRepo.forOrder(n.outTradeNo)).find((r) => r.outRefundNo === n.outRefundNo);
  if (!refund || refund.amountFen !== n.refundFen) {
    await paymentRepo.recordNotification(n.eventId, { ...n, receivedAt: now, outcome: refund ? 'REFUND_AMOUNT_MISMATCH' : 'UNKNOWN_REFUND' });
    logger.error('refund notification does not match a refund of ours', { outRefundNo: n.outRefundNo });
    return { status: 200, result: 'RECORDED' };
  }
  const applied = await applyRefundState(refund, n.refundStatus, n.refundId, n.successTime ?? now);
  return { status: 200, result: applied ? 'APPLIED' : 'ALREADY' };
}

/** Reconciliation: a refund WeChat never answered is asked about, and re-sent if WeChat has no record of it. */
export async function settleRefundFromWechat(refund: RefundItem, now: number): Promise<'applied' | 'resent' | 'pending'> {
  const pay = await wechatPay();
  try {
    const state = await pay.queryRefund(refund.outRefundNo);
    return (await applyRefundState(refund, state.status, state.refundId, state.successTime ?? now)) ? 'applied' : 'pending';
  } catch (e) {
    if (e instanceof DomainError && e.code === 'NOT_FOUND') {
      const order = await orderRepo.get(refund.orderId);
      if (order) await sendToWechat(order, refund);
      return 'resent';
    }
    throw e;
  }
}

/**
 * A payment owed back (its record says REFUND_DUE): a late payment whose stock was gone is the order's full refund
 * (REFUND_LATE, from CANCELLED); a second payment of a paid order is refunded on its own transaction. The refund is
 * deterministic per payment, so asking again (a redelivered stream record, reconciliation) is the same refund.
 */
export async function refundOwedPayment(payment: PaymentRecord, now: number): Promise<RefundItem> {
  const refund =
    payment.kind === 'SECOND'
      ? await refundSecondPayment(payment, now)
      : await requestRefund(payment.orderId, { reason: 'LATE_PAYMENT', restock: false }, now);
  await paymentRepo.markRefundStarted(payment.orderId, payment.transactionId, refund.outRefundNo);
  return refund;
}

/**
 * A second payment of an order already paid: its whole amount goes back on its own transaction (out_refund_no
 * derived from that transaction), without touching the order's own paid and refunded totals.
 */
async function refundSecondPayment(payment: PaymentRecord, now: number): Promise<RefundItem> {
  const no = `D${payment.transactionId}`.slice(0, 64);
  const existing = (await refundRepo.forOrder(payment.orderId)).find((r) => r.outRefundNo === no);
  if (existing) return existing;
  const refund: RefundItem = {
    outRefundNo: no,
    orderId: payment.orderId,
    userId: payment.userId,
    reason: 'DUPLICATE_PAYMENT',
    amountFen: payment.amountFen,
    lines: [],
    full: false,
    status: 'REFUNDING',
    refundId: null,
    createdAt: now,
    finishedAt: null,
    attempts: 0,
    paymentTransactionId: payment.transactionId,
  };
  const started = await refundRepo.startForPayment(refund, payment);
  const current = started ? refund : ((await refundRepo.forOrder(payment.orderId)).find((r) => r.outRefundNo === no) ?? refund);
  if (started) await sendToWechat({ id: payment.orderId, paidFen: payment.amountFen, userId: payment.userId }, refund);
  return current;
}

/** Refunds the shop owes by its own rules (not asked for by the shopper): tried again when WeChat closes one. */
const OWED_REASONS: ReadonlySet<string> = new Set<RefundReason>(['GROUP_FAILED', 'GROUP_FULL', 'GROUP_CLOSED', 'GROUP_DUP', 'LATE_PAYMENT']);

/**
 * A new attempt (new out_refund_no) of an owed refund that WeChat closed, while the order still owes it: a group order
 * back at PAID with its membership FAILED, or a cancelled order holding a payment. Returns whether one was started.
 */
export async function retryOwedRefund(closed: RefundItem, now: number): Promise<boolean> {
  if (!OWED_REASONS.has(closed.reason) || !closed.full) return false;
  const order = await orderRepo.get(closed.orderId);
  if (!order || order.paidFen === null || (order.refundedFen ?? 0) >= order.paidFen) return false;
  const owed = (order.status === 'PAID' && order.group?.status === 'FAILED') || (order.status === 'CANCELLED' && Boolean(order.transactionId));
  if (!owed) return false;
  await requestRefund(order.id, { reason: closed.reason as RefundReason, restock: closed.reason !== 'LATE_PAYMENT' }, now);
  return true;
}
