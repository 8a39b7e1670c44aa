/**
 * The order state machine. The server moves an order only along these edges, each move a conditional write on the
 * current status, so two racing events can never both apply.
 */
export const ORDER_STATUSES = [
  'PENDING_PAYMENT',
  'PAID',
  'SHIPPED',
  'COMPLETED',
  'CANCELLED',
  'REFUNDING',
  'REFUNDED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderEvent =
  | 'PAY'
  | 'CANCEL'
  | 'TIMEOUT'
  | 'SHIP'
  | 'CONFIRM_RECEIPT'
  | 'REQUEST_REFUND'
  | 'REFUND_DONE'
  /** A payment that arrives after the order was cancelled, when every SKU could be reserved again. */
  | 'LATE_PAYMENT_RESERVED'
  /** A payment that arrives after the order was cancelled, when stock is gone: the money goes back. */
  | 'LATE_PAYMENT_REFUND';

const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>> = {
  PENDING_PAYMENT: { PAY: 'PAID', CANCEL: 'CANCELLED', TIMEOUT: 'CANCELLED' },
  PAID: { SHIP: 'SHIPPED', REQUEST_REFUND: 'REFUNDING' },
  SHIPPED: { CONFIRM_RECEIPT: 'COMPLETED', REQUEST_REFUND: 'REFUNDING' },
  COMPLETED: { REQUEST_REFUND: 'REFUNDING' },
  CANCELLED: { LATE_PAYMENT_RESERVED: 'PAID', LATE_PAYMENT_REFUND: 'REFUNDING' },
  REFUNDING: { REFUND_DONE: 'REFUNDED' },
  REFUNDED: {},
};

/** The status an event leads to, or undefined when the event is not allowed in that status. */
export function nextStatus(from: OrderStatus, event: OrderEvent): OrderStatus | undefined {
  return TRANSITIONS[from][event];
}

export function canApply(from: OrderStatus, event: OrderEvent): boolean {
  return nextStatus(from, event) !== undefined;
}

/** Every status from which an event may be applied (used to build a condition expression). */
export function statusesAccepting(event: OrderEvent): OrderStatus[] {
  return ORDER_STATUSES.filter((s) => canApply(s, event));
}

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  PENDING_PAYMENT: '待付款',
  PAID: '待发货',
  SHIPPED: '待收货',
  COMPLETED: '已完成',
  CANCELLED: '已取消',
  REFUNDING: '退款中',
  REFUNDED: '已退款',
};

/** The tabs of the order list and the statuses each shows. */
export const ORDER_TABS = [
  { key: 'ALL', label: '全部', statuses: [...ORDER_STATUSES] },
  { key: 'PENDING_PAYMENT', label: '待付款', statuses: ['PENDING_PAYMENT'] },
  { key: 'PAID', label: '待发货', statuses: ['PAID'] },
  { key: 'SHIPPED', label: '待收货', statuses: ['SHIPPED'] },
  { key: 'COMPLETED', label: '已完成', statuses: ['COMPLETED'] },
  { key: 'CANCELLED', label: '已取消', statuses: ['CANCELLED', 'REFUNDING', 'REFUNDED'] },
] as const satisfies ReadonlyArray<{ key: string; label: string; statuses: readonly OrderStatus[] }>;
export type OrderTabKey = (typeof ORDER_TABS)[number]['key'];

/** Default time a shopper has to pay, in ms (stage config may override). */
export const DEFAULT_PAYMENT_WINDOW_MS = 15 * 60 * 1000;
