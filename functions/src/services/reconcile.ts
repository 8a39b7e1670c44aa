import { logger } from '../lib/http';
import { orderRepo, type OrderItem } from '../repositories/order-repo';
import { refundRepo } from '../repositories/refund-repo';
import { wechatPay } from '../providers/wechat-pay/index';
import { outTradeNoFor } from '../providers/wechat-pay/v3-crypto';
import { settleFromWechat, sweepExpiredOrders } from './payment';
import { settleRefundFromWechat } from './refunds';

/** How long a prepay or a refund may go without WeChat's notification before we ask WeChat ourselves. */
export const QUIET_PREPAY_MS = 5 * 60 * 1000;
export const QUIET_REFUND_MS = 10 * 60 * 1000;
const FAR_FUTURE = 8_640_000_000_000;

export interface ReconcileSummary {
  timeouts: Record<string, number>;
  prepaysChecked: number;
  prepaysPaid: number;
  refundsChecked: number;
  refundsSettled: number;
  refundsResent: number;
  failures: number;
}

/**
 * Converges every unsettled order and refund to the truth at WeChat: unpaid orders past their deadline are closed
 * (or found paid), prepays that never got a notification are queried, refunds without an answer are queried and
 * re-sent when WeChat never received them. Safe to run at any time and any number of times.
 */
export async function reconcile(now: number): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { timeouts: await sweepExpiredOrders(now), prepaysChecked: 0, prepaysPaid: 0, refundsChecked: 0, refundsSettled: 0, refundsResent: 0, failures: 0 };
  const unpaid = await orderRepo.dueForPayment(FAR_FUTURE, 1000);
  for (const o of unpaid) {
    if (o.prepayCreatedAt === null || now - o.prepayCreatedAt < QUIET_PREPAY_MS) continue;
    summary.prepaysChecked += 1;
    try {
      if ((await settleFromWechat(o.orderId, now)) === 'paid') summary.prepaysPaid += 1;
    } catch (e) {
      summary.failures += 1;
      logger.error('reconcile: prepay query failed', { orderId: o.orderId, error: e as Error });
    }
  }
  for (const refund of await refundRepo.pendingBefore(now - QUIET_REFUND_MS, 1000)) {
    summary.refundsChecked += 1;
    try {
      const r = await settleRefundFromWechat(refund, now);
      if (r === 'applied') summary.refundsSettled += 1;
      if (r === 'resent') summary.refundsResent += 1;
    } catch (e) {
      summary.failures += 1;
      logger.error('reconcile: refund query failed', { outRefundNo: refund.outRefundNo, error: e as Error });
    }
  }
  return summary;
}

export interface Mismatch {
  orderId: string;
  ours: string;
  theirs: string;
  kind: 'PAID_AT_WECHAT_ONLY' | 'PAID_HERE_ONLY' | 'AMOUNT' | 'REFUND_FAILED' | 'NOTIFICATION' | 'QUERY_FAILED';
  detail?: string;
}

const PAID_HERE = new Set(['PAID', 'SHIPPED', 'COMPLETED', 'REFUNDING', 'REFUNDED']);
const PAID_THERE = new Set(['SUCCESS', 'REFUND']);

function compare(order: OrderItem, tradeState: string, amount: number | null): Mismatch | null {
  const here = PAID_HERE.has(order.status);
  const there = PAID_THERE.has(tradeState);
  if (there && !here) return { orderId: order.id, ours: order.status, theirs: tradeState, kind: 'PAID_AT_WECHAT_ONLY' };
  if (here && !there) return { orderId: order.id, ours: order.status, theirs: tradeState, kind: 'PAID_HERE_ONLY' };
  if (here && there && amount !== null && amount !== order.paidFen) {
    return { orderId: order.id, ours: `${order.paidFen}`, theirs: `${amount}`, kind: 'AMOUNT' };
  }
  return null;
}

/**
 * The daily report: every order created that day that reached WeChat is compared with WeChat's view, and every
 * notification we could not match and every refund WeChat refused is listed. Stored in the table and returned as
 * JSON plus a readable summary.
 */
export async function dailyReport(day: string, now: number): Promise<{ report: Record<string, unknown>; summary: string }> {
  const pay = await wechatPay();
  const orders = await orderRepo.createdOn(day);
  const mismatches: Mismatch[] = [];
  let checked = 0;
  for (const order of orders) {
    if (!order.prepayId) continue;
    checked += 1;
    try {
      const state = await pay.queryByOutTradeNo(outTradeNoFor(order.id));
      const m = compare(order, state.tradeState, state.amountTotalFen);
      if (m) mismatches.push(m);
    } catch (e) {
      mismatches.push({ orderId: order.id, ours: order.status, theirs: 'UNKNOWN', kind: 'QUERY_FAILED', detail: (e as Error).message });
    }
    if (order.refundedFen) {
      for (const r of await refundRepo.forOrder(order.id)) {
        if (r.status === 'REFUND_FAILED') mismatches.push({ orderId: order.id, ours: 'REFUND_FAILED', theirs: 'ABNORMAL', kind: 'REFUND_FAILED', detail: r.outRefundNo });
      }
    }
  }
  for (const n of await orderRepo.notificationsOn(day)) {
    if (typeof n.outcome === 'string' && n.outcome !== 'IGNORED_EVENT') {
      mismatches.push({ orderId: String(n.outTradeNo ?? ''), ours: '-', theirs: String(n.transactionId ?? n.refundId ?? ''), kind: 'NOTIFICATION', detail: n.outcome });
    }
  }
  const report = { day, generatedAt: now, ordersCreated: orders.length, ordersChecked: checked, mismatchCount: mismatches.length, mismatches };
  await orderRepo.putReport(day, report);
  const lines = [
    `对账日报 ${day}: 当日订单 ${orders.length} 笔，向微信支付核对 ${checked} 笔，差异 ${mismatches.length} 条。`,
    ...mismatches.map((m) => `- [${m.kind}] 订单 ${m.orderId}: 本系统 ${m.ours} / 微信 ${m.theirs}${m.detail ? ` (${m.detail})` : ''}`),
  ];
  return { report, summary: lines.join('\n') };
}
