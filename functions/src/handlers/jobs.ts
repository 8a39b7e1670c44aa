import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '../lib/http';
import { scheduleGroupDeadline, scheduleOrderTimeout, type TimeoutTarget } from '../providers/scheduler';
import { expireOrder, sweepExpiredOrders } from '../services/payment';
import { dailyReport, reconcile } from '../services/reconcile';
import { settleGroup, sweepDueGroups } from '../services/group-settlement';
import { reactToChange, type TableChange } from '../services/reactions';
import { runDropJobs } from '../services/drops';
import { runAfterSaleDeadline, sweepAfterSales } from '../services/after-sales';
import { parseAfterSaleId } from '../repositories/after-sales-repo';

/** Invoked by the order's own EventBridge Scheduler schedule at its payment deadline. */
export async function orderTimeout(event: { orderId: string }) {
  const result = await expireOrder(event.orderId, Date.now());
  logger.info('order timeout', { orderId: event.orderId, result });
  // A schedule that fires a moment early must not be lost: failing makes the scheduler retry.
  if (result === 'not_due') throw new Error(`order ${event.orderId} is not due yet`);
  return { orderId: event.orderId, result };
}

/** Every minute: the safety net for timeouts whose schedule did not fire. */
export async function sweepOrders() {
  const counts = await sweepExpiredOrders(Date.now());
  if (counts.cancelled || counts.paid || counts.failed) logger.info('timeout sweep', counts);
  return counts;
}

/** Invoked by the group's own EventBridge Scheduler schedule at its deadline. */
export async function groupDeadline(event: { groupId: string }) {
  const result = await settleGroup(event.groupId, Date.now());
  logger.info('group deadline', { groupId: event.groupId, result });
  // Fired a moment early: failing makes the scheduler retry (and the sweeper is there regardless).
  if (result === 'not_due') throw new Error(`group ${event.groupId} is not due yet`);
  return { groupId: event.groupId, result };
}

/** Every minute: groups past their deadline robot-fill or fail (every member refunded); full ones succeed. */
export async function sweepGroups() {
  const counts = await sweepDueGroups(Date.now());
  if (counts.success || counts.failed || counts.error) logger.info('group sweep', counts);
  return counts;
}

/** Invoked by an after-sales request's own schedule at its deadline (auto-approve, close, auto-refund). */
export async function afterSaleDeadline(event: { afterSaleId: string; dueAt?: string }) {
  const ref = parseAfterSaleId(event.afterSaleId);
  if (!ref) return { afterSaleId: event.afterSaleId, result: 'none' };
  const result = await runAfterSaleDeadline(ref.orderId, ref.seq, Date.now());
  logger.info('after-sale deadline', { afterSaleId: event.afterSaleId, result });
  // Fired before its own time: failing makes the scheduler retry. A deadline moved later has its own schedule.
  if (result === 'not_due' && Number(event.dueAt) > Date.now()) throw new Error(`after-sale ${event.afterSaleId} is not due yet`);
  return { afterSaleId: event.afterSaleId, result };
}

/** Every five minutes: after-sales deadlines whose schedule did not fire (running it twice changes nothing). */
export async function sweepAfterSalesJob() {
  const counts = await sweepAfterSales(Date.now());
  if (Object.keys(counts).length) logger.info('after-sales sweep', counts);
  return counts;
}

/** Daily: the birthday and win_back coupon drops, each once per shopper and period however often it runs. */
export async function dropsJob() {
  const granted = await runDropJobs(Date.now());
  if (granted.birthday || granted.winBack) logger.info('coupon drops', granted);
  return granted;
}

/** Every ten minutes: converge unsettled orders and refunds with WeChat Pay. */
export async function reconcileJob() {
  const summary = await reconcile(Date.now());
  logger.info('reconciliation', { ...summary });
  return summary;
}

/** Daily: yesterday's report (UTC day) of every difference between our orders and WeChat Pay's. */
export async function dailyReconciliation(event: { day?: string } = {}) {
  const day = event.day ?? new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10);
  const { report, summary } = await dailyReport(day, Date.now());
  (report.mismatchCount ? logger.warn : logger.info).call(logger, summary, { day, mismatchCount: report.mismatchCount });
  return report;
}

interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, unknown>; OldImage?: Record<string, unknown>; SequenceNumber?: string };
}

/**
 * The table's stream: everything that follows a change rather than being part of it — an unpaid order's exact
 * timeout schedule, a new group's deadline schedule, a paid group order's seat, a closed group's outcome for its
 * members, the refund of money owed back (late or second payments). Each reaction is idempotent; a failure is
 * reported per record (ReportBatchItemFailures) so only that record and the ones after it are delivered again, and
 * the sweepers and reconciliation cover anything never handled.
 */
export async function onTableChange(event: { Records?: StreamRecord[] }) {
  const target = (kind: 'TIMEOUT' | 'GROUP', arn: string): TimeoutTarget => ({
    targetArn: arn,
    roleArn: process.env[`${kind}_SCHEDULER_ROLE_ARN`] ?? '',
    groupName: process.env[`${kind}_SCHEDULE_GROUP`] ?? 'default',
  });
  // Without a scheduler target (the local stage) the sweepers alone apply deadlines.
  const schedules = {
    orderTimeout: async (orderId: string, at: number) => {
      const arn = process.env.TIMEOUT_TARGET_ARN;
      if (arn) await scheduleOrderTimeout(orderId, at, target('TIMEOUT', arn));
    },
    groupDeadline: async (groupId: string, at: number) => {
      const arn = process.env.GROUP_DEADLINE_TARGET_ARN;
      if (arn) await scheduleGroupDeadline(groupId, at, target('GROUP', arn));
    },
  };
  for (const record of event.Records ?? []) {
    const change: TableChange = {
      kind: record.eventName === 'INSERT' ? 'INSERT' : record.eventName === 'MODIFY' ? 'MODIFY' : 'REMOVE',
      next: record.dynamodb?.NewImage ? unmarshall(record.dynamodb.NewImage as never) : null,
      previous: record.dynamodb?.OldImage ? unmarshall(record.dynamodb.OldImage as never) : null,
    };
    try {
      await reactToChange(change, Date.now(), schedules);
    } catch (e) {
      logger.error('reaction to a table change failed; it is delivered again', { error: e as Error, type: change.next?.type });
      // Lambda redelivers from the first failed record on: stop here so the order of reactions is kept.
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
