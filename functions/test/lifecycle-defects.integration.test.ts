/**
 * One regression test per money hole of the order lifecycle, through the Lambda handlers on DynamoDB Local with the
 * WeChat Pay sandbox speaking the real v3 protocol. Reactions to table changes (seats, owed refunds) run from the
 * table's real stream (drainReactions), as Lambda runs them.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cancelBlockedReason, shopperActions } from '@shop/shared';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { buyNow, shopper, stockOf, testProduct, type Shopper } from '../../tests/support/shop';
import { drainReactions } from '../../tests/support/stream';
import { db, injectFaults, table } from '../src/lib/dynamo';
import { keys } from '../src/repositories/keys';
import { groupRepo } from '../src/repositories/group-repo';
import { orderRepo } from '../src/repositories/order-repo';
import { paymentRepo } from '../src/repositories/payment-repo';
import { refundRepo } from '../src/repositories/refund-repo';
import { userRepo } from '../src/repositories/user-repo';
import { expireOrder } from '../src/services/payment';
import { dailyReport, reconcile } from '../src/services/reconcile';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore, type SandboxTransaction } from '../src/providers/wechat-pay/sandbox-store';
import * as orders from '../src/handlers/orders';
import * as groups from '../src/handlers/groups';
import { notify, refundNotify } from '../src/handlers/pay-notify';

const deal = (id: string, productId: string, size: number) => `
  - id: ${id}
    name: 测试拼团
    type: group_deal
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    productId: ${productId}
    skus:
      - { skuId: ${productId.replace(/^p-/, 'sku-')}-sku0, groupPriceFen: 3990, leaderPriceFen: 3490 }
    groupSize: ${size}
    timeLimitMinutes: 60
    stockQuota: 500
    perUserLimit: 2
    onFull: refund
    robotFill: false
    leaderFree: false
`;

const today = () => new Date().toISOString().slice(0, 10);
const MINUTE = 60_000;

/** WeChat's order queries for one out_trade_no, counted where the sandbox reads its transaction. */
const sandboxReads = new Map<string, number>();

beforeAll(async () => {
  await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'groups.yaml': `campaigns:${deal('gd-cancel', 'p-gd-cancel', 3)}${deal('gd-seat', 'p-gd-seat', 2)}` }) });
  await testProduct('p-gd-cancel', 100, 5900);
  await testProduct('p-gd-seat', 100, 5900);
  db().middlewareStack.add(
    (next, context) => async (args) => {
      if (/^Get(Item)?Command$/.test(String(context.commandName))) {
        const m = /WXSANDBOX#([0-9A-Za-z]+)"/.exec(JSON.stringify(args.input));
        if (m) sandboxReads.set(m[1], (sandboxReads.get(m[1]) ?? 0) + 1);
      }
      return next(args);
    },
    { step: 'initialize', name: 'testSandboxReads' },
  );
});
afterEach(() => injectFaults(undefined));

async function openid(s: Shopper): Promise<string> {
  return (await userRepo.get(s.userId))!.openid;
}

/** WeChat's notification reaching POST /v1/pay/notify (or /refund-notify). */
async function post(n: { headers: Record<string, string>; body: string }, handler = notify): Promise<number> {
  return (await call(handler as never, { headers: n.headers, rawBody: n.body })).status;
}

/** The shopper opens the prepay through the API and pays it in the sandbox; the notification does not arrive. */
async function payAtWechat(s: Shopper, orderId: string): Promise<SandboxTransaction> {
  const pay = await call(orders.payOrder, { token: s.token, params: { orderId } });
  expect(pay.status).toBe(200);
  const sent = await (await sandboxWechatPay()).simulateUserPayment(pay.body.prepayId, 'pay', Date.now(), await openid(s));
  // The notify URL of the tests is unreachable: WeChat keeps it for its re-sends.
  expect(sent.delivered).toBe(false);
  return (await dynamoSandboxStore().get(orderId))!;
}

/** Paid at WeChat and WeChat's signed notification answered 204. */
async function pay(s: Shopper, orderId: string) {
  const tx = await payAtWechat(s, orderId);
  expect(await post((await sandboxWechatPay()).server.buildNotification(tx, Date.now()))).toBe(204);
  const order = (await orderRepo.get(orderId))!;
  expect(order).toMatchObject({ status: 'PAID', transactionId: tx.transactionId });
  return order;
}

async function groupOrder(s: Shopper, campaignId: string, groupToken?: string) {
  const skuId = campaignId === 'gd-cancel' ? 'sku-gd-cancel-sku0' : 'sku-gd-seat-sku0';
  const r = await call(groups.createGroupOrder, {
    token: s.token,
    body: { idempotencyKey: idempotencyKey(), campaignId, skuId, addressId: s.addressId, ...(groupToken ? { groupToken } : {}) },
  });
  expect(r.status).toBe(201);
  return r.body as { id: string; payableFen: number };
}

async function view(s: Shopper, orderId: string) {
  const r = await call(orders.getOrder, { token: s.token, params: { orderId } });
  expect(r.status).toBe(200);
  return r.body;
}

describe('a paid group-buy member cannot cancel', () => {
  const OPEN_REASON = '拼团进行中，暂不能取消；未成团将自动全额退款';
  const SUCCESS_REASON = '拼团已成功，订单将按时发货；如需退货请在收货后申请售后';

  async function refusedCancel(s: Shopper, orderId: string, reason: string) {
    const before = (await orderRepo.get(orderId))!;
    const r = await call(orders.cancelOrder, { token: s.token, params: { orderId } });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ code: 'ORDER_STATE_CONFLICT', message: reason });
    const after = (await orderRepo.get(orderId))!;
    expect(after).toMatchObject({ status: 'PAID', refundedFen: before.refundedFen ?? 0, group: before.group });
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(await refundRepo.forOrder(orderId)).toEqual([]);
    // The page gets no cancel button and the reason instead.
    const v = await view(s, orderId);
    expect(shopperActions(v)).toEqual([]);
    expect(cancelBlockedReason(v)).toBe(reason);
  }

  it('refuses while the group is open (and before the seat is decided), and after it succeeded; nothing is refunded, the seat is kept', async () => {
    const [a, b, c] = await Promise.all(['gc-a', 'gc-b', 'gc-c'].map((n) => shopper(n)));
    const leader = await groupOrder(a, 'gd-cancel');
    await pay(a, leader.id);
    // Paid, seat not decided yet (the stream has not run).
    await refusedCancel(a, leader.id, OPEN_REASON);
    await drainReactions();
    const opened = (await orderRepo.get(leader.id))!;
    expect(opened.group).toMatchObject({ status: 'OPEN' });
    const groupId = opened.group!.groupId!;
    await refusedCancel(a, leader.id, OPEN_REASON);
    expect((await groupRepo.get(groupId))!.item).toMatchObject({ status: 'OPEN', memberCount: 1 });

    const bo = await groupOrder(b, 'gd-cancel', opened.group!.token!);
    const co = await groupOrder(c, 'gd-cancel', opened.group!.token!);
    await pay(b, bo.id);
    await drainReactions();
    await refusedCancel(b, bo.id, OPEN_REASON);
    await pay(c, co.id);
    await drainReactions();
    expect((await groupRepo.get(groupId))!.item).toMatchObject({ status: 'SUCCESS', memberCount: 3 });
    for (const [s, id] of [[a, leader.id], [b, bo.id], [c, co.id]] as const) {
      expect((await orderRepo.get(id))!.group).toMatchObject({ status: 'SUCCESS' });
      await refusedCancel(s, id, SUCCESS_REASON);
    }
    await drainReactions();
    const g = (await groupRepo.get(groupId))!;
    expect(g.item).toMatchObject({ status: 'SUCCESS', memberCount: 3 });
    expect(g.members.filter((m) => !m.robot)).toHaveLength(3);
    expect(await stockOf('p-gd-cancel', 'sku-gd-cancel-sku0')).toEqual({ stock: 97, sold: 3 });
  });

  it('still cancels an ordinary paid order with a full refund and the stock back', async () => {
    const [sku] = await testProduct('p-plain-cancel', 5, 4200);
    const s = await shopper('plain-cancel');
    const order = await buyNow(s, 'p-plain-cancel', sku, 2);
    const paid = await pay(s, order.id);
    expect(shopperActions(await view(s, order.id))).toEqual(['CANCEL_PAID']);
    const r = await call(orders.cancelOrder, { token: s.token, params: { orderId: order.id } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'REFUNDING', refundedFen: paid.paidFen });
    expect(await refundRepo.forOrder(order.id)).toEqual([expect.objectContaining({ reason: 'CANCELLED_AFTER_PAY', amountFen: paid.paidFen, full: true })]);
    expect(await stockOf('p-plain-cancel', sku)).toEqual({ stock: 5, sold: 0 });
  });
});

describe('a payer refused a seat never loses the refund', () => {
  it('does not mark the seat refused when the refund cannot be written; the redelivered change refunds exactly once', async () => {
    const [a, b, c] = await Promise.all(['gs-a', 'gs-b', 'gs-c'].map((n) => shopper(n)));
    const leader = await groupOrder(a, 'gd-seat');
    await pay(a, leader.id);
    await drainReactions();
    const token = (await orderRepo.get(leader.id))!.group!.token!;
    const bo = await groupOrder(b, 'gd-seat', token);
    const co = await groupOrder(c, 'gd-seat', token); // placed while the seat was free
    await pay(b, bo.id);
    await drainReactions(); // b takes the last seat: the group succeeds
    const late = await pay(c, co.id);

    // Every write of the refund fails (DynamoDB throttles the transaction that carries it, retries included).
    injectFaults((command) => command.startsWith('TransactWrite'));
    await drainReactions();
    injectFaults(undefined);
    const stuck = (await orderRepo.get(co.id))!;
    expect(stuck).toMatchObject({ status: 'PAID', refundedFen: 0, group: expect.objectContaining({ status: 'PENDING' }) });
    expect(await refundRepo.forOrder(co.id)).toEqual([]);

    // The stream delivers the change again.
    await drainReactions();
    await drainReactions();
    const refunded = (await orderRepo.get(co.id))!;
    expect(refunded).toMatchObject({ status: 'REFUNDING', refundedFen: late.paidFen, group: expect.objectContaining({ status: 'FAILED' }) });
    const refunds = await refundRepo.forOrder(co.id);
    expect(refunds).toEqual([expect.objectContaining({ reason: 'GROUP_FULL', amountFen: late.paidFen, full: true })]);
    expect((await dynamoSandboxStore().getRefund(refunds[0].outRefundNo))!.refundFen).toBe(late.paidFen);
    expect((await groupRepo.get(`g${leader.id}`))!.item).toMatchObject({ status: 'SUCCESS', memberCount: 2 });
  });

  it('reconciliation refunds a payment owed back whose stream reaction never ran', async () => {
    const [sku] = await testProduct('p-owed', 5, 2600);
    const s = await shopper('owed');
    const order = await buyNow(s, 'p-owed', sku);
    await pay(s, order.id);
    await drainReactions();
    const sandbox = await sandboxWechatPay();
    const { transaction: second } = await sandbox.server.simulateAnotherPayment(order.id, Date.now());
    expect(await post(sandbox.server.buildNotification(second, Date.now()))).toBe(204);
    // The reaction that would refund it does not run (the stream is not drained).
    expect(await paymentRepo.refundsDue(Date.now())).toEqual([expect.objectContaining({ orderId: order.id, transactionId: second.transactionId, disposition: 'REFUND_DUE' })]);
    expect(await refundRepo.forOrder(order.id)).toEqual([]);
    const owedDay = await dailyReport(today(), Date.now() + 6 * MINUTE);
    expect(owedDay.report.mismatches).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'PAYMENT_OWED', orderId: order.id })]));

    const summary = await reconcile(Date.now() + 6 * MINUTE);
    expect(summary).toMatchObject({ owedChecked: 1, owedRefunded: 1 });
    const no = `D${second.transactionId}`;
    expect(await refundRepo.forOrder(order.id)).toEqual([expect.objectContaining({ outRefundNo: no, amountFen: second.amountFen, status: 'REFUNDING' })]);
    expect((await paymentRepo.forOrder(order.id)).find((p) => p.transactionId === second.transactionId)).toMatchObject({ disposition: 'REFUND_STARTED', outRefundNo: no });
    // The late reaction, and the next run, start nothing more.
    await drainReactions();
    expect(await reconcile(Date.now() + 6 * MINUTE)).toMatchObject({ owedChecked: 0 });
    expect(await refundRepo.forOrder(order.id)).toHaveLength(1);
    expect((await dynamoSandboxStore().getRefund(no))!).toMatchObject({ transactionId: second.transactionId, refundFen: second.amountFen });
  });
});

describe("settling from WeChat's order query checks what a notification is checked for", () => {
  /** WeChat's side says something else about the payment than our order (the sandbox's own record, changed). */
  async function wechatRecords(orderId: string, set: Partial<Pick<SandboxTransaction, 'amountFen' | 'appid' | 'mchid'>>) {
    const [name, value] = Object.entries(set)[0];
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.sandboxPayment(orderId),
        UpdateExpression: 'SET #f = :v',
        ExpressionAttributeNames: { '#f': name },
        ExpressionAttributeValues: { ':v': value },
      }),
    );
  }

  it('never marks PAID a payment whose amount or appid differs, by 主动查单, reconciliation or the timeout; the mismatch is recorded and reported', async () => {
    const [sku] = await testProduct('p-query-mismatch', 10, 3100);
    const s = await shopper('query-mismatch');
    const cases = [
      { set: { amountFen: 1 }, outcome: 'AMOUNT_MISMATCH' },
      { set: { appid: 'wxother0000000001' }, outcome: 'APPID_MISMATCH' },
      { set: { mchid: '1900000001' }, outcome: 'MCHID_MISMATCH' },
    ];
    const placed: { id: string; deadlineAt: number; outcome: string }[] = [];
    for (const c of cases) {
      const order = await buyNow(s, 'p-query-mismatch', sku);
      await payAtWechat(s, order.id);
      await wechatRecords(order.id, c.set);
      placed.push({ id: order.id, deadlineAt: order.deadlineAt, outcome: c.outcome });
    }
    for (const p of placed) {
      const before = sandboxReads.get(p.id) ?? 0;
      expect((await view(s, p.id)).status).toBe('PENDING_PAYMENT'); // 主动查单
      expect((sandboxReads.get(p.id) ?? 0) - before).toBe(1);
    }
    await reconcile(Date.now() + 6 * MINUTE);
    for (const p of placed) {
      await expireOrder(p.id, p.deadlineAt + 1).catch(() => 'refused');
      const o = (await orderRepo.get(p.id))!;
      expect(o.status).toBe('PENDING_PAYMENT');
      expect(o.transactionId ?? null).toBeNull();
      expect(await paymentRepo.forOrder(p.id)).toEqual([]);
    }
    // Stock stays held: WeChat holds money for these orders; an operator decides.
    expect(await stockOf('p-query-mismatch', sku)).toEqual({ stock: 7, sold: 3 });

    const recorded = await paymentRepo.notificationsOn(today());
    const { report } = await dailyReport(today(), Date.now());
    for (const p of placed) {
      expect(recorded).toEqual(expect.arrayContaining([expect.objectContaining({ outTradeNo: p.id, source: 'query', outcome: p.outcome })]));
      expect(report.mismatches).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'NOTIFICATION', orderId: p.id, detail: p.outcome })]));
    }
  });
});

describe('a second successful payment of a paid order', () => {
  it('is refunded automatically on its own transaction, the order untouched; a replay changes nothing; the report says so', async () => {
    const [sku] = await testProduct('p-second', 5, 4500);
    const s = await shopper('second');
    const order = await buyNow(s, 'p-second', sku);
    const paid = await pay(s, order.id);
    await drainReactions();
    const sandbox = await sandboxWechatPay();
    const { transaction: second, delivered } = await sandbox.server.simulateAnotherPayment(order.id, Date.now());
    expect(delivered).toBe(false); // the tests' notify URL is unreachable: delivered by hand below
    expect(second).toMatchObject({ outTradeNo: order.id, tradeState: 'SUCCESS', amountFen: paid.paidFen });
    expect(second.transactionId).not.toBe(paid.transactionId);
    const notification = sandbox.server.buildNotification(second, Date.now());
    expect(await post(notification)).toBe(204);
    expect(await paymentRepo.forOrder(order.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ transactionId: second.transactionId, kind: 'SECOND', disposition: 'REFUND_DUE', amountFen: paid.paidFen })]),
    );

    await drainReactions();
    const no = `D${second.transactionId}`;
    const [refund] = await refundRepo.forOrder(order.id);
    expect(await refundRepo.forOrder(order.id)).toHaveLength(1);
    expect(refund).toMatchObject({ outRefundNo: no, reason: 'DUPLICATE_PAYMENT', amountFen: paid.paidFen, status: 'REFUNDING', paymentTransactionId: second.transactionId });
    // WeChat refunds that transaction, not the order's own payment.
    expect(await dynamoSandboxStore().getRefund(no)).toMatchObject({ transactionId: second.transactionId, refundFen: paid.paidFen, status: 'PROCESSING' });
    expect((await dynamoSandboxStore().get(order.id))!.refundedFen ?? 0).toBe(0);
    expect((await orderRepo.get(order.id))!).toMatchObject({ status: 'PAID', refundedFen: 0, transactionId: paid.transactionId });

    await sandbox.completeRefund(no, 'SUCCESS', Date.now());
    const success = sandbox.server.buildRefundNotification((await dynamoSandboxStore().getRefund(no))!, Date.now());
    expect(await post(success, refundNotify)).toBe(204);
    expect((await refundRepo.forOrder(order.id))[0]).toMatchObject({ outRefundNo: no, status: 'REFUNDED' });
    const after = (await orderRepo.get(order.id))!;
    expect(after).toMatchObject({ status: 'PAID', refundedFen: 0, paidFen: paid.paidFen });
    expect((await sandbox.queryByOutTradeNo(order.id)).tradeState).toBe('SUCCESS');
    expect((await view(s, order.id)).status).toBe('PAID');

    // WeChat re-sends the second payment's notification (freshly signed): nothing changes.
    expect(await post(sandbox.server.buildNotification(second, Date.now()))).toBe(204);
    expect(await post(notification)).toBe(204);
    await drainReactions();
    expect(await refundRepo.forOrder(order.id)).toHaveLength(1);
    expect(await paymentRepo.forOrder(order.id)).toHaveLength(2);
    expect((await orderRepo.get(order.id))!).toEqual(after);

    const { report, summary } = await dailyReport(today(), Date.now());
    expect(report.owedPayments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orderId: order.id, transactionId: second.transactionId, kind: 'SECOND', amountFen: paid.paidFen, outRefundNo: no, refundStatus: 'REFUNDED' }),
      ]),
    );
    expect(summary.split('\n')[0]).toMatch(/重复付款退回 \d+ 笔 [\d.]+ 元/);
    expect(summary).toContain(`[重复付款] 订单 ${order.id} 交易 ${second.transactionId}: ${(paid.paidFen! / 100).toFixed(2)} 元，退款 ${no} (REFUNDED)`);
  });

  it('makes exactly one refund of 50 concurrent deliveries of the same second payment', async () => {
    const [sku] = await testProduct('p-second-50', 5, 1500);
    const s = await shopper('second-50');
    const order = await buyNow(s, 'p-second-50', sku);
    await pay(s, order.id);
    await drainReactions();
    const sandbox = await sandboxWechatPay();
    const { transaction: second } = await sandbox.server.simulateAnotherPayment(order.id, Date.now());
    // Each delivery is retried like WeChat retries while the answer is not 2xx.
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async () => {
        let status = 0;
        for (let i = 0; i < 8 && status !== 204; i++) status = await post(sandbox.server.buildNotification(second, Date.now()));
        return status;
      }),
    );
    expect(statuses.every((x) => x === 204)).toBe(true);
    await drainReactions();
    const refunds = await refundRepo.forOrder(order.id);
    expect(refunds).toEqual([expect.objectContaining({ outRefundNo: `D${second.transactionId}`, amountFen: second.amountFen })]);
    expect((await paymentRepo.forOrder(order.id)).filter((p) => p.kind === 'SECOND')).toHaveLength(1);
    expect((await orderRepo.get(order.id))!).toMatchObject({ status: 'PAID', refundedFen: 0 });
  });
});

describe('主动查单: the order page asks WeChat when the notification is lost', () => {
  it('shows PAID at once after the shopper paid, with no notification at all', async () => {
    const [sku] = await testProduct('p-query-paid', 5, 2800);
    const s = await shopper('query-paid');
    const order = await buyNow(s, 'p-query-paid', sku);
    const tx = await payAtWechat(s, order.id);
    expect((await orderRepo.get(order.id))!.status).toBe('PENDING_PAYMENT');
    const v = await view(s, order.id);
    expect(v).toMatchObject({ status: 'PAID', transactionId: tx.transactionId, paidFen: order.payableFen });
    expect(await paymentRepo.forOrder(order.id)).toEqual([expect.objectContaining({ transactionId: tx.transactionId, kind: 'FIRST', source: 'query' })]);
    // The notification that arrives later changes nothing.
    expect(await post((await sandboxWechatPay()).server.buildNotification(tx, Date.now()))).toBe(204);
    expect(await paymentRepo.forOrder(order.id)).toHaveLength(1);
  });

  it('asks WeChat at most once per 3 s for one order, however many reads', async () => {
    const [sku] = await testProduct('p-query-spacing', 5, 2800);
    const s = await shopper('query-spacing');
    const order = await buyNow(s, 'p-query-spacing', sku);
    const prepay = await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
    const reads = () => sandboxReads.get(order.id) ?? 0;

    let before = reads();
    expect((await view(s, order.id)).status).toBe('PENDING_PAYMENT');
    expect(reads() - before).toBe(1); // asked: not paid yet
    const firstQueryAt = Date.now();
    await (await sandboxWechatPay()).simulateUserPayment(prepay.body.prepayId, 'pay', Date.now(), await openid(s));

    before = reads();
    const soon = await Promise.all(Array.from({ length: 10 }, () => view(s, order.id)));
    expect(Date.now() - firstQueryAt).toBeLessThan(3000);
    expect(reads() - before).toBe(0); // within 3 s: not asked again
    expect(soon.every((x) => x.status === 'PENDING_PAYMENT')).toBe(true);

    await new Promise((r) => setTimeout(r, 3100 - (Date.now() - firstQueryAt)));
    before = reads();
    await Promise.all(Array.from({ length: 10 }, () => view(s, order.id)));
    expect(reads() - before).toBe(1); // ten reads at once: one query
    expect((await view(s, order.id)).status).toBe('PAID');
  });
});
