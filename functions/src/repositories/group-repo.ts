/**
 * Groups of a group deal (拼团): the group item and its members share one partition, so one Query reads a whole
 * group. Seats are taken only by the conditional writes here: a member put with attribute_not_exists and the group's
 * counter moved only while OPEN, before the deadline and below the size, in one transaction.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Group, GroupMember, GroupStatus, GroupTerms } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { transitionUpdate, type TransitionTarget } from './order-transitions';
import { isConditionFailed, transact, TransactionRefused, type LabelledItem } from './transactions';

/** A member as stored: the rules' GroupMember plus a profile snapshot for the landing page. */
export interface MemberItem extends GroupMember {
  groupId: string;
  nickname: string | null;
  avatarUrl: string | null;
}

export interface GroupItem {
  id: string;
  campaignId: string;
  productId: string;
  skuId: string;
  status: GroupStatus;
  leaderUserId: string;
  openedAt: number;
  deadline: number;
  closedAt: number | null;
  terms: GroupTerms;
  size: number;
  memberCount: number;
  token: string;
  /** Every order of the closed group has its outcome (the group left the due index). */
  settled?: boolean;
}

export interface StoredGroup {
  item: GroupItem;
  members: MemberItem[];
  /** The rules' view of it (members in seat order, leader first). */
  group: Group;
}

const strip = <T>(i: Record<string, unknown>): T => {
  const { PK: _1, SK: _2, GSI1PK: _3, GSI1SK: _4, GSI3PK: _5, GSI3SK: _6, type: _7, ...rest } = i;
  return rest as T;
};

function toGroup(item: GroupItem, members: MemberItem[]): Group {
  const ordered = [...members].sort((a, b) => Number(b.role === 'leader') - Number(a.role === 'leader') || a.seatedAt - b.seatedAt);
  return {
    id: item.id,
    campaignId: item.campaignId,
    productId: item.productId,
    status: item.status,
    leaderUserId: item.leaderUserId,
    openedAt: item.openedAt,
    deadline: item.deadline,
    closedAt: item.closedAt,
    terms: item.terms,
    members: ordered.map(({ groupId: _g, nickname: _n, avatarUrl: _a, ...m }) => m),
  };
}

function memberPut(m: MemberItem): LabelledItem {
  return {
    label: `member:${m.userId}`,
    Put: {
      TableName: table(),
      Item: { ...keys.groupMember(m.groupId, m.userId), ...(m.robot ? {} : keys.userGroup(m.userId, m.seatedAt, m.groupId)), type: 'groupMember', ...m },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export const groupRepo = {
  async get(groupId: string): Promise<StoredGroup | null> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.groupPartition(groupId) },
        ConsistentRead: true,
      }),
    );
    const items = out.Items ?? [];
    const head = items.find((i) => i.SK === 'GROUP');
    if (!head) return null;
    const item = strip<GroupItem>(head);
    const members = items.filter((i) => String(i.SK).startsWith(keys.groupMemberPrefix)).map((i) => strip<MemberItem>(i));
    return { item, members, group: toGroup(item, members) };
  },

  async groupIdOfToken(token: string): Promise<string | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.groupToken(token), ConsistentRead: true }));
    return (out.Item?.groupId as string | undefined) ?? null;
  },

  /**
   * Opens a group with its leader seated, its share token and the leader's order pointing at it, all or nothing.
   * The group id comes from the leader's order, so a replayed payment finds it already open ('exists').
   */
  async open(item: GroupItem, leader: MemberItem, order: TransitionTarget, now: number): Promise<'opened' | 'exists'> {
    try {
      await transact([
        {
          label: 'group',
          Put: {
            TableName: table(),
            Item: {
              ...keys.group(item.id),
              ...keys.openGroupOfDeal(item.campaignId, item.deadline, item.id),
              ...keys.groupDue(item.deadline, item.id),
              type: 'group',
              ...item,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        memberPut(leader),
        {
          label: 'token',
          Put: { TableName: table(), Item: { ...keys.groupToken(item.token), type: 'groupToken', groupId: item.id }, ConditionExpression: 'attribute_not_exists(PK)' },
        },
        membershipUpdate(order, 'SEATED', now, { groupId: item.id, token: item.token, role: 'leader' }),
      ]);
      return 'opened';
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().includes('group')) return 'exists';
      throw e;
    }
  },

  /**
   * Takes one seat: member put (one seat per shopper) + `memberCount < size AND status = OPEN AND deadline > now`
   * on the group + the order's group status, in one transaction. 'refused' = the group or the seat moved: decide again.
   */
  async seat(member: MemberItem, order: TransitionTarget, size: number, now: number): Promise<'seated' | 'refused'> {
    try {
      await transact(
        [
          memberPut(member),
          {
            label: 'group',
            Update: {
              TableName: table(),
              Key: keys.group(member.groupId),
              UpdateExpression: 'ADD memberCount :one',
              ConditionExpression: '#status = :open AND memberCount < :size AND deadline > :now',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':one': 1, ':open': 'OPEN', ':size': size, ':now': now },
            },
          },
          membershipUpdate(order, 'SEATED', now),
        ],
        { maxConflictRetries: 8 },
      );
      return 'seated';
    } catch (e) {
      if (e instanceof TransactionRefused) return 'refused';
      throw e;
    }
  },

  /** Robot members for the free seats at the deadline (deterministic ids: a replay adds none). */
  async addRobots(groupId: string, robots: MemberItem[], size: number, deadlineBefore: number): Promise<boolean> {
    try {
      await transact([
        ...robots.map(memberPut),
        {
          label: 'group',
          Update: {
            TableName: table(),
            Key: keys.group(groupId),
            UpdateExpression: 'SET memberCount = :size',
            ConditionExpression: '#status = :open AND memberCount = :seen AND deadline <= :now',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':size': size, ':open': 'OPEN', ':seen': size - robots.length, ':now': deadlineBefore },
          },
        },
      ]);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused) return false;
      throw e;
    }
  },

  /**
   * OPEN → SUCCESS (every seat taken) or FAILED (deadline passed with `seen` members). The group leaves the 去参团
   * list but stays in the due index until its orders are settled (settled()).
   */
  async close(groupId: string, to: 'SUCCESS' | 'FAILED', args: { now: number; seen: number; size: number }): Promise<boolean> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.group(groupId),
          UpdateExpression: 'SET #status = :to, closedAt = :now REMOVE GSI1PK, GSI1SK',
          ConditionExpression:
            to === 'SUCCESS'
              ? '#status = :open AND memberCount >= :size'
              : // Never before the deadline, and only with exactly the members that will be refunded.
                '#status = :open AND deadline <= :now AND memberCount = :seen',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to,
            ':open': 'OPEN',
            ':now': args.now,
            ...(to === 'SUCCESS' ? { ':size': args.size } : { ':seen': args.seen }),
          },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /** Every order of a closed group has its outcome: the group leaves the due index. */
  async settled(groupId: string): Promise<void> {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.group(groupId),
        UpdateExpression: 'SET settled = :t REMOVE GSI3PK, GSI3SK',
        ConditionExpression: '#status <> :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':t': true, ':open': 'OPEN' },
      }),
    );
  },

  async setSeat(groupId: string, userId: string, seat: GroupMember['seat']): Promise<void> {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.groupMember(groupId, userId),
        UpdateExpression: 'SET seat = :s',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':s': seat },
      }),
    );
  },

  async due(at: number, limit = 100): Promise<string[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :at',
        ExpressionAttributeValues: { ':pk': keys.groupDuePartition, ':at': keys.dueBefore(at) },
        ProjectionExpression: 'id',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => i.id as string);
  },

  async openOfDeal(campaignId: string, limit = 10): Promise<GroupItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.openGroupsPartition(campaignId) },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => strip<GroupItem>(i));
  },

  async seatsOfUser(userId: string, limit = 50): Promise<MemberItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.userGroupsPartition(userId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => strip<MemberItem>(i));
  },

  /** A membership move of the table (SEATED, SEAT_MOVED, GROUP_SUCCEEDED) on its own; false if the order moved on. */
  async markMembership(order: TransitionTarget, event: MembershipEvent, now: number, patch: MembershipPatch = {}): Promise<boolean> {
    try {
      await transact([membershipUpdate(order, event, now, patch)]);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused) return false;
      throw e;
    }
  },
};

type MembershipEvent = 'SEATED' | 'SEAT_MOVED' | 'GROUP_SUCCEEDED';
type MembershipPatch = Partial<{ groupId: string | null; token: string | null; role: string }>;

/** The order's side of a seat: the table's membership event, plus the group fields it learns. */
function membershipUpdate(order: TransitionTarget, event: MembershipEvent, now: number, patch: MembershipPatch = {}): LabelledItem {
  const entries = Object.entries(patch);
  return transitionUpdate(order, event, {
    now,
    extra: {
      sets: entries.map(([k]) => `#x_group.#x_${k} = :x_${k}`),
      names: entries.length ? { '#x_group': 'group', ...Object.fromEntries(entries.map(([k]) => [`#x_${k}`, k])) } : {},
      values: Object.fromEntries(entries.map(([k, v]) => [`:x_${k}`, v])),
    },
  });
}
