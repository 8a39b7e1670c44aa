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
  it('treats cancelled and refunded as final', () => {
    for (const event of ['PAY', 'CANCEL', 'TIMEOUT', 'SHIP', 'CONFIRM_RECEIPT', 'REQUEST_REFUND', 'REFUND_DONE'] as const) {
      expect(nextStatus('CANCELLED', event)).toBeUndefined();
      expect(nextStatus('REFUNDED', event)).toBeUndefined();
    }
  });
  it('puts every status in exactly one tab besides 全部', () => {
    for (const s of ORDER_STATUSES) {
      expect(ORDER_TABS.filter((t) => t.key !== 'ALL' && (t.statuses as readonly string[]).includes(s))).toHaveLength(1);
    }
  });
});
