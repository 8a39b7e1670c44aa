import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { isConditionFailed } from './transactions';

/** Reads every page of a GSI3 query and maps its items. */
async function queryAll<T>(input: ConstructorParameters<typeof QueryCommand>[0], map: (item: Record<string, unknown>) => T): Promise<T[]> {
  const out: T[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ ...input, ExclusiveStartKey }));
    out.push(...(page.Items ?? []).map(map));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

/** What the scheduled coupon drops read and keep: the shopper's birthday (on the profile) and their last paid order. */
export const dropRepo = {
  async birthdayOf(userId: string): Promise<string | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.user(userId), ConsistentRead: true, ProjectionExpression: 'birthday' }));
    return (out.Item?.birthday as string | undefined) ?? null;
  },

  /** Sets `MM-DD` on the profile and indexes it by month. False when the shopper does not exist. */
  async setBirthday(userId: string, birthday: string): Promise<boolean> {
    const index = keys.birthdayIndex(birthday.slice(0, 2), userId);
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.user(userId),
          UpdateExpression: 'SET birthday = :b, GSI3PK = :pk, GSI3SK = :sk',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':b': birthday, ':pk': index.GSI3PK, ':sk': index.GSI3SK },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /** Shoppers whose birthday falls in `month` (`MM`). */
  birthdayShoppers(month: string): Promise<string[]> {
    return queryAll(
      {
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.birthdayPartition(month) },
        ProjectionExpression: 'GSI3SK',
      },
      (i) => i.GSI3SK as string,
    );
  },

  /** Records a paid order as the shopper's last; only ever moves later (a replayed or older payment changes nothing). */
  async notePaid(userId: string, orderId: string, paidAt: number): Promise<void> {
    try {
      await db().send(
        new PutCommand({
          TableName: table(),
          Item: { ...keys.lastPaid(userId), ...keys.lastPaidIndex(paidAt, userId), type: 'lastPaid', userId, paidAt, orderId },
          ConditionExpression: 'attribute_not_exists(PK) OR paidAt < :at',
          ExpressionAttributeValues: { ':at': paidAt },
        }),
      );
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
    }
  },

  /** Shoppers whose last paid order was paid at or before `before`. */
  quietSince(before: number): Promise<{ userId: string; orderId: string }[]> {
    return queryAll(
      {
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :before',
        ExpressionAttributeValues: { ':pk': keys.lastPaidPartition, ':before': `${String(before).padStart(15, '0')}#~` },
      },
      (i) => ({ userId: i.userId as string, orderId: i.orderId as string }),
    );
  },
};
