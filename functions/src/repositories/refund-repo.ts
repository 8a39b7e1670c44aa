import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderStatus } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { promotionReturnItems, type OrderItem, type StockMove, type TimelineEntry } from './order-repo';
import { transact, TransactionRefused, type LabelledItem } from './transactions';

export type RefundStatus = 'REFUNDING' | 'REFUNDED' | 'REFUND_FAILED';

export interface RefundItem {
  outRefundNo: string;
  orderId: string;
  userId: string;
  reason: string;
  amountFen: number;
  /** Units per line this refund covers (empty for a full refund of the whole order). */
  lines: { skuId: string; quantity: number; amountFen: number }[];
  full: boolean;
  status: RefundStatus;
  refundId: string | null;
  createdAt: number;
  finishedAt: number | null;
  /** Times the provider call was attempted (reconciliation retries the call while WeChat has no record). */
  attempts: number;
}

function clean(item: Record<string, unknown>): RefundItem {
  const { PK: _1, SK: _2, GSI3PK: _3, GSI3SK: _4, type: _5, ...rest } = item;
  return rest as unknown as RefundItem;
}

export type StartRefundResult = { started: true; refund: RefundItem } | { started: false; reason: 'DUPLICATE' | 'STALE' };

export const refundRepo = {
  /**
   * Starts a refund in one transaction: the refund record is created only if its out_refund_no is new, and the
   * order's refunded total moves only if nobody changed it since `order` was read (so concurrent refunds are planned
   * on the same numbers and the total can never pass what was paid). A full refund also moves the order to
   * REFUNDING, from one of `fromStatuses`; `restock` returns the refunded units to stock in the same step, and
   * `returnPromotions` the order's coupons (USED → UNUSED) and flash-sale and gift quotas, once, with the status move.
   */
  async start(args: {
    order: OrderItem;
    refund: RefundItem;
    fromStatuses: OrderStatus[];
    restock: StockMove[];
    /** Give the order's coupons and campaign quotas back (a full refund of an order that still holds them). */
    returnPromotions?: boolean;
    note: string;
    now: number;
  }): Promise<StartRefundResult> {
    const { order, refund, now } = args;
    const paidFen = order.paidFen ?? 0;
    // Nobody else refunded since `order` was read, and the new total stays within what WeChat says was paid.
    const names: Record<string, string> = { '#status': 'status' };
    const seen = order.refundedFen ?? 0;
    if (seen + refund.amountFen > paidFen) return { started: false, reason: 'STALE' };
    const values: Record<string, unknown> = { ':seen': seen, ':total': seen + refund.amountFen };
    const sets = ['refundedFen = :total'];
    refund.lines.forEach((l, i) => {
      names[`#l${i}`] = l.skuId;
      values[`:l${i}`] = {
        quantity: (order.refundedLines?.[l.skuId]?.quantity ?? 0) + l.quantity,
        fen: (order.refundedLines?.[l.skuId]?.fen ?? 0) + l.amountFen,
      };
      sets.push(`refundedLines.#l${i} = :l${i}`);
    });
    const statusList = args.fromStatuses.map((s, i) => ((values[`:from${i}`] = s), `:from${i}`));
    if (refund.full) {
      const entry: TimelineEntry = { at: now, status: 'REFUNDING', note: args.note };
      sets.push('#status = :refunding', 'timeline = list_append(timeline, :entry)', 'GSI2PK = :tab');
      values[':refunding'] = 'REFUNDING';
      values[':entry'] = [entry];
      values[':tab'] = keys.orderTab(order.userId, order.id, 'REFUNDING').GSI2PK;
    }
    const items: LabelledItem[] = [
      {
        label: 'refund',
        Put: {
          TableName: table(),
          Item: { ...keys.refund(order.id, refund.outRefundNo), ...keys.refundDue(refund.createdAt, refund.outRefundNo), type: 'refund', ...refund },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        label: 'order',
        Update: {
          TableName: table(),
          Key: keys.order(order.id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          // The amount is checked against what was paid here, in the write, not only in the service's plan.
          ConditionExpression: `#status IN (${statusList.join(', ')}) AND refundedFen = :seen AND paidFen >= :total`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...args.restock.map<LabelledItem>((m) => ({
        label: `restock:${m.skuId}`,
        Update: {
          TableName: table(),
          Key: keys.sku(m.productId, m.skuId),
          UpdateExpression: 'ADD stock :q, sold :negq',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':q': m.quantity, ':negq': -m.quantity },
        },
      })),
      ...(args.returnPromotions ? promotionReturnItems(order) : []),
    ];
    try {
      await transact(items);
      return { started: true, refund };
    } catch (e) {
      if (!(e instanceof TransactionRefused)) throw e;
      if (e.failed().includes('refund')) return { started: false, reason: 'DUPLICATE' };
      if (e.failed().includes('order')) return { started: false, reason: 'STALE' };
      throw e;
    }
  },

  async forOrder(orderId: string): Promise<RefundItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': keys.orderPartition(orderId), ':p': keys.refundPrefix },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(clean).sort((a, b) => a.createdAt - b.createdAt);
  },

  async noteAttempt(orderId: string, outRefundNo: string): Promise<void> {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.refund(orderId, outRefundNo),
        UpdateExpression: 'ADD attempts :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  },

  /**
   * REFUNDING → REFUNDED or REFUND_FAILED, once (the notification and reconciliation may both report it).
   * A full refund that succeeded also moves the order REFUNDING → REFUNDED, in the same transaction.
   */
  async finish(refund: RefundItem, args: { status: 'REFUNDED' | 'REFUND_FAILED'; refundId: string | null; now: number; userId: string }): Promise<boolean> {
    const items: LabelledItem[] = [
      {
        label: 'refund',
        Update: {
          TableName: table(),
          Key: keys.refund(refund.orderId, refund.outRefundNo),
          UpdateExpression: 'SET #status = :status, refundId = :rid, finishedAt = :now REMOVE GSI3PK, GSI3SK',
          ConditionExpression: '#status = :refunding',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': args.status, ':rid': args.refundId, ':now': args.now, ':refunding': 'REFUNDING' },
        },
      },
    ];
    if (refund.full && args.status === 'REFUNDED') {
      const entry: TimelineEntry = { at: args.now, status: 'REFUNDED', note: '退款已到账' };
      items.push({
        label: 'order',
        Update: {
          TableName: table(),
          Key: keys.order(refund.orderId),
          UpdateExpression: 'SET #status = :refunded, timeline = list_append(timeline, :entry), GSI2PK = :tab',
          ConditionExpression: '#status = :refunding',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':refunded': 'REFUNDED',
            ':refunding': 'REFUNDING',
            ':entry': [entry],
            ':tab': keys.orderTab(args.userId, refund.orderId, 'REFUNDED').GSI2PK,
          },
        },
      });
    }
    try {
      await transact(items);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().length) return false;
      throw e;
    }
  },

  /** Refunds still REFUNDING that started before `before`, oldest first. */
  async pendingBefore(before: number, limit = 100): Promise<RefundItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :before',
        ExpressionAttributeValues: { ':pk': keys.refundDuePartition, ':before': keys.dueBefore(before) },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(clean);
  },
};

