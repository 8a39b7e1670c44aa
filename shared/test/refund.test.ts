import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { outRefundNo, planLineRefund, type LineRefundState } from '../src/refund';

const line = (skuId: string, quantity: number, payableFen: number): LineRefundState => ({ skuId, quantity, payableFen, refundedQuantity: 0, refundedFen: 0 });

describe('partial refunds by line', () => {
  it('refunds units at the prorated price and gives the last unit the remainder', () => {
    const first = planLineRefund([line('a', 3, 1000)], [{ skuId: 'a', quantity: 1 }]);
    expect(first).toEqual({ ok: true, amountFen: 333, lines: [{ skuId: 'a', quantity: 1, amountFen: 333 }] });
    const rest = planLineRefund([{ ...line('a', 3, 1000), refundedQuantity: 1, refundedFen: 333 }], [{ skuId: 'a', quantity: 2 }]);
    expect(rest).toMatchObject({ ok: true, amountFen: 667 });
  });
  it('refuses more units than remain, unknown lines and duplicates', () => {
    expect(planLineRefund([{ ...line('a', 2, 500), refundedQuantity: 2, refundedFen: 500 }], [{ skuId: 'a', quantity: 1 }])).toMatchObject({ ok: false });
    expect(planLineRefund([line('a', 2, 500)], [{ skuId: 'b', quantity: 1 }])).toMatchObject({ ok: false });
    expect(planLineRefund([line('a', 2, 500)], [{ skuId: 'a', quantity: 1 }, { skuId: 'a', quantity: 1 }])).toMatchObject({ ok: false });
  });
  it('never refunds more than was paid for a line, however it is split', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 30 }), (qty, paid, steps) => {
        let state = line('a', qty, paid);
        for (const step of steps) {
          const remaining = state.quantity - state.refundedQuantity;
          if (remaining === 0) break;
          const plan = planLineRefund([state], [{ skuId: 'a', quantity: Math.min(step, remaining) }]);
          if (!plan.ok) throw new Error(plan.reason);
          state = { ...state, refundedQuantity: state.refundedQuantity + plan.lines[0].quantity, refundedFen: state.refundedFen + plan.amountFen };
          expect(state.refundedFen).toBeLessThanOrEqual(paid);
        }
        if (state.refundedQuantity === qty) expect(state.refundedFen).toBe(paid);
      }),
    );
  });
  it('names refunds deterministically per order and reason, within WeChat’s 64 characters', () => {
    expect(outRefundNo('01JC0000000000000000000000', 'LATE_PAYMENT')).toBe('01JC0000000000000000000000-LATEPAYMENT');
    expect(outRefundNo('01JC0000000000000000000000', 'LATE_PAYMENT')).toBe(outRefundNo('01JC0000000000000000000000', 'LATE_PAYMENT'));
    expect(outRefundNo('01JC0000000000000000000000', 'AFTER_SALE', 3).length).toBeLessThanOrEqual(64);
  });
});
