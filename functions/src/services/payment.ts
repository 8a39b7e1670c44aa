import { DomainError, type PayOrderResponse, type SandboxPayRequest } from '@shop/shared';
import { config } from '../lib/config';
import { logger } from '../lib/http';
import { orderRepo, type OrderItem } from '../repositories/order-repo';
import { userRepo } from '../repositories/user-repo';
import { wechatPay } from '../providers/wechat-pay/index';
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
 * Before an unpaid order is cancelled, the WeChat side is closed so it can no longer be paid. If WeChat says it was
 * paid after all, the order is settled as paid instead of cancelled.
 */
export async function closeUnpaid(order: OrderItem, now: number): Promise<'closed' | 'paid' | 'no-prepay'> {
  if (!order.prepayId) return 'no-prepay';
  const pay = await wechatPay();
  const outTradeNo = outTradeNoFor(order.id);
  const state = await pay.queryByOutTradeNo(outTradeNo);
  if (state.tradeState === 'SUCCESS' && state.transactionId) {
    await orderRepo.markPaid(order, { transactionId: state.transactionId, paidAt: state.successTime ?? now, now });
    return 'paid';
  }
  if (state.tradeState !== 'CLOSED') await pay.close(outTradeNo);
  return 'closed';
}

export type NotifyOutcome =
  | { status: 200; result: 'PAID' | 'ALREADY_PAID' | 'RECORDED' }
  | { status: 401; result: 'REJECTED'; reason: string }
  | { status: 500; result: 'RETRY' };

function mismatch(n: TransactionNotification, order: OrderItem | null): string | null {
  const cfg = config();
  if (!order) return 'UNKNOWN_ORDER';
  if (n.appid !== cfg.wechat.appId) return 'APPID_MISMATCH';
  if (n.mchid !== cfg.wechat.mchId) return 'MCHID_MISMATCH';
  if (n.amountTotalFen !== order.payableFen || n.currency !== 'CNY') return 'AMOUNT_MISMATCH';
  return null;
}

/**
 * A WeChat Pay notification: verified over the raw body and decrypted by the provider, checked against the order
 * (amount, appid, mchid), then PENDING_PAYMENT → PAID by one conditional write. Replays and reordering are normal:
 * a repeated notification for a paid order is acknowledged without changing anything.
 */
export async function settleNotification(
  headers: Record<string, string | undefined>,
  rawBody: string,
  now: number,
): Promise<NotifyOutcome> {
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
    await orderRepo.recordNotification(n.eventId, { ...n, receivedAt: now, outcome: 'IGNORED_EVENT' });
    return { status: 200, result: 'RECORDED' };
  }
  const order = await orderRepo.get(n.outTradeNo);
  const problem = mismatch(n, order);
  if (problem || !order) {
    // Recorded durably before answering, so reconciliation can follow it up and WeChat may stop retrying.
    await orderRepo.recordNotification(n.eventId, { ...n, receivedAt: now, outcome: problem });
    logger.error('payment notification does not match its order', { outTradeNo: n.outTradeNo, problem });
    return { status: 200, result: 'RECORDED' };
  }
  if (order.status === 'PENDING_PAYMENT') {
    const paid = await orderRepo.markPaid(order, { transactionId: n.transactionId, paidAt: n.successTime ?? now, now });
    if (paid) return { status: 200, result: 'PAID' };
  }
  const latest = (await orderRepo.get(order.id))!;
  if (latest.status !== 'PENDING_PAYMENT' && latest.transactionId === n.transactionId) {
    return { status: 200, result: 'ALREADY_PAID' };
  }
  // Paid after the order was cancelled (late notification): recorded for reconciliation and refund.
  await orderRepo.recordNotification(n.eventId, { ...n, receivedAt: now, outcome: `LATE_${latest.status}` });
  logger.error('payment arrived for an order that is no longer payable', { orderId: order.id, status: latest.status });
  return { status: 200, result: 'RECORDED' };
}

/** Local stage: the 模拟支付 sheet pays (or abandons) a sandbox prepay of the shopper's own order. */
export async function sandboxPay(userId: string, req: SandboxPayRequest, now: number) {
  const pay = await wechatPay();
  if (!('simulateUserPayment' in pay)) throw new DomainError('SANDBOX_DISABLED');
  const user = await userRepo.get(userId);
  if (!user) throw new DomainError('UNAUTHORIZED');
  return (pay as unknown as SandboxPayer).simulateUserPayment(req.prepayId, req.action, now, user.openid);
}

interface SandboxPayer {
  simulateUserPayment(
    prepayId: string,
    action: 'pay' | 'cancel',
    nowMs: number,
    payerOpenid?: string,
  ): Promise<{ delivered: boolean; notifyStatus: number | null }>;
}
