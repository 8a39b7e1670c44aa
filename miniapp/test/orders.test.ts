import { describe, expect, it, vi } from 'vitest';
import { leftPendingPayment, refundsSettled } from '../src/store/slices/orders';
import { LOGIN, ORDER_ID, makeStore, ok, order } from './support/fakes';

describe('orders slice', () => {
  it('polls the order until it leaves PENDING_PAYMENT, waiting between reads', async () => {
    const statuses = ['PENDING_PAYMENT', 'PENDING_PAYMENT', 'PAID'] as const;
    let n = 0;
    const sleep = vi.fn(async () => undefined);
    const s = makeStore(
      { login: () => ok(LOGIN), getOrder: () => ok(order({ status: statuses[n++], statusLabel: 'x' })) },
      { sleep },
    );
    await s.store.getState().loginWithCode('c');
    const seen: boolean[] = [];
    const unsub = s.store.subscribe((st) => seen.push(!!st.polling[ORDER_ID]));
    const last = await s.store.getState().pollOrder(ORDER_ID, { attempts: 8, intervalMs: 1500 });
    unsub();
    expect(last?.status).toBe('PAID');
    expect(s.requests.filter((r) => r.name === 'getOrder')).toHaveLength(3);
    expect(sleep).toHaveBeenCalledTimes(2);
    expect(sleep).toHaveBeenCalledWith(1500);
    expect(seen).toContain(true);
    expect(s.store.getState().polling[ORDER_ID]).toBe(false);
    expect(s.store.getState().orders[ORDER_ID]?.status).toBe('PAID');
  });

  it('gives up after the attempts, leaving the order as the server last said', async () => {
    const s = makeStore({ login: () => ok(LOGIN), getOrder: () => ok(order()) });
    await s.store.getState().loginWithCode('c');
    const last = await s.store.getState().pollOrder(ORDER_ID, { attempts: 4, intervalMs: 0 });
    expect(last?.status).toBe('PENDING_PAYMENT');
    expect(s.requests.filter((r) => r.name === 'getOrder')).toHaveLength(4);
  });

  it('pages a tab with the cursor and replaces a cancelled order everywhere', async () => {
    const a = order({ id: '01HAAAAAAAAAAAAAAAAAAAAAAA' });
    const b = order({ id: '01HBBBBBBBBBBBBBBBBBBBBBBB' });
    const s = makeStore({
      login: () => ok(LOGIN),
      listOrders: (req) =>
        ok(req.url.includes('cursor=') ? { items: [b], nextCursor: null } : { items: [a], nextCursor: 'c2' }),
      cancelOrder: () => ok({ ...a, status: 'CANCELLED', statusLabel: '已取消' }),
    });
    await s.store.getState().loginWithCode('c');
    await s.store.getState().loadOrders('PENDING_PAYMENT', 'reset');
    await s.store.getState().loadOrders('PENDING_PAYMENT', 'more');
    await s.store.getState().loadOrders('PENDING_PAYMENT', 'more'); // done: no request
    const urls = s.requests.filter((r) => r.name === 'listOrders').map((r) => r.url);
    expect(urls).toEqual([
      'https://api.test/v1/orders?tab=PENDING_PAYMENT&limit=10',
      'https://api.test/v1/orders?tab=PENDING_PAYMENT&cursor=c2&limit=10',
    ]);
    expect(s.store.getState().orderLists.PENDING_PAYMENT?.items.map((o) => o.id)).toEqual([a.id, b.id]);

    await s.store.getState().cancelOrder(a.id);
    expect(s.store.getState().orderLists.PENDING_PAYMENT?.items[0]?.statusLabel).toBe('已取消');
    expect(s.store.getState().orders[a.id]?.status).toBe('CANCELLED');
    expect(s.toasts).toContain('订单已取消');
  });
});

describe('orders slice: changes the server makes on its own', () => {
  it('after the deadline, reads the order quietly until the server has closed it', async () => {
    const statuses = ['PENDING_PAYMENT', 'PENDING_PAYMENT', 'CANCELLED'] as const;
    let n = 0;
    const s = makeStore({
      login: () => ok(LOGIN),
      getOrder: () => ok(order({ status: statuses[Math.min(n++, 2)], statusLabel: n >= 3 ? '已取消' : '待付款' })),
    });
    await s.store.getState().loginWithCode('c');
    const seen: boolean[] = [];
    const unsub = s.store.subscribe((st) => seen.push(!!st.polling[ORDER_ID]));
    const last = await s.store.getState().watchOrder(ORDER_ID, leftPendingPayment, { attempts: 6, intervalMs: 0 });
    unsub();
    expect(last?.status).toBe('CANCELLED');
    expect(s.requests.filter((r) => r.name === 'getOrder')).toHaveLength(3);
    // Not a payment confirmation: 支付结果确认中… never shows.
    expect(seen).not.toContain(true);
    expect(s.toasts).toEqual([]);
    expect(s.store.getState().orders[ORDER_ID]?.statusLabel).toBe('已取消');
  });

  it('cancels a paid order through the cancel route and follows the refund until it is settled', async () => {
    const refund = (status: 'REFUNDING' | 'REFUNDED') => ({
      outRefundNo: 'r1',
      reason: 'CANCELLED_AFTER_PAY',
      reasonLabel: '取消订单退款',
      amountFen: 2000,
      status,
      statusLabel: status === 'REFUNDING' ? '退款中' : '已退款',
      createdAt: 1,
      finishedAt: status === 'REFUNDED' ? 2 : null,
    });
    const paid = order({ status: 'PAID', statusLabel: '待发货', paidFen: 2000 });
    const refunding = order({ status: 'REFUNDING', statusLabel: '退款中', paidFen: 2000, refundedFen: 2000, refunds: [refund('REFUNDING')] });
    const refunded = order({ status: 'REFUNDED', statusLabel: '已退款', paidFen: 2000, refundedFen: 2000, refunds: [refund('REFUNDED')] });
    let reads = 0;
    const s = makeStore({
      login: () => ok(LOGIN),
      getOrder: () => ok(reads++ === 0 ? paid : reads < 3 ? refunding : refunded),
      cancelOrder: () => ok(refunding),
    });
    await s.store.getState().loginWithCode('c');
    await s.store.getState().loadOrder(ORDER_ID);
    const o = await s.store.getState().cancelOrder(ORDER_ID);
    expect(s.requests.find((r) => r.name === 'cancelOrder')?.url).toBe(`https://api.test/v1/orders/${ORDER_ID}/cancel`);
    expect(s.toasts).toContain('订单已取消，款项将原路退回');
    expect(refundsSettled(o!)).toBe(false);
    const last = await s.store.getState().watchOrder(ORDER_ID, refundsSettled, { attempts: 5, intervalMs: 0 });
    expect(last?.refunds[0]?.statusLabel).toBe('已退款');
    expect(refundsSettled(last!)).toBe(true);
  });
});
