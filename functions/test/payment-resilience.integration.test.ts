import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { buyNow, shopper, stockOf, testProduct, type Shopper } from '../../tests/support/shop';
import { injectFaults } from '../src/lib/dynamo';
import { orderRepo } from '../src/repositories/order-repo';
import { paymentRepo } from '../src/repositories/payment-repo';
import { refundRepo } from '../src/repositories/refund-repo';
import { userRepo } from '../src/repositories/user-repo';
import { expireOrder } from '../src/services/payment';
import { requestRefund } from '../src/services/refunds';
import { dailyReport, reconcile } from '../src/services/reconcile';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import * as orders from '../src/handlers/orders';
import { notify } from '../src/handlers/pay-notify';
import { drainReactions } from '../../tests/support/stream';

const context = { getRemainingTimeInMillis: () => 10_000 } as never;

/** WeChat delivers a notification and retries while the answer is not 2xx (a few times here instead of a day). */
async function deliverLikeWechat(orderId: string, attempts = 6): Promise<number> {
  const sandbox = await sandboxWechatPay();
  const tx = (await dynamoSandboxStore().get(orderId))!;
  let status = 0;
  for (let i = 0; i < attempts && (status < 200 || status > 299); i++) {
    const n = sandbox.server.buildNotification(tx, Date.now());
    status = (await notify({ headers: n.headers, body: n.body, requestContext: { requestId: `wx-${i}` } }, context)).statusCode;
  }
  return status;
}

async function openid(userId: string): Promise<string> {
  return (await userRepo.get(userId))!.openid;
}

async function paidOrder(s: Shopper, productId: string, skuId: string, quantity: number) {
  const order = await buyNow(s, productId, skuId, quantity);
  const pay = await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
  await (await sandboxWechatPay()).simulateUserPayment(pay.body.prepayId, 'pay', Date.now(), await openid(s.userId));
  expect(await deliverLikeWechat(order.id)).toBe(204);
  expect((await orderRepo.get(order.id))!.status).toBe('PAID');
  return order;
}

beforeAll(async () => {
  await freshTable();
});
afterEach(() => injectFaults(undefined));

describe('refunds under concurrency', () => {
  it('makes one refund of 20 identical concurrent requests, never above what was paid', async () => {
    const [sku] = await testProduct('p-refund-1', 10, 3300);
    const s = await shopper('refund-1');
    const order = await paidOrder(s, 'p-refund-1', sku, 3);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => requestRefund(order.id, { reason: 'CANCELLED_AFTER_PAY', restock: true }, Date.now())),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const refunds = await refundRepo.forOrder(order.id);
    expect(refunds).toHaveLength(1);
    const after = (await orderRepo.get(order.id))!;
    expect(after).toMatchObject({ status: 'REFUNDING', refundedFen: after.paidFen });
    expect(await stockOf('p-refund-1', sku)).toEqual({ stock: 10, sold: 0 });
  });

  it('lets 20 concurrent partial refunds of one unit each give back at most what was paid, each out_refund_no once', async () => {
    const [sku] = await testProduct('p-refund-2', 10, 3333);
    const s = await shopper('refund-2');
    const order = await paidOrder(s, 'p-refund-2', sku, 5);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        requestRefund(order.id, { reason: 'AFTER_SALE', lines: [{ skuId: sku, quantity: 1 }], restock: false, sequence: i + 1 }, Date.now()),
      ),
    );
    const refunds = await refundRepo.forOrder(order.id);
    const after = (await orderRepo.get(order.id))!;
    expect(new Set(refunds.map((r) => r.outRefundNo)).size).toBe(refunds.length);
    expect(refunds.length).toBeLessThanOrEqual(5);
    const total = refunds.reduce((sum, r) => sum + r.amountFen, 0);
    expect(total).toBe(after.refundedFen);
    expect(total).toBeLessThanOrEqual(after.paidFen!);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(refunds.length);
    // WeChat (the sandbox) agrees on the money.
    const wechat = await Promise.all(refunds.map((r) => dynamoSandboxStore().getRefund(r.outRefundNo)));
    expect(wechat.reduce((sum, r) => sum + (r?.refundFen ?? 0), 0)).toBe(total);
  });
});

describe('timeout racing a payment', () => {
  it('ends every one of 100 races either PAID with its stock held or CANCELLED with its stock back (or refunded)', async () => {
    const s = await shopper('racer');
    const open = await openid(s.userId);
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const [sku] = await testProduct(`p-race-${i}`, 5);
      const order = await buyNow(s, `p-race-${i}`, sku);
      const pay = await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
      const sandbox = await sandboxWechatPay();
      // Each side starts after a random few milliseconds, so every interleaving gets its turn.
      const jitter = () => new Promise((r) => setTimeout(r, Math.random() * 40));
      await Promise.all([
        jitter().then(() => expireOrder(order.id, order.deadlineAt + 1)).catch(() => 'failed'),
        jitter()
          .then(() => sandbox.simulateUserPayment(pay.body.prepayId, 'pay', order.deadlineAt - 2000, open))
          .then(() => deliverLikeWechat(order.id))
          .catch(() => 'closed before the payment'),
      ]);
      // Whatever did not settle in the race, the next reconciliation converges.
      await reconcile(order.deadlineAt + 10 * 60_000);
      const ours = (await orderRepo.get(order.id))!;
      const theirs = await sandbox.queryByOutTradeNo(order.id);
      const stock = (await stockOf(`p-race-${i}`, sku)).stock;
      const key = `${ours.status}/${theirs.tradeState}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (ours.status === 'PAID') {
        expect(theirs.tradeState).toBe('SUCCESS');
        expect(stock).toBe(4);
      } else if (ours.status === 'CANCELLED') {
        expect(['CLOSED', 'NOTPAY']).toContain(theirs.tradeState);
        expect(stock).toBe(5);
      } else {
        expect(['REFUNDING', 'REFUNDED']).toContain(ours.status);
        expect(ours.refundedFen).toBe(ours.paidFen);
        expect(stock).toBe(5);
      }
    }
    console.info('timeout/payment race outcomes (ours/WeChat):', outcomes);
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(100);
    // Both interleavings really happened (about half each), so both branches were tested.
    expect(outcomes['PAID/SUCCESS']).toBeGreaterThan(0);
    expect(outcomes['CANCELLED/CLOSED']).toBeGreaterThan(0);
  }, 240_000);
});

describe('faults and crashes', () => {
  it('settles a notification whose first delivery crashed between "WeChat says paid" and "order updated"', async () => {
    const [sku] = await testProduct('p-crash-1', 5);
    const s = await shopper('crash');
    const order = await buyNow(s, 'p-crash-1', sku);
    const pay = await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
    await (await sandboxWechatPay()).simulateUserPayment(pay.body.prepayId, 'pay', Date.now(), await openid(s.userId));
    const tx = (await dynamoSandboxStore().get(order.id))!;
    const n = (await sandboxWechatPay()).server.buildNotification(tx, Date.now());
    // The order's update (now one transaction with the payment record) fails: nothing of it is written.
    injectFaults((command) => /Update|TransactWrite/.test(command));
    const first = await notify({ headers: n.headers, body: n.body, requestContext: { requestId: 'wx-1' } }, context);
    injectFaults(undefined);
    expect(first.statusCode).toBe(500); // WeChat will retry
    expect((await orderRepo.get(order.id))!.status).toBe('PENDING_PAYMENT');
    const retry = await notify({ headers: n.headers, body: n.body, requestContext: { requestId: 'wx-2' } }, context);
    expect(retry.statusCode).toBe(204);
    expect((await orderRepo.get(order.id))!).toMatchObject({ status: 'PAID', transactionId: tx.transactionId });
    expect(await paymentRepo.forOrder(order.id)).toMatchObject([{ transactionId: tx.transactionId, kind: 'FIRST', disposition: 'KEPT' }]);
  });

  // 24 shoppers, every order's stream reactions (seats, points, profiles, drops…) retried through the faults: a few
  // minutes on a busy machine, so this one has more than the suite's minute.
  it('converges every order to exactly one correct state with 10% of DynamoDB calls failing', { timeout: 300_000 }, async () => {
    const N = 24;
    const [sku] = await testProduct('p-faults-1', 1000, 990);
    const shoppers = await Promise.all(Array.from({ length: N }, (_, i) => shopper(`faulty-${i}`)));
    const opens = await Promise.all(shoppers.map((s) => openid(s.userId)));
    const retry = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean, times = 6): Promise<T> => {
      let v = await fn();
      for (let i = 1; i < times && !ok(v); i++) v = await fn();
      return v;
    };
    injectFaults(() => Math.random() < 0.1);
    const placed = await Promise.all(
      shoppers.map(async (s, i) => {
        const body = { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-faults-1', skuId: sku, quantity: 1 + (i % 3) }, addressId: s.addressId };
        const created = await retry(() => call(orders.createOrder, { token: s.token, body }), (r) => r.status < 500);
        if (created.status !== 201) return { i, orderId: null as string | null };
        const orderId = created.body.id as string;
        if (i % 4 === 3) return { i, orderId }; // never paid: must time out
        const pay = await retry(() => call(orders.payOrder, { token: s.token, params: { orderId } }), (r) => r.status < 500);
        if (pay.status !== 200) return { i, orderId };
        const paidAtWechat = await retry(
          () => (async () => (await sandboxWechatPay()).simulateUserPayment(pay.body.prepayId, 'pay', Date.now(), opens[i]).then(() => true))().catch(() => false),
          (v) => v,
        );
        // One in five notifications is lost altogether; the others are retried by WeChat while we answer 5xx.
        if (paidAtWechat && i % 5 !== 0) await deliverLikeWechat(orderId);
        return { i, orderId };
      }),
    );
    // The table's stream reacts while the faults go on (a failed reaction is delivered again) …
    await drainReactions();
    injectFaults(undefined);

    const later = Date.now() + 16 * 60_000;
    await reconcile(later);
    await reconcile(later); // a second run finds nothing left to do
    // … and once they stop, whatever the stream still holds (and what reconciliation changed) is reacted to.
    await drainReactions();

    const sandbox = await sandboxWechatPay();
    let heldUnits = 0;
    for (const p of placed) {
      const s = shoppers[p.i];
      const mine = await call(orders.listOrders, { token: s.token, query: { tab: 'ALL' } });
      // One idempotency key, at most one order, however many retries.
      expect(mine.body.items.length).toBe(p.orderId ? 1 : 0);
      if (!p.orderId) continue;
      const ours = (await orderRepo.get(p.orderId))!;
      const theirs = await sandbox.queryByOutTradeNo(p.orderId);
      if (theirs.tradeState === 'SUCCESS') {
        expect(ours.status).toBe('PAID');
        expect(ours.transactionId).toBe(theirs.transactionId);
        heldUnits += ours.itemCount;
      } else {
        expect(ours.status).toBe('CANCELLED');
      }
      expect(ours.refundedFen).toBe(0);
    }
    const { stock, sold } = await stockOf('p-faults-1', sku);
    expect(stock).toBe(1000 - heldUnits);
    expect(sold).toBe(heldUnits);
    expect(heldUnits).toBeGreaterThan(0);
  });
});

describe('daily reconciliation report', () => {
  it('lists a notification that matched no order, and no difference for settled orders', async () => {
    const [sku] = await testProduct('p-report-1', 10);
    const s = await shopper('report');
    await paidOrder(s, 'p-report-1', sku, 1);
    await paymentRepo.recordNotification('evt-unknown-1', { outTradeNo: '01JUNKNOWN0000000000000000', transactionId: '4200UNKNOWN', outcome: 'UNKNOWN_ORDER' });
    const day = new Date().toISOString().slice(0, 10);
    const { report, summary } = await dailyReport(day, Date.now());
    expect(report.mismatches).toEqual([expect.objectContaining({ kind: 'NOTIFICATION', detail: 'UNKNOWN_ORDER' })]);
    expect(summary).toContain('差异 1 条');
  });
});
