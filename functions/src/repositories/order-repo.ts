import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderStatus, OrderTabKey, QuoteDiscount, QuoteLine } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { campaignRepo, type FlashTake, type GiftTake, type GroupTake, type QuotaReturn } from './campaign-repo';
import { couponRepo } from './coupon-repo';
import { keys } from './keys';
import { isConditionFailed, transact, TransactionRefused, type LabelledItem } from './transactions';

export interface ShippingAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}
export interface TimelineEntry {
  at: number;
  status: OrderStatus;
  note: string;
}
export interface OrderItem {
  id: string;
  userId: string;
  status: OrderStatus;
  lines: OrderLine[];
  itemCount: number;
  subtotalFen: number;
  shippingFen: number;
  discountFen: number;
  discounts: QuoteDiscount[];
  payableFen: number;
  address: ShippingAddress;
  remark: string;
  createdAt: number;
  deadlineAt: number;
  paidAt: number | null;
  cancelledAt: number | null;
  cancelReason: string | null;
  transactionId: string | null;
  /** The amount WeChat says was paid; set with the move to PAID. */
  paidFen: number | null;
  /** Refunds started (REFUNDING or REFUNDED); never above paidFen (a condition guards it). */
  refundedFen: number;
  /** Per line: units and fen already being given back (exact partial refunds). */
  refundedLines: Record<string, { quantity: number; fen: number }>;
  prepayId: string | null;
  prepayCreatedAt: number | null;
  timeline: TimelineEntry[];
  idempotencyKey: string;
  sourceType: 'cart' | 'buyNow';
  /** Coupons this order holds: LOCKED while unpaid, USED once paid (absent on orders from before coupons). */
  couponIds?: string[];
  /** Units bought at a flash price, taken from the sale's quota (returned on cancel and full refund). */
  flashSales?: FlashTake[];
  /** 满赠 gifts shipped with the order (their stock, and the campaign quota when it has one, are taken with it). */
  gifts?: OrderGift[];
  /** How the order takes part in a group deal (absent on ordinary orders). */
  group?: OrderGroup;
}

export interface OrderGroup {
  campaignId: string;
  role: 'leader' | 'member';
  /** The group joined, or (leader) the group opened at payment; null until then. */
  groupId: string | null;
  token: string | null;
  /** PENDING until the payment seats the shopper; FAILED also for a payer refused a seat (refunded). */
  status: 'PENDING' | 'OPEN' | 'SUCCESS' | 'FAILED';
  inviter: string | null;
  /** The unit counted against the deal's stock quota and the shopper's limit. */
  take: GroupTake;
}

/** A quote line as the order keeps it; `flashSale` says a flash price replaced the list price. */
export type OrderLine = QuoteLine & { flashSale?: { campaignId: string; name: string; listPriceFen: number; endsAt: number } };

export interface OrderGift {
  campaignId: string;
  productId: string;
  skuId: string;
  title: string;
  quantity: number;
  /** The campaign's quota when the gift was counted against one. */
  quota: number | null;
}

/** The shipping address as the order keeps it: a copy, so later edits of the address book do not change the order. */
export function addressSnapshot(a: ShippingAddress): ShippingAddress {
  const { name, phone, province, city, district, detail } = a;
  return { name, phone, province, city, district, detail };
}

/** What every new order starts with: unpaid, nothing refunded, its price breakdown taken from the quote. */
export function newUnpaidOrder(
  args: Pick<OrderItem, 'id' | 'userId' | 'address' | 'remark' | 'createdAt' | 'deadlineAt' | 'idempotencyKey' | 'sourceType'> & {
    quote: Pick<OrderItem, 'lines' | 'itemCount' | 'subtotalFen' | 'shippingFen' | 'discountFen' | 'discounts' | 'payableFen'>;
    note: string;
  },
): Omit<OrderItem, 'couponIds' | 'flashSales' | 'gifts' | 'group'> {
  const { quote: q, note, ...rest } = args;
  return {
    ...rest,
    status: 'PENDING_PAYMENT',
    lines: q.lines,
    itemCount: q.itemCount,
    subtotalFen: q.subtotalFen,
    shippingFen: q.shippingFen,
    discountFen: q.discountFen,
    discounts: q.discounts,
    payableFen: q.payableFen,
    paidAt: null,
    cancelledAt: null,
    cancelReason: null,
    transactionId: null,
    paidFen: null,
    refundedFen: 0,
    refundedLines: {},
    prepayId: null,
    prepayCreatedAt: null,
    timeline: [{ at: args.createdAt, status: 'PENDING_PAYMENT', note }],
  };
}

export interface StockMove {
  productId: string;
  skuId: string;
  quantity: number;
}

function clean(item: Record<string, unknown>): OrderItem {
  const { PK: _1, SK: _2, GSI1PK: _3, GSI1SK: _4, GSI2PK: _5, GSI2SK: _6, GSI3PK: _7, GSI3SK: _8, GSI4PK: _10, GSI4SK: _11, type: _9, ...rest } = item;
  return rest as unknown as OrderItem;
}

/** The stock an order holds: its lines and its gifts, one move per SKU (an item may appear once per transaction). */
export function heldStock(order: { lines: StockMove[]; gifts?: StockMove[] }): StockMove[] {
  const bySku = new Map<string, StockMove>();
  for (const m of [...order.lines, ...(order.gifts ?? [])]) {
    const seen = bySku.get(m.skuId);
    bySku.set(m.skuId, { productId: m.productId, skuId: m.skuId, quantity: (seen?.quantity ?? 0) + m.quantity });
  }
  return [...bySku.values()];
}

/** The campaign quotas an order took. */
export function quotasHeld(order: Pick<OrderItem, 'flashSales' | 'gifts' | 'group'>): QuotaReturn {
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

function stockReturn(move: StockMove): LabelledItem {
  return {
    label: `restock:${move.skuId}`,
    Update: {
      TableName: table(),
      Key: keys.sku(move.productId, move.skuId),
      UpdateExpression: 'ADD stock :q, sold :negq',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':q': move.quantity, ':negq': -move.quantity },
    },
  };
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
  }): Promise<void> {
    const { order } = args;
    const items: LabelledItem[] = [
      ...args.stock.map<LabelledItem>((s) => ({
        label: `sku:${s.skuId}`,
        Update: {
          TableName: table(),
          Key: keys.sku(s.productId, s.skuId),
          UpdateExpression: 'SET stock = stock - :q, sold = sold + :q',
          ConditionExpression: `attribute_exists(PK) AND stock >= :q${s.priceFen === undefined ? '' : ' AND priceFen = :price'}`,
          ExpressionAttributeValues: { ':q': s.quantity, ...(s.priceFen === undefined ? {} : { ':price': s.priceFen }) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      })),
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
    ];
    await transact(items);
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
   * PENDING_PAYMENT → CANCELLED and every SKU's stock back, in one transaction guarded by the status: of any number
   * of concurrent cancels (shopper, timeout), exactly one returns the stock. Returns false when the order had
   * already left PENDING_PAYMENT.
   */
  async cancel(order: OrderItem, args: { reason: string; now: number; note: string; onlyAfterDeadline?: boolean }): Promise<boolean> {
    const entry: TimelineEntry = { at: args.now, status: 'CANCELLED', note: args.note };
    try {
      await transact([
        {
          label: 'order',
          Update: {
            TableName: table(),
            Key: keys.order(order.id),
            UpdateExpression:
              'SET #status = :cancelled, cancelledAt = :now, cancelReason = :reason, timeline = list_append(timeline, :entry), GSI2PK = :tab REMOVE GSI3PK, GSI3SK',
            // A timeout may only close an order whose deadline has passed, whoever's clock triggered it.
            ConditionExpression: `#status = :pending AND userId = :uid${args.onlyAfterDeadline ? ' AND deadlineAt <= :now' : ''}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':cancelled': 'CANCELLED',
              ':pending': 'PENDING_PAYMENT',
              ':now': args.now,
              ':reason': args.reason,
              ':entry': [entry],
              ':tab': keys.orderTab(order.userId, order.id, 'CANCELLED').GSI2PK,
              ':uid': order.userId,
            },
          },
        },
        ...heldStock(order).map((m) => stockReturn(m)),
        ...promotionReturnItems(order),
      ]);
      return true;
    } catch (e) {
      if (e instanceof TransactionRefused && e.failed().includes('order')) return false;
      throw e;
    }
  },

  /**
   * PENDING_PAYMENT → PAID, once. Returns the updated order, or null when the status had already moved. An order
   * without coupons is one conditional UpdateItem (the common notification stays one write); with coupons, they move
   * LOCKED → USED in the same transaction as the status.
   */
  async markPaid(order: OrderItem, args: { transactionId: string; paidAt: number; paidFen: number; now: number }): Promise<OrderItem | null> {
    const orderId = order.id;
    const entry: TimelineEntry = { at: args.now, status: 'PAID', note: '支付成功' };
    const update = {
      TableName: table(),
      Key: keys.order(orderId),
      UpdateExpression:
        'SET #status = :paid, paidAt = :paidAt, paidFen = :paidFen, transactionId = :tx, timeline = list_append(timeline, :entry), GSI2PK = :tab REMOVE GSI3PK, GSI3SK',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':paid': 'PAID',
        ':pending': 'PENDING_PAYMENT',
        ':paidAt': args.paidAt,
        ':paidFen': args.paidFen,
        ':tx': args.transactionId,
        ':entry': [entry],
        ':tab': keys.orderTab(order.userId, orderId, 'PAID').GSI2PK,
      },
    };
    const couponIds = order.couponIds ?? [];
    if (couponIds.length > 0) {
      try {
        await transact([{ label: 'order', Update: update }, ...couponRepo.useItems(order.userId, couponIds, orderId, args.now)]);
      } catch (e) {
        if (e instanceof TransactionRefused && e.failed().includes('order')) return null;
        throw e;
      }
      return this.get(orderId);
    }
    try {
      const out = await db().send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
      return clean(out.Attributes!);
    } catch (e) {
      if (isConditionFailed(e)) return null;
      throw e;
    }
  },

  /**
   * A payment that arrived after the order was cancelled: CANCELLED → PAID only if everything the cancel gave back
   * can be taken again — every SKU's stock, its coupons (still UNUSED and the shopper's; straight to USED), its
   * flash-sale units and gifts within their quotas — all in one transaction, so an order is never PAID with its stock
   * or coupons released. Otherwise `unavailable`, and the payment is refunded.
   */
  async reserveLatePayment(
    order: OrderItem,
    args: { transactionId: string; paidAt: number; paidFen: number; now: number },
  ): Promise<'reserved' | 'unavailable' | 'state_changed'> {
    const entry: TimelineEntry = { at: args.now, status: 'PAID', note: '订单关闭后收到付款，已重新锁定库存' };
    try {
      await transact([
        {
          label: 'order',
          Update: {
            TableName: table(),
            Key: keys.order(order.id),
            UpdateExpression:
              'SET #status = :paid, paidAt = :paidAt, paidFen = :paidFen, transactionId = :tx, timeline = list_append(timeline, :entry), GSI2PK = :tab',
            ConditionExpression: '#status = :cancelled AND (attribute_not_exists(transactionId) OR transactionId = :null)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':paid': 'PAID',
              ':cancelled': 'CANCELLED',
              ':null': null,
              ':paidAt': args.paidAt,
              ':paidFen': args.paidFen,
              ':tx': args.transactionId,
              ':entry': [entry],
              ':tab': keys.orderTab(order.userId, order.id, 'PAID').GSI2PK,
            },
          },
        },
        ...heldStock(order).map<LabelledItem>((l) => ({
          label: `sku:${l.skuId}`,
          Update: {
            TableName: table(),
            Key: keys.sku(l.productId, l.skuId),
            UpdateExpression: 'SET stock = stock - :q, sold = sold + :q',
            ConditionExpression: 'attribute_exists(PK) AND stock >= :q',
            ExpressionAttributeValues: { ':q': l.quantity },
          },
        })),
        ...couponRepo.retakeAsUsedItems(order.userId, order.couponIds ?? [], order.id, args.now),
        ...campaignRepo.takeItems(order.userId, order.flashSales ?? [], giftTakes(order), order.group ? [order.group.take] : []),
      ]);
      return 'reserved';
    } catch (e) {
      if (!(e instanceof TransactionRefused)) throw e;
      return e.failed().includes('order') ? 'state_changed' : 'unavailable';
    }
  },

  /** Records the money of a late payment on a cancelled order, so it can be refunded (never marks it PAID). */
  async recordLatePayment(order: OrderItem, args: { transactionId: string; paidAt: number; paidFen: number }): Promise<boolean> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.order(order.id),
          UpdateExpression: 'SET paidAt = :paidAt, paidFen = :paidFen, transactionId = :tx',
          ConditionExpression: '#status = :cancelled AND (attribute_not_exists(transactionId) OR transactionId = :null OR transactionId = :tx)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':null': null, ':paidAt': args.paidAt, ':paidFen': args.paidFen, ':tx': args.transactionId },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
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

  /** Durable record of a verified notification (written before WeChat is told to stop retrying). */
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
