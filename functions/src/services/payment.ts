import { makeIdempotent, IdempotencyConfig, IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DomainError, type PayOrderResponse, type SandboxPayRequest } from '@shop/shared';
import { config } from '../lib/config';
import { rawClient, table } from '../lib/dynamo';
import { logger } from '../lib/http';
import { keys } from '../repositories/keys';
import { orderRepo, type OrderItem } from '../repositories/order-repo';
import { userRepo } from '../repositories/user-repo';
import { sandboxWechatPay, wechatPay } from '../providers/wechat-pay/index';
import { NotifyRejected, type TransactionNotification } from '../providers/wechat-pay/types';
import { outTradeNoFor } from '../providers/wechat-pay/v3-crypto';
import { requestRefund } from './refunds';
import { onGroupOrderPaid } from './groups';

/** A prepay_id lives 2 hours at WeChat; reuse ours while it has comfortably more than the order has left. */
const PREPAY_REUSE_MS = 110 * 60 * 1000;
/** WeChat retries a notification for about 24 hours; its idempotency record outlives that. */
export const NOTIFICATION_RECORD_SECONDS = 2 * 24 * 3600;

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

/** Settles an order as paid from WeChat's own query (used when closing and by reconciliation). */
async function settleFromQuery(order: OrderItem, now: number): Promise<'paid' | 'unpaid'> {
  const state = await (await wechatPay()).queryByOutTradeNo(outTradeNoFor(order.id));
  if ((state.tradeState === 'SUCCESS' || state.tradeState === 'REFUND') && state.transactionId) {
    await settleTransaction({
      eventKey: `TRANSACTION#${state.transactionId}`,
      outTradeNo: order.id,
      transactionId: state.transactionId,
      amountTotalFen: state.amountTotalFen ?? order.payableFen,
      successTime: state.successTime,
      now,
    });
    return 'paid';
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
  const done = await orderRepo.cancel(order, { reason: 'TIMEOUT', note: '超时未支付，订单已自动关闭', now, onlyAfterDeadline: true });
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

export type SettleResult = 'PAID' | 'ALREADY_PAID' | 'PAID_LATE' | 'REFUNDING_LATE' | 'RECORDED';

interface SettleInput {
  /** What the idempotency record is keyed by: one WeChat transaction is settled once. */
  eventKey: string;
  outTradeNo: string;
  transactionId: string;
  amountTotalFen: number;
  successTime: number | null;
  now: number;
  /** The order as just read by the caller (saves a read); re-read whenever a condition says it moved. */
  order?: OrderItem;
}

/**
 * Applies a WeChat transaction that is known to be paid:
 * - unpaid order → PAID (conditional on PENDING_PAYMENT);
 * - the order was cancelled meanwhile (late payment) → reserve its stock again and mark it PAID, all or nothing;
 *   when the stock is gone, record the money and refund it in full, automatically.
 */
async function settleTransaction(input: SettleInput): Promise<SettleResult> {
  const result = await settleOrder(input);
  // A group order's seat is claimed now that the payment is confirmed (repeatable: a retry finishes what a crash left).
  if (['PAID', 'ALREADY_PAID', 'PAID_LATE'].includes(result)) {
    const order = await orderRepo.get(input.outTradeNo);
    if (order?.group && order.status === 'PAID' && order.group.status === 'PENDING') await onGroupOrderPaid(order.id, input.now);
  }
  return result;
}

async function settleOrder(input: SettleInput): Promise<SettleResult> {
  const order = input.order ?? (await orderRepo.get(input.outTradeNo));
  if (!order) return 'RECORDED';
  const paid = { transactionId: input.transactionId, paidAt: input.successTime ?? input.now, paidFen: input.amountTotalFen, now: input.now };
  if (order.status === 'PENDING_PAYMENT' && (await orderRepo.markPaid(order, paid))) return 'PAID';
  const latest = (await orderRepo.get(order.id))!;
  if (latest.transactionId === input.transactionId && latest.status !== 'CANCELLED') {
    return latest.timeline.some((t) => t.note.startsWith('订单关闭后收到付款')) ? 'PAID_LATE' : 'ALREADY_PAID';
  }
  if (latest.status === 'CANCELLED') {
    const reserved = await orderRepo.reserveLatePayment(latest, paid);
    if (reserved === 'reserved') return 'PAID_LATE';
    if (reserved === 'unavailable' || latest.transactionId === input.transactionId) {
      await orderRepo.recordLatePayment(latest, paid);
      await requestRefund(latest.id, { reason: 'LATE_PAYMENT', restock: false }, input.now);
      return 'REFUNDING_LATE';
    }
    return settleOrder({ ...input, order: undefined });
  }
  // Paid twice for one order cannot happen at WeChat (one out_trade_no, one payment); if it ever does, a person looks.
  await orderRepo.recordNotification(input.eventKey, { ...input, outcome: `UNEXPECTED_${latest.status}` });
  logger.error('payment for an order in an unexpected state', { orderId: order.id, status: latest.status });
  return 'RECORDED';
}

let settleOnce: ((input: SettleInput) => Promise<SettleResult>) | undefined;
const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: 'eventKey', expiresAfterSeconds: NOTIFICATION_RECORD_SECONDS });

/** Lets the idempotency record know how long this invocation may run (an in-progress record expires with it). */
export function registerInvocation(context: unknown): void {
  if (context && typeof (context as { getRemainingTimeInMillis?: unknown }).getRemainingTimeInMillis === 'function') {
    idempotencyConfig.registerLambdaContext(context as never);
  }
}

/** settleTransaction behind a Powertools Idempotency record in the table, keyed by the WeChat transaction. */
function idempotentSettle(): (input: SettleInput) => Promise<SettleResult> {
  settleOnce ??= makeIdempotent(settleTransaction, {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: table(),
      keyAttr: 'PK',
      sortKeyAttr: 'SK',
      staticPkValue: keys.idempotencyPartition,
      expiryAttr: 'ttl',
      awsSdkV3Client: rawClient(),
    }),
    config: idempotencyConfig,
  });
  return settleOnce;
}
export function resetPaymentState(): void {
  settleOnce = undefined;
}

/** Duplicates delivered at the same moment wait briefly for the first to finish instead of failing outright. */
async function settleWithWait(input: SettleInput): Promise<SettleResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await idempotentSettle()(input);
    } catch (e) {
      if (!(e instanceof IdempotencyAlreadyInProgressError) || attempt >= 15) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

export type NotifyOutcome =
  | { status: 200; result: SettleResult | 'IGNORED' }
  | { status: 401; result: 'REJECTED'; reason: string };

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
 * (amount, appid, mchid), then settled once per transaction. Unknown or mismatching notifications are recorded
 * durably before WeChat is told to stop retrying; anything that fails makes the handler answer 500 so WeChat retries.
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
    await orderRepo.recordNotification(n.eventId, { ...n, receivedAt: now, outcome: 'IGNORED_EVENT' });
    return { status: 200, result: 'IGNORED' };
  }
  const order = await orderRepo.get(n.outTradeNo);
  const problem = mismatch(n, order);
  if (problem) {
    await orderRepo.recordNotification(n.eventId, { ...n, receivedAt: now, outcome: problem });
    logger.error('payment notification does not match its order', { outTradeNo: n.outTradeNo, problem });
    return { status: 200, result: 'RECORDED' };
  }
  const result = await settleWithWait({
    eventKey: `TRANSACTION#${n.transactionId}`,
    outTradeNo: n.outTradeNo,
    transactionId: n.transactionId,
    amountTotalFen: n.amountTotalFen,
    successTime: n.successTime,
    now,
    order: order!,
  });
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
