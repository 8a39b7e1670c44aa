import { GetCommand, TransactWriteCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../../lib/dynamo';
import { keys } from '../../repositories/keys';

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
}

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
}

export function memorySandboxStore(): SandboxStore {
  const byNo = new Map<string, SandboxTransaction>();
  const byPrepay = new Map<string, string>();
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
  };
}

const TX_ENTITY = 'WXSANDBOX_TRANSACTION';
const PREPAY_ENTITY = 'WXSANDBOX_PREPAY';

function toTransaction(item: Record<string, unknown> | undefined): SandboxTransaction | undefined {
  if (!item) return undefined;
  const { PK: _pk, SK: _sk, entity: _entity, ...tx } = item;
  return tx as unknown as SandboxTransaction;
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

    markClosed(outTradeNo) {
      return update({
        Key: keys.sandboxPayment(outTradeNo),
        UpdateExpression: 'SET #state = :closed',
        ConditionExpression: '#state = :notpay',
        ExpressionAttributeNames: { '#state': 'tradeState' },
        ExpressionAttributeValues: { ':closed': 'CLOSED', ':notpay': 'NOTPAY' },
      });
    },
  };
}
