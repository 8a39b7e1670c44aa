/**
 * An order as the shop keeps it, and the pure builders of a new one: the domain the services and repositories share.
 * Repositories store it (keys, conditions); nothing here does I/O.
 */
import type { GroupMembership, OrderEvent, OrderStatus, QuoteDiscount, QuoteLine } from '@shop/shared';
import type { FlashTake, GroupTake } from '../repositories/campaign-repo';

export interface StockMove {
  productId: string;
  skuId: string;
  quantity: number;
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
  /** The transition-table event that made this entry (absent on the order's first entry). */
  event?: OrderEvent;
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
  /** Paid after it had been cancelled, with everything taken again (PAY_LATE). */
  paidLate?: boolean;
  /** The status a full refund started from (REFUND_RELEASED goes back to it). */
  refundFrom?: OrderStatus | null;
  /** Other WeChat transactions that paid this order again (each refunded; see payment records). */
  duplicatePayments?: number;
  /** When WeChat was last asked about this unpaid order (主动查单 is spaced out). */
  queriedAt?: number;
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
  /** 积分抵扣: points spent in the placing transaction (ledger SPEND#<id>) and the fen they took off; returned on cancel. */
  points?: { used: number; deductionFen: number };
  /** Fulfilment (services/fulfilment.ts): set with SHIP; `version` counts uploads of the shipping info to WeChat. */
  shipment?: { parcels: number; allDelivered: boolean; version: number };
  /** Last time parcels were sent (M days after it the order is received when tracking never says delivered). */
  shippedAt?: number;
  /** When every parcel was delivered (已签收), from tracking. */
  deliveredAt?: number | null;
  /** When the order counts as received automatically (kept with its DUE#RECEIPT index while SHIPPED). */
  receiptDueAt?: number;
  /** Received (CONFIRM_RECEIPT): when, and who said so (the shopper, WeChat's confirm component, or the schedule). */
  receivedAt?: number;
  receivedBy?: 'shopper' | 'wechat' | 'auto';
}

export interface OrderGroup {
  campaignId: string;
  role: 'leader' | 'member';
  /** The group joined, or (leader) the group opened at payment; null until then. */
  groupId: string | null;
  token: string | null;
  /** PENDING until the payment seats the shopper; FAILED also for a payer refused a seat (refunded). */
  status: GroupMembership;
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

