import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_QUANTITY_PER_LINE } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { isConditionFailed } from './transactions';

export interface CartLineItem {
  productId: string;
  skuId: string;
  quantity: number;
  selected: boolean;
  /** The price when first added, to tell the shopper it changed. */
  addedPriceFen: number;
  addedAt: number;
  updatedAt: number;
}

export type CartWriteResult = 'ok' | 'missing' | 'too_many';

export const cartRepo = {
  async lines(userId: string): Promise<CartLineItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':p': keys.cartPrefix },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(({ PK: _p, SK: _s, type: _t, ...rest }) => rest as CartLineItem);
  },

  /** Adds to the line's quantity atomically (two taps on 加入购物车 add twice, never overwrite). */
  async add(userId: string, line: { productId: string; skuId: string; quantity: number; priceFen: number }, now: number): Promise<CartWriteResult> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.cartLine(userId, line.skuId),
          UpdateExpression:
            'SET #type = :type, productId = :pid, skuId = :sid, selected = :true, updatedAt = :now, ' +
            'addedPriceFen = if_not_exists(addedPriceFen, :price), addedAt = if_not_exists(addedAt, :now) ADD quantity :q',
          ConditionExpression: 'attribute_not_exists(quantity) OR quantity <= :room',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'cartLine',
            ':pid': line.productId,
            ':sid': line.skuId,
            ':true': true,
            ':now': now,
            ':price': line.priceFen,
            ':q': line.quantity,
            ':room': MAX_QUANTITY_PER_LINE - line.quantity,
          },
        }),
      );
      return 'ok';
    } catch (e) {
      if (isConditionFailed(e)) return 'too_many';
      throw e;
    }
  },

  async update(userId: string, skuId: string, change: { quantity?: number; selected?: boolean }, now: number): Promise<CartWriteResult> {
    const sets = ['updatedAt = :now'];
    const values: Record<string, unknown> = { ':now': now };
    if (change.quantity !== undefined) (sets.push('quantity = :q'), (values[':q'] = change.quantity));
    if (change.selected !== undefined) (sets.push('selected = :s'), (values[':s'] = change.selected));
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.cartLine(userId, skuId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: values,
        }),
      );
      return 'ok';
    } catch (e) {
      if (isConditionFailed(e)) return 'missing';
      throw e;
    }
  },

  async remove(userId: string, skuId: string): Promise<void> {
    await db().send(new DeleteCommand({ TableName: table(), Key: keys.cartLine(userId, skuId) }));
  },
};
