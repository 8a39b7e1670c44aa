import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { db, table } from '../../lib/dynamo';
import { keys } from '../../repositories/keys';
import { TransactionRefused, transact } from '../../repositories/transactions';

/**
 * Only sandbox code carries this string: `npm run size -- --check` refuses a production bundle that contains it.
 * @public read in the built bundle, not imported: the export keeps esbuild from dropping it.
 */
export const SANDBOX_MODULE = 'shop-sandbox-module:wechat-pay/sandbox-store';

/** One transaction as the sandbox's WeChat Pay keeps it (its side of the world, not the shop's order). */
export interface SandboxTransaction {
  outTradeNo: string;
  prepayId: string;
  appid: string;
  mchid: string;
  description: string;
  amountFen: number;
  payerOpenid: string;
  notifyUrl: string;
  /** time_expire as the merchant sent it (null when absent): a repeated prepay must send the same. */
  timeExpire: string | null;
  /** When payment stops being possible (time_expire, moved to at least one minute after the prepay). */
  timeExpireAt: number;
  createdAt: number;
  tradeState: 'NOTPAY' | 'SUCCESS' | 'CLOSED';
  transactionId: string | null;
  successTime: number | null;
  /**
   * Fen promised to this transaction's refunds that are not CLOSED (PROCESSING, SUCCESS, ABNORMAL): what is left to
   * refund is amountFen − refundedFen. Absent until the first refund.
   */
  refundedFen?: number;
  /** Set once a refund succeeded: WeChat's query then shows trade_state REFUND (转入退款). */
  refundSucceeded?: boolean;
}

type SandboxRefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

/** One refund as the sandbox's WeChat Pay keeps it. */
export interface SandboxRefund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  transactionId: string;
  mchid: string;
  /** reason and notify_url as the merchant sent them (null when absent). */
  reason: string | null;
  notifyUrl: string | null;
  refundFen: number;
  totalFen: number;
  status: SandboxRefundStatus;
  createdAt: number;
  successTime: number | null;
  /**
   * The refund is of a further payment of the out_trade_no (kept under its transaction id, see addPayment), not of
   * the out_trade_no's own transaction.
   */
  furtherPayment?: boolean;
}

/**
 * A notification WeChat has sent and not had answered with 200/204 yet. Stored before the first send, removed once
 * answered, re-sent on WeChat's schedule until then (see NOTIFY_RETRY_DELAYS_MS in sandbox-server.ts).
 */
export interface SandboxDelivery {
  /** The notification's id: WeChat's re-sends of one event carry the same id. */
  eventId: string;
  /** What the notification is about; each re-send is built again from its current state, freshly signed. */
  kind: 'TRANSACTION' | 'REFUND';
  /** out_trade_no (TRANSACTION) or out_refund_no (REFUND). */
  ref: string;
  url: string;
  /** Sends started so far, the first one included. */
  attempts: number;
  /** When the next re-send is due. */
  dueAt: number;
}

type CreateRefundResult =
  | { outcome: 'CREATED' | 'EXISTS'; refund: SandboxRefund }
  /** NOT_PAID: the transaction is missing or not SUCCESS; NOT_ENOUGH: the refund exceeds what is left to refund. */
  | { outcome: 'NOT_PAID' | 'NOT_ENOUGH' };

export interface SandboxStore {
  get(outTradeNo: string): Promise<SandboxTransaction | undefined>;
  getByPrepayId(prepayId: string): Promise<SandboxTransaction | undefined>;
  /** Stores `tx` unless its out_trade_no exists; either way returns what is stored. */
  create(tx: SandboxTransaction): Promise<{ created: boolean; tx: SandboxTransaction }>;
  /** NOTPAY → SUCCESS while `nowMs` ≤ timeExpireAt, atomically; undefined when that condition does not hold. */
  markPaid(
    outTradeNo: string,
    paid: { transactionId: string; successTime: number; nowMs: number },
  ): Promise<SandboxTransaction | undefined>;
  /** NOTPAY → CLOSED, atomically; undefined when the transaction is not NOTPAY. */
  markClosed(outTradeNo: string): Promise<SandboxTransaction | undefined>;
  /**
   * Keeps a further paid transaction of an out_trade_no that is paid already (the payer paid twice), under its own
   * transaction id; false when that transaction id exists.
   */
  addPayment(tx: SandboxTransaction): Promise<boolean>;
  /** A further payment kept by addPayment, by its transaction id. */
  getPayment(transactionId: string): Promise<SandboxTransaction | undefined>;
  getRefund(outRefundNo: string): Promise<SandboxRefund | undefined>;
  /**
   * Stores `refund` (status PROCESSING) and adds its amount to its transaction's refundedFen, atomically, when the
   * out_refund_no is new, the transaction is SUCCESS and refundedFen + refundFen ≤ amountFen. An existing
   * out_refund_no wins over every other check: it is the same refund asked again.
   */
  createRefund(refund: SandboxRefund): Promise<CreateRefundResult>;
  /**
   * PROCESSING → SUCCESS, ABNORMAL or CLOSED, atomically, marking the transaction refundSucceeded on SUCCESS and
   * giving a CLOSED refund's amount back to what is left to refund; undefined when the refund is not PROCESSING.
   */
  finishRefund(
    outRefundNo: string,
    result: { status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'; successTime: number | null },
  ): Promise<SandboxRefund | undefined>;
  /** 发起异常退款: ABNORMAL → PROCESSING, atomically (the amount stays promised); undefined when not ABNORMAL. */
  reopenAbnormalRefund(outRefundNo: string): Promise<SandboxRefund | undefined>;
  /** Stores a pending notification unless one exists for the event (then the existing schedule stands). */
  addDelivery(delivery: SandboxDelivery): Promise<void>;
  getDelivery(eventId: string): Promise<SandboxDelivery | undefined>;
  /** Pending notifications due at or before `nowMs`, earliest first, at most `limit`. */
  dueDeliveries(nowMs: number, limit: number): Promise<SandboxDelivery[]>;
  /**
   * Takes a due notification for one re-send, atomically: moves it from `seen` (attempts as read) to `next`, or
   * removes it when `next` is null (the last re-send). false when another sender took it first.
   */
  claimDelivery(seen: SandboxDelivery, next: { attempts: number; dueAt: number } | null): Promise<boolean>;
  /** The merchant answered: no more re-sends. */
  removeDelivery(eventId: string): Promise<void>;
}

export function memorySandboxStore(): SandboxStore {
  const byNo = new Map<string, SandboxTransaction>();
  const byPrepay = new Map<string, string>();
  const further = new Map<string, SandboxTransaction>();
  /** The transaction a refund draws on: the out_trade_no's own, or a further payment of it. */
  const drawnOn = (r: Pick<SandboxRefund, 'outTradeNo' | 'transactionId' | 'furtherPayment'>) =>
    r.furtherPayment ? further.get(r.transactionId) : byNo.get(r.outTradeNo);
  const refunds = new Map<string, SandboxRefund>();
  const deliveries = new Map<string, SandboxDelivery>();
  const copy = (tx: SandboxTransaction | undefined) => (tx ? { ...tx } : undefined);
  return {
    async get(outTradeNo) {
      return copy(byNo.get(outTradeNo));
    },
    async getByPrepayId(prepayId) {
      const no = byPrepay.get(prepayId);
      return no === undefined ? undefined : copy(byNo.get(no));
    },
    async create(tx) {
      const existing = byNo.get(tx.outTradeNo);
      if (existing) return { created: false, tx: { ...existing } };
      byNo.set(tx.outTradeNo, { ...tx });
      byPrepay.set(tx.prepayId, tx.outTradeNo);
      return { created: true, tx: { ...tx } };
    },
    async markPaid(outTradeNo, paid) {
      const tx = byNo.get(outTradeNo);
      if (!tx || tx.tradeState !== 'NOTPAY' || paid.nowMs > tx.timeExpireAt) return undefined;
      Object.assign(tx, { tradeState: 'SUCCESS', transactionId: paid.transactionId, successTime: paid.successTime });
      return { ...tx };
    },
    async markClosed(outTradeNo) {
      const tx = byNo.get(outTradeNo);
      if (!tx || tx.tradeState !== 'NOTPAY') return undefined;
      tx.tradeState = 'CLOSED';
      return { ...tx };
    },
    async addPayment(tx) {
      if (!tx.transactionId || further.has(tx.transactionId)) return false;
      further.set(tx.transactionId, { ...tx });
      return true;
    },
    async getPayment(transactionId) {
      return copy(further.get(transactionId));
    },
    async getRefund(outRefundNo) {
      const refund = refunds.get(outRefundNo);
      return refund ? { ...refund } : undefined;
    },
    // No await between the checks and the writes: atomic within the event loop.
    async createRefund(refund) {
      const existing = refunds.get(refund.outRefundNo);
      if (existing) return { outcome: 'EXISTS', refund: { ...existing } };
      const tx = drawnOn(refund);
      if (!tx || tx.tradeState !== 'SUCCESS') return { outcome: 'NOT_PAID' };
      const refunded = tx.refundedFen ?? 0;
      if (refunded + refund.refundFen > tx.amountFen) return { outcome: 'NOT_ENOUGH' };
      tx.refundedFen = refunded + refund.refundFen;
      refunds.set(refund.outRefundNo, { ...refund });
      return { outcome: 'CREATED', refund: { ...refund } };
    },
    async finishRefund(outRefundNo, result) {
      const refund = refunds.get(outRefundNo);
      if (!refund || refund.status !== 'PROCESSING') return undefined;
      Object.assign(refund, result);
      const tx = drawnOn(refund);
      if (tx && result.status === 'SUCCESS') tx.refundSucceeded = true;
      if (tx && result.status === 'CLOSED') tx.refundedFen = (tx.refundedFen ?? 0) - refund.refundFen;
      return { ...refund };
    },
    async reopenAbnormalRefund(outRefundNo) {
      const refund = refunds.get(outRefundNo);
      if (!refund || refund.status !== 'ABNORMAL') return undefined;
      refund.status = 'PROCESSING';
      return { ...refund };
    },
    async addDelivery(delivery) {
      if (!deliveries.has(delivery.eventId)) deliveries.set(delivery.eventId, { ...delivery });
    },
    async getDelivery(eventId) {
      const d = deliveries.get(eventId);
      return d ? { ...d } : undefined;
    },
    async dueDeliveries(nowMs, limit) {
      return [...deliveries.values()]
        .filter((d) => d.dueAt <= nowMs)
        .sort((a, b) => a.dueAt - b.dueAt)
        .slice(0, limit)
        .map((d) => ({ ...d }));
    },
    async claimDelivery(seen, next) {
      const d = deliveries.get(seen.eventId);
      if (!d || d.attempts !== seen.attempts) return false;
      if (next) Object.assign(d, next);
      else deliveries.delete(seen.eventId);
      return true;
    },
    async removeDelivery(eventId) {
      deliveries.delete(eventId);
    },
  };
}

const TX_ENTITY = 'WXSANDBOX_TRANSACTION';
const FURTHER_TX_ENTITY = 'WXSANDBOX_FURTHER_TRANSACTION';
const PREPAY_ENTITY = 'WXSANDBOX_PREPAY';
const REFUND_ENTITY = 'WXSANDBOX_REFUND';
const DELIVERY_ENTITY = 'WXSANDBOX_NOTIFY';

function withoutKeys<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { PK: _pk, SK: _sk, entity: _entity, ...rest } = item;
  return rest as unknown as T;
}

const toTransaction = (item: Record<string, unknown> | undefined) => withoutKeys<SandboxTransaction>(item);
const toRefund = (item: Record<string, unknown> | undefined) => withoutKeys<SandboxRefund>(item);
const toDelivery = (item: Record<string, unknown> | undefined) => {
  const d = withoutKeys<SandboxDelivery & { GSI3PK?: string; GSI3SK?: string }>(item);
  if (!d) return undefined;
  const { GSI3PK: _gpk, GSI3SK: _gsk, ...delivery } = d;
  return delivery as SandboxDelivery;
};

/** The stored transaction a refund draws on: the out_trade_no's own, or a further payment of it. */
function refundedKey(r: Pick<SandboxRefund, 'outTradeNo' | 'transactionId' | 'furtherPayment'>) {
  return r.furtherPayment ? keys.sandboxFurtherPayment(r.transactionId) : keys.sandboxPayment(r.outTradeNo);
}

function isConditionFailure(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
}

export function dynamoSandboxStore(): SandboxStore {
  const get = async (outTradeNo: string) => {
    const out = await db().send(
      new GetCommand({ TableName: table(), Key: keys.sandboxPayment(outTradeNo), ConsistentRead: true }),
    );
    return toTransaction(out.Item);
  };

  const getPayment = async (transactionId: string) => {
    const out = await db().send(
      new GetCommand({ TableName: table(), Key: keys.sandboxFurtherPayment(transactionId), ConsistentRead: true }),
    );
    return toTransaction(out.Item);
  };

  const getRefund = async (outRefundNo: string) => {
    const out = await db().send(
      new GetCommand({ TableName: table(), Key: keys.sandboxRefund(outRefundNo), ConsistentRead: true }),
    );
    return toRefund(out.Item);
  };

  const update = async (input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>) => {
    try {
      const out = await db().send(new UpdateCommand({ TableName: table(), ReturnValues: 'ALL_NEW', ...input }));
      return toTransaction(out.Attributes);
    } catch (e) {
      if (isConditionFailure(e)) return undefined;
      throw e;
    }
  };

  return {
    get,

    async getByPrepayId(prepayId) {
      const out = await db().send(
        new GetCommand({ TableName: table(), Key: keys.sandboxPrepay(prepayId), ConsistentRead: true }),
      );
      const outTradeNo = out.Item?.outTradeNo;
      return typeof outTradeNo === 'string' ? get(outTradeNo) : undefined;
    },

    async create(tx) {
      // The transaction and its prepay_id pointer appear together or not at all.
      try {
        await db().send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table(),
                  Item: { ...keys.sandboxPayment(tx.outTradeNo), entity: TX_ENTITY, ...tx },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: table(),
                  Item: { ...keys.sandboxPrepay(tx.prepayId), entity: PREPAY_ENTITY, outTradeNo: tx.outTradeNo },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return { created: true, tx };
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        const existing = await get(tx.outTradeNo);
        if (!existing) throw e;
        return { created: false, tx: existing };
      }
    },

    // The condition is what makes a double "pay" pay once: only one writer can move NOTPAY to SUCCESS.
    markPaid(outTradeNo, paid) {
      return update({
        Key: keys.sandboxPayment(outTradeNo),
        UpdateExpression: 'SET #state = :success, #txid = :txid, #successTime = :successTime',
        ConditionExpression: '#state = :notpay AND #expire >= :now',
        ExpressionAttributeNames: {
          '#state': 'tradeState',
          '#txid': 'transactionId',
          '#successTime': 'successTime',
          '#expire': 'timeExpireAt',
        },
        ExpressionAttributeValues: {
          ':success': 'SUCCESS',
          ':notpay': 'NOTPAY',
          ':txid': paid.transactionId,
          ':successTime': paid.successTime,
          ':now': paid.nowMs,
        },
      });
    },

    async addPayment(tx) {
      if (!tx.transactionId) return false;
      try {
        await db().send(
          new PutCommand({
            TableName: table(),
            Item: { ...keys.sandboxFurtherPayment(tx.transactionId), entity: FURTHER_TX_ENTITY, ...tx },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return true;
      } catch (e) {
        if (isConditionFailure(e)) return false;
        throw e;
      }
    },

    getPayment,

    markClosed(outTradeNo) {
      return update({
        Key: keys.sandboxPayment(outTradeNo),
        UpdateExpression: 'SET #state = :closed',
        ConditionExpression: '#state = :notpay',
        ExpressionAttributeNames: { '#state': 'tradeState' },
        ExpressionAttributeValues: { ':closed': 'CLOSED', ':notpay': 'NOTPAY' },
      });
    },

    getRefund,

    async createRefund(refund) {
      // The refund and the transaction's refundedFen change together: two refunds racing for the last fen cannot
      // both pass the condition ("申请退款总金额不能超过订单金额").
      try {
        await transact([
          {
            label: 'refund',
            Put: {
              TableName: table(),
              Item: { ...keys.sandboxRefund(refund.outRefundNo), entity: REFUND_ENTITY, ...refund },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            label: 'transaction',
            Update: {
              TableName: table(),
              Key: refundedKey(refund),
              UpdateExpression: 'SET #refunded = if_not_exists(#refunded, :zero) + :refund',
              ConditionExpression:
                '#state = :success AND #amount = :total AND (attribute_not_exists(#refunded) OR #refunded <= :room)',
              ExpressionAttributeNames: { '#refunded': 'refundedFen', '#state': 'tradeState', '#amount': 'amountFen' },
              ExpressionAttributeValues: {
                ':zero': 0,
                ':refund': refund.refundFen,
                ':success': 'SUCCESS',
                ':total': refund.totalFen,
                ':room': refund.totalFen - refund.refundFen,
              },
            },
          },
        ]);
        return { outcome: 'CREATED', refund };
      } catch (e) {
        if (!(e instanceof TransactionRefused)) throw e;
        const failed = e.failed();
        if (failed.includes('refund')) {
          const existing = await getRefund(refund.outRefundNo);
          if (existing) return { outcome: 'EXISTS', refund: existing };
        }
        if (!failed.includes('transaction')) throw e;
        const tx = refund.furtherPayment ? await getPayment(refund.transactionId) : await get(refund.outTradeNo);
        return { outcome: tx?.tradeState === 'SUCCESS' ? 'NOT_ENOUGH' : 'NOT_PAID' };
      }
    },

    async finishRefund(outRefundNo, result) {
      const current = await getRefund(outRefundNo);
      if (!current) return undefined;
      try {
        await transact([
          {
            label: 'refund',
            Update: {
              TableName: table(),
              Key: keys.sandboxRefund(outRefundNo),
              UpdateExpression: 'SET #status = :status, #successTime = :successTime',
              ConditionExpression: '#status = :processing',
              ExpressionAttributeNames: { '#status': 'status', '#successTime': 'successTime' },
              ExpressionAttributeValues: {
                ':status': result.status,
                ':successTime': result.successTime,
                ':processing': 'PROCESSING',
              },
            },
          },
          ...(result.status === 'SUCCESS'
            ? [
                {
                  label: 'transaction',
                  Update: {
                    TableName: table(),
                    Key: refundedKey(current),
                    UpdateExpression: 'SET #refundSucceeded = :true',
                    ExpressionAttributeNames: { '#refundSucceeded': 'refundSucceeded' },
                    ExpressionAttributeValues: { ':true': true },
                  },
                },
              ]
            : []),
          ...(result.status === 'CLOSED'
            ? [
                {
                  label: 'transaction',
                  Update: {
                    TableName: table(),
                    Key: refundedKey(current),
                    UpdateExpression: 'SET #refunded = #refunded - :refund',
                    ExpressionAttributeNames: { '#refunded': 'refundedFen' },
                    ExpressionAttributeValues: { ':refund': current.refundFen },
                  },
                },
              ]
            : []),
        ]);
      } catch (e) {
        if (e instanceof TransactionRefused && e.failed().includes('refund')) return undefined;
        throw e;
      }
      return { ...current, ...result };
    },

    async reopenAbnormalRefund(outRefundNo) {
      const current = await getRefund(outRefundNo);
      if (!current) return undefined;
      try {
        await transact([
          {
            label: 'refund',
            Update: {
              TableName: table(),
              Key: keys.sandboxRefund(outRefundNo),
              UpdateExpression: 'SET #status = :processing',
              ConditionExpression: '#status = :abnormal',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':processing': 'PROCESSING', ':abnormal': 'ABNORMAL' },
            },
          },
        ]);
      } catch (e) {
        if (e instanceof TransactionRefused && e.failed().includes('refund')) return undefined;
        throw e;
      }
      return { ...current, status: 'PROCESSING' };
    },

    async addDelivery(d) {
      try {
        await db().send(
          new PutCommand({
            TableName: table(),
            Item: { ...keys.sandboxDelivery(d.eventId), ...keys.sandboxDeliveryDue(d.dueAt, d.eventId), entity: DELIVERY_ENTITY, ...d },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    },

    async getDelivery(eventId) {
      const out = await db().send(
        new GetCommand({ TableName: table(), Key: keys.sandboxDelivery(eventId), ConsistentRead: true }),
      );
      return toDelivery(out.Item);
    },

    async dueDeliveries(nowMs, limit) {
      const out = await db().send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'GSI3',
          KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :before',
          ExpressionAttributeValues: { ':pk': keys.sandboxDeliveryDuePartition, ':before': keys.dueBefore(nowMs) },
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((item) => toDelivery(item)!);
    },

    async claimDelivery(seen, next) {
      try {
        if (next) {
          await db().send(
            new UpdateCommand({
              TableName: table(),
              Key: keys.sandboxDelivery(seen.eventId),
              UpdateExpression: 'SET attempts = :next, dueAt = :due, GSI3SK = :dueKey',
              ConditionExpression: 'attempts = :seen',
              ExpressionAttributeValues: {
                ':next': next.attempts,
                ':due': next.dueAt,
                ':dueKey': keys.sandboxDeliveryDue(next.dueAt, seen.eventId).GSI3SK,
                ':seen': seen.attempts,
              },
            }),
          );
        } else {
          await db().send(
            new DeleteCommand({
              TableName: table(),
              Key: keys.sandboxDelivery(seen.eventId),
              ConditionExpression: 'attempts = :seen',
              ExpressionAttributeValues: { ':seen': seen.attempts },
            }),
          );
        }
        return true;
      } catch (e) {
        if (isConditionFailure(e)) return false;
        throw e;
      }
    },

    async removeDelivery(eventId) {
      await db().send(new DeleteCommand({ TableName: table(), Key: keys.sandboxDelivery(eventId) }));
    },
  };
}
