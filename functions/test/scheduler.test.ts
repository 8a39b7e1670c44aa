import { describe, expect, it } from 'vitest';
import { groupDeadlineSchedule, orderTimeoutSchedule } from '../src/providers/scheduler';

const target = { targetArn: 'arn:aws:lambda:ap-east-1:1:function:groupDeadline', roleArn: 'arn:aws:iam::1:role/r', groupName: 'wechat-shop-prod-group-deadlines' };

describe('EventBridge Scheduler requests', () => {
  it('one one-time schedule per group at its deadline, never before it, deleting itself after it ran', () => {
    const groupId = 'g01JC0000000000000000000000';
    const deadline = Date.UTC(2026, 10, 23, 18, 30, 15, 250);
    const req = groupDeadlineSchedule(groupId, deadline, target);
    expect(req).toEqual({
      Name: `group-deadline-${groupId}`,
      GroupName: target.groupName,
      // Rounded up to the next second: a deadline is exclusive, a schedule must not fire before it.
      ScheduleExpression: 'at(2026-11-23T18:30:16)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        Input: JSON.stringify({ groupId }),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    });
    expect(req.Name!.length).toBeLessThanOrEqual(64);
    expect(groupDeadlineSchedule(groupId, Date.UTC(2026, 0, 1, 0, 0, 0), target).ScheduleExpression).toBe('at(2026-01-01T00:00:00)');
  });

  it('group and order schedules never share a name', () => {
    expect(groupDeadlineSchedule('x', 0, target).Name).not.toBe(orderTimeoutSchedule('x', 0, target).Name);
  });
});
