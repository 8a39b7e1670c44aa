import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { buyNow, shopper, stockOf, testProduct, type Shopper } from '../../tests/support/shop';
import { orderRepo } from '../src/repositories/order-repo';
import { userRepo } from '../src/repositories/user-repo';
import { refundRepo } from '../src/repositories/refund-repo';
import { requestRefund, resolveAbnormalRefund } from '../src/services/refunds';
import { dailyReport } from '../src/services/reconcile';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import * as orders from '../src/handlers/orders';
import { notify, refundNotify } from '../src/handlers/pay-notify';

const deliver = (n: { headers: Record<string, string>; body: string }, handler = notify) =>
  handler({ headers: n.headers, body: n.body, isBase64Encoded: false, requestContext: { requestId: 'wx' } }, { getRemainingTimeInMillis: () => 10_000 } as never);

/** A paid order: prepay through the API, the shopper pays in the sandbox, WeChat's signed notification delivered. */
async function paidOrder(s: Shopper, productId: string, sku: string, quantity = 1) {
  const order = await buyNow(s, productId, sku, quantity);
  const pay = await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
  expect(pay.status).toBe(200);
  const sandbox = await sandboxWechatPay();
  const openid = (await userRepo.get(s.userId))!.openid;
  await sandbox.simulateUserPayment(pay.body.prepayId, 'pay', Date.now(), openid);
  const tx = (await dynamoSandboxStore().get(order.id))!;
  expect((await deliver(sandbox.server.buildNotification(tx, Date.now()))).statusCode).toBe(204);
  const paid = (await orderRepo.get(order.id))!;
  expect(paid).toMatchObject({ status: 'PAID', paidFen: order.payableFen, refundedFen: 0 });
  return paid;
}

/** WeChat ends the refund (sandbox) and its signed REFUND.* notification reaches our refund-notify handler. */
async function wechatEnds(outRefundNo: string, outcome: 'SUCCESS' | 'ABNORMAL' | 'CLOSED') {
  const sandbox = await sandboxWechatPay();
  await sandbox.completeRefund(outRefundNo, outcome, Date.now());
  const note = sandbox.server.buildRefundNotification((await dynamoSandboxStore().getRefund(outRefundNo))!, Date.now());
  const answer = await deliver(note, refundNotify);
  expect(answer.statusCode).toBe(204);
  return note;
}

async function snapshot(orderId: string) {
  const o = (await orderRepo.get(orderId))!;
  return { status: o.status, refundedFen: o.refundedFen, refundedLines: o.refundedLines, refunds: await refundRepo.forOrder(orderId) };
}

/** Amounts of the refunds above, for the report. */
let closedFen = 0;
let resolvedFen = 0;
let twiceFen = 0;

const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  await freshTable();
});

describe('a refund WeChat closes', () => {
  it('gives the order back to PAID with nothing counted, and cancelling again refunds under a new out_refund_no', async () => {
    const [sku] = await testProduct('p-rx-closed', 5, 4900);
    const s = await shopper('rx-closed');
    const order = await paidOrder(s, 'p-rx-closed', sku);
    expect(await stockOf('p-rx-closed', sku)).toEqual({ stock: 4, sold: 1 });

    const cancel = await call(orders.cancelOrder, { token: s.token, params: { orderId: order.id } });
    const paid = order.paidFen!;
    expect(cancel.body).toMatchObject({ status: 'REFUNDING', refundedFen: paid });
    const [first] = await refundRepo.forOrder(order.id);
    expect(first).toMatchObject({ status: 'REFUNDING', fromStatus: 'PAID', amountFen: paid });
    expect(await stockOf('p-rx-closed', sku)).toEqual({ stock: 5, sold: 0 });

    const closed = await wechatEnds(first.outRefundNo, 'CLOSED');
    const after = await snapshot(order.id);
    expect(after).toMatchObject({ status: 'PAID', refundedFen: 0 });
    expect(after.refunds).toEqual([expect.objectContaining({ outRefundNo: first.outRefundNo, status: 'CLOSED', released: true })]);
    // The unit stays on sale (it may be sold already); it is not put on sale twice later.
    expect(await stockOf('p-rx-closed', sku)).toEqual({ stock: 5, sold: 0 });

    // The replay of the CLOSED notification changes nothing.
    expect((await deliver(closed, refundNotify)).statusCode).toBe(204);
    expect(await snapshot(order.id)).toEqual(after);

    // The shopper cancels again: a new attempt, deterministic, and a retried request is the same attempt.
    const again = await call(orders.cancelOrder, { token: s.token, params: { orderId: order.id } });
    expect(again.body).toMatchObject({ status: 'REFUNDING', refundedFen: paid });
    await requestRefund(order.id, { reason: 'CANCELLED_AFTER_PAY', restock: true }, Date.now());
    const refunds = await refundRepo.forOrder(order.id);
    expect(refunds.map((r) => [r.outRefundNo, r.status])).toEqual([
      [first.outRefundNo, 'CLOSED'],
      [`${first.outRefundNo}-R2`, 'REFUNDING'],
    ]);
    expect(await stockOf('p-rx-closed', sku)).toEqual({ stock: 5, sold: 0 });

    const success = await wechatEnds(`${first.outRefundNo}-R2`, 'SUCCESS');
    const done = await call(orders.getOrder, { token: s.token, params: { orderId: order.id } });
    expect(done.body).toMatchObject({ status: 'REFUNDED', refundedFen: paid });
    closedFen = paid;
    expect(await stockOf('p-rx-closed', sku)).toEqual({ stock: 5, sold: 0 });
    // Replays of either notification change nothing.
    const final = await snapshot(order.id);
    expect((await deliver(success, refundNotify)).statusCode).toBe(204);
    expect((await deliver(closed, refundNotify)).statusCode).toBe(204);
    expect(await snapshot(order.id)).toEqual(final);
  });
});

describe('a refund that ends ABNORMAL', () => {
  it('is released, and when the merchant resolves it and WeChat pays it, it is counted once and the order is REFUNDED', async () => {
    const [sku] = await testProduct('p-rx-abn', 3, 3300);
    const s = await shopper('rx-abnormal');
    const order = await paidOrder(s, 'p-rx-abn', sku);
    await call(orders.cancelOrder, { token: s.token, params: { orderId: order.id } });
    const [refund] = await refundRepo.forOrder(order.id);

    const abnormal = await wechatEnds(refund.outRefundNo, 'ABNORMAL');
    expect(await snapshot(order.id)).toMatchObject({ status: 'PAID', refundedFen: 0, refunds: [expect.objectContaining({ status: 'ABNORMAL', released: true })] });
    const view = await call(orders.getOrder, { token: s.token, params: { orderId: order.id } });
    expect(view.status).toBe(200);
    expect((await deliver(abnormal, refundNotify)).statusCode).toBe(204);
    expect((await snapshot(order.id)).refundedFen).toBe(0);

    // 发起异常退款 (to the merchant's account), through the real signed API; WeChat then pays the same out_refund_no.
    await resolveAbnormalRefund(order.id, refund.outRefundNo, { type: 'MERCHANT_BANK_CARD' });
    expect((await (await sandboxWechatPay()).queryRefund(refund.outRefundNo)).status).toBe('PROCESSING');
    const success = await wechatEnds(refund.outRefundNo, 'SUCCESS');
    const after = await snapshot(order.id);
    expect(after).toMatchObject({ status: 'REFUNDED', refundedFen: order.paidFen });
    resolvedFen = order.paidFen!;
    expect(after.refunds).toEqual([expect.objectContaining({ status: 'REFUNDED', released: false })]);
    expect(await stockOf('p-rx-abn', sku)).toEqual({ stock: 3, sold: 0 });

    // Replays: the SUCCESS twice, the old ABNORMAL once more — counted once.
    expect((await deliver(success, refundNotify)).statusCode).toBe(204);
    expect((await deliver(abnormal, refundNotify)).statusCode).toBe(204);
    expect(await snapshot(order.id)).toEqual(after);
  });

  it('paid by WeChat after a new attempt already gave the same units back: recorded as paid twice, never counted twice', async () => {
    const [sku] = await testProduct('p-rx-twice', 10, 2500);
    const s = await shopper('rx-twice');
    const order = await paidOrder(s, 'p-rx-twice', sku, 2);
    const req = { reason: 'AFTER_SALE' as const, lines: [{ skuId: sku, quantity: 1 }], restock: true, sequence: 1 };

    const old = await requestRefund(order.id, req, Date.now());
    const unit = Math.floor(order.lines[0].payableFen / 2);
    twiceFen = unit;
    expect(old).toMatchObject({ status: 'REFUNDING', amountFen: unit });
    expect(await stockOf('p-rx-twice', sku)).toEqual({ stock: 9, sold: 1 });
    const abnormal = await wechatEnds(old.outRefundNo, 'ABNORMAL');
    expect(await snapshot(order.id)).toMatchObject({ status: 'PAID', refundedFen: 0, refundedLines: { [sku]: { quantity: 0, fen: 0 } } });

    // The same refund asked again: attempt 2, which WeChat pays.
    const second = await requestRefund(order.id, req, Date.now());
    expect(second.outRefundNo).toBe(`${old.outRefundNo}-R2`);
    expect(await stockOf('p-rx-twice', sku)).toEqual({ stock: 9, sold: 1 }); // the unit went back on sale once
    await wechatEnds(second.outRefundNo, 'SUCCESS');
    expect(await snapshot(order.id)).toMatchObject({ refundedFen: unit, refundedLines: { [sku]: { quantity: 1, fen: unit } } });

    // Then the old one is resolved and paid as well: money went out twice.
    await resolveAbnormalRefund(order.id, old.outRefundNo, { type: 'MERCHANT_BANK_CARD' });
    const late = await wechatEnds(old.outRefundNo, 'SUCCESS');
    const after = await snapshot(order.id);
    expect(after.refundedFen).toBe(unit);
    expect(after.refundedFen).toBeLessThanOrEqual(order.paidFen!);
    expect(after.refundedLines[sku]).toEqual({ quantity: 1, fen: unit });
    expect(after.refunds.find((r) => r.outRefundNo === old.outRefundNo)).toMatchObject({ status: 'REFUNDED', paidTwice: true, released: true });
    expect(await stockOf('p-rx-twice', sku)).toEqual({ stock: 9, sold: 1 });

    expect((await deliver(late, refundNotify)).statusCode).toBe(204);
    expect((await deliver(abnormal, refundNotify)).statusCode).toBe(204);
    expect(await snapshot(order.id)).toEqual(after);
  });
});

describe('the daily reconciliation report', () => {
  it('lists the closed, abnormal and paid-twice refunds with their amounts', async () => {
    const [sku] = await testProduct('p-rx-report', 5, 1800);
    const s = await shopper('rx-report');
    const order = await paidOrder(s, 'p-rx-report', sku);
    await call(orders.cancelOrder, { token: s.token, params: { orderId: order.id } });
    const [open] = await refundRepo.forOrder(order.id);
    await wechatEnds(open.outRefundNo, 'ABNORMAL'); // left unresolved

    const { report, summary } = await dailyReport(today(), Date.now());
    const entries = report.refundExceptions as { outRefundNo: string; kind: string; amountFen: number }[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'CLOSED', amountFen: closedFen }),
        expect.objectContaining({ kind: 'RESOLVED', amountFen: resolvedFen }),
        expect.objectContaining({ kind: 'PAID_TWICE', amountFen: twiceFen }),
        expect.objectContaining({ kind: 'ABNORMAL', amountFen: order.paidFen, outRefundNo: open.outRefundNo }),
      ]),
    );
    expect(report.refundExceptionTotals).toMatchObject({ CLOSED: { count: 1, fen: closedFen }, ABNORMAL: { count: 1, fen: order.paidFen }, PAID_TWICE: { count: 1, fen: twiceFen } });
    expect(report.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'REFUND_FAILED', orderId: order.id }),
        expect.objectContaining({ kind: 'REFUND_TWICE' }),
      ]),
    );
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    expect(summary.split('\n')[0]).toBe(
      `对账日报 ${today()}: 当日订单 ${report.ordersCreated} 笔，向微信支付核对 ${report.ordersChecked} 笔，` +
        `退款关闭 1 笔 ${yuan(closedFen)} 元，退款异常 1 笔 ${yuan(order.paidFen!)} 元，重复退款 1 笔 ${yuan(twiceFen)} 元，差异 ${report.mismatchCount} 条。`,
    );
    expect(summary).toContain(`[重复退款]`);
  });
});
