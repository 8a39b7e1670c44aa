import {
  DomainError,
  allows,
  cancelBlockedReason,
  Id,
  type ListOrdersQuery,
  type OrderCounts,
  type OrderPage,
  type OrderView,
} from '@shop/shared';
import { z } from 'zod';
import { decodeCursor as decodeListCursor, encodeCursor as encodeListCursor } from '../lib/cursor';
import { keys } from '../repositories/keys';
import { orderRepo } from '../repositories/order-repo';
import type { OrderItem } from '../domain/order';
import { refundRepo } from '../repositories/refund-repo';
import { closeUnpaid, settleFromWechat } from './payment';
import { logger } from '../lib/http';
import { requestRefund } from './refunds';
import { toOrderView } from './views';

/**
 * The order if it belongs to this user. Someone else's order is reported as not found, not forbidden, so order ids
 * cannot be probed.
 */
async function ownOrder(userId: string, orderId: string): Promise<OrderItem> {
  const order = await orderRepo.get(orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  return order;
}

/** How often one unpaid order may be asked about at WeChat when its page is read (主动查单). */
const QUERY_SPACING_MS = 3_000;

/**
 * The shopper's order. An unpaid order that has a prepay is first asked about at WeChat (主动查单, at most every few
 * seconds per order) and settled through the same function as a notification: a shopper coming back from paying
 * sees 待发货 even when the notification was lost.
 */
export async function getOrder(userId: string, orderId: string, now = Date.now()): Promise<OrderView> {
  let order = await ownOrder(userId, orderId);
  if (order.status === 'PENDING_PAYMENT' && order.prepayId && now - (order.queriedAt ?? 0) >= QUERY_SPACING_MS) {
    if (await orderRepo.noteQueried(order.id, now, QUERY_SPACING_MS)) {
      try {
        if ((await settleFromWechat(order.id, now)) === 'paid') order = await ownOrder(userId, orderId);
      } catch (e) {
        logger.warn('order query at WeChat failed; the page shows what we know', { orderId, error: e as Error });
      }
    }
  }
  return toOrderView(order, order.paidFen !== null ? await refundRepo.forOrder(orderId) : []);
}

/**
 * Order list cursors carry only the last order id; the list's partition (this shopper, this tab) is the cursor's scope,
 * and the DynamoDB start key is rebuilt from both, so no cursor can name another shopper's orders or a malformed key.
 */
function orderListIndex(userId: string, tab: ListOrdersQuery['tab']) {
  return tab === 'ALL'
    ? { pk: keys.userOrders(userId), pkName: 'GSI1PK', skName: 'GSI1SK' }
    : { pk: keys.userOrderTab(userId, tab as never), pkName: 'GSI2PK', skName: 'GSI2SK' };
}
function encodeCursor(userId: string, tab: ListOrdersQuery['tab'], key: Record<string, unknown> | undefined): string | null {
  if (!key) return null;
  const index = orderListIndex(userId, tab);
  return encodeListCursor(index.pk, { after: String(key[index.skName]) });
}
function decodeCursor(userId: string, tab: ListOrdersQuery['tab'], cursor: string | undefined): Record<string, unknown> | undefined {
  const index = orderListIndex(userId, tab);
  const position = decodeListCursor(cursor, index.pk, z.object({ after: Id }).strict());
  if (!position) return undefined;
  return { ...keys.order(position.after), [index.pkName]: index.pk, [index.skName]: position.after };
}

export async function listOrders(userId: string, q: ListOrdersQuery): Promise<OrderPage> {
  const { items, next } = await orderRepo.listByUser(userId, q.tab as never, q.limit, decodeCursor(userId, q.tab, q.cursor));
  return { items: items.map((o) => toOrderView(o)), nextCursor: encodeCursor(userId, q.tab, next) };
}

/** The numbers on 我的's order shortcuts: 待付款, 待发货, 待收货 and 退款售后 (orders whose refund is under way). */
export async function countOrders(userId: string): Promise<OrderCounts> {
  const [PENDING_PAYMENT, PAID, SHIPPED, REFUNDING] = await Promise.all([
    orderRepo.countInTab(userId, 'PENDING_PAYMENT'),
    orderRepo.countInTab(userId, 'PAID'),
    orderRepo.countInTab(userId, 'SHIPPED'),
    orderRepo.countInTab(userId, 'CANCELLED', 'REFUNDING'),
  ]);
  return { PENDING_PAYMENT, PAID, SHIPPED, REFUNDING };
}

/**
 * The shopper cancels, as the transition table allows: an unpaid order (CANCEL) is closed at WeChat first (so it can
 * no longer be paid), then its status, stock, coupons and quotas move in one transaction; a paid order (CANCEL_PAID,
 * only when it is not a group order: a group that is open or succeeded keeps its members) is refunded in full with
 * its stock back. Cancelling twice is not an error: the second sees the order already cancelled or refunding.
 */
export async function cancelOrder(userId: string, orderId: string, now: number): Promise<OrderView> {
  const order = await ownOrder(userId, orderId);
  if (['CANCELLED', 'REFUNDING', 'REFUNDED'].includes(order.status)) return getOrder(userId, orderId, now);
  if (allows('CANCEL_PAID', order)) {
    await requestRefund(orderId, { reason: 'CANCELLED_AFTER_PAY', restock: true }, now);
    return getOrder(userId, orderId, now);
  }
  if (!allows('CANCEL', order)) {
    throw new DomainError('ORDER_STATE_CONFLICT', cancelBlockedReason(order) ?? (order.status === 'PAID' ? '订单暂不能取消' : '订单已发货，请申请售后'));
  }
  const outcome = await closeUnpaid(order, now);
  if (outcome !== 'paid') await orderRepo.cancel(order, 'CANCEL', { reason: 'USER_CANCELLED', now });
  const latest = await ownOrder(userId, orderId);
  if (latest.status === 'PENDING_PAYMENT') throw new DomainError('ORDER_STATE_CONFLICT');
  return getOrder(userId, orderId, now);
}
