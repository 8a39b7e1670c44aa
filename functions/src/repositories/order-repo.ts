import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { lotExpiresAt, shanghaiMonth, type GroupMembership, type OrderEvent, type OrderStatus, type OrderTabKey, type QuoteDiscount, type QuoteLine } from '@shop/shared';
import { membersConfig } from '../providers/members-config';
import { pointsRepo } from './points-repo';
import { db, table } from '../lib/dynamo';
import { campaignRepo, type FlashTake, type GiftTake, type GroupTake, type QuotaReturn } from './campaign-repo';
import { couponRepo } from './coupon-repo';
import { keys } from './keys';
import { transitionUpdate, type ExtraUpdate } from './order-transitions';
import { paymentRepo, type PaymentRecord } from './payment-repo';
import { stockRepo } from './stock-repo';
import { heldStock, type OrderItem, type StockMove, type TimelineEntry } from '../domain/order';
import { isConditionFailed, transact, TransactionRefused, type LabelledItem } from './transactions';


function clean(item: Record<string, unknown>): OrderItem {
  const { PK: _1, SK: _2, GSI1PK: _3, GSI1SK: _4, GSI2PK: _5, GSI2SK: _6, GSI3PK: _7, GSI3SK: _8, GSI4PK: _10, GSI4SK: _11, type: _9, ...rest } = item;
  return rest as unknown as OrderItem;
}

/** The campaign quotas an order took. */
function quotasHeld(order: Pick<OrderItem, 'flashSales' | 'gifts' | 'group'>): QuotaReturn {
  return {
    flash: (order.flashSales ?? []).map(({ campaignId, skuId, quantity }) => ({ campaignId, skuId, quantity })),
    gifts: (order.gifts ?? []).filter((g) => g.quota !== null).map(({ campaignId, quantity }) => ({ campaignId, quantity })),
    group: order.group ? [{ campaignId: order.group.take.campaignId, quantity: order.group.take.quantity }] : [],
  };
}

/** Everything a cancelled or fully refunded order gives back besides its stock: coupons and campaign quotas. */
export function promotionReturnItems(order: OrderItem): LabelledItem[] {
  return [
    ...couponRepo.releaseItems(order.userId, order.couponIds ?? [], order.id),
    ...campaignRepo.returnItems(order.userId, quotasHeld(order)),
  ];
}

function giftTakes(order: Pick<OrderItem, 'gifts'>): GiftTake[] {
  return (order.gifts ?? []).flatMap((g) => (g.quota === null ? [] : [{ campaignId: g.campaignId, quantity: g.quantity, quota: g.quota }]));
}

/** What a payment writes on the order with its move. */
function paymentSets(p: PaymentRecord, flags: { paidLate?: boolean } = {}): ExtraUpdate {
  return {
    sets: ['paidAt = :x_paidAt', 'paidFen = :x_paidFen', 'transactionId = :x_tx', ...(flags.paidLate ? ['paidLate = :x_true'] : [])],
    values: { ':x_paidAt': p.successTime ?? p.receivedAt, ':x_paidFen': p.amountFen, ':x_tx': p.transactionId, ...(flags.paidLate ? { ':x_true': true } : {}) },
  };
}

/** How a transaction that moves an order ended: applied, the order had moved on, or this payment was already in. */
export type MoveResult = 'applied' | 'moved' | 'replayed';

async function move(items: LabelledItem[], options?: { maxConflictRetries?: number }): Promise<MoveResult> {
  try {
    await transact(items, options);
    return 'applied';
  } catch (e) {
    if (!(e instanceof TransactionRefused)) throw e;
    if (e.failed().includes('payment')) return 'replayed';
    if (e.failed().includes('order')) return 'moved';
    throw e;
  }
}

export interface CheckoutKeyPeek {
  key: { PK: string; SK: string };
  find(items: Record<string, unknown>[]): { orderId: string; requestHash: string } | null;
}

export const orderRepo = {
  /**
   * Places an order in ONE transaction: every SKU's stock is decremented only if enough remains and its price is
   * still the quoted one, the order and the checkout key are created only if new, and the bought cart lines go.
   * Either all of it happens or none of it.
   */
  async place(args: {
    order: OrderItem;
    /** One move per SKU; `priceFen` (the list price the quote used) is checked for bought SKUs, not for gift-only ones. */
    stock: (StockMove & { priceFen?: number })[];
    checkoutKey: { requestHash: string };
    cartSkuIds: string[];
    /** Items of other parts of the shop that belong in the same transaction (the points spent at checkout). */
    extraItems?: LabelledItem[];
  }): Promise<void> {
    const { order } = args;
    const items: LabelledItem[] = [
      ...stockRepo.takeItems(args.stock),
      ...couponRepo.lockItems(order.userId, order.couponIds ?? [], order.id, order.createdAt),
      ...campaignRepo.takeItems(order.userId, order.flashSales ?? [], giftTakes(order), order.group ? [order.group.take] : []),
      {
        label: 'order',
        Put: {
          TableName: table(),
          Item: {
            ...keys.order(order.id),
            ...keys.orderIndexes(order.userId, order.id, order.status, order.createdAt),
            ...keys.paymentDue(order.deadlineAt, order.id),
            type: 'order',
            ...order,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        label: 'checkoutKey',
        Put: {
          TableName: table(),
          Item: {
            ...keys.checkoutKey(order.userId, order.idempotencyKey),
            type: 'checkoutKey',
            orderId: order.id,
            requestHash: args.checkoutKey.requestHash,
            createdAt: order.createdAt,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...args.cartSkuIds.map<LabelledItem>((skuId) => ({
        label: `cart:${skuId}`,
        Delete: { TableName: table(), Key: keys.cartLine(order.userId, skuId) },
      })),
      ...(args.extraItems ?? []),
    ];
    await transact(items);
  },

  /**
   * The checkout key as one more item of a batch read the caller makes anyway (the price step's), so looking it up
   * first costs no round trip: `find` picks it out of what the batch returned.
   */
  checkoutKeyPeek(userId: string, idempotencyKey: string): CheckoutKeyPeek {
    const key = keys.checkoutKey(userId, idempotencyKey);
    return {
      key,
      find(items) {
        const hit = items.find((i) => i.PK === key.PK && i.SK === key.SK);
        return hit ? { orderId: hit.orderId as string, requestHash: hit.requestHash as string } : null;
      },
    };
  },

  async checkoutKey(userId: string, idempotencyKey: string): Promise<{ orderId: string; requestHash: string } | null> {
    const out = await db().send(
      new GetCommand({ TableName: table(), Key: keys.checkoutKey(userId, idempotencyKey), ConsistentRead: true }),
    );
    return out.Item ? { orderId: out.Item.orderId as string, requestHash: out.Item.requestHash as string } : null;
  },

  async get(orderId: string): Promise<OrderItem | null> {
    const out = await db().send(new GetCommand({ TableName: table(), Key: keys.order(orderId), ConsistentRead: true }));
    return out.Item ? clean(out.Item) : null;
  },

  /**
   * CANCEL (shopper) or TIMEOUT (deadline): the table's move plus every SKU's stock, the coupons and the quotas back,
   * in one transaction: of any number of concurrent cancels exactly one returns anything. False when the order had
   * already left PENDING_PAYMENT (or, for TIMEOUT, its deadline had not passed). Points the checkout spent come back
   * in the same transaction (planned again if a lot they return to expired meanwhile).
   */
  async cancel(order: OrderItem, event: 'CANCEL' | 'TIMEOUT', args: { reason: string; now: number; note?: string }): Promise<boolean> {
    const extra: ExtraUpdate = {
      sets: ['cancelledAt = :x_now', 'cancelReason = :x_reason'],
      values: { ':x_now': args.now, ':x_reason': args.reason },
      // A timeout may only close an order whose deadline has passed, whoever's clock triggered it.
      ...(event === 'TIMEOUT' ? { condition: 'deadlineAt <= :x_now' } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      const month = shanghaiMonth(args.now);
      const points = order.points
        ? await pointsRepo.cancelReturnItems({
            userId: order.userId,
            orderId: order.id,
            accountFen: order.payableFen,
            at: args.now,
            note: '订单已取消，退回抵扣的积分',
            fallback: { month, expiresAt: lotExpiresAt(month, membersConfig().points.expiryMonths) },
          })
        : [];
      try {
        const result = await move([
          transitionUpdate(order, event, { now: args.now, note: args.note, extra }),
          ...stockRepo.returnItems(heldStock(order)),
          ...promotionReturnItems(order),
          ...points,
        ]);
        return result === 'applied';
      } catch (e) {
        const lotMoved = e instanceof TransactionRefused && e.failed().length > 0 && e.failed().every((f) => f.startsWith('pointsLot:'));
        if (!lotMoved || attempt >= 10) throw e;
      }
    }
  },

  /** PAY: PENDING_PAYMENT → PAID with the payment's record and the coupons LOCKED → USED, in one transaction. */
  async pay(order: OrderItem, payment: PaymentRecord, now: number): Promise<MoveResult> {
    return move([
      transitionUpdate(order, 'PAY', { now, extra: paymentSets(payment) }),
      paymentRepo.putItem(payment),
      ...couponRepo.useItems(order.userId, order.couponIds ?? [], order.id, now),
    ]);
  },

  /**
   * PAY_LATE: a payment that arrived after the order was cancelled. CANCELLED → PAID only if everything the cancel
   * gave back can be taken again — every SKU's stock, its coupons (still UNUSED and the shopper's; straight to USED),
   * its flash-sale units, gifts and group units within their quotas — all in one transaction with the payment's
   * record, so an order is never PAID with its stock or coupons released. `unavailable`: something is gone.
   */
  async payLate(order: OrderItem, payment: PaymentRecord, now: number): Promise<MoveResult | 'unavailable'> {
    // The points it spent went back with the cancel and may be spent elsewhere already: such an order is not revived.
    if (order.points) return 'unavailable';
    try {
      await transact([
        transitionUpdate(order, 'PAY_LATE', { now, extra: paymentSets(payment, { paidLate: true }) }),
        paymentRepo.putItem(payment),
        ...stockRepo.takeItems(heldStock(order)),
        ...couponRepo.retakeAsUsedItems(order.userId, order.couponIds ?? [], order.id, now),
        ...campaignRepo.takeItems(order.userId, order.flashSales ?? [], giftTakes(order), order.group ? [order.group.take] : []),
      ]);
      return 'applied';
    } catch (e) {
      if (!(e instanceof TransactionRefused)) throw e;
      // Conflicts that outlasted their retries say nothing about stock or coupons: the notification is answered 5xx
      // and retried, never refunded as if something were gone.
      if (e.failed().length === 0) throw e;
      if (e.failed().includes('payment')) return 'replayed';
      return e.failed().includes('order') ? 'moved' : 'unavailable';
    }
  },

  /** PAY_LATE_UNAVAILABLE: the late payment's money is recorded on the cancelled order (never PAID), owed back. */
  async recordLatePayment(order: OrderItem, payment: PaymentRecord, now: number): Promise<MoveResult> {
    return move([transitionUpdate(order, 'PAY_LATE_UNAVAILABLE', { now, extra: paymentSets(payment) }), paymentRepo.putItem(payment)]);
  },

  /** SECOND_PAYMENT: another transaction for an order that already has one; recorded and owed back. */
  async recordSecondPayment(order: OrderItem, payment: PaymentRecord, now: number): Promise<MoveResult> {
    return move([
      transitionUpdate(order, 'SECOND_PAYMENT', {
        now,
        extra: { condition: 'transactionId <> :x_tx', values: { ':x_tx': payment.transactionId, ':x_one': 1 }, adds: ['duplicatePayments :x_one'] },
      }),
      paymentRepo.putItem(payment),
    ]);
  },

  /** Unpaid orders whose deadline is at or before `at`, oldest first (the timeout sweeper's safety net). */
  async dueForPayment(at: number, limit = 100): Promise<{ orderId: string; deadlineAt: number; prepayCreatedAt: number | null }[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :at',
        ExpressionAttributeValues: { ':pk': keys.paymentDuePartition, ':at': keys.dueBefore(at) },
        ProjectionExpression: 'id, deadlineAt, prepayCreatedAt',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({
      orderId: i.id as string,
      deadlineAt: i.deadlineAt as number,
      prepayCreatedAt: (i.prepayCreatedAt as number | null | undefined) ?? null,
    }));
  },

  /** Paid group orders whose seat is still undecided, paid at or before `at` (oldest first). */
  async seatsDue(at: number, limit = 100): Promise<string[]> {
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :at',
        ExpressionAttributeValues: { ':pk': keys.seatDuePartition, ':at': keys.dueBefore(at) },
        ProjectionExpression: 'id',
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => i.id as string);
  },

  /** Orders created on one UTC day (daily reconciliation). */
  async createdOn(day: string): Promise<OrderItem[]> {
    const items: OrderItem[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'GSI4',
          KeyConditionExpression: 'GSI4PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.dayPartition(day) },
          ExclusiveStartKey,
        }),
      );
      items.push(...(out.Items ?? []).map(clean));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  },

  /** Claims the right to ask WeChat about an unpaid order now (one query per spacing, however many readers). */
  async noteQueried(orderId: string, now: number, spacingMs: number): Promise<boolean> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.order(orderId),
          UpdateExpression: 'SET queriedAt = :now',
          ConditionExpression: '#status = :pending AND (attribute_not_exists(queriedAt) OR queriedAt <= :before)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':now': now, ':before': now - spacingMs, ':pending': 'PENDING_PAYMENT' },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /** Remembers the prepay of an unpaid order (reused while valid, so paying twice never opens two prepays). */
  async setPrepay(orderId: string, prepayId: string, now: number): Promise<boolean> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.order(orderId),
          UpdateExpression: 'SET prepayId = :p, prepayCreatedAt = :now',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':p': prepayId, ':now': now, ':pending': 'PENDING_PAYMENT' },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  },

  /**
   * Whether the shopper has ever paid for an order (新用户 = not yet). Newest orders first, stopping at the first paid
   * one: a returning shopper is answered from the first page, a new one has few orders to look through.
   */
  async hasPaidOrder(userId: string): Promise<boolean> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          FilterExpression: 'paidAt > :zero',
          ProjectionExpression: 'paidAt',
          ExpressionAttributeValues: { ':pk': keys.userOrders(userId), ':zero': 0 },
          ScanIndexForward: false,
          Limit: 25,
          ExclusiveStartKey,
        }),
      );
      if ((out.Items ?? []).length > 0) return true;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return false;
  },

  /**
   * How many of the shopper's orders sit in one tab of the order list (its GSI2 partition), counted by DynamoDB
   * (Select COUNT, every page): `status` narrows the tab to one of its statuses.
   */
  async countInTab(userId: string, tab: Exclude<OrderTabKey, 'ALL'>, status?: OrderStatus): Promise<number> {
    let count = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ...(status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
          ExpressionAttributeValues: { ':pk': keys.userOrderTab(userId, tab), ...(status ? { ':status': status } : {}) },
          Select: 'COUNT',
          ExclusiveStartKey,
        }),
      );
      count += out.Count ?? 0;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return count;
  },

  async listByUser(
    userId: string,
    tab: OrderTabKey,
    limit: number,
    cursor: Record<string, unknown> | undefined,
  ): Promise<{ items: OrderItem[]; next: Record<string, unknown> | undefined }> {
    const byTab = tab !== 'ALL';
    const out = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: byTab ? 'GSI2' : 'GSI1',
        KeyConditionExpression: byTab ? 'GSI2PK = :pk' : 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': byTab ? keys.userOrderTab(userId, tab) : keys.userOrders(userId) },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: cursor,
      }),
    );
    return { items: (out.Items ?? []).map(clean), next: out.LastEvaluatedKey };
  },
};
