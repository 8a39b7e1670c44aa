/**
 * An order's life, as ONE transition table: status × event → next status, with the guard on the order's group-buy
 * membership and the effects that must happen in the same write. The repository derives every condition expression
 * from this table (a move the table does not allow cannot be written), the mini-app decides which buttons to show
 * from it (`shopperActions`), and the docs draw their diagrams from it (`lifecycleDiagram`).
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

/**
 * A group order's membership, kept on the order (`order.group.status`):
 * PENDING until the payment is confirmed and a seat decided; OPEN while seated in a group that is still filling;
 * SUCCESS when the group filled; FAILED when the group failed or the payer was refused a seat (refunded).
 */
const GROUP_MEMBERSHIPS = ['PENDING', 'OPEN', 'SUCCESS', 'FAILED'] as const;
export type GroupMembership = (typeof GROUP_MEMBERSHIPS)[number];

/** What has to be written together with a transition (the repository adds these items to the same transaction). */
type TransitionEffect =
  | 'TAKE_STOCK'
  | 'RETURN_STOCK'
  | 'TAKE_PROMOTIONS'
  | 'RETURN_PROMOTIONS'
  | 'USE_COUPONS'
  | 'RECORD_PAYMENT'
  | 'RECORD_REFUND'
  | 'RELEASE_REFUND';

type OrderActor = 'shopper' | 'wechat' | 'system' | 'operator';

export interface OrderTransition {
  event: OrderEvent;
  from: readonly OrderStatus[];
  /** The next status; `same` keeps the status (the event changes money or membership only). */
  to: OrderStatus | 'same' | 'previous';
  by: OrderActor;
  /**
   * The order's group membership this event requires: `none` = not a group order; a list = one of these;
   * absent = any order.
   */
  group?: 'none' | readonly GroupMembership[];
  /** Also `none` or a group order whose group is settled the listed ways (e.g. shipping a group order needs SUCCESS). */
  orGroup?: readonly GroupMembership[];
  /** The membership after the event (written with it). */
  groupTo?: GroupMembership;
  /** The order must (true) or must not (false) carry a confirmed WeChat transaction. */
  paid?: boolean;
  effects: readonly TransitionEffect[];
  /** What happens, in the shopper's words (timeline notes and docs). */
  label: string;
}

/** @internal (the tests walk every event) */
export const ORDER_EVENTS = [
  'PAY',
  'CANCEL',
  'TIMEOUT',
  'PAY_LATE',
  'PAY_LATE_UNAVAILABLE',
  'REFUND_LATE',
  'CANCEL_PAID',
  'SEATED',
  'SEAT_MOVED',
  'SEAT_REFUSED',
  'GROUP_SUCCEEDED',
  'GROUP_FAILED',
  'SECOND_PAYMENT',
  'REFUND_PART',
  'REFUND_ALL',
  'REFUND_SUCCEEDED',
  'REFUND_RELEASED',
  'REFUND_PART_RELEASED',
  'REFUND_RECOUNTED',
  'SHIP',
  'CONFIRM_RECEIPT',
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

const PAID_ONWARDS = ['PAID', 'SHIPPED', 'COMPLETED'] as const satisfies readonly OrderStatus[];

/**
 * The table. Each event appears once: its `from` lists every status it may leave.
 * @internal (read through transitionOf/allows; the tests walk it whole)
 */
export const ORDER_TRANSITIONS: readonly OrderTransition[] = [
  { event: 'PAY', from: ['PENDING_PAYMENT'], to: 'PAID', by: 'wechat', effects: ['RECORD_PAYMENT', 'USE_COUPONS'], label: '支付成功' },
  { event: 'CANCEL', from: ['PENDING_PAYMENT'], to: 'CANCELLED', by: 'shopper', effects: ['RETURN_STOCK', 'RETURN_PROMOTIONS'], label: '买家取消订单' },
  { event: 'TIMEOUT', from: ['PENDING_PAYMENT'], to: 'CANCELLED', by: 'system', effects: ['RETURN_STOCK', 'RETURN_PROMOTIONS'], label: '超时未支付，订单已自动关闭' },
  {
    event: 'PAY_LATE',
    from: ['CANCELLED'],
    to: 'PAID',
    by: 'wechat',
    paid: false,
    effects: ['RECORD_PAYMENT', 'TAKE_STOCK', 'TAKE_PROMOTIONS'],
    label: '订单关闭后收到付款，已重新锁定库存',
  },
  {
    event: 'PAY_LATE_UNAVAILABLE',
    from: ['CANCELLED'],
    to: 'same',
    by: 'wechat',
    paid: false,
    effects: ['RECORD_PAYMENT'],
    label: '订单关闭后收到付款，订单已无法恢复（商品无货或抵扣的积分已退回），将全额退款',
  },
  { event: 'REFUND_LATE', from: ['CANCELLED'], to: 'REFUNDING', by: 'system', paid: true, effects: ['RECORD_REFUND'], label: '订单已关闭，退回付款' },
  {
    event: 'CANCEL_PAID',
    from: ['PAID'],
    to: 'REFUNDING',
    by: 'shopper',
    group: 'none',
    paid: true,
    effects: ['RECORD_REFUND', 'RETURN_STOCK', 'RETURN_PROMOTIONS'],
    label: '买家取消已支付订单',
  },
  { event: 'SEATED', from: ['PAID'], to: 'same', by: 'system', group: ['PENDING'], groupTo: 'OPEN', effects: [], label: '已入团，等待成团' },
  { event: 'SEAT_MOVED', from: ['PAID'], to: 'same', by: 'system', group: ['PENDING'], groupTo: 'PENDING', effects: [], label: '原团已满，已为你开新团' },
  {
    event: 'SEAT_REFUSED',
    from: ['PAID'],
    to: 'REFUNDING',
    by: 'system',
    group: ['PENDING'],
    groupTo: 'FAILED',
    paid: true,
    effects: ['RECORD_REFUND', 'RETURN_STOCK', 'RETURN_PROMOTIONS'],
    label: '未能入团，全额退款',
  },
  { event: 'GROUP_SUCCEEDED', from: ['PAID'], to: 'same', by: 'system', group: ['OPEN', 'SUCCESS'], groupTo: 'SUCCESS', effects: [], label: '拼团成功' },
  {
    event: 'GROUP_FAILED',
    from: ['PAID'],
    to: 'REFUNDING',
    by: 'system',
    group: ['OPEN', 'FAILED'],
    groupTo: 'FAILED',
    paid: true,
    effects: ['RECORD_REFUND', 'RETURN_STOCK', 'RETURN_PROMOTIONS'],
    label: '拼团未成功，全额退款',
  },
  {
    event: 'SECOND_PAYMENT',
    from: ['PAID', 'SHIPPED', 'COMPLETED', 'REFUNDING', 'REFUNDED', 'CANCELLED'],
    to: 'same',
    by: 'wechat',
    paid: true,
    effects: ['RECORD_PAYMENT'],
    label: '重复付款，自动退回',
  },
  {
    event: 'REFUND_PART',
    from: PAID_ONWARDS,
    to: 'same',
    by: 'system',
    group: 'none',
    orGroup: ['SUCCESS'],
    paid: true,
    effects: ['RECORD_REFUND'],
    label: '部分退款',
  },
  {
    event: 'REFUND_ALL',
    from: PAID_ONWARDS,
    to: 'REFUNDING',
    by: 'operator',
    group: 'none',
    orGroup: ['SUCCESS'],
    paid: true,
    effects: ['RECORD_REFUND', 'RETURN_PROMOTIONS'],
    label: '售后全额退款',
  },
  { event: 'REFUND_SUCCEEDED', from: ['REFUNDING'], to: 'REFUNDED', by: 'wechat', effects: [], label: '退款成功' },
  {
    event: 'REFUND_RELEASED',
    from: ['REFUNDING'],
    to: 'previous',
    by: 'wechat',
    effects: ['RELEASE_REFUND'],
    label: '退款未成功，可重新发起',
  },
  {
    event: 'REFUND_PART_RELEASED',
    from: [...PAID_ONWARDS, 'REFUNDING', 'REFUNDED', 'CANCELLED'],
    to: 'same',
    by: 'wechat',
    effects: ['RELEASE_REFUND'],
    label: '部分退款未成功，可重新发起',
  },
  {
    event: 'REFUND_RECOUNTED',
    from: [...PAID_ONWARDS, 'CANCELLED', 'REFUNDING'],
    to: 'REFUNDED',
    by: 'wechat',
    paid: true,
    effects: [],
    label: '异常退款已到账',
  },
  { event: 'SHIP', from: ['PAID'], to: 'SHIPPED', by: 'operator', group: 'none', orGroup: ['SUCCESS'], effects: [], label: '商家已发货' },
  { event: 'CONFIRM_RECEIPT', from: ['SHIPPED'], to: 'COMPLETED', by: 'shopper', effects: [], label: '确认收货' },
];

const BY_EVENT = new Map(ORDER_TRANSITIONS.map((t) => [t.event, t]));

/** The row of the table for an event. */
export function transitionOf(event: OrderEvent): OrderTransition {
  const t = BY_EVENT.get(event);
  if (!t) throw new RangeError(`unknown order event ${event}`);
  return t;
}

/** The facts about an order that the table's guards read. */
export interface OrderFacts {
  status: OrderStatus;
  group?: { status: GroupMembership } | null;
  transactionId?: string | null;
}

function groupAllows(t: OrderTransition, order: OrderFacts): boolean {
  if (t.group === undefined) return true;
  const membership = order.group?.status;
  if (!membership) return t.group === 'none';
  if (t.group !== 'none' && t.group.includes(membership)) return true;
  return (t.orGroup ?? []).includes(membership);
}

/** Whether the table allows `event` for this order now (the same rule the repository's condition enforces). */
export function allows(event: OrderEvent, order: OrderFacts): boolean {
  const t = transitionOf(event);
  if (!t.from.includes(order.status)) return false;
  if (t.paid !== undefined && Boolean(order.transactionId) !== t.paid) return false;
  return groupAllows(t, order);
}

/** The status after `event` (`previous`: the status the order had before its full refund started). */
export function statusAfter(event: OrderEvent, order: OrderFacts & { refundFrom?: OrderStatus | null }): OrderStatus {
  const t = transitionOf(event);
  if (t.to === 'same') return order.status;
  if (t.to === 'previous') return order.refundFrom ?? 'PAID';
  return t.to;
}

/** What a shopper can do with their order, straight from the table. */
export type ShopperAction = 'PAY' | 'CANCEL' | 'CANCEL_PAID' | 'CONFIRM_RECEIPT';

export function shopperActions(order: OrderFacts): ShopperAction[] {
  const out: ShopperAction[] = [];
  // Paying is WeChat's event, started by the shopper on an unpaid order.
  if (allows('PAY', order)) out.push('PAY');
  for (const t of ORDER_TRANSITIONS) if (t.by === 'shopper' && allows(t.event, order)) out.push(t.event as ShopperAction);
  return out;
}

/**
 * Why a paid order cannot be cancelled by the shopper, when the table says so because of its group (shown on the
 * order page instead of the button).
 */
export function cancelBlockedReason(order: OrderFacts): string | null {
  if (order.status !== 'PAID' || allows('CANCEL_PAID', order)) return null;
  const membership = order.group?.status;
  if (membership === 'PENDING' || membership === 'OPEN') return '拼团进行中，暂不能取消；未成团将自动全额退款';
  if (membership === 'SUCCESS') return '拼团已成功，订单将按时发货；如需退货请在收货后申请售后';
  return null;
}

/**
 * Every status some transition enters (plus the start): checked when the table loads.
 * @internal (the property tests check reached statuses against it)
 */
export function reachableStatuses(): OrderStatus[] {
  const seen = new Set<OrderStatus>(['PENDING_PAYMENT']);
  for (;;) {
    const before = seen.size;
    for (const t of ORDER_TRANSITIONS) {
      if (!t.from.some((f) => seen.has(f))) continue;
      // `same` and `previous` lead to statuses already reached.
      if (t.to !== 'same' && t.to !== 'previous') seen.add(t.to);
    }
    if (seen.size === before) return ORDER_STATUSES.filter((s) => seen.has(s));
  }
}

// A table in which some status can never be reached is a mistake in the table: refuse to load it.
const unreachable = ORDER_STATUSES.filter((st) => !reachableStatuses().includes(st));
if (unreachable.length > 0) throw new Error(`order transition table: no transition reaches ${unreachable.join(', ')}`);

/** Statuses a full refund can start from (where `previous` may lead back to). */
const REFUND_ORIGINS: readonly OrderStatus[] = [
  ...new Set(ORDER_TRANSITIONS.filter((t) => t.to === 'REFUNDING').flatMap((t) => t.from)),
];

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  PENDING_PAYMENT: '待付款',
  PAID: '待发货',
  SHIPPED: '待收货',
  COMPLETED: '已完成',
  CANCELLED: '已取消',
  REFUNDING: '退款中',
  REFUNDED: '已退款',
};

/** Why an order was cancelled, in the shopper's words (the order keeps the code). */
export const CANCEL_REASON_LABEL: Record<string, string> = {
  USER_CANCELLED: '你已取消订单',
  TIMEOUT: '超时未支付，订单已自动关闭',
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

/* ---- Renderings of the table for the docs (npm run docs:diagrams writes them into docs/*.md) ---- */

function groupGuardText(t: OrderTransition): string {
  if (t.group === undefined) return '';
  if (t.group === 'none') return t.orGroup ? `非拼团 or ${t.orGroup.join('/')}` : '非拼团';
  return t.group.join('/');
}

/** The statuses an event may lead to from `from` (`same` stays, `previous` goes back to where the full refund began). */
function targetsOf(t: OrderTransition, from: OrderStatus): OrderStatus[] {
  if (t.to === 'same') return [from];
  if (t.to === 'previous') return [...REFUND_ORIGINS];
  return [t.to];
}

/**
 * The order's statuses as a Mermaid state diagram, one arrow per pair of statuses with every event that moves an order
 * along it (group guard in brackets). Events that keep the status (money or membership only) are left to
 * `transitionTable()`.
 */
export function orderStatusDiagram(): string {
  const edges = new Map<string, string[]>();
  for (const t of ORDER_TRANSITIONS) {
    const guard = groupGuardText(t);
    for (const from of t.from) {
      for (const to of targetsOf(t, from)) {
        if (to === from) continue;
        const key = `${from} --> ${to}`;
        const label = guard ? `${t.event} [${guard}]` : t.event;
        edges.set(key, [...(edges.get(key) ?? []), label]);
      }
    }
  }
  const lines = ['stateDiagram-v2', '  [*] --> PENDING_PAYMENT: 提交订单'];
  for (const [edge, events] of edges) lines.push(`  ${edge}: ${events.join(' / ')}`);
  lines.push('  COMPLETED --> [*]', '  REFUNDED --> [*]');
  return lines.join('\n');
}

/**
 * A group order's membership (`order.group.status`) as a Mermaid state diagram, drawn from the rows that write it
 * (`groupTo`); each arrow names the event and the order status move that comes with it.
 */
export function membershipDiagram(): string {
  const edges = new Map<string, string[]>();
  for (const t of ORDER_TRANSITIONS) {
    if (!t.groupTo || t.group === undefined || t.group === 'none') continue;
    const move = t.from.map((f) => (t.to === 'same' || t.to === f ? f : `${f}→${t.to === 'previous' ? 'previous' : t.to}`)).join(', ');
    for (const from of t.group) {
      const key = `${from} --> ${t.groupTo}`;
      edges.set(key, [...(edges.get(key) ?? []), `${t.event} (订单 ${move})`]);
    }
  }
  const lines = ['stateDiagram-v2', '  [*] --> PENDING: 拼团订单提交（待支付，支付确认后决定座位）'];
  for (const [edge, events] of edges) lines.push(`  ${edge}: ${events.join(' / ')}`);
  lines.push('  SUCCESS --> [*]', '  FAILED --> [*]');
  return lines.join('\n');
}

const cell = (s: string) => (s === '' ? '–' : s.replace(/\|/g, '\\|'));

/** Every row of the table as a markdown table: event, from, to, who, group guard, paid guard, effects, label. */
export function transitionTable(): string {
  const rows = [
    '| event | from | to | by | group membership | WeChat transaction | written with it | label |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const t of ORDER_TRANSITIONS) {
    const to = t.to === 'same' ? 'unchanged' : t.to === 'previous' ? 'back to where the refund began' : t.to;
    const group = [groupGuardText(t), t.groupTo ? `→ ${t.groupTo}` : ''].filter(Boolean).join(' ');
    const paid = t.paid === undefined ? '' : t.paid ? 'required' : 'none yet';
    rows.push(
      `| \`${t.event}\` | ${t.from.join(', ')} | ${to} | ${t.by} | ${cell(group)} | ${cell(paid)} | ${cell(t.effects.join(', '))} | ${cell(t.label)} |`,
    );
  }
  return rows.join('\n');
}
