import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable, TEST_APP_ID, TEST_MCH_ID } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { buildNotification } from '../../tests/support/notifications';
import { buyNow, shopper, stockOf, testProduct } from '../../tests/support/shop';
import { drainReactions } from '../../tests/support/stream';
import { orderRepo } from '../src/repositories/order-repo';
import { userRepo } from '../src/repositories/user-repo';
import { refundRepo } from '../src/repositories/refund-repo';
import { expireOrder, sweepExpiredOrders } from '../src/services/payment';
import { requestRefund } from '../src/services/refunds';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import * as orders from '../src/handlers/orders';
import { notify, refundNotify } from '../src/handlers/pay-notify';

let env: Record<string, string>;
let keysForWechat: { apiV3Key: string; platformPrivateKey: string; platformSerial: string };
const deliver = (n: { headers: Record<string, string>; body: string }, handler = notify) =>
  handler({ headers: n.headers, body: n.body, isBase64Encoded: false, requestContext: { requestId: 'wx' } }, { getRemainingTimeInMillis: () => 10_000 } as never);

/** The shopper pays at WeChat (sandbox) for an order, whatever our side thinks; the notification is not delivered. */
async function payAtWechat(order: { id: string; payableFen: number; deadlineAt: number }, userId: string, at = Date.now()): Promise<string> {
  const sandbox = await sandboxWechatPay();
  const openid = (await userRepo.get(userId))!.openid;
  const { prepayId } = await sandbox.createJsapiPrepay({ outTradeNo: order.id, description: '测试', amountFen: order.payableFen, payerOpenid: openid, timeExpireAt: Math.max(order.deadlineAt, at + 120_000) });
  const result = await sandbox.simulateUserPayment(prepayId, 'pay', at, openid);
  expect(result.delivered).toBe(false); // the tests' notify URL leads nowhere: delivery is up to the test
  const tx = await sandbox.queryByOutTradeNo(order.id);
  expect(tx.tradeState).toBe('SUCCESS');
  return tx.transactionId!;
}

function paidNotification(order: { id: string; payableFen: number }, transactionId: string, at = Date.now()) {
  return buildNotification({ outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID, transactionId }, keysForWechat, at);
}

beforeAll(async () => {
  ({ env } = await freshTable());
  keysForWechat = { apiV3Key: env.WXPAY_API_V3_KEY, platformPrivateKey: env.SANDBOX_PLATFORM_PRIVATE_KEY, platformSerial: env.SANDBOX_PLATFORM_SERIAL };
});

describe('unpaid order timeout', () => {
  it('closes the order within the sweep after its deadline, never before, and only once', async () => {
    const [sku] = await testProduct('p-timeout-1', 10);
    const s = await shopper('timeout');
    const order = await buyNow(s, 'p-timeout-1', sku, 2);
    await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
    expect(await stockOf('p-timeout-1', sku)).toEqual({ stock: 8, sold: 2 });

    // A clock one millisecond before the deadline changes nothing.
    expect(await expireOrder(order.id, order.deadlineAt - 1)).toBe('not_due');
    await sweepExpiredOrders(order.deadlineAt - 1);
    expect((await orderRepo.get(order.id))!.status).toBe('PENDING_PAYMENT');

    // The first sweep at or after the deadline closes it at WeChat and returns the stock.
    const counts = await sweepExpiredOrders(order.deadlineAt + 30_000);
    expect(counts.cancelled).toBeGreaterThanOrEqual(1);
    const closed = (await orderRepo.get(order.id))!;
    expect(closed).toMatchObject({ status: 'CANCELLED', cancelReason: 'TIMEOUT' });
    expect(await stockOf('p-timeout-1', sku)).toEqual({ stock: 10, sold: 0 });
    const wechat = await (await sandboxWechatPay()).queryByOutTradeNo(order.id);
    expect(wechat.tradeState).toBe('CLOSED');

    // Again: nothing more happens.
    expect(await expireOrder(order.id, order.deadlineAt + 60_000)).toBe('noop');
    expect(await stockOf('p-timeout-1', sku)).toEqual({ stock: 10, sold: 0 });
    expect((await orderRepo.get(order.id))!.timeline.filter((t) => t.status === 'CANCELLED')).toHaveLength(1);
  });

  it('finds an order paid at WeChat while its notification is missing, and keeps it', async () => {
    const [sku] = await testProduct('p-timeout-2', 5);
    const s = await shopper('timeout-paid');
    const order = await buyNow(s, 'p-timeout-2', sku);
    const pay = await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
    const openid = (await userRepo.get(s.userId))!.openid;
    const paid = await (await sandboxWechatPay()).simulateUserPayment(pay.body.prepayId, 'pay', order.deadlineAt - 1000, openid);
    expect(paid.delivered).toBe(false); // the notification is lost on the way
    expect(await expireOrder(order.id, order.deadlineAt + 1)).toBe('paid');
    expect((await orderRepo.get(order.id))!.status).toBe('PAID');
    expect(await stockOf('p-timeout-2', sku)).toEqual({ stock: 4, sold: 1 });
  });
});

describe('late notifications', () => {
  it('re-reserves the stock of a cancelled order and marks it paid when every SKU is still there', async () => {
    const [sku] = await testProduct('p-late-1', 3);
    const s = await shopper('late-ok');
    const order = await buyNow(s, 'p-late-1', sku);
    await expireOrder(order.id, order.deadlineAt + 1);
    expect(await stockOf('p-late-1', sku)).toEqual({ stock: 3, sold: 0 });
    const tx = await payAtWechat(order, s.userId);
    const answer = await deliver(paidNotification(order, tx));
    expect(answer.statusCode).toBe(204);
    const after = (await orderRepo.get(order.id))!;
    expect(after).toMatchObject({ status: 'PAID', transactionId: tx, paidFen: order.payableFen });
    expect(await stockOf('p-late-1', sku)).toEqual({ stock: 2, sold: 1 });
  });

  it('refunds a late payment in full when the stock is gone, and never marks it paid', async () => {
    const [sku] = await testProduct('p-late-2', 1);
    const a = await shopper('late-a');
    const b = await shopper('late-b');
    const order = await buyNow(a, 'p-late-2', sku);
    await expireOrder(order.id, order.deadlineAt + 1);
    await buyNow(b, 'p-late-2', sku); // the released unit is sold to someone else
    const n = paidNotification(order, await payAtWechat(order, a.userId));
    expect((await deliver(n)).statusCode).toBe(204);
    // The answer comes after one transaction: the money is recorded as owed back, and the refund follows from the
    // table's stream.
    const recorded = (await orderRepo.get(order.id))!;
    expect(recorded.status).toBe('CANCELLED');
    expect(recorded.transactionId).toBeTruthy();
    await drainReactions();
    const after = (await orderRepo.get(order.id))!;
    expect(after.status).toBe('REFUNDING');
    expect(after.paidFen).toBe(order.payableFen);
    expect(await stockOf('p-late-2', sku)).toEqual({ stock: 0, sold: 1 });
    const refunds = await refundRepo.forOrder(order.id);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ reason: 'LATE_PAYMENT', amountFen: order.payableFen, full: true });
    // The replay of the same notification changes nothing.
    expect((await deliver(n)).statusCode).toBe(204);
    await drainReactions();
    expect(await refundRepo.forOrder(order.id)).toHaveLength(1);
    // WeChat pays the refund and says so; the order ends 已退款.
    const sandbox = await sandboxWechatPay();
    expect((await sandbox.completeRefund(refunds[0].outRefundNo, 'SUCCESS', Date.now())).delivered).toBe(false);
    const refundNote = sandbox.server.buildRefundNotification((await dynamoSandboxStore().getRefund(refunds[0].outRefundNo))!, Date.now());
    expect((await deliver(refundNote, refundNotify)).statusCode).toBe(204);
    const done = await call(orders.getOrder, { token: a.token, params: { orderId: order.id } });
    expect(done.body).toMatchObject({ status: 'REFUNDED', statusLabel: '已退款', refundedFen: order.payableFen });
    expect(done.body.refunds).toEqual([expect.objectContaining({ status: 'REFUNDED', statusLabel: '已退款', amountFen: order.payableFen })]);
  });
});

describe('owed refunds that WeChat closes', () => {
  it('tries again by itself with a new out_refund_no when the shop owes the money, until it is paid', async () => {
    const [sku] = await testProduct('p-late-3', 1);
    const a = await shopper('late-3a');
    const b = await shopper('late-3b');
    const order = await buyNow(a, 'p-late-3', sku);
    await expireOrder(order.id, order.deadlineAt + 1);
    await buyNow(b, 'p-late-3', sku); // the released unit is sold to someone else: the late payment is owed back
    expect((await deliver(paidNotification(order, await payAtWechat(order, a.userId)))).statusCode).toBe(204);
    await drainReactions();
    const [first] = await refundRepo.forOrder(order.id);
    expect(first).toMatchObject({ reason: 'LATE_PAYMENT', status: 'REFUNDING' });

    // WeChat closes it: the amount is released, and the stream starts the next attempt at once.
    const sandbox = await sandboxWechatPay();
    await sandbox.completeRefund(first.outRefundNo, 'CLOSED', Date.now());
    const closedNote = sandbox.server.buildRefundNotification((await dynamoSandboxStore().getRefund(first.outRefundNo))!, Date.now());
    expect((await deliver(closedNote, refundNotify)).statusCode).toBe(204);
    await drainReactions();
    const attempts = await refundRepo.forOrder(order.id);
    expect(attempts).toHaveLength(2);
    const second = attempts.find((r) => r.outRefundNo !== first.outRefundNo)!;
    expect(second).toMatchObject({ reason: 'LATE_PAYMENT', status: 'REFUNDING', amountFen: order.payableFen });
    expect(second.outRefundNo).toBe(`${first.outRefundNo}-R2`);
    expect((await orderRepo.get(order.id))!).toMatchObject({ status: 'REFUNDING', refundedFen: order.payableFen });

    // The replayed CLOSED notification starts nothing more; the new attempt is paid and the order ends 已退款.
    expect((await deliver(closedNote, refundNotify)).statusCode).toBe(204);
    await drainReactions();
    expect(await refundRepo.forOrder(order.id)).toHaveLength(2);
    await sandbox.completeRefund(second.outRefundNo, 'SUCCESS', Date.now());
    const paidNote = sandbox.server.buildRefundNotification((await dynamoSandboxStore().getRefund(second.outRefundNo))!, Date.now());
    expect((await deliver(paidNote, refundNotify)).statusCode).toBe(204);
    expect((await orderRepo.get(order.id))!).toMatchObject({ status: 'REFUNDED', refundedFen: order.payableFen, paidFen: order.payableFen });
  });
});
