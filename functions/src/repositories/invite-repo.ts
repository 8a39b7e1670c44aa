import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { transact, TransactionRefused } from './transactions';

export interface Invitee {
  id: string;
  nickname: string;
  createdAt: number;
}

export const inviteRepo = {
  /** The shopper a 邀请码 belongs to, or null for an unknown code. */
  async ownerOf(code: string): Promise<string | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.inviteCode(code), ConsistentRead: true }));
    return (out.Item?.userId as string | undefined) ?? null;
  },

  /**
   * Gives the shopper `code` unless they have one: the code's item (attribute_not_exists) and the user's `inviteCode`
   * (attribute_not_exists) in one transaction. Returns false when the shopper already had a code or the code is taken.
   */
  async assign(userId: string, code: string): Promise<boolean> {
    try {
      await transact([
        {
          label: 'code',
          Put: {
            TableName: table(),
            Item: { ...keys.inviteCode(code), type: 'inviteCode', userId },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          label: 'user',
          Update: {
            TableName: table(),
            Key: keys.user(userId),
            UpdateExpression: 'SET inviteCode = :c',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(inviteCode)',
            ExpressionAttributeValues: { ':c': code },
          },
        },
      ]);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().length > 0) return false;
      throw e;
    }
  },

  /**
   * Records who invited the shopper, once: only while `invitedBy` is unset, never the shopper themselves, and only on
   * the account created at `createdAt` (a new account). Returns false when nothing was recorded.
   */
  async recordInvitedBy(userId: string, inviterId: string, createdAt: number, now: number): Promise<boolean> {
    if (inviterId === userId) return false;
    const index = keys.inviteeIndex(inviterId, createdAt, userId);
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.user(userId),
          UpdateExpression: 'SET invitedBy = :by, invitedAt = :now, GSI1PK = :pk, GSI1SK = :sk',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(invitedBy) AND createdAt = :created',
          ExpressionAttributeValues: { ':by': inviterId, ':now': now, ':pk': index.GSI1PK, ':sk': index.GSI1SK, ':created': createdAt },
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  },

  /** The inviter's friends, oldest first (at most `limit`). */
  async invitees(inviterId: string, limit: number): Promise<Invitee[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.inviteesPartition(inviterId) },
        ProjectionExpression: 'id, nickname, createdAt',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({ id: String(i.id), nickname: String(i.nickname ?? ''), createdAt: Number(i.createdAt) }));
  },
};
