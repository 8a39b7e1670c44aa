import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Neighbour, RecModel } from '../../../shared/src/recs';
import { db, table } from '../lib/dynamo';
import { batchGet, keyId } from './batch';
import { keys } from './keys';
import { profileRepo, type ShopperState } from './profile-repo';

/** The live model's head: which version the neighbour lists belong to, and the ranked lists the feed falls back on. */
export interface RecModelHead {
  version: string;
  trainedAt: number;
  params: RecModel['params'];
  trainedOn: RecModel['trainedOn'];
  popular: RecModel['popular'];
  categoryPopular: RecModel['categoryPopular'];
  newest: RecModel['newest'];
}

/** How long a replaced version's neighbour lists stay (a scorer that read the old head still finds them). */
const RETIRED_AFTER_S = 2 * 24 * 3600;
/** The most products a shopper can turn down; the oldest go first. */
const MAX_DISLIKES = 200;

async function batchPut(items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, unknown[]> | undefined = { [table()]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      const out = await db().send(new BatchWriteCommand({ RequestItems: request as never }));
      request = out.UnprocessedItems as typeof request;
      if (request && Object.keys(request).length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}

function headOf(item: Record<string, unknown> | undefined): RecModelHead | null {
  if (!item) return null;
  const { PK: _pk, SK: _sk, ...head } = item;
  return head as unknown as RecModelHead;
}

export const recRepo = {
  async head(): Promise<RecModelHead | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.recModelHead }));
    return headOf(out.Item);
  },

  /**
   * What serving a shopper needs first, in ONE BatchGetItem: the model head, the shopper (consent) and their profile,
   * and their 不感兴趣 list. A visitor: the head alone.
   */
  async servingReads(userId: string | null): Promise<{ head: RecModelHead | null; shopper: ShopperState | null; disliked: string[] }> {
    const wanted = userId ? [keys.recModelHead, keys.user(userId), keys.shopperProfile(userId), keys.recDislikes(userId)] : [keys.recModelHead];
    const found = await batchGet(wanted);
    const get = (k: { PK: string; SK: string }) => found.get(keyId(k));
    return {
      head: headOf(get(keys.recModelHead)),
      shopper: userId ? profileRepo.fromItems(get(keys.user(userId)), get(keys.shopperProfile(userId))) : null,
      disliked: userId ? ((get(keys.recDislikes(userId))?.items as string[] | undefined) ?? []) : [],
    };
  },

  /**
   * Stores a trained model: every product's neighbour list under the new version first, then the head that makes the
   * version live (one put), so a reader never sees a head whose lists are not all there. Old versions expire by TTL.
   */
  async publish(model: RecModel, version: string, trainedAt: number): Promise<{ lists: number }> {
    const ttl = Math.floor(trainedAt / 1000) + RETIRED_AFTER_S;
    const lists = Object.entries(model.neighbours).filter(([, n]) => n.length > 0);
    // Written without TTL; the previous version's lists get theirs when this one goes live.
    await batchPut(lists.map(([productId, n]) => ({ ...keys.recNeighbours(productId, version), n, version })));
    const previous = await recRepo.head();
    const head: RecModelHead = {
      version,
      trainedAt,
      params: model.params,
      trainedOn: model.trainedOn,
      popular: model.popular,
      categoryPopular: model.categoryPopular,
      newest: model.newest,
    };
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.recModelHead, ...head },
        // Training runs may overlap: a slower, older run never replaces a newer model.
        ConditionExpression: 'attribute_not_exists(PK) OR trainedAt <= :at',
        ExpressionAttributeValues: { ':at': trainedAt },
      }),
    );
    if (previous && previous.version !== version) {
      const old = await batchGet(lists.map(([productId]) => keys.recNeighbours(productId, previous.version)), { consistent: false });
      await batchPut([...old.values()].map((item) => ({ ...item, ttl })));
    }
    return { lists: lists.length };
  },

  /** The neighbour lists of these products in one version (products without one are absent). */
  async neighbours(version: string, productIds: readonly string[]): Promise<Record<string, Neighbour[]>> {
    if (productIds.length === 0) return {};
    const wanted = productIds.map((p) => keys.recNeighbours(p, version));
    const found = await batchGet(wanted, { consistent: false });
    const out: Record<string, Neighbour[]> = {};
    productIds.forEach((p, i) => {
      const item = found.get(keyId(wanted[i]!));
      if (item) out[p] = item.n as Neighbour[];
    });
    return out;
  },

  async dislikes(userId: string): Promise<string[]> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.recDislikes(userId), ConsistentRead: true }));
    return (out.Item?.items as string[] | undefined) ?? [];
  },

  /**
   * Adds a product to the shopper's 不感兴趣 list once (a second tap changes nothing); the list keeps the newest
   * MAX_DISLIKES. The append is conditional on the product not being there, so two taps at once add it once.
   */
  async addDislike(userId: string, productId: string, now: number): Promise<number> {
    try {
      const out = await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.recDislikes(userId),
          UpdateExpression: 'SET #items = list_append(if_not_exists(#items, :empty), :one), updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(#items) OR NOT contains(#items, :p)',
          ExpressionAttributeNames: { '#items': 'items' },
          ExpressionAttributeValues: { ':empty': [], ':one': [productId], ':p': productId, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const items = (out.Attributes?.items as string[]) ?? [];
      if (items.length > MAX_DISLIKES) {
        // Trim from the front (oldest); only while the list is still the one just read.
        await db()
          .send(
            new UpdateCommand({
              TableName: table(),
              Key: keys.recDislikes(userId),
              UpdateExpression: `REMOVE ${Array.from({ length: items.length - MAX_DISLIKES }, (_, i) => `#items[${i}]`).join(', ')}`,
              ConditionExpression: 'size(#items) = :n',
              ExpressionAttributeNames: { '#items': 'items' },
              ExpressionAttributeValues: { ':n': items.length },
            }),
          )
          .catch(() => undefined);
        return MAX_DISLIKES;
      }
      return items.length;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return (await recRepo.dislikes(userId)).length;
      throw e;
    }
  },
};
