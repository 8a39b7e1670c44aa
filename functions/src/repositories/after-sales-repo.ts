import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  OPEN_AFTER_SALE_STATES,
  afterSaleTransition,
  type AfterSaleEvent,
  type AfterSaleReason,
  type AfterSaleState,
  type AfterSaleType,
  type OrderStatus,
} from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { newId } from '../lib/ids';
import { keys } from './keys';
import { transact, TransactionRefused, type LabelledItem } from './transactions';

interface AfterSaleTimelineEntry {
  at: number;
  state: AfterSaleState;
  note: string;
}

/** An after-sales request as the table keeps it (in its order's partition). */
export interface AfterSaleItem {
  id: string;
  orderId: string;
  seq: number;
  userId: string;
  kind: AfterSaleType;
  state: AfterSaleState;
  productId: string;
  skuId: string;
  title: string;
  specText: string;
  image: string;
  quantity: number;
  reason: AfterSaleReason;
  description: string;
  photoKeys: string[];
  /** The refund rules' amount when the request was made; the refund's own once it exists. */
  refundFen: number;
  /** The refund's out_refund_no once it was asked for. */
  refundNo: string | null;
  /** The order had not shipped when the request was made (the fast approval of a 仅退款). */
  unshippedAtRequest: boolean;
  returnAddress: { name: string; phone: string; address: string } | null;
  returnShipment: { carrier: string; trackingNo: string; at: number } | null;
  rejectReason: string | null;
  /** When the request entered its state (deadlines count from it). */
  enteredAt: number;
  /** The running deadline and what it does then (absent when no party is waited on). */
  dueAt: number | null;
  dueEvent: AfterSaleEvent | 'RETRY_REFUND' | null;
  timeline: AfterSaleTimelineEntry[];
  createdAt: number;
  updatedAt: number;
}

function clean(item: Record<string, unknown>): AfterSaleItem {
  const { PK: _1, SK: _2, GSI1PK: _3, GSI1SK: _4, GSI2PK: _5, GSI2SK: _6, GSI3PK: _7, GSI3SK: _8, type: _9, ...rest } = item;
  return rest as unknown as AfterSaleItem;
}

/** `<orderId>-<n>` ↔ the order and the request's number. */
export function parseAfterSaleId(id: string): { orderId: string; seq: number } | null {
  const m = /^([0-9A-HJKMNP-TV-Z]{26})-([1-9][0-9]{0,3})$/.exec(id);
  return m ? { orderId: m[1], seq: Number(m[2]) } : null;
}

/** The order statuses a new request may be made in (the order must still be in one when the request is written). */
export type OrderGuard = readonly OrderStatus[];

/** A move of a request by its table: what else the move writes. */
export interface AfterSaleMove {
  event: AfterSaleEvent;
  now: number;
  note: string;
  /** Fields set with the move (plain attribute names of AfterSaleItem). */
  set?: Partial<Pick<AfterSaleItem, 'returnAddress' | 'returnShipment' | 'rejectReason' | 'refundFen'>>;
  /** The next deadline (null: none). */
  due: { at: number; event: AfterSaleItem['dueEvent'] } | null;
  /** Written in the same transaction (e.g. the operator log). */
  alsoWrite?: LabelledItem[];
}

/**
 * An operator action's entry in the operator log (OPSLOG#<day>, the same entries `GET /ops/v1/log` lists: who, when,
 * what, which request), written in the action's own transaction.
 */
export function operatorLogItem(entry: { at: number; actor: string; action: string; target: string; summary: string }): LabelledItem {
  return {
    label: 'opsLog',
    Put: { TableName: table(), Item: { ...keys.opsLog(entry.at, newId(entry.at)), type: 'opsLog', ...entry }, ConditionExpression: 'attribute_not_exists(PK)' },
  };
}

export type CreateResult = 'created' | 'line_open' | 'order_moved';

export const afterSalesRepo = {
  /** The next request number of an order (ADD 1: concurrent requests get different numbers; gaps are fine). */
  async nextSeq(orderId: string): Promise<number> {
    const out = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.afterSaleSeq(orderId),
        UpdateExpression: 'ADD n :one SET #t = :t',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':t': 'aftersaleseq' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return out.Attributes!.n as number;
  },

  /**
   * Writes a new request in ONE transaction: the request itself, its line's open-request marker (attribute_not_exists:
   * one open request per line, whoever asks at the same time), and a check that the order is still in a status the
   * request was allowed in.
   */
  async create(item: AfterSaleItem, orderStatuses: OrderGuard): Promise<CreateResult> {
    const statusValues = Object.fromEntries(orderStatuses.map((s, i) => [`:s${i}`, s]));
    const items: LabelledItem[] = [
      {
        label: 'request',
        Put: {
          TableName: table(),
          Item: {
            ...keys.afterSale(item.orderId, item.seq),
            ...keys.afterSaleIndexes(item.userId, item.state, item.createdAt, item.id),
            ...(item.dueAt !== null ? keys.afterSaleDue(item.dueAt, item.id) : {}),
            type: 'aftersale',
            ...item,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        label: 'line',
        Put: {
          TableName: table(),
          Item: { ...keys.afterSaleLine(item.orderId, item.skuId), type: 'aftersaleline', afterSaleId: item.id, createdAt: item.createdAt },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        label: 'order',
        ConditionCheck: {
          TableName: table(),
          Key: keys.order(item.orderId),
          ConditionExpression: `userId = :u AND #status IN (${Object.keys(statusValues).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':u': item.userId, ...statusValues },
        },
      },
    ];
    try {
      await transact(items);
      return 'created';
    } catch (e) {
      if (!(e instanceof TransactionRefused)) throw e;
      if (e.failed().includes('line')) return 'line_open';
      if (e.failed().includes('order')) return 'order_moved';
      throw e;
    }
  },

  async get(orderId: string, seq: number): Promise<AfterSaleItem | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.afterSale(orderId, seq), ConsistentRead: true }));
    return out.Item ? clean(out.Item) : null;
  },

  /**
   * Moves a request by its transition table: the write's condition is the row's from-state, so of two concurrent moves
   * only one applies. A move into a state that is not open any more also frees the line (its marker, only if it is
   * still this request's). false: the request had moved on.
   */
  async move(item: AfterSaleItem, m: AfterSaleMove): Promise<AfterSaleItem | null> {
    const row = afterSaleTransition(item.state, m.event, item.kind);
    if (!row) return null;
    const entry: AfterSaleTimelineEntry = { at: m.now, state: row.to, note: m.note };
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = {
      ':from': row.from,
      ':to': row.to,
      ':now': m.now,
      ':entry': [entry],
      ':g2': keys.afterSaleStatePartition(row.to),
    };
    const sets = ['#state = :to', 'enteredAt = :now', 'updatedAt = :now', 'timeline = list_append(timeline, :entry)', 'GSI2PK = :g2'];
    const removes: string[] = [];
    Object.entries(m.set ?? {}).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    if (m.due) {
      const due = keys.afterSaleDue(m.due.at, item.id);
      Object.assign(values, { ':dueAt': m.due.at, ':dueEvent': m.due.event, ':g3pk': due.GSI3PK, ':g3sk': due.GSI3SK });
      sets.push('dueAt = :dueAt', 'dueEvent = :dueEvent', 'GSI3PK = :g3pk', 'GSI3SK = :g3sk');
    } else {
      Object.assign(values, { ':null': null });
      sets.push('dueAt = :null', 'dueEvent = :null');
      removes.push('GSI3PK', 'GSI3SK');
    }
    const closes = !OPEN_AFTER_SALE_STATES.includes(row.to);
    const items: LabelledItem[] = [
      {
        label: 'request',
        Update: {
          TableName: table(),
          Key: keys.afterSale(item.orderId, item.seq),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: '#state = :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...(closes
        ? [
            {
              label: 'line',
              Delete: {
                TableName: table(),
                Key: keys.afterSaleLine(item.orderId, item.skuId),
                ConditionExpression: 'afterSaleId = :id',
                ExpressionAttributeValues: { ':id': item.id },
              },
            },
          ]
        : []),
      ...(m.alsoWrite ?? []),
    ];
    try {
      await transact(items);
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().includes('request')) return null;
      throw e;
    }
    const due = m.due ? { dueAt: m.due.at, dueEvent: m.due.event } : { dueAt: null, dueEvent: null };
    return { ...item, ...m.set, ...due, state: row.to, enteredAt: m.now, updatedAt: m.now, timeline: [...item.timeline, entry] };
  },

  /** Writes operator-log entries of an action that moves nothing (e.g. asking for a refund again). */
  async log(items: LabelledItem[]): Promise<void> {
    if (items.length) await transact(items);
  },

  /** Records the refund asked for a request in 退款中 (its number and amount) and ends the retry deadline. */
  async noteRefund(item: AfterSaleItem, refundNo: string, amountFen: number, now: number): Promise<void> {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.afterSale(item.orderId, item.seq),
        UpdateExpression: 'SET refundNo = :no, refundFen = :fen, updatedAt = :now, dueAt = :null, dueEvent = :null REMOVE GSI3PK, GSI3SK',
        ConditionExpression: '#state = :refunding',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':no': refundNo, ':fen': amountFen, ':now': now, ':null': null, ':refunding': 'REFUNDING' },
      }),
    ).catch((e) => {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    });
  },

  /** Moves a running deadline (the order shipped meanwhile, so the fast approval no longer applies). */
  async reschedule(item: AfterSaleItem, at: number, event: AfterSaleItem['dueEvent']): Promise<void> {
    const due = keys.afterSaleDue(at, item.id);
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.afterSale(item.orderId, item.seq),
        UpdateExpression: 'SET dueAt = :at, dueEvent = :ev, GSI3PK = :pk, GSI3SK = :sk',
        ConditionExpression: '#state = :state AND dueAt = :was',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':at': at, ':ev': event, ':pk': due.GSI3PK, ':sk': due.GSI3SK, ':state': item.state, ':was': item.dueAt },
      }),
    ).catch((e) => {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    });
  },

  /** A shopper's requests, newest first. */
  async forUser(userId: string, limit: number, after?: string): Promise<{ items: AfterSaleItem[]; last: string | null }> {
    return queryIndex('GSI1', keys.userAfterSalesPartition(userId), limit, after);
  },

  /** Requests in one state, oldest first (the operators' queue). */
  async inState(state: AfterSaleState, limit: number, after?: string): Promise<{ items: AfterSaleItem[]; last: string | null }> {
    return queryIndex('GSI2', keys.afterSaleStatePartition(state), limit, after, true);
  },

  /** Requests whose deadline is due at `at` (the sweeper's list), soonest first. */
  async due(at: number, limit = 100): Promise<{ orderId: string; seq: number }[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :at',
        ExpressionAttributeValues: { ':pk': keys.afterSaleDuePartition, ':at': keys.dueBefore(at) },
        ProjectionExpression: 'orderId, seq',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({ orderId: i.orderId as string, seq: i.seq as number }));
  },
};

async function queryIndex(index: 'GSI1' | 'GSI2', pk: string, limit: number, after: string | undefined, oldestFirst = false) {
  const out = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: `${index}PK = :pk`,
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: oldestFirst,
      Limit: limit,
      ...(after
        ? { ExclusiveStartKey: { [`${index}PK`]: pk, [`${index}SK`]: after, ...keysOfSortKey(after) } }
        : {}),
    }),
  );
  const items = (out.Items ?? []).map(clean);
  const lastKey = out.LastEvaluatedKey?.[`${index}SK`] as string | undefined;
  return { items, last: lastKey ?? null };
}

/** The table key of the request a GSI sort key (`<createdAt>#<id>`) names: a GSI start key carries the base key too. */
function keysOfSortKey(sortKey: string): Record<string, string> {
  const id = sortKey.split('#')[1] ?? '';
  const parsed = parseAfterSaleId(id);
  return parsed ? { ...keys.afterSale(parsed.orderId, parsed.seq) } : {};
}
