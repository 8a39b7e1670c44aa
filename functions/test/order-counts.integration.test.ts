import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { buyNow, shopper, testProduct } from '../../tests/support/shop';
import { orderRepo } from '../src/repositories/order-repo';
import { transitionUpdate } from '../src/repositories/order-transitions';
import { transact } from '../src/repositories/transactions';
import { userRepo } from '../src/repositories/user-repo';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import * as orders from '../src/handlers/orders';

beforeAll(async () => {
  await freshTable();
});

type S = Awaited<ReturnType<typeof shopper>>;

/** The shopper pays at WeChat (sandbox); reading the order asks WeChat (主动查单) and settles it. */
async function pay(s: S, orderId: string): Promise<void> {
  const prepay = await call(orders.payOrder, { token: s.token, params: { orderId } });
  expect(prepay.status).toBe(200);
  const openid = (await userRepo.get(s.userId))!.openid;
  await (await sandboxWechatPay()).simulateUserPayment(prepay.body.prepayId, 'pay', Date.now(), openid);
  const read = await call(orders.getOrder, { token: s.token, params: { orderId } });
  expect(read.body.status).toBe('PAID');
}

const counts = async (s: S) => {
  const r = await call(orders.orderCounts, { token: s.token });
  expect(r.status).toBe(200);
  return r.body;
};

describe('GET /v1/orders/counts', () => {
  it('counts the shopper’s orders per 我的 shortcut as they move, and no one else’s', async () => {
    const [sku] = await testProduct('p-counts-1', 50);
    const me = await shopper('counts-me');
    const other = await shopper('counts-other');
    expect(await counts(me)).toEqual({ PENDING_PAYMENT: 0, PAID: 0, SHIPPED: 0, REFUNDING: 0 });

    const placed = [];
    for (let i = 0; i < 5; i++) placed.push(await buyNow(me, 'p-counts-1', sku!));
    await buyNow(other, 'p-counts-1', sku!);
    expect(await counts(me)).toEqual({ PENDING_PAYMENT: 5, PAID: 0, SHIPPED: 0, REFUNDING: 0 });

    // Cancelled while unpaid: it leaves 待付款 and is not 退款售后.
    expect((await call(orders.cancelOrder, { token: me.token, params: { orderId: placed[0].id } })).body.status).toBe('CANCELLED');
    // Three paid; one of them shipped, one cancelled with a refund under way.
    for (const o of placed.slice(1, 4)) await pay(me, o.id);
    const shipped = (await orderRepo.get(placed[2].id))!;
    await transact([transitionUpdate(shipped, 'SHIP', { now: Date.now() })]);
    const refunding = await call(orders.cancelOrder, { token: me.token, params: { orderId: placed[3].id } });
    expect(refunding.body.status).toBe('REFUNDING');

    expect(await counts(me)).toEqual({ PENDING_PAYMENT: 1, PAID: 1, SHIPPED: 1, REFUNDING: 1 });
    expect(await counts(other)).toEqual({ PENDING_PAYMENT: 1, PAID: 0, SHIPPED: 0, REFUNDING: 0 });
  });

  it('needs a session', async () => {
    const r = await call(orders.orderCounts, {});
    expect(r.status).toBe(401);
  });
});
