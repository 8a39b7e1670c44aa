import { describe, expect, it } from 'vitest';
import {
  ORDER_EVENTS,
  ORDER_STATUSES,
  ORDER_TABS,
  ORDER_TRANSITIONS,
  allows,
  cancelBlockedReason,
  orderStatusDiagram,
  reachableStatuses,
  shopperActions,
  statusAfter,
} from '../src/order-lifecycle';

describe('order transition table', () => {
  it('has one row per event and every status is reachable from PENDING_PAYMENT', () => {
    expect(ORDER_TRANSITIONS.map((t) => t.event).sort()).toEqual([...ORDER_EVENTS].sort());
    expect(reachableStatuses()).toEqual([...ORDER_STATUSES]);
  });

  it('moves an unpaid order by payment, cancel or timeout only', () => {
    const unpaid = { status: 'PENDING_PAYMENT' as const };
    expect(ORDER_EVENTS.filter((e) => allows(e, unpaid)).sort()).toEqual(['CANCEL', 'PAY', 'TIMEOUT']);
    expect(statusAfter('PAY', unpaid)).toBe('PAID');
    expect(statusAfter('TIMEOUT', unpaid)).toBe('CANCELLED');
  });

  it('lets a shopper cancel-and-refund a paid ordinary order, never a paid group order that is open or succeeded', () => {
    const paid = { status: 'PAID' as const, transactionId: 'tx1' };
    expect(shopperActions(paid)).toEqual(['CANCEL_PAID']);
    for (const membership of ['PENDING', 'OPEN', 'SUCCESS'] as const) {
      const order = { ...paid, group: { status: membership } };
      expect(allows('CANCEL_PAID', order)).toBe(false);
      expect(shopperActions(order)).toEqual([]);
      expect(cancelBlockedReason(order)).toMatch(/拼团/);
    }
    expect(cancelBlockedReason(paid)).toBeNull();
  });

  it('refunds a group order only through the group events, and ships it only after success', () => {
    const open = { status: 'PAID' as const, transactionId: 'tx', group: { status: 'OPEN' as const } };
    expect(allows('GROUP_FAILED', open)).toBe(true);
    expect(allows('SEAT_REFUSED', open)).toBe(false);
    expect(allows('SHIP', open)).toBe(false);
    expect(allows('SHIP', { ...open, group: { status: 'SUCCESS' } })).toBe(true);
    expect(allows('SEAT_REFUSED', { ...open, group: { status: 'PENDING' } })).toBe(true);
    expect(allows('REFUND_PART', { ...open, group: { status: 'SUCCESS' } })).toBe(true);
    expect(allows('REFUND_PART', open)).toBe(false);
  });

  it('re-reserves a late payment only on a cancelled order that holds no payment yet', () => {
    expect(allows('PAY_LATE', { status: 'CANCELLED' })).toBe(true);
    expect(allows('PAY_LATE', { status: 'CANCELLED', transactionId: 'tx' })).toBe(false);
    expect(allows('REFUND_LATE', { status: 'CANCELLED', transactionId: 'tx' })).toBe(true);
    expect(allows('SECOND_PAYMENT', { status: 'REFUNDED', transactionId: 'tx' })).toBe(true);
    expect(allows('SECOND_PAYMENT', { status: 'PENDING_PAYMENT' })).toBe(false);
  });

  it('sends a released refund back to where it came from', () => {
    expect(statusAfter('REFUND_RELEASED', { status: 'REFUNDING', refundFrom: 'CANCELLED' })).toBe('CANCELLED');
    expect(statusAfter('REFUND_RELEASED', { status: 'REFUNDING', refundFrom: 'SHIPPED' })).toBe('SHIPPED');
  });

  it('draws every status change of the table', () => {
    const diagram = orderStatusDiagram();
    for (const t of ORDER_TRANSITIONS) if (t.to !== 'same') expect(diagram).toContain(t.event);
    expect(diagram).toMatch(/PAID --> REFUNDING: .*CANCEL_PAID/);
  });


  it('puts every status in exactly one order tab besides 全部', () => {
    for (const s of ORDER_STATUSES) {
      expect(ORDER_TABS.filter((t) => t.key !== 'ALL' && (t.statuses as readonly string[]).includes(s))).toHaveLength(1);
    }
  });
});
