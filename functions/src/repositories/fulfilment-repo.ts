/**
 * Fulfilment's items: parcels (ORDER#<oid> / PARCEL#<nn>), one owner per tracking number (TRACKNO#…), the receipt due
 * index on a shipped order (DUE#RECEIPT), the shipping-info upload claims and the operator log (OPSLOG#<day>).
 * Shipping is the table's SHIP move with the parcels, their numbers and the log entry in ONE transaction; receipt is
 * the table's CONFIRM_RECEIPT move, which drops the due index in the same write.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TrackingStage } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { newId } from '../lib/ids';
import type { OrderItem } from '../domain/order';
import { keys } from './keys';
import { transitionUpdate } from './order-transitions';
import { isConditionFailed, transact, TransactionRefused, type LabelledItem } from './transactions';

export interface TrackingEvent {
  at: number;
  stage: TrackingStage;
  text: string;
}

export interface ParcelItem {
  orderId: string;
  parcelNo: number;
  carrier: string;
  trackingNo: string;
  lines: { skuId: string; quantity: number }[];
  shippedAt: number;
  stage: TrackingStage;
  deliveredAt: number | null;
  /** Oldest first as received. */
  events: TrackingEvent[];
}

export interface OpsLogEntry {
  at: number;
  actor: string;
  action: string;
  target: string;
  summary: string;
}

function parcelOf(item: Record<string, unknown>): ParcelItem {
  const { orderId, parcelNo, carrier, trackingNo, lines, shippedAt, stage, deliveredAt, events } = item as unknown as ParcelItem;
  return { orderId, parcelNo, carrier, trackingNo, lines, shippedAt, stage, deliveredAt: deliveredAt ?? null, events: events ?? [] };
}

function logItem(entry: OpsLogEntry): LabelledItem {
  return {
    label: 'opsLog',
    Put: { TableName: table(), Item: { ...keys.opsLog(entry.at, newId(entry.at)), type: 'opsLog', ...entry }, ConditionExpression: 'attribute_not_exists(PK)' },
  };
}

function parcelItems(parcels: ParcelItem[]): LabelledItem[] {
  return parcels.flatMap<LabelledItem>((p) => [
    {
      label: `parcel:${p.parcelNo}`,
      Put: { TableName: table(), Item: { ...keys.parcel(p.orderId, p.parcelNo), type: 'parcel', ...p }, ConditionExpression: 'attribute_not_exists(PK)' },
    },
    {
      label: `trackingNo:${p.parcelNo}`,
      Put: {
        TableName: table(),
        Item: { ...keys.trackingNumber(p.carrier, p.trackingNo), type: 'trackingNo', orderId: p.orderId, parcelNo: p.parcelNo },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  ]);
}

/** Why a shipping transaction was refused, for the operator. */
export type ShipRefusal = 'order' | 'trackingNo' | 'parcel';

function refusalOf(e: unknown): ShipRefusal {
  if (!(e instanceof TransactionRefused)) throw e;
  const failed = e.failed();
  if (failed.includes('order')) return 'order';
  if (failed.some((f) => f.startsWith('trackingNo:'))) return 'trackingNo';
  if (failed.some((f) => f.startsWith('parcel:'))) return 'parcel';
  throw e;
}

export const fulfilmentRepo = {
  /**
   * SHIP: PAID → SHIPPED by the transition table (a group order only once its group succeeded), with the parcels,
   * their tracking numbers (each used once in the shop), the receipt due index and the operator's log entry.
   */
  async ship(args: { order: OrderItem; parcels: ParcelItem[]; allDelivered: boolean; receiptDueAt: number; now: number; log: OpsLogEntry }): Promise<'applied' | ShipRefusal> {
    const { order, now } = args;
    const due = keys.receiptDue(args.receiptDueAt, order.id);
    const move = transitionUpdate(order, 'SHIP', {
      now,
      note: args.parcels.length > 1 ? `商家已发货（分 ${args.parcels.length} 个包裹）` : undefined,
      extra: {
        sets: ['shippedAt = :x_now', 'shipment = :x_shipment', 'receiptDueAt = :x_due', 'deliveredAt = :x_nil', 'GSI3PK = :x_duePk', 'GSI3SK = :x_dueSk'],
        values: {
          ':x_now': now,
          ':x_shipment': { parcels: args.parcels.length, allDelivered: args.allDelivered, version: 1 },
          ':x_due': args.receiptDueAt,
          ':x_nil': null,
          ':x_duePk': due.GSI3PK,
          ':x_dueSk': due.GSI3SK,
        },
      },
    });
    try {
      await transact([move, ...parcelItems(args.parcels), logItem(args.log)]);
      return 'applied';
    } catch (e) {
      return refusalOf(e);
    }
  },

  /**
   * More parcels of a shipped order whose shipment was not complete: only while the order is SHIPPED, not yet all
   * sent, and still has the parcel count the caller saw (two operators cannot number the same parcel). Raises the
   * shipment version (WeChat's update upload) and, unless tracking already said delivered, the receipt due.
   */
  async addParcels(args: { order: OrderItem; parcels: ParcelItem[]; allDelivered: boolean; receiptDueAt: number; now: number; log: OpsLogEntry }): Promise<'applied' | ShipRefusal> {
    const { order, now } = args;
    const seen = order.shipment?.parcels ?? 0;
    const due = keys.receiptDue(args.receiptDueAt, order.id);
    const update: LabelledItem = {
      label: 'order',
      Update: {
        TableName: table(),
        Key: keys.order(order.id),
        UpdateExpression:
          'SET shippedAt = :now, shipment.parcels = :count, shipment.allDelivered = :all, receiptDueAt = :due, GSI3PK = :duePk, GSI3SK = :dueSk, deliveredAt = :nil ADD shipment.version :one',
        ConditionExpression: '#status = :shipped AND shipment.allDelivered = :false AND shipment.parcels = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':now': now,
          ':count': seen + args.parcels.length,
          ':all': args.allDelivered,
          ':due': args.receiptDueAt,
          ':duePk': due.GSI3PK,
          ':dueSk': due.GSI3SK,
          ':nil': null,
          ':one': 1,
          ':shipped': 'SHIPPED',
          ':false': false,
          ':seen': seen,
        },
      },
    };
    try {
      await transact([update, ...parcelItems(args.parcels), logItem(args.log)]);
      return 'applied';
    } catch (e) {
      return refusalOf(e);
    }
  },

  async parcels(orderId: string): Promise<ParcelItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': keys.order(orderId).PK, ':sk': keys.parcelPrefix },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(parcelOf);
  },

  async parcelByNumber(carrier: string, trackingNo: string): Promise<ParcelItem | null> {
    const owner = await db().send(new GetCommand({ TableName: table(), Key: keys.trackingNumber(carrier, trackingNo), ConsistentRead: true }));
    if (!owner.Item) return null;
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.parcel(owner.Item.orderId as string, owner.Item.parcelNo as number), ConsistentRead: true }));
    return out.Item ? parcelOf(out.Item) : null;
  },

  /**
   * The parcel's timeline as the tracking service now reports it (its full list replaces ours when it is at least as
   * long: pushes may arrive out of order). False when ours was already as complete.
   */
  async recordTracking(p: ParcelItem, events: TrackingEvent[], stage: TrackingStage, deliveredAt: number | null): Promise<boolean> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.parcel(p.orderId, p.parcelNo),
          UpdateExpression: 'SET events = :events, stage = :stage, deliveredAt = :delivered, eventCount = :n',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(eventCount) OR eventCount < :n OR (eventCount = :n AND stage <> :stage))',
          ExpressionAttributeValues: { ':events': events, ':stage': stage, ':delivered': deliveredAt, ':n': events.length },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /**
   * Every parcel delivered: the order's delivery time and its earlier receipt due (N days after delivery), only while it
   * is SHIPPED and its shipment complete. False when that no longer holds or was already recorded.
   */
  async markDelivered(orderId: string, deliveredAt: number, receiptDueAt: number): Promise<boolean> {
    const due = keys.receiptDue(receiptDueAt, orderId);
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.order(orderId),
          UpdateExpression: 'SET deliveredAt = :at, receiptDueAt = :due, GSI3PK = :pk, GSI3SK = :sk',
          ConditionExpression: '#status = :shipped AND shipment.allDelivered = :true AND (attribute_not_exists(deliveredAt) OR deliveredAt = :nil)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': deliveredAt, ':due': receiptDueAt, ':pk': due.GSI3PK, ':sk': due.GSI3SK, ':shipped': 'SHIPPED', ':true': true, ':nil': null },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /**
   * CONFIRM_RECEIPT by the table (SHIPPED → COMPLETED), the due index dropped in the same write. `auto` also requires
   * the due time to have passed, whoever's clock fired. False when the order had already moved.
   */
  async receive(order: OrderItem, by: 'shopper' | 'wechat' | 'auto', now: number): Promise<boolean> {
    const note = by === 'auto' ? '超时自动确认收货' : by === 'wechat' ? '已在微信中确认收货' : '买家已确认收货';
    try {
      await transact([
        transitionUpdate(order, 'CONFIRM_RECEIPT', {
          now,
          note,
          extra: {
            sets: ['receivedAt = :x_now', 'receivedBy = :x_by'],
            removes: ['GSI3PK', 'GSI3SK'],
            values: { ':x_now': now, ':x_by': by },
            ...(by === 'auto' ? { condition: 'receiptDueAt <= :x_now' } : {}),
          },
        }),
      ]);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().includes('order')) return false;
      throw e;
    }
  },

  /** A due entry left on an order that is no longer SHIPPED (refunded meanwhile): dropped so the sweep moves on. */
  async dropStaleDue(orderId: string): Promise<void> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.order(orderId),
          UpdateExpression: 'REMOVE GSI3PK, GSI3SK',
          ConditionExpression: '#status <> :shipped AND GSI3PK = :pk',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':shipped': 'SHIPPED', ':pk': keys.receiptDuePartition },
        }),
      );
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
    }
  },

  /** Shipped orders whose receipt is due, oldest first. */
  async dueForReceipt(now: number, limit = 100): Promise<string[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :before',
        ExpressionAttributeValues: { ':pk': keys.receiptDuePartition, ':before': keys.dueBefore(now) },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => i.id as string);
  },

  /**
   * Claims the upload of shipment `version` (attribute_not_exists, or retried after a FAILED attempt). False when it
   * was sent already or is being sent.
   */
  async claimUpload(orderId: string, version: number, now: number): Promise<boolean> {
    try {
      await db().send(
        new PutCommand({
          TableName: table(),
          Item: { ...keys.shippingUpload(orderId, version), type: 'shippingUpload', status: 'SENDING', at: now },
          ConditionExpression: 'attribute_not_exists(PK) OR #s = :failed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':failed': 'FAILED' },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  async finishUpload(orderId: string, version: number, status: 'SENT' | 'FAILED', detail: string): Promise<void> {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.shippingUpload(orderId, version),
        UpdateExpression: 'SET #s = :s, detail = :d',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ':d': detail },
      }),
    );
  },

  /** A log entry for an operator action that writes nothing else (or whose write is not a transaction of ours). */
  async log(entry: OpsLogEntry): Promise<void> {
    const { Put } = logItem(entry);
    await db().send(new PutCommand(Put!));
  },

  /** The operator log, newest first, one UTC day partition at a time going back `days` days. */
  async logPage(args: { now: number; days: number; limit: number; after?: { day: string; sk: string } }): Promise<{ items: OpsLogEntry[]; next: { day: string; sk: string } | null }> {
    const items: OpsLogEntry[] = [];
    const today = new Date(args.now).toISOString().slice(0, 10);
    let day = args.after?.day ?? today;
    let before = args.after?.sk;
    const oldest = new Date(args.now - args.days * 24 * 3600 * 1000).toISOString().slice(0, 10);
    while (day >= oldest) {
      const out = await db().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: before ? 'PK = :pk AND SK < :before' : 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.opsLogPartition(day), ...(before ? { ':before': before } : {}) },
          ScanIndexForward: false,
          Limit: args.limit - items.length,
        }),
      );
      for (const i of out.Items ?? []) {
        items.push({ at: i.at, actor: i.actor, action: i.action, target: i.target, summary: i.summary });
        if (items.length === args.limit) return { items, next: { day, sk: i.SK as string } };
      }
      if (out.LastEvaluatedKey) {
        before = out.LastEvaluatedKey.SK as string;
        continue;
      }
      day = new Date(Date.parse(`${day}T00:00:00Z`) - 24 * 3600 * 1000).toISOString().slice(0, 10);
      before = undefined;
    }
    return { items, next: null };
  },

  /** Orders created on one UTC day (the reconciliation's day index), optionally of one status, after `afterId`. */
  async ordersOfDay(day: string, status: string, limit: number, afterId?: string): Promise<{ items: OrderItem[]; last: string | null }> {
    const items: OrderItem[] = [];
    let start: Record<string, unknown> | undefined = afterId ? { GSI4PK: `DAY#${day}`, GSI4SK: afterId, PK: keys.order(afterId).PK, SK: 'ORDER' } : undefined;
    for (;;) {
      const out = await db().send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'GSI4',
          KeyConditionExpression: 'GSI4PK = :pk',
          FilterExpression: '#status = :status AND #type = :order',
          ExpressionAttributeNames: { '#status': 'status', '#type': 'type' },
          ExpressionAttributeValues: { ':pk': `DAY#${day}`, ':status': status, ':order': 'order' },
          ExclusiveStartKey: start,
          Limit: 200,
        }),
      );
      for (const i of out.Items ?? []) {
        items.push(i as unknown as OrderItem);
        if (items.length === limit) return { items, last: i.id as string };
      }
      if (!out.LastEvaluatedKey) return { items, last: null };
      start = out.LastEvaluatedKey;
    }
  },
};
