import { DomainError, outRefundNo, planLineRefund, type OrderStatus } from '@shop/shared';
import { logger } from '../lib/http';
import { heldStock, orderRepo, type OrderItem, type StockMove } from '../repositories/order-repo';
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
} as const;
export type RefundReason = keyof typeof REFUND_REASONS;

const FULL_REFUND_FROM: Record<RefundReason, OrderStatus[]> = {
  CANCELLED_AFTER_PAY: ['PAID'],
  LATE_PAYMENT: ['CANCELLED'],
  GROUP_FAILED: ['PAID'],
  GROUP_FULL: ['PAID'],
  GROUP_CLOSED: ['PAID'],
  GROUP_DUP: ['PAID'],
  // Never a full refund: the rebate is an amount refund of an order that still ships.
  GROUP_LEADER: [],
  AFTER_SALE: ['PAID', 'SHIPPED', 'COMPLETED'],
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
 * as the same refund.
 */
export async function requestRefund(orderId: string, req: RefundRequest, now: number): Promise<RefundItem> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const order = await orderRepo.get(orderId);
    if (!order) throw new DomainError('ORDER_NOT_FOUND');
    const no = outRefundNo(order.id, req.reason, req.sequence ?? 0);
    const existing = (await refundRepo.forOrder(order.id)).find((r) => r.outRefundNo === no);
    if (existing) return existing;
    if (order.paidFen === null || !order.transactionId) throw new DomainError('ORDER_STATE_CONFLICT', '订单未支付，无需退款');
    const refund = planRefund(order, req, no, now);
    const result = await refundRepo.start({
      order,
      refund,
      fromStatuses: refund.full ? FULL_REFUND_FROM[req.reason] : ['PAID', 'SHIPPED', 'COMPLETED'],
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
export async function sendToWechat(order: Pick<OrderItem, 'id' | 'paidFen' | 'userId'>, refund: RefundItem): Promise<void> {
  const pay = await wechatPay();
  try {
    await refundRepo.noteAttempt(refund.orderId, refund.outRefundNo);
    const state = await pay.refund({
      outTradeNo: outTradeNoFor(order.id),
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

/** Moves a refund to its final state from WeChat's answer (notification or query). */
export async function applyRefundState(refund: RefundItem, status: string, refundId: string | null, now: number): Promise<boolean> {
  if (status === 'SUCCESS') return refundRepo.finish(refund, { status: 'REFUNDED', refundId, now, userId: refund.userId });
  if (status === 'ABNORMAL' || status === 'CLOSED') {
    logger.error('refund failed at WeChat; needs an operator', { outRefundNo: refund.outRefundNo, status });
    return refundRepo.finish(refund, { status: 'REFUND_FAILED', refundId, now, userId: refund.userId });
  }
  return false;
}

export type RefundNotifyOutcome = { status: 200; result: 'APPLIED' | 'ALREADY' | 'RECORDED' } | { status: 401; result: 'REJECTED'; reason: string };

/**
 * WeChat's refund result (REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED): verified and decrypted exactly like a
 * payment notification, then applied to the refund record once (the record's status condition makes replays no-ops).
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
    await orderRepo.recordNotification(n.eventId, { ...n, receivedAt: now, outcome: refund ? 'REFUND_AMOUNT_MISMATCH' : 'UNKNOWN_REFUND' });
    logger.error('refund notification does not match a refund of ours', { outRefundNo: n.outRefundNo });
    return { status: 200, result: 'RECORDED' };
  }
  if (refund.status !== 'REFUNDING') return { status: 200, result: 'ALREADY' };
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
