/**
 * Reviews and their product totals. A review lives in its order's partition (`REVIEW#<skuId>`), so "one review per
 * order line" is the item's own `attribute_not_exists`, and it is written in ONE transaction with the order's
 * condition (COMPLETED, the shopper's) and the product's totals (one of REVIEW_SHARDS shards, so concurrent reviews
 * of one product rarely meet on an item). Hiding and showing again move the totals in the same way, so the totals are
 * always the sum of the visible reviews, and no page view ever counts reviews.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addTotals, emptyTotals, fnv1a32, ratingBucket, topScore, type ReviewTotals } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { isConditionFailed, transact, TransactionRefused, type LabelledItem } from './transactions';

/** Shards of a product's totals. Never lowered (a review remembers its shard for hiding). */
const REVIEW_SHARDS = 16;

export interface ReviewFollowUp {
  text: string;
  photos: string[];
  at: number;
}

export interface ReviewItem {
  /** `<orderId>_<skuId>`. */
  id: string;
  orderId: string;
  skuId: string;
  productId: string;
  userId: string;
  /** The line as bought. */
  title: string;
  specText: string;
  image: string;
  stars: number;
  text: string;
  photos: string[];
  tags: string[];
  anonymous: boolean;
  /** The reviewer as they were named when they wrote it. */
  nickname: string;
  avatar: string;
  createdAt: number;
  shard: number;
  hidden: boolean;
  hiddenReason?: string;
  hiddenBy?: string;
  hiddenAt?: number;
  followUp?: ReviewFollowUp;
}

export type ReviewList = 'ALL' | 'GOOD' | 'NEUTRAL' | 'BAD' | 'PHOTO' | 'TOP';
const LIST_INDEX: Record<ReviewList, 1 | 2 | 3 | 4> = { ALL: 1, GOOD: 2, NEUTRAL: 2, BAD: 2, PHOTO: 3, TOP: 4 };

export function reviewId(orderId: string, skuId: string): string {
  return `${orderId}_${skuId}`;
}

/** The order id and SKU a review id names, or null for a malformed one. */
export function parseReviewId(id: string): { orderId: string; skuId: string } | null {
  const m = /^([0-9A-HJKMNP-TV-Z]{26})_([a-z0-9][a-z0-9-]{0,63})$/.exec(id);
  return m ? { orderId: m[1], skuId: m[2] } : null;
}

function indexKeys(r: ReviewItem) {
  return keys.reviewIndexes({
    productId: r.productId,
    reviewId: r.id,
    createdAt: r.createdAt,
    bucket: ratingBucket(r.stars),
    hasPhotos: r.photos.length > 0,
    topScore: topScore({ stars: r.stars, photos: r.photos.length, textLength: [...r.text].length }),
  });
}

/** The ADD of one review into (sign 1) or out of (sign -1) its product's totals shard. */
function totalsUpdate(r: ReviewItem, sign: 1 | -1): LabelledItem {
  const names: Record<string, string> = { '#count': 'count', '#stars': `s${r.stars}` };
  const adds = ['#count :d', '#stars :d'];
  if (r.photos.length > 0) {
    names['#photo'] = 'photo';
    adds.push('#photo :d');
  }
  r.tags.forEach((tag, i) => {
    names[`#t${i}`] = `tag:${tag}`;
    adds.push(`#t${i} :d`);
  });
  return {
    label: 'totals',
    Update: {
      TableName: table(),
      Key: keys.reviewTotals(r.productId, r.shard),
      UpdateExpression: `SET productId = :pid ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':d': sign, ':pid': r.productId },
    },
  };
}

function totalsOf(item: Record<string, unknown>): ReviewTotals {
  const n = (k: string) => Number(item[k] ?? 0);
  const tags: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) if (k.startsWith('tag:')) tags[k.slice(4)] = Number(v);
  return { count: n('count'), stars: [n('s1'), n('s2'), n('s3'), n('s4'), n('s5')], withPhoto: n('photo'), tags };
}

export const reviewRepo = {
  shardFor(id: string): number {
    return fnv1a32(id) % REVIEW_SHARDS;
  },

  /**
   * The review, the order's condition (COMPLETED and the reviewer's) and the product's totals, in one transaction.
   * `exists` when the line has its review already; `order` when the order is not (or no longer) the reviewer's
   * completed order.
   */
  async create(r: ReviewItem): Promise<'created' | 'exists' | 'order'> {
    try {
      await transact(
        [
          {
            label: 'review',
            Put: {
              TableName: table(),
              Item: { ...keys.review(r.orderId, r.skuId), ...indexKeys(r), type: 'review', ...r },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            label: 'order',
            ConditionCheck: {
              TableName: table(),
              Key: keys.order(r.orderId),
              ConditionExpression: '#status = :completed AND userId = :uid',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':completed': 'COMPLETED', ':uid': r.userId },
            },
          },
          totalsUpdate(r, 1),
        ],
        // Many reviews of one product at once meet on its shards and orders: conflicts only mean "try again".
        { maxConflictRetries: 40 },
      );
      return 'created';
    } catch (e) {
      if (!(e instanceof TransactionRefused)) throw e;
      const failed = e.failed();
      if (failed.includes('review')) return 'exists';
      if (failed.includes('order')) return 'order';
      throw e;
    }
  },

  async get(orderId: string, skuId: string): Promise<ReviewItem | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.review(orderId, skuId), ConsistentRead: true }));
    return out.Item ? clean(out.Item) : null;
  },

  /** The reviews of one order's lines. */
  async forOrder(orderId: string): Promise<ReviewItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.order(orderId).PK, ':prefix': keys.reviewPrefix },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(clean);
  },

  /** 追评: once, by the reviewer. False when the review is not theirs or already has one. */
  async addFollowUp(orderId: string, skuId: string, userId: string, followUp: ReviewFollowUp): Promise<boolean> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.review(orderId, skuId),
          UpdateExpression: 'SET followUp = :f',
          ConditionExpression: 'attribute_exists(PK) AND userId = :uid AND attribute_not_exists(followUp)',
          ExpressionAttributeValues: { ':f': followUp, ':uid': userId },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /**
   * Hides (out of every list and the totals) or shows again, in one transaction with the totals; false when the
   * review already was that way (a concurrent or repeated call changes nothing twice).
   */
  async setHidden(r: ReviewItem, hidden: boolean, args: { reason: string; actor: string; now: number; extra?: LabelledItem[] }): Promise<boolean> {
    const index = indexKeys(r);
    const indexNames = Object.keys(index);
    const update: LabelledItem = hidden
      ? {
          label: 'review',
          Update: {
            TableName: table(),
            Key: keys.review(r.orderId, r.skuId),
            UpdateExpression: `SET #hidden = :to, hiddenReason = :reason, hiddenBy = :actor, hiddenAt = :now REMOVE ${indexNames.join(', ')}`,
            ConditionExpression: 'attribute_exists(PK) AND #hidden = :from',
            ExpressionAttributeNames: { '#hidden': 'hidden' },
            ExpressionAttributeValues: { ':to': true, ':from': false, ':reason': args.reason, ':actor': args.actor, ':now': args.now },
          },
        }
      : {
          label: 'review',
          Update: {
            TableName: table(),
            Key: keys.review(r.orderId, r.skuId),
            UpdateExpression: `SET #hidden = :to, hiddenReason = :reason, hiddenBy = :actor, hiddenAt = :now, ${indexNames.map((k) => `${k} = :${k}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(PK) AND #hidden = :from',
            ExpressionAttributeNames: { '#hidden': 'hidden' },
            ExpressionAttributeValues: {
              ':to': false,
              ':from': true,
              ':reason': args.reason,
              ':actor': args.actor,
              ':now': args.now,
              ...Object.fromEntries(Object.entries(index).map(([k, v]) => [`:${k}`, v])),
            },
          },
        };
    try {
      await transact([update, totalsUpdate(r, hidden ? -1 : 1), ...(args.extra ?? [])], { maxConflictRetries: 40 });
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().includes('review')) return false;
      throw e;
    }
  },

  /** A page of a product's visible reviews, newest first (TOP: best first). */
  async list(
    productId: string,
    list: ReviewList,
    limit: number,
    after?: { orderId: string; skuId: string; sortKey: string },
  ): Promise<{ items: ReviewItem[]; last: { orderId: string; skuId: string; sortKey: string } | null }> {
    const n = LIST_INDEX[list];
    const pk = keys.reviewListPartition(productId, list);
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: `GSI${n}`,
        KeyConditionExpression: `GSI${n}PK = :pk`,
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit,
        ...(after
          ? { ExclusiveStartKey: { ...keys.review(after.orderId, after.skuId), [`GSI${n}PK`]: pk, [`GSI${n}SK`]: after.sortKey } }
          : {}),
      }),
    );
    const items = (out.Items ?? []).map(clean);
    const lastKey = out.LastEvaluatedKey;
    const lastItem = items[items.length - 1];
    return {
      items,
      last: lastKey && lastItem ? { orderId: lastItem.orderId, skuId: lastItem.skuId, sortKey: String(lastKey[`GSI${n}SK`]) } : null,
    };
  },

  /** The product's totals: the sum of its shards (one query of at most REVIEW_SHARDS small items). */
  async totals(productId: string): Promise<ReviewTotals> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.reviewTotalsPartition(productId) },
      }),
    );
    return (out.Items ?? []).map(totalsOf).reduce(addTotals, emptyTotals());
  },
};

const INTERNAL = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK', 'type'];
function clean(item: Record<string, unknown>): ReviewItem {
  const out: Record<string, unknown> = { ...item };
  for (const k of INTERNAL) delete out[k];
  return out as unknown as ReviewItem;
}
