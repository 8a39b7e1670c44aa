/**
 * Payments as WeChat confirmed them (one record per transaction id, in the order's partition), the notifications we
 * could not apply, and the daily reconciliation reports.
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { isConditionFailed, type LabelledItem } from './transactions';

/**
 * KEPT: the order keeps the money. REFUND_DUE: the money goes back (paid after the order closed with its stock gone,
 * or a second payment of a paid order) and no refund exists yet; REFUND_STARTED once it does.
 */
type PaymentDisposition = 'KEPT' | 'REFUND_DUE' | 'REFUND_STARTED';

export interface PaymentRecord {
  orderId: string;
  userId: string;
  transactionId: string;
  amountFen: number;
  /** FIRST: paid the unpaid order; LATE: paid after it closed; SECOND: another payment of an order already paid. */
  kind: 'FIRST' | 'LATE' | 'SECOND';
  disposition: PaymentDisposition;
  /** How we learned of it. */
  source: 'notify' | 'query';
  successTime: number | null;
  receivedAt: number;
  outRefundNo: string | null;
}

function clean(item: Record<string, unknown>): PaymentRecord {
  const { PK: _1, SK: _2, GSI3PK: _3, GSI3SK: _4, GSI4PK: _6, GSI4SK: _7, type: _5, ...rest } = item;
  return rest as unknown as PaymentRecord;
}

export const paymentRepo = {
  /** The record of a payment, created once per transaction id (labelled `payment`). */
  putItem(p: PaymentRecord): LabelledItem {
    return {
      label: 'payment',
      Put: {
        TableName: table(),
        Item: {
          ...keys.payment(p.orderId, p.transactionId),
          ...(p.disposition === 'REFUND_DUE'
            ? { ...keys.paymentRefundDue(p.receivedAt, p.orderId, p.transactionId), ...keys.paymentOwedDay(p.receivedAt, p.orderId, p.transactionId) }
            : {}),
          type: 'payment',
          ...p,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  },

  /** REFUND_DUE → REFUND_STARTED with the refund that pays it back (in the refund's own transaction). */
  refundStartedItem(orderId: string, transactionId: string, outRefundNo: string): LabelledItem {
    return {
      label: 'payment',
      Update: {
        TableName: table(),
        Key: keys.payment(orderId, transactionId),
        UpdateExpression: 'SET disposition = :started, outRefundNo = :no REMOVE GSI3PK, GSI3SK',
        ConditionExpression: 'disposition = :due',
        ExpressionAttributeValues: { ':started': 'REFUND_STARTED', ':due': 'REFUND_DUE', ':no': outRefundNo },
      },
    };
  },

  /** REFUND_DUE → REFUND_STARTED once its refund exists (false: it was marked already). */
  async markRefundStarted(orderId: string, transactionId: string, outRefundNo: string): Promise<boolean> {
    const { Update } = this.refundStartedItem(orderId, transactionId, outRefundNo);
    try {
      await db().send(new UpdateCommand(Update as never));
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  async forOrder(orderId: string): Promise<PaymentRecord[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': keys.orderPartition(orderId), ':p': keys.paymentPrefix },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(clean);
  },

  /** Payments owed back whose refund does not exist yet, received at or before `at` (oldest first). */
  async refundsDue(at: number, limit = 100): Promise<PaymentRecord[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :at',
        ExpressionAttributeValues: { ':pk': keys.paymentRefundDuePartition, ':at': keys.dueBefore(at) },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(clean);
  },

  /** Payments owed back on receipt (late or second payments) received on a UTC day (yyyy-mm-dd), for the daily report. */
  async owedOn(day: string): Promise<PaymentRecord[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.paymentOwedDayPartition(day) },
      }),
    );
    return (out.Items ?? []).map(clean);
  },

  /** Durable record of a verified notification we did not apply (unknown order, mismatch, other event). */
  async recordNotification(id: string, record: Record<string, unknown>, at = Date.now()): Promise<void> {
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.payNotification(id), ...keys.notificationDay(at, id), type: 'payNotification', recordedAt: at, ...record },
      }),
    );
  },

  async notificationsOn(day: string): Promise<Record<string, unknown>[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.notificationDayPartition(day) },
      }),
    );
    return (out.Items ?? []).map(({ PK: _1, SK: _2, GSI4PK: _3, GSI4SK: _4, ...rest }) => rest);
  },

  async putReport(day: string, report: Record<string, unknown>): Promise<void> {
    await db().send(new PutCommand({ TableName: table(), Item: { ...keys.reconciliationReport(day), type: 'reconciliationReport', ...report } }));
  },
};
