import { BatchWriteCommand, DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { emptyProfile, type PrivacySettings, type ShopperProfile } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { batchGet, keyId } from './batch';
import { keys } from './keys';
import { isConditionFailed, type LabelledItem } from './transactions';

/** A profile and the revision it was read at (0: none yet); every write is conditioned on that revision. */
export interface ProfileWrite {
  profile: ShopperProfile;
  rev: number;
}

/** A shopper as profiles see them: consent, account creation, and the profile item. */
export interface ShopperState extends ProfileWrite {
  /** False when there is no user item (an unknown id). */
  exists: boolean;
  createdAt: number | null;
  privacy: PrivacySettings;
}

export interface FootprintItem {
  userId: string;
  productId: string;
  /** What the product was called and looked like when viewed, for a product that no longer exists. */
  title: string;
  image: string;
  viewedAt: number;
  /** Epoch seconds: DynamoDB deletes a 足迹 row this long after the last view. */
  ttl: number;
}

/** Consent is kept on the user item; absent = on (the default). */
function privacyOf(user: Record<string, unknown> | undefined): PrivacySettings {
  return { personalizedRecs: user?.personalizedRecs !== false, behaviourData: user?.behaviourData !== false };
}

function profileOf(item: Record<string, unknown> | undefined): ProfileWrite {
  if (!item) return { profile: emptyProfile(), rev: 0 };
  const { firstSeenAt, lastEventAt, recent, interests, orders } = item as unknown as ShopperProfile;
  return { profile: { firstSeenAt, lastEventAt, recent, interests, orders }, rev: Number(item.rev ?? 0) };
}

function cleanFootprint(item: Record<string, unknown>): FootprintItem {
  const { userId, productId, title, image, viewedAt, ttl } = item as unknown as FootprintItem;
  return { userId, productId, title, image, viewedAt, ttl };
}

export const profileRepo = {
  /** The user item and the profile item in one BatchGetItem (consistent). */
  async read(userId: string): Promise<ShopperState> {
    const found = await batchGet([keys.user(userId), keys.shopperProfile(userId)]);
    return profileRepo.fromItems(found.get(keyId(keys.user(userId))), found.get(keyId(keys.shopperProfile(userId))));
  },

  /** The shopper from the user item and the profile item a caller read itself (absent: undefined). */
  fromItems(user: Record<string, unknown> | undefined, profile: Record<string, unknown> | undefined): ShopperState {
    return { exists: user !== undefined, createdAt: (user?.createdAt as number | undefined) ?? null, privacy: privacyOf(user), ...profileOf(profile) };
  },

  /** Transaction item: the shopper exists and has not turned 行为数据 off. */
  consentCheck(userId: string): LabelledItem {
    return {
      label: 'consent',
      ConditionCheck: {
        TableName: table(),
        Key: keys.user(userId),
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(behaviourData) OR behaviourData = :on)',
        ExpressionAttributeValues: { ':on': true },
      },
    };
  },

  /** Transaction item: the profile, put only over the revision it was computed from (and one revision on). */
  profilePut(userId: string, w: ProfileWrite): LabelledItem {
    return { label: 'profile', Put: profilePutInput(userId, w) };
  },

  /** The profile alone (a paid order, a 足迹 delete); false when another write moved it first (read again). */
  async saveProfile(userId: string, w: ProfileWrite): Promise<boolean> {
    try {
      await db().send(new PutCommand(profilePutInput(userId, w)));
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  footprintPut(f: FootprintItem): LabelledItem {
    return {
      label: `footprint:${f.productId}`,
      Put: { TableName: table(), Item: { ...keys.footprint(f.userId, f.productId), ...keys.footprintIndex(f.userId, f.viewedAt, f.productId), type: 'footprint', ...f } },
    };
  },

  /** Sets the switches given; the user must exist. Returns both switches as now kept. */
  async setPrivacy(userId: string, change: Partial<PrivacySettings>): Promise<PrivacySettings> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const field of ['personalizedRecs', 'behaviourData'] as const) {
      if (change[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = change[field];
      sets.push(`#${field} = :${field}`);
    }
    const out = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.user(userId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return privacyOf(out.Attributes);
  },

  /** A page of 足迹, latest view first, starting after `after` (the last row of the previous page). */
  async footprintPage(userId: string, limit: number, after?: { productId: string; viewedAt: number }): Promise<{ items: FootprintItem[]; more: boolean }> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.userFootprintsPartition(userId) },
        ScanIndexForward: false,
        Limit: limit + 1,
        ExclusiveStartKey: after ? { ...keys.footprint(userId, after.productId), ...keys.footprintIndex(userId, after.viewedAt, after.productId) } : undefined,
      }),
    );
    const items = (out.Items ?? []).map(cleanFootprint);
    return { items: items.slice(0, limit), more: items.length > limit };
  },

  /** Deletes one 足迹 row; false when there was none. */
  async removeFootprint(userId: string, productId: string): Promise<boolean> {
    try {
      await db().send(new DeleteCommand({ TableName: table(), Key: keys.footprint(userId, productId), ConditionExpression: 'attribute_exists(PK)' }));
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /** Deletes every 足迹 row of the shopper (their own partition only); returns how many there were. */
  async clearFootprints(userId: string): Promise<number> {
    let removed = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :foot)',
          ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':foot': keys.footprintPrefix },
          ProjectionExpression: 'PK, SK',
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      const rows = (page.Items ?? []) as { PK: string; SK: string }[];
      for (let i = 0; i < rows.length; i += 25) {
        let request: Record<string, unknown[]> | undefined = {
          [table()]: rows.slice(i, i + 25).map((k) => ({ DeleteRequest: { Key: { PK: k.PK, SK: k.SK } } })),
        };
        for (let attempt = 0; request && Object.keys(request).length; attempt++) {
          const out = await db().send(new BatchWriteCommand({ RequestItems: request as never }));
          request = out.UnprocessedItems as typeof request;
          if (request && Object.keys(request).length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
        }
      }
      removed += rows.length;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return removed;
  },
};

function profilePutInput(userId: string, w: ProfileWrite) {
  return {
    TableName: table(),
    Item: { ...keys.shopperProfile(userId), type: 'shopperProfile', userId, rev: w.rev + 1, ...w.profile },
    ConditionExpression: w.rev === 0 ? 'attribute_not_exists(PK)' : 'rev = :rev',
    ...(w.rev === 0 ? {} : { ExpressionAttributeValues: { ':rev': w.rev } }),
  };
}
