import { DomainError, ORDER_STATUS_LABEL, type ListOrdersQuery, type OrderPage, type OrderView } from '@shop/shared';
import { orderRepo, type OrderItem } from '../repositories/order-repo';
import { closeUnpaid } from './payment';

export function toOrderView(o: OrderItem): OrderView {
  return {
    id: o.id,
    status: o.status,
    statusLabel: ORDER_STATUS_LABEL[o.status],
    lines: o.lines.map(({ productId, skuId, title, specText, image, unitPriceFen, quantity, lineTotalFen, discountFen, payableFen }) => ({
      productId, skuId, title, specText, image, unitPriceFen, quantity, lineTotalFen, discountFen, payableFen,
    })),
    itemCount: o.itemCount,
    subtotalFen: o.subtotalFen,
    shippingFen: o.shippingFen,
    discountFen: o.discountFen,
    discounts: o.discounts,
    payableFen: o.payableFen,
    address: o.address,
    remark: o.remark,
    createdAt: o.createdAt,
    deadlineAt: o.deadlineAt,
    paidAt: o.paidAt,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason,
    transactionId: o.transactionId,
    timeline: o.timeline,
  };
}

/**
 * The order if it belongs to this user. Someone else's order is reported as not found, not forbidden, so order ids
 * cannot be probed.
 */
export async function ownOrder(userId: string, orderId: string): Promise<OrderItem> {
  const order = await orderRepo.get(orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  return order;
}

export async function getOrder(userId: string, orderId: string): Promise<OrderView> {
  return toOrderView(await ownOrder(userId, orderId));
}

function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}
function decodeCursor(userId: string, cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A cursor is only ever a key inside this user's own index partition.
    const pk = String(key.GSI1PK ?? key.GSI2PK ?? '');
    if (pk.startsWith(`USER#${userId}#`)) return key;
  } catch {
    /* fall through */
  }
  throw new DomainError('VALIDATION_FAILED', '分页参数无效');
}

export async function listOrders(userId: string, q: ListOrdersQuery): Promise<OrderPage> {
  const { items, next } = await orderRepo.listByUser(userId, q.tab as never, q.limit, decodeCursor(userId, q.cursor));
  return { items: items.map(toOrderView), nextCursor: encodeCursor(next) };
}

/**
 * The shopper cancels an unpaid order: the WeChat order is closed first (so it can no longer be paid), then the
 * status moves and the stock returns in one transaction. Cancelling twice is not an error: the second sees the
 * order already cancelled.
 */
export async function cancelOrder(userId: string, orderId: string, now: number): Promise<OrderView> {
  const order = await ownOrder(userId, orderId);
  if (order.status === 'CANCELLED') return toOrderView(order);
  if (order.status !== 'PENDING_PAYMENT') throw new DomainError('ORDER_STATE_CONFLICT', '订单已支付，不能直接取消');
  const outcome = await closeUnpaid(order, now);
  if (outcome === 'paid') return toOrderView(await ownOrder(userId, orderId));
  const done = await orderRepo.cancel(order, { reason: 'USER_CANCELLED', now, note: '买家取消订单' });
  const latest = await ownOrder(userId, orderId);
  if (!done && latest.status !== 'CANCELLED') throw new DomainError('ORDER_STATE_CONFLICT');
  return toOrderView(latest);
}
