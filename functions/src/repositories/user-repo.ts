import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { transact, TransactionRefused } from './transactions';

export interface UserItem {
  id: string;
  openid: string;
  unionid: string | null;
  nickname: string;
  avatar: string;
  createdAt: number;
  lastLoginAt: number;
  defaultAddressId: string | null;
  /** 生日 MM-DD (services/drops.ts setBirthday). */
  birthday?: string;
  /** The shopper's 邀请码 (services/invites.ts), made once. */
  inviteCode?: string;
  /** Who invited this shopper: set once, at the new account's first login. */
  invitedBy?: string;
}

export const userRepo = {
  async get(userId: string): Promise<UserItem | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.user(userId), ConsistentRead: true }));
    return (out.Item as UserItem | undefined) ?? null;
  },

  async userIdForOpenid(openid: string): Promise<string | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.openid(openid), ConsistentRead: true }));
    return (out.Item?.userId as string | undefined) ?? null;
  },

  /**
   * Creates the user and its openid mapping together; the mapping's `attribute_not_exists` makes two concurrent first
   * logins of one WeChat user produce one account. Returns false when another login created it first.
   */
  async create(user: UserItem): Promise<boolean> {
    try {
      await transact([
        {
          label: 'openid',
          Put: {
            TableName: table(),
            Item: { ...keys.openid(user.openid), type: 'openid', userId: user.id },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          label: 'user',
          Put: {
            TableName: table(),
            Item: { ...keys.user(user.id), type: 'user', ...user },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ]);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().includes('openid')) return false;
      throw e;
    }
  },

  /** Local stage: demo shoppers offered by the sandbox login (written by the seeder). */
  async putDemoUser(d: { code: string; nickname: string; avatar: string; sortOrder: number }): Promise<void> {
    await db().send(new PutCommand({ TableName: table(), Item: { ...keys.demoUser(d.code), type: 'demoUser', ...d } }));
  },
  async demoUsers(): Promise<{ code: string; nickname: string; avatar: string }[]> {
    const out = await db().send(
      new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.demoPartition } }),
    );
    return (out.Items ?? [])
      .sort((a, b) => a.sortOrder - b.sortOrder)
      .map((i) => ({ code: i.code as string, nickname: i.nickname as string, avatar: i.avatar as string }));
  },

  async touchLogin(userId: string, at: number): Promise<UserItem> {
    const out = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.user(userId),
        UpdateExpression: 'SET lastLoginAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as UserItem;
  },
};
