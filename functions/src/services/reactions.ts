/**
 * What follows a change of the table (delivered by its stream), decided from the item's old and new images:
 * - a new unpaid order → its exact timeout schedule; a new open group → its deadline schedule;
 * - a group order that became PAID with its membership still PENDING → its seat (group-settlement);
 * - a group that closed (SUCCESS / FAILED) → its members' outcomes, rebates, refunds and notices;
 * - a payment owed back (late payment with its stock gone, or a second payment) → its refund;
 * - a refund the shop owed that WeChat closed unpaid → a new attempt.
 * Every reaction is idempotent, so a redelivered record changes nothing more.
 */
import { logger } from '../lib/http';
import type { OrderItem } from '../domain/order';
import type { PaymentRecord } from '../repositories/payment-repo';
import { onGroupOrderPaid, settleGroup } from './group-settlement';
import type { RefundItem } from '../repositories/refund-repo';
import { refundOwedPayment, retryOwedRefund } from './refunds';
import { onChangeForMembers } from './points';
import { onChangeForDrops } from './drops';
import { onChangeForProfiles } from './profiles';
import { onChangeForAfterSales } from './after-sales';
import { onChangeForFulfilment } from './fulfilment';

export interface TableChange {
  kind: 'INSERT' | 'MODIFY' | 'REMOVE';
  next: Record<string, any> | null;
  previous: Record<string, any> | null;
}

export interface Schedules {
  orderTimeout(orderId: string, at: number): Promise<unknown>;
  groupDeadline(groupId: string, at: number): Promise<unknown>;
}

export async function reactToChange(change: TableChange, now: number, schedules: Schedules): Promise<string> {
  const { next, previous } = change;
  if (!next) return 'none';
  // Points and levels: a paid order earns, a paid refund reverses (services/points.ts; idempotent like the rest).
  await onChangeForMembers(change, now);
  // Coupon drops: a paid order is the payer's last (win_back), and a friend's first rewards the share (services/drops.ts).
  await onChangeForDrops(change, now);
  // Shopper profiles: a paid order adds to the payer's order stats and interests (services/profiles.ts; idempotent).
  await onChangeForProfiles(change, now);
  // After-sales: a request's deadline schedule; an after-sales refund WeChat paid moves its request to 已退款.
  await onChangeForAfterSales(change, now);
  // Fulfilment: WeChat's shipping info, tracking subscriptions, receipt schedules, 已发货/已签收, points after receipt.
  await onChangeForFulfilment(change, now);
  switch (next.type) {
    case 'order': {
      const order = next as OrderItem;
      if (change.kind === 'INSERT' && order.status === 'PENDING_PAYMENT') {
        await schedules.orderTimeout(order.id, order.deadlineAt);
        return 'timeout-scheduled';
      }
      const becamePaid = order.status === 'PAID' && previous?.status !== 'PAID';
      const moved = order.group?.status === 'PENDING' && previous?.group?.role !== order.group.role;
      if (order.group?.status === 'PENDING' && order.status === 'PAID' && (becamePaid || moved)) {
        const outcome = await onGroupOrderPaid(order.id, now);
        logger.info('group order paid', { orderId: order.id, outcome });
        return `group-${outcome}`;
      }
      return 'none';
    }
    case 'group': {
      if (change.kind === 'INSERT' && next.status === 'OPEN') {
        await schedules.groupDeadline(next.id, next.deadline);
        return 'deadline-scheduled';
      }
      if (next.status !== 'OPEN' && previous?.status === 'OPEN') {
        const outcome = await settleGroup(next.id, now);
        logger.info('group closed', { groupId: next.id, outcome });
        return `group-${outcome}`;
      }
      return 'none';
    }
    case 'refund': {
      // WeChat closed a refund (CLOSED: no money went out, a new out_refund_no may be tried). When the shop owes the
      // money by its own rules — a failed group, a refused seat, a payment after the order closed — it tries again;
      // a refund the shopper asked for is theirs to ask again, and ABNORMAL waits for the merchant (apply-abnormal-refund).
      const refund = next as RefundItem;
      if (refund.status === 'CLOSED' && previous?.status === 'REFUNDING') {
        const retried = await retryOwedRefund(refund, now);
        return retried ? 'refund-retried' : 'none';
      }
      return 'none';
    }
    case 'payment': {
      const payment = next as PaymentRecord;
      if (change.kind === 'INSERT' && payment.disposition === 'REFUND_DUE') {
        await refundOwedPayment(payment, now);
        return 'payment-refunded';
      }
      return 'none';
    }
    default:
      return 'none';
  }
}
