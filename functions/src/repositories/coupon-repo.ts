/**
 * Coupons a shopper holds, and the counters that limit claiming them.
 *
 *   held coupon     USER#<uid> / COUPON#<couponId>        status UNUSED → LOCKED (by an unpaid order) → USED
 *   claims of tpl   USER#<uid> / COUPONCLAIMS#<templateId> {count}   per-user limit
 *   template stock  COUPONTPL#<templateId> / STOCK          {claimed} stock limit (the stock is in the config)
 *
 * A held coupon is a snapshot of its template at claim time (kind, amounts, scope, validity), so an operator editing
 * or removing the template later never changes a coupon already in a shopper's hands.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Coupon } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { batchGet, keyId } from './batch';
import { keys } from './keys';
import { transact, TransactionRefused, type LabelledItem } from './transactions';

export interface CouponItem extends Coupon {
  userId: string;
  claimedAt: number;
  /** The drop it came from (claim_center, new_user_gift, …) and its campaign id. */
  trigger: string;
  campaignId: string;
  /** The order holding it while LOCKED, or that used it. */
  orderId: string | null;
  lockedAt: number | null;
  usedAt: number | null;
}

export type ClaimOutcome = 'claimed' | 'sold_out' | 'limit_reached' | 'busy' | 'already';

function clean(item: Record<string, unknown>): CouponItem {
  const { PK: _1, SK: _2, type: _3, ...rest } = item;
  return rest as unknown as CouponItem;
}

export const couponRepo = {
  /**
   * One claim, in one transaction: the template's claim count stays under its total stock, the shopper's claim count
   * under the per-user limit, and the coupon is created only if new. Of 64 shoppers racing for the last coupon, one
   * gets it; of 50 taps by one shopper on a limit-2 coupon, two succeed (litemall #581, macrozheng #134).
   */
  async claim(coupon: CouponItem, limits: { totalStock: number; perUserLimit: number }, once?: { PK: string; SK: string }): Promise<ClaimOutcome> {
    try {
      await transact(
        [
          {
            label: 'stock',
            Update: {
              TableName: table(),
              Key: keys.couponTemplateStock(coupon.templateId),
              UpdateExpression: 'SET templateId = :tpl ADD claimed :one',
              ConditionExpression: 'attribute_not_exists(claimed) OR claimed < :total',
              ExpressionAttributeValues: { ':tpl': coupon.templateId, ':one': 1, ':total': limits.totalStock },
            },
          },
          {
            label: 'limit',
            Update: {
              TableName: table(),
              Key: keys.couponClaims(coupon.userId, coupon.templateId),
              UpdateExpression: 'ADD #count :one',
              ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':one': 1, ':limit': limits.perUserLimit },
            },
          },
          {
            label: 'coupon',
            Put: {
              TableName: table(),
              Item: { ...keys.coupon(coupon.userId, coupon.id), type: 'coupon', ...coupon },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          // A scheduled drop's grant for one shopper and period: created only if new, so it happens once.
          ...(once
            ? [{ label: 'once', Put: { TableName: table(), Item: { ...once, type: 'dropGrant', couponId: coupon.id, at: coupon.claimedAt }, ConditionExpression: 'attribute_not_exists(PK)' } }]
            : []),
        ],
        { maxConflictRetries: 20 },
      );
      return 'claimed';
    } catch (e) {
      if (!(e instanceof TransactionRefused)) throw e;
      const failed = e.failed();
      if (failed.includes('once')) return 'already';
      if (failed.includes('stock')) return 'sold_out';
      if (failed.includes('limit')) return 'limit_reached';
      if (e.conflicted()) return 'busy';
      throw e;
    }
  },

  /** Every coupon the shopper holds, in any status (their own partition; consistent). */
  async listForUser(userId: string): Promise<CouponItem[]> {
    const items: CouponItem[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
          ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':p': keys.couponPrefix },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(out.Items ?? []).map(clean));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  },

  /** Claims made so far of each template, and how many of them this shopper made (null user = a visitor). */
  async claimCounts(templateIds: string[], userId: string | null): Promise<{ claimed: Map<string, number>; mine: Map<string, number> }> {
    const wanted = [
      ...templateIds.map((t) => keys.couponTemplateStock(t)),
      ...(userId ? templateIds.map((t) => keys.couponClaims(userId, t)) : []),
    ];
    const found = wanted.length ? await batchGet(wanted, { consistent: false }) : new Map();
    const claimed = new Map(templateIds.map((t) => [t, Number(found.get(keyId(keys.couponTemplateStock(t)))?.claimed ?? 0)]));
    const mine = new Map(templateIds.map((t) => [t, userId ? Number(found.get(keyId(keys.couponClaims(userId, t)))?.count ?? 0) : 0]));
    return { claimed, mine };
  },

  // ───── transaction items for the order that uses the coupons (order-repo puts them in its transactions) ─────

  /**
   * UNUSED → LOCKED by this order. The owner is checked twice: the key is in the shopper's own partition, and the
   * item says whose it is (litemall never checks who owns the coupon being used). Valid now, too.
   */
  lockItems(userId: string, couponIds: string[], orderId: string, now: number): LabelledItem[] {
    return couponIds.map((id) => ({
      label: `coupon:${id}`,
      Update: {
        TableName: table(),
        Key: keys.coupon(userId, id),
        UpdateExpression: 'SET #status = :locked, orderId = :oid, lockedAt = :now',
        ConditionExpression: 'userId = :me AND #status = :unused AND validFrom <= :now AND validTo > :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':locked': 'LOCKED', ':unused': 'UNUSED', ':oid': orderId, ':me': userId, ':now': now },
      },
    }));
  },

  /** LOCKED by this order → USED (payment). */
  useItems(userId: string, couponIds: string[], orderId: string, now: number): LabelledItem[] {
    return couponIds.map((id) => ({
      label: `coupon:${id}`,
      Update: {
        TableName: table(),
        Key: keys.coupon(userId, id),
        UpdateExpression: 'SET #status = :used, usedAt = :now',
        ConditionExpression: '#status = :locked AND orderId = :oid',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':used': 'USED', ':locked': 'LOCKED', ':oid': orderId, ':now': now },
      },
    }));
  },

  /**
   * Held by this order (LOCKED, or USED once paid) → UNUSED again: cancel, timeout, full refund. The order's own
   * status condition in the same transaction makes this happen once.
   */
  releaseItems(userId: string, couponIds: string[], orderId: string): LabelledItem[] {
    return couponIds.map((id) => ({
      label: `coupon:${id}`,
      Update: {
        TableName: table(),
        Key: keys.coupon(userId, id),
        UpdateExpression: 'SET #status = :unused, orderId = :null, lockedAt = :null, usedAt = :null',
        ConditionExpression: 'orderId = :oid AND #status IN (:locked, :used)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unused': 'UNUSED', ':locked': 'LOCKED', ':used': 'USED', ':oid': orderId, ':null': null },
      },
    }));
  },

  /**
   * A payment that arrives after its order was cancelled (and its coupons released): the coupons are taken again,
   * straight to USED, only if the shopper has not used them elsewhere meanwhile.
   */
  retakeAsUsedItems(userId: string, couponIds: string[], orderId: string, now: number): LabelledItem[] {
    return couponIds.map((id) => ({
      label: `coupon:${id}`,
      Update: {
        TableName: table(),
        Key: keys.coupon(userId, id),
        UpdateExpression: 'SET #status = :used, orderId = :oid, lockedAt = :now, usedAt = :now',
        ConditionExpression: 'userId = :me AND #status = :unused',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':used': 'USED', ':unused': 'UNUSED', ':oid': orderId, ':me': userId, ':now': now },
      },
    }));
  },
};
