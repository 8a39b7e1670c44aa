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
