import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { transact, TransactionRefused } from './transactions';

export interface FavoriteItem {
  userId: string;
  productId: string;
  /** What the product was called and looked like when it was added, for a product that no longer exists. */
  title: string;
  image: string;
  createdAt: number;
}

type AddFavoriteResult = 'added' | 'already' | 'limit' | 'no_product' | 'busy';

function clean(item: Record<string, unknown>): FavoriteItem {
  const { userId, productId, title, image, createdAt } = item as unknown as FavoriteItem;
  return { userId, productId, title, image, createdAt };
}

export const favoriteRepo = {
  async get(userId: string, productId: string): Promise<FavoriteItem | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.favorite(userId, productId), ConsistentRead: true }));
    return out.Item ? clean(out.Item) : null;
  },

  async count(userId: string): Promise<number> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.favoriteCount(userId), ConsistentRead: true }));
    return (out.Item?.count as number | undefined) ?? 0;
  },

  /**
   * One transaction: the favourite is put only if it is not there yet, the product must exist, and the shopper's count
   * goes up only while it is under the cap. Adding twice answers `already` and changes nothing.
   */
  async add(f: FavoriteItem, cap: number): Promise<AddFavoriteResult> {
    try {
      await transact([
        {
          label: 'favorite',
          Put: {
            TableName: table(),
            Item: { ...keys.favorite(f.userId, f.productId), ...keys.favoriteIndex(f.userId, f.createdAt, f.productId), type: 'favorite', ...f },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          label: 'count',
          Update: {
            TableName: table(),
            Key: keys.favoriteCount(f.userId),
            UpdateExpression: 'SET #type = :type ADD #count :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :cap',
            ExpressionAttributeNames: { '#type': 'type', '#count': 'count' },
            ExpressionAttributeValues: { ':type': 'favoriteCount', ':one': 1, ':cap': cap },
          },
        },
        {
          label: 'product',
          ConditionCheck: { TableName: table(), Key: keys.product(f.productId), ConditionExpression: 'attribute_exists(PK)' },
        },
      ]);
      return 'added';
    } catch (e) {
      if (!(e instanceof TransactionRefused)) throw e;
      const failed = e.failed();
      // Already kept wins over the other refusals: the shopper's intent holds, and nothing was written.
      if (failed.includes('favorite')) return 'already';
      if (failed.includes('product')) return 'no_product';
      if (failed.includes('count')) return 'limit';
      if (e.conflicted()) return 'busy';
      throw e;
    }
  },

  /**
   * One transaction: the favourite goes and the count comes down with it; removing what is not there changes nothing.
   * `busy` when other changes of the same shopper's favourites kept conflicting even after the retries.
   */
  async remove(userId: string, productId: string): Promise<boolean | 'busy'> {
    try {
      await transact([
        {
          label: 'favorite',
          Delete: { TableName: table(), Key: keys.favorite(userId, productId), ConditionExpression: 'attribute_exists(PK)' },
        },
        {
          label: 'count',
          Update: {
            TableName: table(),
            Key: keys.favoriteCount(userId),
            UpdateExpression: 'ADD #count :minus',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':minus': -1 },
          },
        },
      ]);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().includes('favorite')) return false;
      if (e instanceof TransactionRefused && e.conflicted()) return 'busy';
      throw e;
    }
  },

  /** A page of the shopper's favourites, newest first, starting after `after` (the last one of the previous page). */
  async page(
    userId: string,
    limit: number,
    after?: { productId: string; createdAt: number },
  ): Promise<{ items: FavoriteItem[]; more: boolean }> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.userFavoritesPartition(userId) },
        ScanIndexForward: false,
        // One more than asked, so the last page says it is the last (no empty page after it).
        Limit: limit + 1,
        ExclusiveStartKey: after
          ? { ...keys.favorite(userId, after.productId), ...keys.favoriteIndex(userId, after.createdAt, after.productId) }
          : undefined,
      }),
    );
    const items = (out.Items ?? []).map(clean);
    return { items: items.slice(0, limit), more: items.length > limit };
  },
};
