/**
 * After-sales requests (售后), as ONE transition table of their own: state × event → next state, who may send the
 * event, and what the request must be. The repository derives its condition expressions from this table (a move it
 * does not allow cannot be written), the mini-app shows the shopper's buttons from it (`afterSaleShopperActions`),
 * and docs/after-sales.md draws its diagram from it (`afterSaleDiagram`). Pure: no I/O.
 */
import type { OrderStatus } from './order-lifecycle';

export const AFTER_SALE_TYPES = ['REFUND_ONLY', 'RETURN_REFUND'] as const;
export type AfterSaleType = (typeof AFTER_SALE_TYPES)[number];
export const AFTER_SALE_TYPE_LABEL: Record<AfterSaleType, string> = { REFUND_ONLY: '仅退款', RETURN_REFUND: '退货退款' };

export const AFTER_SALE_STATES = ['REQUESTED', 'AWAITING_RETURN', 'RETURNING', 'REFUNDING', 'REFUNDED', 'REJECTED', 'WITHDRAWN', 'CLOSED'] as const;
export type AfterSaleState = (typeof AFTER_SALE_STATES)[number];
export const AFTER_SALE_STATE_LABEL: Record<AfterSaleState, string> = {
  REQUESTED: '申请中',
  AWAITING_RETURN: '待退货',
  RETURNING: '退货中',
  REFUNDING: '退款中',
  REFUNDED: '已退款',
  REJECTED: '已拒绝',
  WITHDRAWN: '已撤销',
  CLOSED: '已关闭',
};
/** States in which the request still holds its order line (one open request per line). */
export const OPEN_AFTER_SALE_STATES: readonly AfterSaleState[] = ['REQUESTED', 'AWAITING_RETURN', 'RETURNING', 'REFUNDING'];

export const AFTER_SALE_EVENTS = [
  'APPROVE',
  'AUTO_APPROVE',
  'REJECT',
  'WITHDRAW',
  'SHIP_RETURN',
  'RETURN_EXPIRED',
  'RECEIVE_RETURN',
  'AUTO_RECEIVE_RETURN',
  'REFUND_PAID',
] as const;
export type AfterSaleEvent = (typeof AFTER_SALE_EVENTS)[number];
type Actor = 'shopper' | 'operator' | 'system';

export interface AfterSaleTransition {
  event: AfterSaleEvent;
  from: AfterSaleState;
  to: AfterSaleState;
  by: Actor;
  /** Only requests of this type (absent: both). */
  type?: AfterSaleType;
  /** The refund is asked for right after this move. */
  startsRefund?: boolean;
  /** The timeline's words. */
  label: string;
}

/**
 * The table. An event may have several rows (one per from-state or type); a (from, event, type) has at most one row.
 * @internal (read through afterSaleTransition; the tests and the docs walk it whole)
 */
export const AFTER_SALE_TRANSITIONS: readonly AfterSaleTransition[] = [
  { event: 'APPROVE', from: 'REQUESTED', to: 'REFUNDING', by: 'operator', type: 'REFUND_ONLY', startsRefund: true, label: '商家同意退款' },
  { event: 'APPROVE', from: 'REQUESTED', to: 'AWAITING_RETURN', by: 'operator', type: 'RETURN_REFUND', label: '商家同意退货，请按退货地址寄回商品' },
  { event: 'AUTO_APPROVE', from: 'REQUESTED', to: 'REFUNDING', by: 'system', type: 'REFUND_ONLY', startsRefund: true, label: '商家超时未处理，系统自动同意退款' },
  { event: 'AUTO_APPROVE', from: 'REQUESTED', to: 'AWAITING_RETURN', by: 'system', type: 'RETURN_REFUND', label: '商家超时未处理，系统自动同意退货' },
  { event: 'REJECT', from: 'REQUESTED', to: 'REJECTED', by: 'operator', label: '商家拒绝了申请' },
  { event: 'WITHDRAW', from: 'REQUESTED', to: 'WITHDRAWN', by: 'shopper', label: '你已撤销申请' },
  { event: 'WITHDRAW', from: 'AWAITING_RETURN', to: 'WITHDRAWN', by: 'shopper', label: '你已撤销申请' },
  { event: 'SHIP_RETURN', from: 'AWAITING_RETURN', to: 'RETURNING', by: 'shopper', type: 'RETURN_REFUND', label: '你已寄回商品' },
  { event: 'RETURN_EXPIRED', from: 'AWAITING_RETURN', to: 'CLOSED', by: 'system', type: 'RETURN_REFUND', label: '超时未寄回商品，申请已关闭' },
  { event: 'RECEIVE_RETURN', from: 'RETURNING', to: 'REFUNDING', by: 'operator', type: 'RETURN_REFUND', startsRefund: true, label: '商家已收到退货，开始退款' },
  { event: 'AUTO_RECEIVE_RETURN', from: 'RETURNING', to: 'REFUNDING', by: 'system', type: 'RETURN_REFUND', startsRefund: true, label: '商家超时未确认收货，系统自动退款' },
  { event: 'REFUND_PAID', from: 'REFUNDING', to: 'REFUNDED', by: 'system', label: '退款已到账' },
];

/** The row for `event` from `state` for a request of `type`, or null when the table does not allow it. */
export function afterSaleTransition(state: AfterSaleState, event: AfterSaleEvent, type: AfterSaleType): AfterSaleTransition | null {
  return AFTER_SALE_TRANSITIONS.find((t) => t.event === event && t.from === state && (!t.type || t.type === type)) ?? null;
}

/** What the shopper can do with their request now, straight from the table. */
export function afterSaleShopperActions(state: AfterSaleState, type: AfterSaleType): AfterSaleEvent[] {
  return AFTER_SALE_TRANSITIONS.filter((t) => t.by === 'shopper' && t.from === state && (!t.type || t.type === type)).map((t) => t.event);
}

/** Why 售后 cannot be asked for on this order with this type now (null: it can). */
export function afterSaleRefusal(
  order: { status: OrderStatus; transactionId?: string | null; group?: { status: string } | null; afterSaleUntil?: number | null },
  type: AfterSaleType,
  now: number,
): string | null {
  if (!order.transactionId) return '订单未支付，无需售后';
  if (order.status === 'COMPLETED' && order.afterSaleUntil != null && now > order.afterSaleUntil) return '已超过售后期，如商品有问题请联系客服';
  if (order.group && order.group.status !== 'SUCCESS') return '拼团进行中，成团后才能申请售后';
  if (order.status === 'REFUNDING' || order.status === 'REFUNDED') return '订单已在退款中或已退款';
  if (type === 'REFUND_ONLY' && order.status !== 'PAID' && order.status !== 'SHIPPED') return '仅退款只适用于未发货或未收到货的订单，已收货请选择退货退款';
  if (type === 'RETURN_REFUND' && order.status !== 'SHIPPED' && order.status !== 'COMPLETED') return '订单尚未发货，请选择仅退款';
  return null;
}

/** Why the shopper asks (a fixed list; the request keeps the code, the page shows the words). */
export const AFTER_SALE_REASONS = {
  NOT_WANTED: '不想要了',
  WRONG_ITEM: '商家发错货',
  DAMAGED: '商品破损或有瑕疵',
  QUALITY: '质量问题',
  NOT_AS_DESCRIBED: '与商品描述不符',
  NOT_RECEIVED: '未收到货',
  MISSING_PARTS: '少件或漏发',
  OTHER: '其他',
} as const;
export type AfterSaleReason = keyof typeof AFTER_SALE_REASONS;
export const AFTER_SALE_REASON_CODES = Object.keys(AFTER_SALE_REASONS) as [AfterSaleReason, ...AfterSaleReason[]];

/** The most photos one request carries. */
export const AFTER_SALE_MAX_PHOTOS = 6;

/** Deadlines of each party, in the stage's config (docs/after-sales.md). */
export interface AfterSaleDeadlines {
  /** A 仅退款 of an order not shipped yet is approved by itself after this many hours. */
  approveUnshippedHours: number;
  /** Any other request the shop leaves unanswered is approved by itself after this many days. */
  approveDays: number;
  /** A 待退货 request the shopper never ships back is closed after this many days. */
  returnShipDays: number;
  /** A return the shop never confirms is refunded this many days after the shopper shipped it. */
  returnReceiveDays: number;
}
export const DEFAULT_AFTER_SALE_DEADLINES: AfterSaleDeadlines = { approveUnshippedHours: 24, approveDays: 3, returnShipDays: 7, returnReceiveDays: 10 };

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * When the request's next party is late, and the event the deadline sends then (null: no deadline in this state).
 * `orderShipped`: whether the order has left the warehouse (decides the fast approval of an unshipped 仅退款).
 */
export function afterSaleDeadline(
  req: { state: AfterSaleState; type: AfterSaleType; enteredAt: number },
  orderShipped: boolean,
  d: AfterSaleDeadlines,
): { at: number; event: AfterSaleEvent } | null {
  switch (req.state) {
    case 'REQUESTED':
      return {
        at: req.enteredAt + (req.type === 'REFUND_ONLY' && !orderShipped ? d.approveUnshippedHours * HOUR : d.approveDays * DAY),
        event: 'AUTO_APPROVE',
      };
    case 'AWAITING_RETURN':
      return { at: req.enteredAt + d.returnShipDays * DAY, event: 'RETURN_EXPIRED' };
    case 'RETURNING':
      return { at: req.enteredAt + d.returnReceiveDays * DAY, event: 'AUTO_RECEIVE_RETURN' };
    default:
      return null;
  }
}

/** The request states as a Mermaid state diagram drawn from the table (docs/after-sales.md). */
export function afterSaleDiagram(): string {
  const edges = new Map<string, string[]>();
  for (const t of AFTER_SALE_TRANSITIONS) {
    const key = `${t.from} --> ${t.to}`;
    const label = `${t.event} (${t.by}${t.type ? `, ${AFTER_SALE_TYPE_LABEL[t.type]}` : ''})`;
    edges.set(key, [...(edges.get(key) ?? []), label]);
  }
  const lines = ['stateDiagram-v2', '  [*] --> REQUESTED: 提交申请'];
  for (const [edge, events] of edges) lines.push(`  ${edge}: ${events.join(' / ')}`);
  for (const end of ['REFUNDED', 'REJECTED', 'WITHDRAWN', 'CLOSED']) lines.push(`  ${end} --> [*]`);
  return lines.join('\n');
}

/** Every row of the table as a markdown table (docs/after-sales.md). */
export function afterSaleTransitionTable(): string {
  const rows = ['| event | from | to | by | type | then | label |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const t of AFTER_SALE_TRANSITIONS) {
    rows.push(
      `| \`${t.event}\` | ${t.from} ${AFTER_SALE_STATE_LABEL[t.from]} | ${t.to} ${AFTER_SALE_STATE_LABEL[t.to]} | ${t.by} | ${t.type ? AFTER_SALE_TYPE_LABEL[t.type] : '–'} | ${t.startsRefund ? 'refund asked for' : '–'} | ${t.label} |`,
    );
  }
  return rows.join('\n');
}
