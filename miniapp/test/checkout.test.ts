import { describe, expect, it, vi } from 'vitest';
import { ADDRESS_ID, LOGIN, QUOTE, fail, makeStore, ok, order, payResponse } from './support/fakes';

const loggedIn = async (s: ReturnType<typeof makeStore>) => {
  await s.store.getState().loginWithCode('demo');
};

describe('checkout slice', () => {
  it('reuses one idempotency key for every retry of a submit, and a new visit gets a new key', async () => {
    let creates = 0;
    const s = makeStore({
      login: () => ok(LOGIN),
      quote: () => ok(QUOTE),
      createOrder: () => {
        creates++;
        if (creates === 1) throw new Error('socket hang up');
        if (creates === 2) return fail(500, 'INTERNAL', '系统繁忙，请稍后再试');
        return ok(order());
      },
    });
    await loggedIn(s);
    const st = s.store.getState();
    st.startCheckout({ type: 'cart' });
    await st.setCheckoutAddress(ADDRESS_ID);

    await expect(s.store.getState().submitOrder()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(s.store.getState().submitOrder()).rejects.toMatchObject({ code: 'INTERNAL' });
    const created = await s.store.getState().submitOrder();
    expect(created.id).toBe(order().id);

    const keys = s.requests.filter((r) => r.name === 'createOrder').map((r) => (r.body as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[A-Za-z0-9]{26,64}$/);

    // Once the order exists, tapping again does not post again.
    await s.store.getState().submitOrder();
    expect(s.requests.filter((r) => r.name === 'createOrder')).toHaveLength(3);

    s.store.getState().startCheckout({ type: 'cart' });
    expect(s.store.getState().checkout.idempotencyKey).not.toBe(keys[0]);
    expect(s.store.getState().checkout.order).toBeNull();
  });

  it('never sends a price: the order body is source, address, remark, the key and the quoted coupons', async () => {
    const s = makeStore({ login: () => ok(LOGIN), quote: () => ok(QUOTE), createOrder: () => ok(order()) });
    await loggedIn(s);
    const source = { type: 'buyNow' as const, productId: 'p-1', skuId: 's-1', quantity: 2 };
    s.store.getState().startCheckout(source);
    await s.store.getState().setCheckoutAddress(ADDRESS_ID);
    s.store.getState().setRemark('  放门口  ');
    await s.store.getState().submitOrder();

    const quoteBody = s.requests.find((r) => r.name === 'quote')!.body;
    expect(quoteBody).toEqual({ source, addressId: ADDRESS_ID });
    const body = s.requests.find((r) => r.name === 'createOrder')!.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['addressId', 'couponIds', 'idempotencyKey', 'remark', 'source']);
    expect(body).toMatchObject({ source, addressId: ADDRESS_ID, remark: '放门口', couponIds: [] });
  });

  it('does not submit without an address', async () => {
    const s = makeStore({ login: () => ok(LOGIN), quote: () => ok(QUOTE) });
    await loggedIn(s);
    s.store.getState().startCheckout({ type: 'cart' });
    await expect(s.store.getState().submitOrder()).rejects.toThrow();
    expect(s.requests.some((r) => r.name === 'createOrder')).toBe(false);
    expect(s.toasts).toContain('请选择收货地址');
  });

  it('keeps only the latest quote when address changes race', async () => {
    const resolvers: ((v: { statusCode: number; data: unknown }) => void)[] = [];
    const s = makeStore({
      login: () => ok(LOGIN),
      quote: () => new Promise((r) => resolvers.push(r)),
    });
    await loggedIn(s);
    s.store.getState().startCheckout({ type: 'cart' });
    const first = s.store.getState().setCheckoutAddress(ADDRESS_ID);
    const second = s.store.getState().setCheckoutAddress('01HBBBBBBBBBBBBBBBBBBBBBBB');
    await vi.waitFor(() => expect(resolvers).toHaveLength(2));
    resolvers[1]!(ok({ ...QUOTE, payableFen: 2222 }));
    resolvers[0]!(ok({ ...QUOTE, payableFen: 1111 }));
    await Promise.all([first, second]);
    expect(s.store.getState().checkout.quote?.payableFen).toBe(2222);
  });

  it('sandbox mode opens the 模拟支付 sheet, whose answer goes to the sandbox with the prepay id', async () => {
    const s = makeStore({
      login: () => ok(LOGIN),
      payOrder: () => ok(payResponse('sandbox')),
      sandboxPay: () => ok({ delivered: true, notifyStatus: 200 }),
    });
    await loggedIn(s);
    await expect(s.store.getState().startPayment(order().id)).resolves.toBe('sandbox-open');
    expect(s.store.getState().payment).toMatchObject({ sandboxOpen: true, busy: false });
    await expect(s.store.getState().confirmSandbox('pay')).resolves.toBe(true);
    expect(s.requests.find((r) => r.name === 'sandboxPay')!.body).toEqual({ prepayId: 'wx-prepay-1', action: 'pay' });
    expect(s.store.getState().payment.sandboxOpen).toBe(false);
  });

  it('wechat mode hands the signed params to requestPayment; a cancelled cashier is reported, not trusted', async () => {
    const requestPayment = vi.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('cancel'));
    const s = makeStore({ login: () => ok(LOGIN), payOrder: () => ok(payResponse('wechat')) }, { requestPayment });
    await loggedIn(s);
    await expect(s.store.getState().startPayment(order().id)).resolves.toBe('wechat-finished');
    expect(requestPayment).toHaveBeenCalledWith(payResponse('wechat').params);
    await expect(s.store.getState().startPayment(order().id)).resolves.toBe('wechat-abandoned');
    expect(s.store.getState().payment.busy).toBe(false);
    expect(s.requests.some((r) => r.name === 'sandboxPay')).toBe(false);
  });

  it('reports a refused payment start as failed', async () => {
    const s = makeStore({ login: () => ok(LOGIN), payOrder: () => fail(409, 'PAYMENT_EXPIRED', '订单已超过支付时间') });
    await loggedIn(s);
    await expect(s.store.getState().startPayment(order().id)).resolves.toBe('failed');
    expect(s.toasts).toContain('订单已超过支付时间');
  });
});
