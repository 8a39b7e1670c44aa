import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, ORDER_TABS, canApply, nextStatus, statusesAccepting } from '../src/order-state';

describe('order state machine', () => {
  it('pays, ships and completes in order', () => {
    expect(nextStatus('PENDING_PAYMENT', 'PAY')).toBe('PAID');
    expect(nextStatus('PAID', 'SHIP')).toBe('SHIPPED');
    expect(nextStatus('SHIPPED', 'CONFIRM_RECEIPT')).toBe('COMPLETED');
  });
  it('cancels only unpaid orders', () => {
    expect(statusesAccepting('CANCEL')).toEqual(['PENDING_PAYMENT']);
    expect(canApply('PAID', 'CANCEL')).toBe(false);
    expect(canApply('CANCELLED', 'PAY')).toBe(false);
  });
  it('treats refunded as final, and cancelled as final except for a payment that arrives late', () => {
    for (const event of ['PAY', 'CANCEL', 'TIMEOUT', 'SHIP', 'CONFIRM_RECEIPT', 'REQUEST_REFUND', 'REFUND_DONE', 'LATE_PAYMENT_RESERVED', 'LATE_PAYMENT_REFUND'] as const) {
      expect(nextStatus('REFUNDED', event)).toBeUndefined();
    }
    for (const event of ['PAY', 'CANCEL', 'TIMEOUT', 'SHIP', 'CONFIRM_RECEIPT', 'REQUEST_REFUND', 'REFUND_DONE'] as const) {
      expect(nextStatus('CANCELLED', event)).toBeUndefined();
    }
    // A late payment is never left unresolved: either its stock is reserved again, or it is refunded.
    expect(nextStatus('CANCELLED', 'LATE_PAYMENT_RESERVED')).toBe('PAID');
    expect(nextStatus('CANCELLED', 'LATE_PAYMENT_REFUND')).toBe('REFUNDING');
  });
  it('only refunds orders that were paid', () => {
    expect(statusesAccepting('REQUEST_REFUND')).toEqual(['PAID', 'SHIPPED', 'COMPLETED']);
  });
  it('puts every status in exactly one tab besides 全部', () => {
    for (const s of ORDER_STATUSES) {
      expect(ORDER_TABS.filter((t) => t.key !== 'ALL' && (t.statuses as readonly string[]).includes(s))).toHaveLength(1);
    }
  });
});
