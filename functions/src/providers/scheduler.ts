import { ConflictException, CreateScheduleCommand, SchedulerClient, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';

/**
 * Exact triggers: one EventBridge Scheduler one-time schedule per order (its payment deadline → orderTimeout) and
 * per group (its deadline → groupDeadline), each deleting itself after it fired. Sweepers stay as the safety net.
 */
export interface TimeoutTarget {
  targetArn: string;
  roleArn: string;
  groupName: string;
}

/** A one-time schedule at `atMs`, rounded up to the second so it never fires before the moment it stands for. */
function oneTimeSchedule(name: string, atMs: number, target: TimeoutTarget, input: Record<string, string>): CreateScheduleCommandInput {
  // at() takes a local date-time without offset, interpreted in ScheduleExpressionTimezone; seconds are kept.
  const at = new Date(Math.ceil(atMs / 1000) * 1000).toISOString().slice(0, 19);
  return {
    Name: name.slice(0, 64),
    GroupName: target.groupName,
    ScheduleExpression: `at(${at})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify(input),
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
    },
  };
}

export function orderTimeoutSchedule(orderId: string, deadlineAt: number, target: TimeoutTarget): CreateScheduleCommandInput {
  return oneTimeSchedule(`order-timeout-${orderId}`, deadlineAt, target, { orderId });
}

/** The group's deadline: robot fill, or FAILED and every member refunded. */
export function groupDeadlineSchedule(groupId: string, deadline: number, target: TimeoutTarget): CreateScheduleCommandInput {
  return oneTimeSchedule(`group-deadline-${groupId}`, deadline, target, { groupId });
}

let client: SchedulerClient | undefined;

/** Creates a schedule; an existing one (a redelivered stream record) is fine. */
async function createOnce(input: CreateScheduleCommandInput): Promise<'created' | 'exists'> {
  client ??= new SchedulerClient({});
  try {
    await client.send(new CreateScheduleCommand(input));
    return 'created';
  } catch (e) {
    if (e instanceof ConflictException || (e as Error).name === 'ConflictException') return 'exists';
    throw e;
  }
}

export function scheduleOrderTimeout(orderId: string, deadlineAt: number, target: TimeoutTarget): Promise<'created' | 'exists'> {
  return createOnce(orderTimeoutSchedule(orderId, deadlineAt, target));
}

export function scheduleGroupDeadline(groupId: string, deadline: number, target: TimeoutTarget): Promise<'created' | 'exists'> {
  return createOnce(groupDeadlineSchedule(groupId, deadline, target));
}

/**
 * The order's automatic receipt (→ receiptDue): one schedule per due time, so when tracking moves the due (delivered)
 * a new one is made and the old one finds the order received or not yet due. Without a target (the local stage) the
 * sweeper alone applies it.
 */
export async function scheduleReceipt(orderId: string, dueAt: number): Promise<'created' | 'exists' | 'skipped'> {
  const arn = process.env.RECEIPT_TARGET_ARN;
  if (!arn) return 'skipped';
  const target = { targetArn: arn, roleArn: process.env.RECEIPT_SCHEDULER_ROLE_ARN ?? '', groupName: process.env.RECEIPT_SCHEDULE_GROUP ?? 'default' };
  return createOnce(oneTimeSchedule(`order-receipt-${orderId}-${Math.ceil(dueAt / 1000)}`, dueAt, target, { orderId }));
}

/**
 * An after-sales request's deadline (→ afterSaleDeadline): one schedule per due time, so a moved deadline gets a new
 * one and the old one finds the request moved on or not yet due. Without a target (the local stage) the sweeper alone
 * applies it.
 */
export async function scheduleAfterSaleDeadline(afterSaleId: string, dueAt: number): Promise<'created' | 'exists' | 'skipped'> {
  const arn = process.env.AFTERSALE_TARGET_ARN;
  if (!arn) return 'skipped';
  const target = { targetArn: arn, roleArn: process.env.AFTERSALE_SCHEDULER_ROLE_ARN ?? '', groupName: process.env.AFTERSALE_SCHEDULE_GROUP ?? 'default' };
  return createOnce(oneTimeSchedule(`aftersale-${afterSaleId}-${Math.ceil(dueAt / 1000)}`, dueAt, target, { afterSaleId, dueAt: String(dueAt) }));
}
