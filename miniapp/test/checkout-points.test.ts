import { describe, expect, it } from 'vitest';
import type { QuoteView } from '@shop/shared';
import { ADDRESS_ID, LOGIN, QUOTE, fail, makeStore, ok, order } from './support/fakes';
import { pointsSummary } from '../src/store/slices/checkout';

const points = (over: Partial<NonNullable<QuoteView['points']>> = {}): NonNullable<QuoteView['points']> => ({
  available: 3000,
  maxUsable: 1000,
  maxDeductionFen: 1000,
  used: 0,
  deductionFen: 0,
  pointsPerYuan: 100,
  maxPercentOfPayable: 50,
  ...over,
});

describe('积分抵扣 at checkout', () => {
  it('the switch asks the quote for up to every point held; the order sends exactly the points that quote used', async () => {
    const s = makeStore({
      login: () => ok(LOGIN),
      quote: (req) => {
        const asked = (req.body as { usePoints?: number }).usePoints ?? 0;
        const used = Math.min(asked, 1000);
        return ok({ ...QUOTE, payableFen: QUOTE.payableFen - used, points: points({ used, deductionFen: used }) });
      },
      createOrder: () => ok(order()),
    });
    await s.store.getState().loginWithCode('demo');
    s.store.getState().startCheckout({ type: 'cart' });
    await s.store.getState().setCheckoutAddress(ADDRESS_ID);
    expect(pointsSummary(s.store.getState().checkout.quote!)).toEqual({ text: '可用 1000 积分，抵 ¥10.00', usable: true });

    expect(await s.store.getState().setUsePoints(true)).toBe(true);
    const bodies = s.requests.filter((r) => r.name === 'quote').map((r) => r.body as Record<string, unknown>);
    expect(bodies[0]).not.toHaveProperty('usePoints');
    expect(bodies[1]).toMatchObject({ usePoints: 3000 });
    expect(s.store.getState().checkout.quote!.payableFen).toBe(QUOTE.payableFen - 1000);
    expect(pointsSummary(s.store.getState().checkout.quote!)).toEqual({ text: '已用 1000 积分，抵 ¥10.00', usable: true });

    await s.store.getState().submitOrder();
    expect(s.requests.find((r) => r.name === 'createOrder')!.body).toMatchObject({ usePoints: 1000 });
  });

  it('a refused re-quote leaves the switch and the quote on screen as they were', async () => {
    let n = 0;
    const s = makeStore({
      login: () => ok(LOGIN),
      quote: () => (++n === 1 ? ok({ ...QUOTE, points: points() }) : fail(409, 'POINTS_INSUFFICIENT', '积分不足')),
    });
    await s.store.getState().loginWithCode('demo');
    s.store.getState().startCheckout({ type: 'cart' });
    await s.store.getState().setCheckoutAddress(ADDRESS_ID);
    expect(await s.store.getState().setUsePoints(true)).toBe(false);
    expect(s.store.getState().checkout.pointsOn).toBe(false);
    expect(s.store.getState().checkout.quote!.points!.used).toBe(0);
  });

  it('says why nothing can be used', () => {
    expect(pointsSummary({ points: points({ available: 0, maxUsable: 0 }) })).toEqual({ text: '暂无可用积分', usable: false });
    expect(pointsSummary({ points: points({ maxUsable: 0 }) })).toEqual({ text: '共 3000 积分，本单不可抵扣', usable: false });
    expect(pointsSummary({ points: null })).toBeNull();
  });
});
