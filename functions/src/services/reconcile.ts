import { logger } from '../lib/http';
import { orderRepo } from '../repositories/order-repo';
import type { OrderItem } from '../domain/order';
import { paymentRepo, type PaymentRecord } from '../repositories/payment-repo';
import { refundRepo, type RefundItem } from '../repositories/refund-repo';
import { wechatPay } from '../providers/wechat-pay/index';
import { outTradeNoFor } from '../providers/wechat-pay/v3-crypto';
import { settleFromWechat, sweepExpiredOrders } from './payment';
import { applyRefundState, refundOwedPayment, settleRefundFromWechat } from './refunds';

/** How long a prepay or a refund may go without WeChat's notification before we ask WeChat ourselves. */
const QUIET_PREPAY_MS = 5 * 60 * 1000;
const QUIET_REFUND_MS = 10 * 60 * 1000;
/** How long a payment owed back may wait for its refund (normally started from the table stream within seconds). */
const QUIET_OWED_MS = 5 * 60 * 1000;
const FAR_FUTURE = 8_640_000_000_000;
/** How many days back reconciliation keeps asking WeChat about ABNORMAL refunds (a resolution may pay them later). */
const ABNORMAL_WATCH_DAYS = 7;
const DAY_MS = 24 * 3600_000;

export interface ReconcileSummary {
  timeouts: Record<string, number>;
  prepaysChecked: number;
  prepaysPaid: number;
  refundsChecked: number;
  refundsSettled: number;
  refundsResent: number;
  /** ABNORMAL refunds asked about again, and those WeChat has paid since (counted again, or paid twice). */
  abnormalChecked: number;
  abnormalPaid: number;
  /** Payments owed back (late or second payments) that had no refund yet, and those refunded now. */
  owedChecked: number;
  owedRefunded: number;
  failures: number;
}

/**
 * Converges every unsettled order and refund to the truth at WeChat: unpaid orders past their deadline are closed
 * (or found paid), prepays that never got a notification are queried, refunds without an answer are queried and
 * re-sent when WeChat never received them. Safe to run at any time and any number of times.
 */
export async function reconcile(now: number): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { timeouts: await sweepExpiredOrders(now), prepaysChecked: 0, prepaysPaid: 0, refundsChecked: 0, refundsSettled: 0, refundsResent: 0, abnormalChecked: 0, abnormalPaid: 0, owedChecked: 0, owedRefunded: 0, failures: 0 };
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
  await recheckAbnormalRefunds(now, summary);
  await refundOwedPayments(now, summary);
  return summary;
}

/**
 * Every payment owed back (paid after its order closed with the stock gone, or a second payment of a paid order) whose
 * refund does not exist after a few minutes: its stream reaction failed or never ran. The refund is deterministic per
 * payment, so this and a late reaction start the same refund once.
 */
async function refundOwedPayments(now: number, summary: ReconcileSummary): Promise<void> {
  for (const payment of await paymentRepo.refundsDue(now - QUIET_OWED_MS, 1000)) {
    summary.owedChecked += 1;
    try {
      await refundOwedPayment(payment, now);
      summary.owedRefunded += 1;
    } catch (e) {
      summary.failures += 1;
      logger.error('reconcile: refund of a payment owed back failed', { orderId: payment.orderId, transactionId: payment.transactionId, error: e as Error });
    }
  }
}

/**
 * ABNORMAL refunds of the last days are asked about again: once the merchant resolved one (apply-abnormal-refund, or
 * on the merchant platform) WeChat pays it under the same out_refund_no, and a lost REFUND.SUCCESS must not leave it
 * uncounted (or an unnoticed double refund).
 */
async function recheckAbnormalRefunds(now: number, summary: ReconcileSummary): Promise<void> {
  const pay = await wechatPay();
  for (let d = 0; d < ABNORMAL_WATCH_DAYS; d++) {
    const day = new Date(now - d * DAY_MS).toISOString().slice(0, 10);
    for (const refund of await refundRepo.exceptionsOn(day)) {
      if (refund.status !== 'ABNORMAL') continue;
      summary.abnormalChecked += 1;
      try {
        const state = await pay.queryRefund(refund.outRefundNo);
        if (state.status === 'SUCCESS' && (await applyRefundState(refund, state.status, state.refundId, state.successTime ?? now))) summary.abnormalPaid += 1;
      } catch (e) {
        summary.failures += 1;
        logger.error('reconcile: abnormal refund query failed', { outRefundNo: refund.outRefundNo, error: e as Error });
      }
    }
  }
}

interface Mismatch {
  orderId: string;
  ours: string;
  theirs: string;
  kind: 'PAID_AT_WECHAT_ONLY' | 'PAID_HERE_ONLY' | 'AMOUNT' | 'REFUND_FAILED' | 'REFUND_TWICE' | 'NOTIFICATION' | 'QUERY_FAILED' | 'PAYMENT_OWED';
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

/** One part of the daily report: its JSON fields, its differences, and its lines for the readable summary. */
interface ReportSection {
  fields: Record<string, unknown>;
  mismatches: Mismatch[];
  /** Short clauses for the 对账日报 headline (e.g. "退款关闭 1 笔 12.00 元"). */
  headline: string[];
  lines: string[];
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Orders created that day that reached WeChat, each compared with WeChat's own query. */
async function ordersSection(day: string): Promise<ReportSection> {
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
      // Records from before CLOSED and ABNORMAL were told apart.
      for (const r of await refundRepo.forOrder(order.id)) {
        if (r.status === 'REFUND_FAILED') mismatches.push({ orderId: order.id, ours: 'REFUND_FAILED', theirs: 'ABNORMAL', kind: 'REFUND_FAILED', detail: r.outRefundNo });
      }
    }
  }
  return {
    fields: { ordersCreated: orders.length, ordersChecked: checked },
    mismatches,
    headline: [`当日订单 ${orders.length} 笔，向微信支付核对 ${checked} 笔`],
    lines: [],
  };
}

interface RefundExceptionEntry {
  orderId: string;
  outRefundNo: string;
  reason: string;
  amountFen: number;
  /** CLOSED / ABNORMAL: ended unpaid (amount released to the order); PAID_TWICE: WeChat paid it after another attempt
   * had already given the same money back; RESOLVED: ended ABNORMAL that day and WeChat paid it later (counted). */
  kind: 'CLOSED' | 'ABNORMAL' | 'PAID_TWICE' | 'RESOLVED';
  status: string;
  endedAt: number | null;
}

function refundKind(r: RefundItem): RefundExceptionEntry['kind'] {
  if (r.paidTwice) return 'PAID_TWICE';
  if (r.status === 'CLOSED') return 'CLOSED';
  if (r.status === 'ABNORMAL') return 'ABNORMAL';
  return 'RESOLVED';
}

const REFUND_KIND_LABEL: Record<RefundExceptionEntry['kind'], string> = {
  CLOSED: '退款关闭',
  ABNORMAL: '退款异常',
  PAID_TWICE: '重复退款',
  RESOLVED: '异常已解决',
};

/**
 * Refunds that ended CLOSED or ABNORMAL that day, or that WeChat paid twice (detected that day), with amounts. An
 * ABNORMAL refund still unresolved and a double refund are differences an operator must act on.
 */
async function refundExceptionsSection(day: string): Promise<ReportSection> {
  const refunds = (await refundRepo.exceptionsOn(day)).sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
  const entries: RefundExceptionEntry[] = refunds.map((r) => ({
    orderId: r.orderId,
    outRefundNo: r.outRefundNo,
    reason: r.reason,
    amountFen: r.amountFen,
    kind: refundKind(r),
    status: r.status,
    endedAt: r.finishedAt,
  }));
  const mismatches: Mismatch[] = entries.flatMap<Mismatch>((e) => {
    if (e.kind === 'ABNORMAL') return [{ orderId: e.orderId, ours: 'ABNORMAL', theirs: 'ABNORMAL', kind: 'REFUND_FAILED', detail: `${e.outRefundNo} ${yuan(e.amountFen)} 元` }];
    if (e.kind === 'PAID_TWICE') return [{ orderId: e.orderId, ours: 'REFUNDED_ELSEWHERE', theirs: 'SUCCESS', kind: 'REFUND_TWICE', detail: `${e.outRefundNo} ${yuan(e.amountFen)} 元` }];
    return [];
  });
  const totals = (kind: RefundExceptionEntry['kind']) => {
    const of = entries.filter((e) => e.kind === kind);
    return { count: of.length, fen: of.reduce((s, e) => s + e.amountFen, 0) };
  };
  const byKind = { CLOSED: totals('CLOSED'), ABNORMAL: totals('ABNORMAL'), PAID_TWICE: totals('PAID_TWICE'), RESOLVED: totals('RESOLVED') };
  return {
    fields: { refundExceptions: entries, refundExceptionTotals: byKind },
    mismatches,
    headline: (['CLOSED', 'ABNORMAL', 'PAID_TWICE'] as const).map((k) => `${REFUND_KIND_LABEL[k]} ${byKind[k].count} 笔 ${yuan(byKind[k].fen)} 元`),
    lines: entries.map((e) => `- [${REFUND_KIND_LABEL[e.kind]}] 订单 ${e.orderId} 退款 ${e.outRefundNo}: ${yuan(e.amountFen)} 元 (${e.reason}, 现状 ${e.status})`),
  };
}

/** Notifications recorded that day that matched no order or refund of ours, or did not fit it. */
async function notificationsSection(day: string): Promise<ReportSection> {
  const mismatches: Mismatch[] = [];
  for (const n of await paymentRepo.notificationsOn(day)) {
    if (typeof n.outcome === 'string' && n.outcome !== 'IGNORED_EVENT') {
      mismatches.push({ orderId: String(n.outTradeNo ?? ''), ours: '-', theirs: String(n.transactionId ?? n.refundId ?? ''), kind: 'NOTIFICATION', detail: n.outcome });
    }
  }
  return { fields: {}, mismatches, headline: [], lines: [] };
}

interface OwedPaymentEntry {
  orderId: string;
  transactionId: string;
  /** SECOND: another payment of an order already paid; LATE: paid after the order closed with its stock gone. */
  kind: 'SECOND' | 'LATE';
  amountFen: number;
  receivedAt: number;
  /** The refund giving it back (null while none exists) and its status. */
  outRefundNo: string | null;
  refundStatus: string | null;
}

const OWED_KIND_LABEL: Record<OwedPaymentEntry['kind'], string> = { SECOND: '重复付款', LATE: '关单后付款' };

/**
 * Paid orders owed money: payments received that day that go back to the payer (a second payment of a paid order, a
 * payment after the order closed with its stock gone) with their refunds, and — whatever the day — every such payment
 * that still has no refund after a few minutes (a difference: reconciliation starts it on its next run).
 */
async function owedPaymentsSection(day: string, now: number): Promise<ReportSection> {
  const refundOf = async (p: PaymentRecord) => {
    if (!p.outRefundNo) return null;
    return (await refundRepo.forOrder(p.orderId)).find((r) => r.outRefundNo === p.outRefundNo) ?? null;
  };
  const owed = (await paymentRepo.owedOn(day)).sort((a, b) => a.receivedAt - b.receivedAt);
  const entries: OwedPaymentEntry[] = [];
  for (const p of owed) {
    const refund = await refundOf(p);
    entries.push({
      orderId: p.orderId,
      transactionId: p.transactionId,
      kind: p.kind === 'SECOND' ? 'SECOND' : 'LATE',
      amountFen: p.amountFen,
      receivedAt: p.receivedAt,
      outRefundNo: p.outRefundNo,
      refundStatus: refund?.status ?? null,
    });
  }
  const unrefunded = await paymentRepo.refundsDue(now - QUIET_OWED_MS, 1000);
  const mismatches: Mismatch[] = unrefunded.map((p) => ({
    orderId: p.orderId,
    ours: 'REFUND_DUE',
    theirs: 'SUCCESS',
    kind: 'PAYMENT_OWED',
    detail: `${OWED_KIND_LABEL[p.kind === 'SECOND' ? 'SECOND' : 'LATE']} ${p.transactionId} ${yuan(p.amountFen)} 元，尚未退款`,
  }));
  const totals = (kind: OwedPaymentEntry['kind']) => {
    const of = entries.filter((e) => e.kind === kind);
    return { count: of.length, fen: of.reduce((s, e) => s + e.amountFen, 0) };
  };
  const byKind = { SECOND: totals('SECOND'), LATE: totals('LATE') };
  return {
    fields: { owedPayments: entries, owedPaymentTotals: byKind, owedPaymentsUnrefunded: unrefunded.length },
    mismatches,
    headline: (['SECOND', 'LATE'] as const).filter((k) => byKind[k].count > 0).map((k) => `${OWED_KIND_LABEL[k]}退回 ${byKind[k].count} 笔 ${yuan(byKind[k].fen)} 元`),
    lines: entries.map(
      (e) =>
        `- [${OWED_KIND_LABEL[e.kind]}] 订单 ${e.orderId} 交易 ${e.transactionId}: ${yuan(e.amountFen)} 元，` +
        (e.outRefundNo ? `退款 ${e.outRefundNo} (${e.refundStatus ?? '未知'})` : '尚未退款'),
    ),
  };
}

/** The sections of the daily report, in the order they are printed. Add a section here. */
const REPORT_SECTIONS: ((day: string, now: number) => Promise<ReportSection>)[] = [ordersSection, refundExceptionsSection, owedPaymentsSection, notificationsSection];

/** The readable summary: the 对账日报 headline, every difference, then each section's own lines. */
function summarize(day: string, sections: ReportSection[], mismatches: Mismatch[]): string {
  const headline = sections.flatMap((s) => s.headline);
  return [
    `对账日报 ${day}: ${[...headline, `差异 ${mismatches.length} 条`].join('，')}。`,
    ...mismatches.map((m) => `- [${m.kind}] 订单 ${m.orderId}: 本系统 ${m.ours} / 微信 ${m.theirs}${m.detail ? ` (${m.detail})` : ''}`),
    ...sections.flatMap((s) => s.lines),
  ].join('\n');
}

/**
 * The daily report: every order created that day that reached WeChat is compared with WeChat's view, every refund
 * that ended CLOSED/ABNORMAL or was paid twice is listed with its amount, and every notification we could not match.
 * Stored in the table and returned as JSON plus a readable summary.
 */
export async function dailyReport(day: string, now: number): Promise<{ report: Record<string, unknown>; summary: string }> {
  const sections: ReportSection[] = [];
  for (const section of REPORT_SECTIONS) sections.push(await section(day, now));
  const mismatches = sections.flatMap((s) => s.mismatches);
  const report = { day, generatedAt: now, ...Object.assign({}, ...sections.map((s) => s.fields)), mismatchCount: mismatches.length, mismatches };
  await paymentRepo.putReport(day, report);
  return { report, summary: summarize(day, sections, mismatches) };
}
