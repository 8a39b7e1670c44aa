import { describe, expect, it } from 'vitest';
import type { QuoteCouponOption, QuoteView } from '@shop/shared';
import { couponSummary } from '../src/store/slices/checkout';
import { ADDRESS_ID, LOGIN, QUOTE, fail, makeStore, ok, order } from './support/fakes';

const C1 = '01HC1111111111111111111111';
const C2 = '01HC2222222222222222222222';
const C3 = '01HC3333333333333333333333';

function option(couponId: string, over: Partial<QuoteCouponOption> = {}): QuoteCouponOption {
  return { couponId, label: '满99减10', name: '满99减10', usable: true, chosen: false, amountFen: 1000, reason: null, validTo: 2e12, ...over };
}

/** A quote as the server would answer for a coupon choice: omitted → it picks C1; otherwise exactly the choice. */
function quoteFor(choice: string[] | undefined): QuoteView {
  const ids = choice ?? [C1];
  const coupons = [
    option(C1, { label: '满99减10', amountFen: 1000 }),
    option(C2, { label: '无门槛减5', amountFen: 500 }),
    option(C3, { label: '88折 最高减50', usable: false, amountFen: 0, reason: '不适用于所选商品' }),
  ].map((c) => ({ ...c, chosen: ids.includes(c.couponId) }));
  const off = coupons.filter((c) => c.chosen).reduce((n, c) => n + c.amountFen, 0);
  return {
    ...QUOTE,
    subtotalFen: 12900,
    shippingFen: 0,
    discountFen: off,
    discounts: coupons.filter((c) => c.chosen).map((c) => ({ kind: 'coupon', label: c.label, amountFen: c.amountFen })),
    payableFen: 12900 - off,
    couponIds: ids,
    coupons,
  };
}

const quoteBodies = (s: ReturnType<typeof makeStore>) => s.requests.filter((r) => r.name === 'quote').map((r) => r.body as Record<string, unknown>);
const orderBody = (s: ReturnType<typeof makeStore>) => s.requests.find((r) => r.name === 'createOrder')!.body as Record<string, unknown>;

async function started(over: Parameters<typeof makeStore>[0] = {}) {
  const s = makeStore({
    login: () => ok(LOGIN),
    quote: (req) => ok(quoteFor((req.body as { couponIds?: string[] }).couponIds)),
    createOrder: () => ok(order()),
    ...over,
  });
  await s.store.getState().loginWithCode('demo');
  s.store.getState().startCheckout({ type: 'cart' });
  await s.store.getState().setCheckoutAddress(ADDRESS_ID);
  return s;
}

describe('checkout coupons', () => {
  it('lets the server pick at first and submits exactly the coupons of the quote on screen', async () => {
    const s = await started();
    expect(quoteBodies(s)[0]).not.toHaveProperty('couponIds');
    expect(s.store.getState().checkout.quote?.couponIds).toEqual([C1]);
    await s.store.getState().submitOrder();
    expect(orderBody(s).couponIds).toEqual([C1]);
  });

  it('re-quotes with exactly the chosen coupon, keeps the choice on later quotes, and submits it', async () => {
    const s = await started();
    await expect(s.store.getState().chooseCoupons([C2])).resolves.toBe(true);
    expect(quoteBodies(s)[1]).toMatchObject({ couponIds: [C2] });
    expect(s.store.getState().checkout.quote?.payableFen).toBe(12400);

    // Another address: the choice goes with it.
    await s.store.getState().setCheckoutAddress('01HBBBBBBBBBBBBBBBBBBBBBBB');
    expect(quoteBodies(s)[2]).toMatchObject({ couponIds: [C2], addressId: '01HBBBBBBBBBBBBBBBBBBBBBBB' });

    await s.store.getState().submitOrder();
    expect(orderBody(s).couponIds).toEqual([C2]);
  });

  it('不使用优惠券 sends [] to the quote and to the order', async () => {
    const s = await started();
    await s.store.getState().chooseCoupons([]);
    expect(quoteBodies(s)[1]).toEqual({ source: { type: 'cart' }, addressId: ADDRESS_ID, couponIds: [] });
    expect(couponSummary(s.store.getState().checkout.quote!)).toMatchObject({ state: 'none', text: '不使用优惠券（2 张可用）' });
    await s.store.getState().submitOrder();
    expect(orderBody(s).couponIds).toEqual([]);
  });

  it('sends what the server quoted, not what was asked for (it may stack more, or fewer)', async () => {
    const s = await started({
      quote: () => ok({ ...quoteFor([C1, C2]) }),
    });
    await s.store.getState().submitOrder();
    expect(orderBody(s).couponIds).toEqual([C1, C2]);
    expect(couponSummary(s.store.getState().checkout.quote!)).toEqual({ text: '已选 2 张', amountFen: 1500, state: 'chosen' });
  });

  it('keeps the quote and the choice on screen when the server refuses a coupon', async () => {
    const s = await started({
      quote: (req) => {
        const ids = (req.body as { couponIds?: string[] }).couponIds;
        if (ids?.includes(C3)) return fail(409, 'COUPON_NOT_USABLE', '所选优惠券不可用于本订单');
        return ok(quoteFor(ids));
      },
    });
    const before = s.store.getState().checkout.quote;
    await expect(s.store.getState().chooseCoupons([C3])).resolves.toBe(false);
    expect(s.toasts).toContain('所选优惠券不可用于本订单');
    expect(s.store.getState().checkout.quote).toBe(before);
    expect(s.store.getState().checkout.couponChoice).toBeUndefined();
    expect(s.store.getState().checkout.choosingCoupon).toBe(false);
    await s.store.getState().submitOrder();
    expect(orderBody(s).couponIds).toEqual([C1]);
  });

  it('a coupon gone out of use at submit lets the server choose again on the next quote', async () => {
    let creates = 0;
    const s = await started({
      createOrder: () => (++creates === 1 ? fail(409, 'COUPON_NOT_USABLE', '所选优惠券不可用于本订单') : ok(order())),
    });
    await s.store.getState().chooseCoupons([C2]);
    await expect(s.store.getState().submitOrder()).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE' });
    expect(s.store.getState().checkout.couponChoice).toBeUndefined();
    await s.store.getState().refreshQuote();
    expect(quoteBodies(s).at(-1)).not.toHaveProperty('couponIds');
    await s.store.getState().submitOrder();
    const bodies = s.requests.filter((r) => r.name === 'createOrder').map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b.couponIds)).toEqual([[C2], [C1]]);
    // Same visit, same key: the refused attempt created nothing.
    expect(bodies[0]!.idempotencyKey).toBe(bodies[1]!.idempotencyKey);
  });

  it('a quote refused for a chosen coupon falls back to the server’s pick', async () => {
    let refuse = false;
    const s = await started({
      quote: (req) => {
        const ids = (req.body as { couponIds?: string[] }).couponIds;
        if (refuse && ids) return fail(409, 'COUPON_NOT_USABLE', '所选优惠券不可用于本订单');
        return ok(quoteFor(ids));
      },
    });
    await s.store.getState().chooseCoupons([C2]);
    refuse = true;
    await s.store.getState().refreshQuote();
    expect(s.store.getState().checkout.quoteStatus).toBe('ready');
    expect(s.store.getState().checkout.quote?.couponIds).toEqual([C1]);
    expect(quoteBodies(s).at(-1)).not.toHaveProperty('couponIds');
  });

  it('a submit with no answer is retried with the same coupons, even if a later quote shows others', async () => {
    let creates = 0;
    let pick = [C1];
    const s = await started({
      quote: () => ok(quoteFor(pick)),
      createOrder: () => {
        creates++;
        if (creates === 1) throw new Error('socket hang up');
        if (creates === 2) return fail(500, 'INTERNAL', '系统繁忙，请稍后再试');
        return ok(order());
      },
    });
    await expect(s.store.getState().submitOrder()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    pick = [C2];
    await s.store.getState().refreshQuote();
    await expect(s.store.getState().submitOrder()).rejects.toMatchObject({ code: 'INTERNAL' });
    await s.store.getState().submitOrder();
    const bodies = s.requests.filter((r) => r.name === 'createOrder').map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b.couponIds)).toEqual([[C1], [C1], [C1]]);
    expect(new Set(bodies.map((b) => b.idempotencyKey)).size).toBe(1);
    expect(s.store.getState().checkout.unsettledCouponIds).toBeNull();
  });

  it('copes with a quote that has no coupon fields yet (an older server)', async () => {
    const { couponIds: _a, coupons: _b, gifts: _c, hints: _d, ...bare } = QUOTE;
    const s = await started({ quote: () => ok(bare) });
    const q = s.store.getState().checkout.quote!;
    expect(q).toMatchObject({ couponIds: [], coupons: [], gifts: [], hints: [] });
    expect(couponSummary(q).text).toBe('无可用优惠券');
    await s.store.getState().submitOrder();
    expect(orderBody(s).couponIds).toEqual([]);
  });

  it('summarises the 优惠券 row from the quote alone', () => {
    expect(couponSummary(quoteFor(undefined))).toEqual({ text: '满99减10', amountFen: 1000, state: 'chosen' });
    expect(couponSummary({ couponIds: [], coupons: [] })).toMatchObject({ state: 'unavailable', text: '无可用优惠券' });
    expect(couponSummary({ couponIds: [], coupons: [option(C3, { usable: false })] })).toMatchObject({ text: '无可用优惠券' });
  });
});
