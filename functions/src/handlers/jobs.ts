import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '../lib/http';
import { scheduleGroupDeadline, scheduleOrderTimeout, type TimeoutTarget } from '../providers/scheduler';
import { expireOrder, sweepExpiredOrders } from '../services/payment';
import { dailyReport, reconcile } from '../services/reconcile';
import { settleGroup, sweepDueGroups } from '../services/groups';

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
  dynamodb?: { NewImage?: Record<string, unknown>; SequenceNumber?: string };
}

/**
 * Table stream → one schedule per new item of a kind (filtered again here: the stream filter is an optimisation).
 * A failure is reported per record, so only that record is retried; the sweepers cover anything never scheduled.
 */
async function scheduleFromStream(
  event: { Records?: StreamRecord[] },
  wanted: { type: string; status: string; targetEnv: string; what: string },
  schedule: (item: Record<string, any>, target: TimeoutTarget) => Promise<unknown>,
) {
  const target: TimeoutTarget = {
    targetArn: process.env[wanted.targetEnv] ?? '',
    roleArn: process.env.SCHEDULER_ROLE_ARN ?? '',
    groupName: process.env.SCHEDULE_GROUP ?? 'default',
  };
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records ?? []) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
    const item = unmarshall(record.dynamodb.NewImage as never);
    if (item.type !== wanted.type || item.status !== wanted.status) continue;
    try {
      await schedule(item, target);
    } catch (e) {
      logger.error(`could not schedule the ${wanted.what} (the sweeper will still handle it)`, { id: item.id, error: e as Error });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures: failures };
}

/** Table stream: each new unpaid order gets its exact timeout schedule (kept off the checkout path). */
export function scheduleTimeouts(event: { Records?: StreamRecord[] }) {
  return scheduleFromStream(event, { type: 'order', status: 'PENDING_PAYMENT', targetEnv: 'TIMEOUT_TARGET_ARN', what: 'order timeout' }, (item, target) =>
    scheduleOrderTimeout(item.id, item.deadlineAt, target),
  );
}

/** Table stream: each newly opened group gets its deadline schedule (kept off the payment path). */
export function scheduleGroupDeadlines(event: { Records?: StreamRecord[] }) {
  return scheduleFromStream(event, { type: 'group', status: 'OPEN', targetEnv: 'GROUP_DEADLINE_TARGET_ARN', what: 'group deadline' }, (item, target) =>
    scheduleGroupDeadline(item.id, item.deadline, target),
  );
}
