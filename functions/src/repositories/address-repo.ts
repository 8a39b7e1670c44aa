import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AddressInput } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { isConditionFailed } from './transactions';

export type AddressFields = Omit<AddressInput, 'isDefault'>;
export interface AddressItem extends AddressFields {
  id: string;
  userId: string;
  createdAt: number;
  updatedAt: number;
}

function clean(item: Record<string, unknown>): AddressItem {
  const { PK: _p, SK: _s, type: _t, ...rest } = item;
  return rest as unknown as AddressItem;
}

export const addressRepo = {
  async list(userId: string): Promise<AddressItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':p': keys.addressPrefix },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(clean);
  },

  /** Only the owner's partition is ever read: another user's address id simply is not found. */
  async get(userId: string, addressId: string): Promise<AddressItem | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.address(userId, addressId), ConsistentRead: true }));
    return out.Item ? clean(out.Item) : null;
  },

  async create(a: AddressItem): Promise<void> {
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.address(a.userId, a.id), type: 'address', ...a },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  },

  async update(userId: string, addressId: string, fields: AddressFields, now: number): Promise<AddressItem | null> {
    try {
      const out = await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.address(userId, addressId),
          UpdateExpression:
            'SET #name = :name, phone = :phone, province = :province, city = :city, district = :district, detail = :detail, updatedAt = :now',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': fields.name,
            ':phone': fields.phone,
            ':province': fields.province,
            ':city': fields.city,
            ':district': fields.district,
            ':detail': fields.detail,
            ':now': now,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return clean(out.Attributes!);
    } catch (e) {
      if (isConditionFailed(e)) return null;
      throw e;
    }
  },

  async remove(userId: string, addressId: string): Promise<boolean> {
    try {
      await db().send(
        new DeleteCommand({ TableName: table(), Key: keys.address(userId, addressId), ConditionExpression: 'attribute_exists(PK)' }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /** The default lives on the profile, so there is exactly one by construction. */
  async setDefault(userId: string, addressId: string | null): Promise<void> {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.user(userId),
        UpdateExpression: 'SET defaultAddressId = :a',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':a': addressId },
      }),
    );
  },

  /** Clears the default only if it still points at this address (a concurrent change of default wins). */
  async clearDefaultIf(userId: string, addressId: string): Promise<void> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.user(userId),
          UpdateExpression: 'SET defaultAddressId = :null',
          ConditionExpression: 'defaultAddressId = :a',
          ExpressionAttributeValues: { ':a': addressId, ':null': null },
        }),
      );
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
    }
  },
};
