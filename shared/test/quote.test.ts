import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateDiscount, mergeSameSku, quote, shippingFor, type QuoteInputLine } from '../src/quote';

const line = (skuId: string, unitPriceFen: number, quantity: number): QuoteInputLine => ({
  productId: `p-${skuId}`,
  skuId,
  title: skuId,
  specText: '',
  image: '',
  unitPriceFen,
  quantity,
});

describe('quote', () => {
  it('adds line totals, charges shipping under ¥99 and none from ¥99', () => {
    const small = quote([line('a', 1990, 2)]);
    expect(small.subtotalFen).toBe(3980);
    expect(small.shippingFen).toBe(1000);
    expect(small.payableFen).toBe(4980);
    const big = quote([line('a', 4950, 2)]);
    expect(big.subtotalFen).toBe(9900);
    expect(big.shippingFen).toBe(0);
    expect(big.payableFen).toBe(9900);
  });

  it('merges two lines of the same SKU into one with the summed quantity', () => {
    const q = quote([line('a', 100, 2), line('b', 50, 1), line('a', 100, 3)]);
    expect(q.lines.map((l) => [l.skuId, l.quantity])).toEqual([
      ['a', 5],
      ['b', 1],
    ]);
    expect(q.itemCount).toBe(6);
    expect(mergeSameSku([{ skuId: 'x', quantity: 1 }, { skuId: 'x', quantity: 1 }])).toEqual([{ skuId: 'x', quantity: 2 }]);
  });

  it('never lets a discount push the payable below 1 fen of goods', () => {
    const q = quote([line('a', 500, 1)], { discounts: [{ kind: 'coupon', label: '大额券', amountFen: 100000 }], shipping: { feeFen: 0, freeFromFen: null } });
    expect(q.discountFen).toBe(499);
    expect(q.payableFen).toBe(1);
  });

  it('uses the per-line discounts it is given, so a flash-sale line keeps its whole price, and refuses a split that does not add up', () => {
    const lines = [line('flash', 990, 1), line('a', 5000, 2)];
    const discounts = [{ kind: 'coupon', label: '满99减10', amountFen: 1000 }];
    const q = quote(lines, { discounts, lineDiscounts: [0, 1000] });
    expect(q.lines.map((l) => [l.discountFen, l.payableFen])).toEqual([
      [0, 990],
      [1000, 9000],
    ]);
    expect(q.payableFen).toBe(10990 - 1000);
    // Without the split the coupon would have been spread over the flash-sale line too.
    expect(quote(lines, { discounts }).lines[0].discountFen).toBeGreaterThan(0);
    expect(() => quote(lines, { discounts, lineDiscounts: [0, 999] })).toThrow(/add up/);
    expect(() => quote(lines, { discounts, lineDiscounts: [1000] })).toThrow(/parts/);
    expect(() => quote(lines, { discounts, lineDiscounts: [1000, 0] })).toThrow(/outside/);
  });

  it('refuses zero or fractional quantities and fractional prices', () => {
    expect(() => quote([line('a', 100, 0)])).toThrow();
    expect(() => quote([line('a', 100, 1.5)])).toThrow();
    expect(() => quote([line('a', 99.5, 1)])).toThrow();
  });

  it('ships free for an empty quote', () => {
    expect(shippingFor(0)).toBe(0);
  });

  it('allocates a discount over lines in whole fen that add up exactly, never above a line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (totals, seed) => {
          const base = totals.reduce((a, b) => a + b, 0);
          const discount = base === 0 ? 0 : seed % (base + 1);
          const parts = allocateDiscount(totals, discount);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(discount);
          parts.forEach((p, i) => {
            expect(Number.isInteger(p)).toBe(true);
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(totals[i]);
          });
        },
      ),
    );
  });

  it('keeps payable = subtotal − discount + shipping for any cart', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ price: fc.integer({ min: 0, max: 500_000 }), qty: fc.integer({ min: 1, max: 99 }), sku: fc.constantFrom('a', 'b', 'c', 'd') }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 100_000 }),
        (lines, discount) => {
          // One SKU has one price: take the first price seen for each SKU.
          const priceOf = new Map<string, number>();
          for (const l of lines) if (!priceOf.has(l.sku)) priceOf.set(l.sku, l.price);
          const q = quote(lines.map((l) => line(l.sku, priceOf.get(l.sku)!, l.qty)), { discounts: [{ kind: 'x', label: 'x', amountFen: discount }] });
          expect(q.payableFen).toBe(q.subtotalFen - q.discountFen + q.shippingFen);
          expect(q.lines.reduce((s, l) => s + l.payableFen, 0)).toBe(q.subtotalFen - q.discountFen);
          if (q.subtotalFen > 0) expect(q.subtotalFen - q.discountFen).toBeGreaterThanOrEqual(1);
        },
      ),
    );
  });
});
