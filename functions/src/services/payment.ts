import { DomainError, allows, type PayOrderResponse, type SandboxPayRequest } from '@shop/shared';
import { config } from '../lib/config';
import { logger } from '../lib/http';
import { orderRepo, type MoveResult } from '../repositories/order-repo';
import type { OrderItem } from '../domain/order';
import { paymentRepo, type PaymentRecord } from '../repositories/payment-repo';
import { userRepo } from '../repositories/user-repo';
import { sandboxWechatPay, wechatPay } from '../providers/wechat-pay/index';
import { NotifyRejected, type TransactionNotification } from '../providers/wechat-pay/types';
import { outTradeNoFor } from '../providers/wechat-pay/v3-crypto';

/** A prepay_id lives 2 hours at WeChat; reuse ours while it has comfortably more than the order has left. */
const PREPAY_REUSE_MS = 110 * 60 * 1000;

function description(order: OrderItem): string {
  const first = order.lines[0]?.title ?? '商品';
  return order.lines.length > 1 ? `${first}等${order.itemCount}件商品` : first;
}

/**
 * Opens (or reopens) the WeChat prepay for an unpaid order and signs the parameters for wx.requestPayment.
 * The deadline is enforced here too, so paying late is refused even if the timeout has not run yet.
 */
export async function payOrder(userId: string, orderId: string, now: number): Promise<PayOrderResponse> {
  const order = await orderRepo.get(orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  if (order.status !== 'PENDING_PAYMENT') throw new DomainError('ORDER_STATE_CONFLICT', '订单无需支付');
  if (now >= order.deadlineAt) throw new DomainError('PAYMENT_EXPIRED');
  const pay = await wechatPay();
  let prepayId: string;
  if (order.prepayId && order.prepayCreatedAt && now - order.prepayCreatedAt <= PREPAY_REUSE_MS) {
    prepayId = order.prepayId;
  } else {
    const user = await userRepo.get(userId);
    if (!user) throw new DomainError('UNAUTHORIZED');
    ({ prepayId } = await pay.createJsapiPrepay({
      outTradeNo: outTradeNoFor(order.id),
      description: description(order),
      amountFen: order.payableFen,
      payerOpenid: user.openid,
      timeExpireAt: order.deadlineAt,
    }));
    if (!(await orderRepo.setPrepay(order.id, prepayId, now))) throw new DomainError('ORDER_STATE_CONFLICT');
  }
  return {
    orderId: order.id,
    prepayId,
    mode: pay.mode,
    params: pay.paymentParams(prepayId, now),
    payableFen: order.payableFen,
    deadlineAt: order.deadlineAt,
  };
}

/**
 * Asks WeChat about an order and settles it through the same function as a notification when WeChat says it was
 * paid (used when closing, by reconciliation and when the shopper comes back from paying).
 */
async function settleFromQuery(order: OrderItem, now: number): Promise<'paid' | 'unpaid'> {
  const state = await (await wechatPay()).queryByOutTradeNo(outTradeNoFor(order.id));
  if ((state.tradeState === 'SUCCESS' || state.tradeState === 'REFUND') && state.transactionId) {
    const result = await settlePayment(
      {
        eventId: `QUERY#${state.transactionId}`,
        source: 'query',
        outTradeNo: state.outTradeNo,
        transactionId: state.transactionId,
        appid: state.appid ?? '',
        mchid: state.mchid ?? '',
        amountTotalFen: state.amountTotalFen ?? -1,
        currency: state.currency ?? '',
        successTime: state.successTime,
      },
      now,
    );
    return result === 'RECORDED' ? 'unpaid' : 'paid';
  }
  return 'unpaid';
}

/**
 * Before an unpaid order is cancelled, the WeChat side is closed so it can no longer be paid. If WeChat says it was
 * paid after all (before or during the close), the order is settled as paid instead of cancelled.
 */
export async function closeUnpaid(order: OrderItem, now: number): Promise<'closed' | 'paid' | 'no-prepay'> {
  if (!order.prepayId) return 'no-prepay';
  if ((await settleFromQuery(order, now)) === 'paid') return 'paid';
  try {
    await (await wechatPay()).close(outTradeNoFor(order.id));
  } catch (e) {
    // Paid between our query and the close: WeChat answers ORDERPAID.
    if (e instanceof DomainError && e.details?.wechatCode === 'ORDERPAID' && (await settleFromQuery(order, now)) === 'paid') return 'paid';
    throw e;
  }
  return 'closed';
}

/**
 * Closes an unpaid order whose payment deadline has passed: never before the deadline (checked here and again in
 * the write), the WeChat order closed first, then status and stock in one transaction. Running it twice, or at the
 * same time as the shopper cancels or pays, changes nothing more.
 */
export async function expireOrder(orderId: string, now: number): Promise<'cancelled' | 'paid' | 'not_due' | 'noop'> {
  const order = await orderRepo.get(orderId);
  if (!order || order.status !== 'PENDING_PAYMENT') return 'noop';
  if (now < order.deadlineAt) return 'not_due';
  if ((await closeUnpaid(order, now)) === 'paid') return 'paid';
  const done = await orderRepo.cancel(order, 'TIMEOUT', { reason: 'TIMEOUT', now });
  return done ? 'cancelled' : 'noop';
}

/** The safety net behind the exact per-order trigger: every unpaid order past its deadline. */
export async function sweepExpiredOrders(now: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = { cancelled: 0, paid: 0, not_due: 0, noop: 0, failed: 0 };
  for (;;) {
    const due = await orderRepo.dueForPayment(now, 100);
    if (due.length === 0) break;
    const results = await Promise.allSettled(due.map((d) => expireOrder(d.orderId, now)));
    for (const r of results) counts[r.status === 'fulfilled' ? r.value : 'failed'] += 1;
    for (const r of results) if (r.status === 'rejected') logger.error('order timeout failed', { error: r.reason as Error });
    // Whatever could not be settled this round stays in the index; the next run tries again.
    if (due.length < 100 || results.every((r) => r.status === 'rejected' || r.value !== 'cancelled')) break;
  }
  return counts;
}

type SettleResult = 'PAID' | 'ALREADY_PAID' | 'PAID_LATE' | 'REFUNDING_LATE' | 'REFUNDING_DUPLICATE' | 'RECORDED';

/** A payment WeChat confirmed, by a verified notification or by its order query: both are settled the same way. */
interface ConfirmedPayment {
  eventId: string;
  source: 'notify' | 'query';
  outTradeNo: string;
  transactionId: string;
  appid: string;
  mchid: string;
  amountTotalFen: number;
  currency: string;
  successTime: number | null;
}

/** What must match before a payment touches an order (the same checks for a notification and a query). */
function mismatch(p: ConfirmedPayment, order: OrderItem | null): string | null {
  const cfg = config();
  if (!order) return 'UNKNOWN_ORDER';
  if (p.appid !== cfg.wechat.appId) return 'APPID_MISMATCH';
  if (p.mchid !== cfg.wechat.mchId) return 'MCHID_MISMATCH';
  if (p.amountTotalFen !== order.payableFen || p.currency !== 'CNY') return 'AMOUNT_MISMATCH';
  return null;
}

/**
 * THE settlement of a confirmed payment: one read of the order, then one conditional transaction that moves it by
 * the transition table and creates the payment's record (keyed by the transaction id, so a replay fails by itself):
 * - unpaid order → PAY;
 * - cancelled before the money came → PAY_LATE (everything taken again) or, when something is gone,
 *   PAY_LATE_UNAVAILABLE (money recorded, owed back);
 * - already paid by another transaction → SECOND_PAYMENT (owed back).
 * Refunds of money owed back, group seats and notices follow from the table's stream, off this path.
 */
async function settlePayment(p: ConfirmedPayment, now: number, known?: OrderItem | null): Promise<SettleResult> {
  let order = known === undefined ? await orderRepo.get(p.outTradeNo) : known;
  const problem = mismatch(p, order);
  if (problem || !order) {
    await paymentRepo.recordNotification(p.eventId, { ...p, receivedAt: now, outcome: problem });
    logger.error('payment does not match its order', { outTradeNo: p.outTradeNo, problem, source: p.source });
    return 'RECORDED';
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    if (order.transactionId === p.transactionId) return order.paidLate ? 'PAID_LATE' : order.status === 'CANCELLED' || order.status === 'REFUNDING' || order.status === 'REFUNDED' ? 'REFUNDING_LATE' : 'ALREADY_PAID';
    const record = (kind: PaymentRecord['kind'], disposition: PaymentRecord['disposition']): PaymentRecord => ({
      orderId: order!.id,
      userId: order!.userId,
      transactionId: p.transactionId,
      amountFen: p.amountTotalFen,
      kind,
      disposition,
      source: p.source,
      successTime: p.successTime,
      receivedAt: now,
      outRefundNo: null,
    });
    let result: MoveResult | 'unavailable';
    let settled: SettleResult;
    if (allows('PAY', order)) {
      result = await orderRepo.pay(order, record('FIRST', 'KEPT'), now);
      settled = 'PAID';
    } else if (allows('PAY_LATE', order)) {
      result = await orderRepo.payLate(order, record('LATE', 'KEPT'), now);
      settled = 'PAID_LATE';
      if (result === 'unavailable') {
        result = await orderRepo.recordLatePayment(order, record('LATE', 'REFUND_DUE'), now);
        settled = 'REFUNDING_LATE';
      }
    } else if (allows('SECOND_PAYMENT', order)) {
      result = await orderRepo.recordSecondPayment(order, record('SECOND', 'REFUND_DUE'), now);
      settled = 'REFUNDING_DUPLICATE';
      logger.warn('a second payment for an order: it is refunded', { orderId: order.id, transactionId: p.transactionId });
    } else {
      await paymentRepo.recordNotification(p.eventId, { ...p, receivedAt: now, outcome: `UNEXPECTED_${order.status}` });
      logger.error('payment for an order in an unexpected state', { orderId: order.id, status: order.status });
      return 'RECORDED';
    }
    if (result === 'applied') return settled;
    if (result === 'replayed') {
      // The same transaction was settled meanwhile (a duplicate delivered at the same moment).
      const kept = (await paymentRepo.forOrder(order.id)).find((x) => x.transactionId === p.transactionId);
      return kept?.kind === 'SECOND' ? 'REFUNDING_DUPLICATE' : kept?.kind === 'LATE' ? (kept.disposition === 'KEPT' ? 'PAID_LATE' : 'REFUNDING_LATE') : 'ALREADY_PAID';
    }
    // The order moved between the read and the write (cancel, timeout, another payment): decide again.
    order = (await orderRepo.get(order.id))!;
  }
  throw new DomainError('RATE_LIMITED', '订单状态变化频繁，请稍后再试');
}

export type NotifyOutcome =
  | { status: 200; result: SettleResult | 'IGNORED' }
  | { status: 401; result: 'REJECTED'; reason: string };

/**
 * A WeChat Pay notification: verified over the raw body and decrypted by the provider, then settled by
 * settlePayment. The answer goes back after that one transaction; anything that fails answers 500 so WeChat retries.
 */
export async function settleNotification(headers: Record<string, string | undefined>, rawBody: string, now: number): Promise<NotifyOutcome> {
  const pay = await wechatPay();
  let n: TransactionNotification;
  try {
    n = pay.parseNotification(headers, rawBody, now);
  } catch (e) {
    if (e instanceof NotifyRejected) {
      logger.warn('payment notification rejected', { reason: e.reason });
      return { status: 401, result: 'REJECTED', reason: e.reason };
    }
    throw e;
  }
  if (n.eventType !== 'TRANSACTION.SUCCESS' || n.tradeState !== 'SUCCESS') {
    await paymentRepo.recordNotification(n.eventId, { ...n, receivedAt: now, outcome: 'IGNORED_EVENT' });
    return { status: 200, result: 'IGNORED' };
  }
  const result = await settlePayment(
    {
      eventId: n.eventId,
      source: 'notify',
      outTradeNo: n.outTradeNo,
      transactionId: n.transactionId,
      appid: n.appid,
      mchid: n.mchid,
      amountTotalFen: n.amountTotalFen,
      currency: n.currency,
      successTime: n.successTime,
    },
    now,
  );
  return { status: 200, result };
}

/** Reconciliation: an unpaid order with a prepay but no notification is asked about at WeChat. */
export async function settleFromWechat(orderId: string, now: number): Promise<'paid' | 'unpaid' | 'noop'> {
  const order = await orderRepo.get(orderId);
  if (!order || !order.prepayId || !['PENDING_PAYMENT', 'CANCELLED'].includes(order.status)) return 'noop';
  return settleFromQuery(order, now);
}

/** Local stage: the 模拟支付 sheet pays (or abandons) a sandbox prepay; only the prepay's own payer may. */
export async function sandboxPay(userId: string, req: SandboxPayRequest, now: number) {
  const sandbox = await sandboxWechatPay();
  const user = await userRepo.get(userId);
  if (!user) throw new DomainError('UNAUTHORIZED');
  return sandbox.simulateUserPayment(req.prepayId, req.action, now, user.openid);
}
