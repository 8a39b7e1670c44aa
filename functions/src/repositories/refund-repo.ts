import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addStockCredit, moveRefundedLines, refundAttemptBase, refundFits, useStockCredit, type OrderEvent, type OrderStatus, type StockCredit } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { keys } from './keys';
import { transitionUpdate } from './order-transitions';
import { stockRepo } from './stock-repo';
import { paymentRepo } from './payment-repo';
import { orderRepo, promotionReturnItems } from './order-repo';
import type { OrderItem, StockMove, TimelineEntry } from '../domain/order';
import { transact, TransactionRefused, type LabelledItem } from './transactions';

/**
 * REFUNDING until WeChat answers; REFUNDED once paid; CLOSED or ABNORMAL when WeChat ended it without paying (the
 * amount is then released back to the order, see `release`). REFUND_FAILED: records from before CLOSED/ABNORMAL
 * were told apart (never written any more).
 */
type RefundStatus = 'REFUNDING' | 'REFUNDED' | 'CLOSED' | 'ABNORMAL' | 'REFUND_FAILED';

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
  /** The order's status when a full refund moved it to REFUNDING: it goes back there if the refund ends unpaid. */
  fromStatus?: OrderStatus;
  /** The units this refund put back on sale (credit used included): they stay on sale if the refund ends unpaid. */
  restocked?: StockMove[];
  /** This refund gave the order's coupons and campaign quotas back. */
  promotionsReturned?: boolean;
  /** true while the amount is not counted in the order's refundedFen (after CLOSED/ABNORMAL, or paid twice). */
  released?: boolean;
  /** WeChat paid it after another attempt had already given the same money or units back: paid twice, reported. */
  paidTwice?: boolean;
  /** When a late SUCCESS of a released refund counted it again. */
  recountedAt?: number;
  /** A refund of another payment of the order (a second payment), not of the order's own: never counted on it. */
  paymentTransactionId?: string;
}

/**
 * What refund-repo keeps on the order besides refundedFen/refundedLines: `refundRev` counts every refund write on
 * the order (so a plan made on a read cannot be applied after another refund moved the numbers and back),
 * `stockCredit` the units a released refund left on sale, `promotionsCredit` that a released refund left the coupons
 * and quotas returned.
 */
type RefundableOrder = OrderItem & { refundRev?: number; stockCredit?: StockCredit; promotionsCredit?: boolean };

function clean(item: Record<string, unknown>): RefundItem {
  const { PK: _1, SK: _2, GSI3PK: _3, GSI3SK: _4, GSI4PK: _6, GSI4SK: _7, type: _5, ...rest } = item;
  return rest as unknown as RefundItem;
}

/** `refundRev` as the order was read: the write applies only if no other refund write came in between. */
function revGuard(order: RefundableOrder, values: Record<string, unknown>): string {
  if (order.refundRev === undefined) return 'attribute_not_exists(refundRev)';
  values[':x_rev'] = order.refundRev;
  return 'refundRev = :x_rev';
}

/** Where a full refund's order goes back to when the refund ends unpaid (records from before fromStatus existed). */
function statusBefore(refund: RefundItem): OrderStatus {
  return refund.fromStatus ?? (refund.reason === 'LATE_PAYMENT' ? 'CANCELLED' : 'PAID');
}

const RELEASE_NOTE: Record<'CLOSED' | 'ABNORMAL', string> = {
  CLOSED: '退款已关闭，款项未退出，可重新申请退款',
  ABNORMAL: '退款异常（如银行卡已注销），款项未到账，客服处理中',
};

const MAX_PLANS = 5;

export type StartRefundResult = { started: true; refund: RefundItem } | { started: false; reason: 'DUPLICATE' | 'STALE' };
export type RecountResult = 'COUNTED' | 'PAID_TWICE' | 'ALREADY';

export const refundRepo = {
  /**
   * Starts the refund of a second payment: the refund record (new out_refund_no) and the payment's REFUND_DUE →
   * REFUND_STARTED in one transaction; the order's own totals are not touched. False when it exists already.
   */
  async startForPayment(refund: RefundItem, payment: { orderId: string; transactionId: string }): Promise<boolean> {
    try {
      await transact([
        {
          label: 'refund',
          Put: {
            TableName: table(),
            Item: { ...keys.refund(refund.orderId, refund.outRefundNo), ...keys.refundDue(refund.createdAt, refund.outRefundNo), type: 'refund', ...refund },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        paymentRepo.refundStartedItem(payment.orderId, payment.transactionId, refund.outRefundNo),
      ]);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused) return false;
      throw e;
    }
  },

  /**
   * Starts a refund in one transaction: the refund record is created only if its out_refund_no is new, and the
   * order's refunded total moves only if nobody changed it since `order` was read (so concurrent refunds are planned
   * on the same numbers and the total can never pass what was paid). A full refund also moves the order to
   * REFUNDING, from one of `fromStatuses` (remembered on the record); `restock` returns the refunded units to stock
   * in the same step (units a released refund left on sale are taken from the order's credit instead), and
   * `returnPromotions` the order's coupons (USED → UNUSED) and flash-sale and gift quotas, once, with the status move.
   * The order's move is the transition table's `event` (its from-statuses and group guard are the write's condition).
   */
  async start(args: {
    order: OrderItem;
    refund: RefundItem;
    /** The transition-table event of this refund (its from-statuses, group guard and next status). */
    event: OrderEvent;
    restock: StockMove[];
    /** Give the order's coupons and campaign quotas back (a full refund of an order that still holds them). */
    returnPromotions?: boolean;
    note: string;
    now: number;
  }): Promise<StartRefundResult> {
    const { refund: planned, now } = args;
    const order = args.order as RefundableOrder;
    const paidFen = order.paidFen ?? 0;
    // Nobody else refunded since `order` was read, and the new total stays within what WeChat says was paid.
    const names: Record<string, string> = {};
    const seen = order.refundedFen ?? 0;
    if (seen + planned.amountFen > paidFen) return { started: false, reason: 'STALE' };
    const values: Record<string, unknown> = { ':x_seen': seen, ':x_total': seen + planned.amountFen, ':x_one': 1 };
    const sets = ['refundedFen = :x_total'];
    const lines = moveRefundedLines(order.refundedLines, planned.lines, 1);
    planned.lines.forEach((l, i) => {
      names[`#x_l${i}`] = l.skuId;
      values[`:x_l${i}`] = lines[l.skuId];
      sets.push(`refundedLines.#x_l${i} = :x_l${i}`);
    });
    // Units a released refund left on sale are not put on sale again.
    const credit = useStockCredit(args.restock, order.stockCredit);
    if (credit.used) {
      sets.push('stockCredit = :x_credit');
      values[':x_credit'] = credit.credit;
    }
    const promotionsAlreadyBack = !!args.returnPromotions && order.promotionsCredit === true;
    if (promotionsAlreadyBack) {
      sets.push('promotionsCredit = :x_false');
      values[':x_false'] = false;
    }
    // The amount is checked against what was paid here, in the write, not only in the service's plan.
    const condition = `refundedFen = :x_seen AND paidFen >= :x_total AND ${revGuard(order, values)}`;
    const refund: RefundItem = {
      ...planned,
      ...(planned.full ? { fromStatus: order.status } : {}),
      restocked: args.restock,
      promotionsReturned: !!args.returnPromotions,
    };
    const items: LabelledItem[] = [
      {
        label: 'refund',
        Put: {
          TableName: table(),
          Item: { ...keys.refund(order.id, refund.outRefundNo), ...keys.refundDue(refund.createdAt, refund.outRefundNo), type: 'refund', ...refund },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      transitionUpdate(order, args.event, { now, note: args.note, extra: { sets, adds: ['refundRev :x_one'], condition, names, values } }),
      ...stockRepo.returnItems(credit.moves),
      ...(args.returnPromotions && !promotionsAlreadyBack ? promotionReturnItems(order) : []),
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

  /**
   * WeChat ended the refund unpaid (CLOSED, or ABNORMAL: the money did not reach the buyer). In ONE transaction the
   * record moves REFUNDING → `status` (once: replays find it ended) and the order gets the counted amount back:
   * refundedFen and the lines' units/fen go down, a full refund's order returns to the status it came from, and the
   * units and promotions it gave back stay given back as the order's credit. false when the record had already ended.
   */
  async release(refund: RefundItem, args: { status: 'CLOSED' | 'ABNORMAL'; refundId: string | null; now: number }): Promise<boolean> {
    for (let plan = 0; plan < MAX_PLANS; plan++) {
      const order = (await orderRepo.get(refund.orderId)) as RefundableOrder | null;
      if (!order) throw new Error(`refund ${refund.outRefundNo} has no order ${refund.orderId}`);
      const seen = order.refundedFen ?? 0;
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':x_seen': seen, ':x_total': seen - refund.amountFen, ':x_amt': refund.amountFen, ':x_one': 1 };
      const sets = ['refundedFen = :x_total'];
      const lines = moveRefundedLines(order.refundedLines, refund.lines, -1);
      refund.lines.forEach((l, i) => {
        names[`#x_l${i}`] = l.skuId;
        values[`:x_l${i}`] = lines[l.skuId];
        sets.push(`refundedLines.#x_l${i} = :x_l${i}`);
      });
      if (refund.restocked?.length) {
        sets.push('stockCredit = :x_credit');
        values[':x_credit'] = addStockCredit(order.stockCredit, refund.restocked);
      }
      if (refund.promotionsReturned) {
        sets.push('promotionsCredit = :x_true');
        values[':x_true'] = true;
      }
      const condition = `refundedFen = :x_seen AND refundedFen >= :x_amt AND ${revGuard(order, values)}`;
      // A full refund's order goes back to the status it came from; a partial one keeps its status.
      const release = transitionUpdate({ ...order, refundFrom: statusBefore(refund) }, refund.full ? 'REFUND_RELEASED' : 'REFUND_PART_RELEASED', {
        now: args.now,
        note: RELEASE_NOTE[args.status],
        extra: { sets, adds: ['refundRev :x_one'], condition, names, values },
      });
      const items: LabelledItem[] = [
        {
          label: 'refund',
          Update: {
            TableName: table(),
            Key: keys.refund(refund.orderId, refund.outRefundNo),
            UpdateExpression: 'SET #status = :end, refundId = :rid, finishedAt = :now, released = :true, GSI4PK = :dayPk, GSI4SK = :daySk REMOVE GSI3PK, GSI3SK',
            ConditionExpression: '#status = :refunding',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':end': args.status,
              ':rid': args.refundId ?? refund.refundId,
              ':now': args.now,
              ':true': true,
              ':refunding': 'REFUNDING',
              ':dayPk': keys.refundExceptionDay(args.now, refund.outRefundNo).GSI4PK,
              ':daySk': keys.refundExceptionDay(args.now, refund.outRefundNo).GSI4SK,
            },
          },
        },
        release,
      ];
      try {
        await transact(items);
        return true;
      } catch (e) {
        if (!(e instanceof TransactionRefused)) throw e;
        if (e.failed().includes('refund')) return false;
        if (!e.failed().includes('order')) throw e;
        // The order's refund numbers moved since the read: plan again.
      }
    }
    throw new Error(`refund ${refund.outRefundNo}: the order kept changing, release not applied`);
  },

  /**
   * WeChat paid a refund that had been released (an ABNORMAL refund resolved later). Counted again, in one
   * transaction, under the same conditions as a new refund (never above what was paid, never more units than
   * bought, no other attempt of the same refund running or paid); a full refund's order becomes REFUNDED and the
   * credit it left is used. When it no longer fits because another attempt already gave the same money or units
   * back, the money went out twice: the record is marked
   * REFUNDED + paidTwice (not counted, so refundedFen never passes paidFen) and listed in the daily report.
   */
  async recount(refund: RefundItem, args: { refundId: string | null; now: number }): Promise<RecountResult> {
    for (let plan = 0; plan < MAX_PLANS; plan++) {
      const order = (await orderRepo.get(refund.orderId)) as RefundableOrder | null;
      if (!order) throw new Error(`refund ${refund.outRefundNo} has no order ${refund.orderId}`);
      // Another attempt of the same refund running or paid already gives this money back: it cannot count twice.
      const base = refundAttemptBase(refund.outRefundNo);
      const superseded = (await refundRepo.forOrder(refund.orderId)).some(
        (r) => r.outRefundNo !== refund.outRefundNo && refundAttemptBase(r.outRefundNo) === base && !r.released && (r.status === 'REFUNDING' || r.status === 'REFUNDED'),
      );
      const fits = !superseded && refundFits(order, refund);
      const recordValues: Record<string, unknown> = {
        ':refunded': 'REFUNDED',
        ':was': refund.status,
        ':true': true,
        ':rid': args.refundId ?? refund.refundId,
        ':now': args.now,
      };
      const record: LabelledItem = {
        label: 'refund',
        Update: {
          TableName: table(),
          Key: keys.refund(refund.orderId, refund.outRefundNo),
          UpdateExpression: fits
            ? 'SET #status = :refunded, refundId = :rid, released = :false, recountedAt = :now'
            : 'SET #status = :refunded, refundId = :rid, paidTwice = :true, finishedAt = :now, GSI4PK = :dayPk, GSI4SK = :daySk',
          ConditionExpression: '#status = :was AND released = :true',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: fits
            ? { ...recordValues, ':false': false }
            : {
                ...recordValues,
                ':dayPk': keys.refundExceptionDay(args.now, refund.outRefundNo).GSI4PK,
                ':daySk': keys.refundExceptionDay(args.now, refund.outRefundNo).GSI4SK,
              },
        },
      };
      const items: LabelledItem[] = [record];
      if (fits) {
        const seen = order.refundedFen ?? 0;
        const names: Record<string, string> = {};
        const values: Record<string, unknown> = { ':x_seen': seen, ':x_total': seen + refund.amountFen, ':x_one': 1 };
        const sets = ['refundedFen = :x_total'];
        const lines = moveRefundedLines(order.refundedLines, refund.lines, 1);
        refund.lines.forEach((l, i) => {
          names[`#x_l${i}`] = l.skuId;
          values[`:x_l${i}`] = lines[l.skuId];
          sets.push(`refundedLines.#x_l${i} = :x_l${i}`);
        });
        const credit = useStockCredit(refund.restocked ?? [], order.stockCredit);
        if (credit.used) {
          sets.push('stockCredit = :x_credit');
          values[':x_credit'] = credit.credit;
        }
        if (refund.promotionsReturned && order.promotionsCredit === true) {
          sets.push('promotionsCredit = :x_false');
          values[':x_false'] = false;
        }
        const condition = `refundedFen = :x_seen AND paidFen >= :x_total AND ${revGuard(order, values)}`;
        const extra = { sets, adds: ['refundRev :x_one'], condition, names, values };
        // A full refund's order becomes REFUNDED by the table's REFUND_RECOUNTED; a partial one only counts the money.
        items.push(
          refund.full
            ? transitionUpdate(order, 'REFUND_RECOUNTED', { now: args.now, extra })
            : {
                label: 'order',
                Update: {
                  TableName: table(),
                  Key: keys.order(refund.orderId),
                  UpdateExpression: `SET ${sets.join(', ')} ADD refundRev :x_one`,
                  ConditionExpression: condition,
                  ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
                  ExpressionAttributeValues: values,
                },
              },
        );
      }
      try {
        await transact(items);
        return fits ? 'COUNTED' : 'PAID_TWICE';
      } catch (e) {
        if (!(e instanceof TransactionRefused)) throw e;
        if (e.failed().includes('refund')) return 'ALREADY';
        if (!e.failed().includes('order')) throw e;
      }
    }
    throw new Error(`refund ${refund.outRefundNo}: the order kept changing, late success not applied`);
  },

  /** Refunds that ended CLOSED/ABNORMAL or were paid twice on a UTC day (yyyy-mm-dd), for the daily report. */
  async exceptionsOn(day: string): Promise<RefundItem[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.refundExceptionDayPartition(day) },
      }),
    );
    return (out.Items ?? []).map(clean);
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
   * REFUNDING → REFUNDED, once (the notification and reconciliation may both report it). A full refund that
   * succeeded also moves the order REFUNDING → REFUNDED, in the same transaction. (Unpaid ends: `release`.)
   */
  async finish(refund: RefundItem, args: { status: 'REFUNDED'; refundId: string | null; now: number; userId: string }): Promise<boolean> {
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
    if (refund.full) {
      const order = await orderRepo.get(refund.orderId);
      if (order) items.push(transitionUpdate(order, 'REFUND_SUCCEEDED', { now: args.now, note: '退款已到账' }));
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

