import { describe, expect, it } from 'vitest';
import {
  AFTER_SALE_STATES,
  AFTER_SALE_TRANSITIONS,
  AFTER_SALE_TYPES,
  DEFAULT_AFTER_SALE_DEADLINES,
  OPEN_AFTER_SALE_STATES,
  afterSaleDeadline,
  afterSaleRefusal,
  afterSaleShopperActions,
  afterSaleTransition,
} from '../src/after-sales';

describe('the after-sales transition table', () => {
  it('has at most one row per state, event and type, and every state is reached from 申请中 for some type', () => {
    for (const type of AFTER_SALE_TYPES) {
      const seen = new Set<string>();
      for (const t of AFTER_SALE_TRANSITIONS.filter((r) => !r.type || r.type === type)) {
        const key = `${t.from}/${t.event}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
    const reached = new Set<string>(['REQUESTED']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const t of AFTER_SALE_TRANSITIONS) if (reached.has(t.from) && !reached.has(t.to)) (reached.add(t.to), (changed = true));
    }
    expect([...reached].sort()).toEqual([...AFTER_SALE_STATES].sort());
  });

  it('only a 退货退款 goes through 待退货 and 退货中; an ended request has no way out', () => {
    expect(afterSaleTransition('REQUESTED', 'APPROVE', 'REFUND_ONLY')?.to).toBe('REFUNDING');
    expect(afterSaleTransition('REQUESTED', 'APPROVE', 'RETURN_REFUND')?.to).toBe('AWAITING_RETURN');
    expect(afterSaleTransition('AWAITING_RETURN', 'SHIP_RETURN', 'REFUND_ONLY')).toBeNull();
    for (const end of AFTER_SALE_STATES.filter((s) => !OPEN_AFTER_SALE_STATES.includes(s))) {
      expect(AFTER_SALE_TRANSITIONS.filter((t) => t.from === end)).toEqual([]);
    }
    expect(afterSaleShopperActions('AWAITING_RETURN', 'RETURN_REFUND')).toEqual(['WITHDRAW', 'SHIP_RETURN']);
    expect(afterSaleShopperActions('RETURNING', 'RETURN_REFUND')).toEqual([]);
  });

  it('refuses requests the order cannot have, in words', () => {
    const paid = { status: 'PAID' as const, transactionId: 'tx' };
    const now = Date.UTC(2026, 5, 15);
    expect(afterSaleRefusal(paid, 'REFUND_ONLY', now)).toBeNull();
    expect(afterSaleRefusal(paid, 'RETURN_REFUND', now)).toBe('订单尚未发货，请选择仅退款');
    expect(afterSaleRefusal({ ...paid, transactionId: null }, 'REFUND_ONLY', now)).toBe('订单未支付，无需售后');
    expect(afterSaleRefusal({ ...paid, group: { status: 'OPEN' } }, 'REFUND_ONLY', now)).toContain('成团后');
    expect(afterSaleRefusal({ ...paid, group: { status: 'SUCCESS' } }, 'REFUND_ONLY', now)).toBeNull();
    expect(afterSaleRefusal({ status: 'COMPLETED', transactionId: 'tx' }, 'REFUND_ONLY', now)).toContain('退货退款');
    // A received order: returns until the after-sales window closes, not a moment after.
    const received = { status: 'COMPLETED' as const, transactionId: 'tx', afterSaleUntil: now };
    expect(afterSaleRefusal(received, 'RETURN_REFUND', now)).toBeNull();
    expect(afterSaleRefusal(received, 'RETURN_REFUND', now + 1)).toBe('已超过售后期，如商品有问题请联系客服');
  });

  it('gives an unshipped 仅退款 the fast approval and counts every deadline from entering the state', () => {
    const d = DEFAULT_AFTER_SALE_DEADLINES;
    const H = 3600_000;
    expect(afterSaleDeadline({ state: 'REQUESTED', type: 'REFUND_ONLY', enteredAt: 0 }, false, d)).toEqual({ at: 24 * H, event: 'AUTO_APPROVE' });
    expect(afterSaleDeadline({ state: 'REQUESTED', type: 'REFUND_ONLY', enteredAt: 0 }, true, d)).toEqual({ at: 72 * H, event: 'AUTO_APPROVE' });
    expect(afterSaleDeadline({ state: 'AWAITING_RETURN', type: 'RETURN_REFUND', enteredAt: 5 }, true, d)).toEqual({ at: 5 + 7 * 24 * H, event: 'RETURN_EXPIRED' });
    expect(afterSaleDeadline({ state: 'RETURNING', type: 'RETURN_REFUND', enteredAt: 0 }, true, d)?.event).toBe('AUTO_RECEIVE_RETURN');
    expect(afterSaleDeadline({ state: 'REFUNDING', type: 'RETURN_REFUND', enteredAt: 0 }, true, d)).toBeNull();
  });
});
