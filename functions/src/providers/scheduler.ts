import { ConflictException, CreateScheduleCommand, SchedulerClient, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';

/**
 * The exact trigger of an order's payment timeout: one EventBridge Scheduler one-time schedule per order, firing the
 * orderTimeout function at the deadline and deleting itself afterwards. (The sweeper is the safety net.)
 */
export interface TimeoutTarget {
  targetArn: string;
  roleArn: string;
  groupName: string;
}

export function orderTimeoutSchedule(orderId: string, deadlineAt: number, target: TimeoutTarget): CreateScheduleCommandInput {
  // at() takes a local date-time without offset, interpreted in ScheduleExpressionTimezone; seconds are kept.
  const at = new Date(Math.ceil(deadlineAt / 1000) * 1000).toISOString().slice(0, 19);
  return {
    Name: `order-timeout-${orderId}`,
    GroupName: target.groupName,
    ScheduleExpression: `at(${at})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify({ orderId }),
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
    },
  };
}

let client: SchedulerClient | undefined;

/** Creates the schedule; an existing one (a redelivered stream record) is fine. */
export async function scheduleOrderTimeout(orderId: string, deadlineAt: number, target: TimeoutTarget): Promise<'created' | 'exists'> {
  client ??= new SchedulerClient({});
  try {
    await client.send(new CreateScheduleCommand(orderTimeoutSchedule(orderId, deadlineAt, target)));
    return 'created';
  } catch (e) {
    if (e instanceof ConflictException || (e as Error).name === 'ConflictException') return 'exists';
    throw e;
  }
}

/**
 * The exact trigger of a group's deadline: one one-time schedule per group, firing the groupDeadline function at the
 * group's deadline (robot fill, or FAILED and every member refunded) and deleting itself afterwards. The group sweeper
 * stays as the safety net.
 */
export function groupDeadlineSchedule(groupId: string, deadline: number, target: TimeoutTarget): CreateScheduleCommandInput {
  // Rounded up to the second: the schedule never fires before the deadline (which is exclusive).
  const at = new Date(Math.ceil(deadline / 1000) * 1000).toISOString().slice(0, 19);
  return {
    Name: `group-deadline-${groupId}`.slice(0, 64),
    GroupName: target.groupName,
    ScheduleExpression: `at(${at})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify({ groupId }),
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
    },
  };
}

/** Creates the group's schedule; an existing one (a redelivered stream record) is fine. */
export async function scheduleGroupDeadline(groupId: string, deadline: number, target: TimeoutTarget): Promise<'created' | 'exists'> {
  client ??= new SchedulerClient({});
  try {
    await client.send(new CreateScheduleCommand(groupDeadlineSchedule(groupId, deadline, target)));
    return 'created';
  } catch (e) {
    if (e instanceof ConflictException || (e as Error).name === 'ConflictException') return 'exists';
    throw e;
  }
}
