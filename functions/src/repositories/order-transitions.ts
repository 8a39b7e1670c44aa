/**
 * The only way an order's status or group membership is written: an UpdateItem derived from the transition table in
 * shared/src/order-lifecycle.ts. Its condition is the table's row (from-statuses, the group guard, paid or not), so a
 * move the table does not allow is refused by DynamoDB itself, whatever the caller read before.
 */
import { statusAfter, transitionOf, type GroupMembership, type OrderEvent, type OrderStatus } from '@shop/shared';
import { table } from '../lib/dynamo';
import { keys } from './keys';
import type { LabelledItem } from './transactions';

/** What a caller adds to the same write. Names and values must start with `#x_` / `:x_`. */
export interface ExtraUpdate {
  sets?: string[];
  adds?: string[];
  removes?: string[];
  condition?: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export interface TransitionTarget {
  id: string;
  userId: string;
  status: OrderStatus;
  refundFrom?: OrderStatus | null;
  group?: { status: GroupMembership } | null;
  transactionId?: string | null;
}

/**
 * The UpdateItem (labelled `order`, for a transaction) that applies `event` to the order. `note` replaces the table's
 * label in the timeline when a more precise one is known.
 */
export function transitionUpdate(
  order: TransitionTarget,
  event: OrderEvent,
  args: { now: number; note?: string; extra?: ExtraUpdate; label?: string },
): LabelledItem {
  const t = transitionOf(event);
  const names: Record<string, string> = { '#status': 'status', ...(args.extra?.names ?? {}) };
  const values: Record<string, unknown> = { ...(args.extra?.values ?? {}) };
  const conditions: string[] = [];
  const sets: string[] = [...(args.extra?.sets ?? [])];
  const removes: string[] = [...(args.extra?.removes ?? [])];

  const from = t.from.map((s, i) => ((values[`:from${i}`] = s), `:from${i}`));
  conditions.push(`#status IN (${from.join(', ')})`, 'userId = :uid');
  values[':uid'] = order.userId;
  if (t.paid === true) {
    conditions.push('attribute_exists(transactionId) AND transactionId <> :nil');
    values[':nil'] = null;
  } else if (t.paid === false) {
    conditions.push('(attribute_not_exists(transactionId) OR transactionId = :nil)');
    values[':nil'] = null;
  }
  if (t.group !== undefined) {
    names['#group'] = 'group';
    const allowed = [...(t.group === 'none' ? [] : t.group), ...(t.orGroup ?? [])];
    const list = allowed.map((g, i) => ((values[`:g${i}`] = g), `:g${i}`));
    // DynamoDB refuses a name the expressions do not use: 'none' alone reads no membership.
    if (list.length) names['#gstatus'] = 'status';
    const member = list.length ? `#group.#gstatus IN (${list.join(', ')})` : '';
    if (t.group === 'none') conditions.push(member ? `(attribute_not_exists(#group) OR ${member})` : 'attribute_not_exists(#group)');
    else conditions.push(`attribute_exists(#group) AND ${member}`);
  }
  if (args.extra?.condition) conditions.push(args.extra.condition);

  const next = statusAfter(event, order);
  if (next !== order.status || t.to !== 'same') {
    sets.push('#status = :to', 'GSI2PK = :tab');
    values[':to'] = next;
    values[':tab'] = keys.orderTab(order.userId, order.id, next).GSI2PK;
  }
  // The due index: an unpaid order is due for its timeout; a paid group order is due for its seat until its membership
  // leaves PENDING (the group sweep finds any whose stream reaction never finished).
  const seatDue = (event === 'PAY' || event === 'PAY_LATE') && Boolean(order.group);
  if (seatDue) {
    const due = keys.seatDue(args.now, order.id);
    sets.push('GSI3PK = :seatDuePk', 'GSI3SK = :seatDueSk');
    values[':seatDuePk'] = due.GSI3PK;
    values[':seatDueSk'] = due.GSI3SK;
  } else if ((t.from.includes('PENDING_PAYMENT') && next !== 'PENDING_PAYMENT') || (t.groupTo && t.groupTo !== 'PENDING')) {
    removes.push('GSI3PK', 'GSI3SK');
  }
  if (next === 'REFUNDING' && order.status !== 'REFUNDING') {
    sets.push('refundFrom = :refundFrom');
    values[':refundFrom'] = order.status;
  }
  if (t.to === 'previous') removes.push('refundFrom');
  if (t.groupTo) {
    names['#group'] = 'group';
    names['#gstatus'] = 'status';
    sets.push('#group.#gstatus = :groupTo');
    values[':groupTo'] = t.groupTo;
  }
  sets.push('timeline = list_append(timeline, :entry)');
  values[':entry'] = [{ at: args.now, status: next, event, note: args.note ?? t.label }];

  const adds = args.extra?.adds ?? [];
  const expression = [
    `SET ${sets.join(', ')}`,
    adds.length ? `ADD ${adds.join(', ')}` : '',
    removes.length ? `REMOVE ${[...new Set(removes)].join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    label: args.label ?? 'order',
    Update: {
      TableName: table(),
      Key: keys.order(order.id),
      UpdateExpression: expression,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
