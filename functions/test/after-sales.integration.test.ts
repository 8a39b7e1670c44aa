/**
 * After-sales (售后) through the HTTP handlers on DynamoDB Local and a local S3 server (s3rver): photo uploads by
 * presigned PUT, every path of the request's transition table (shopper and operator routes, deadlines by the sweeper),
 * one open request per line under concurrency, exact partial refunds of an order with a coupon, and privacy.
 * Orders are shipped through the operator API's ship route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { buyNow, shopper, stockOf, testProduct, type Shopper } from '../../tests/support/shop';
import { drainReactions } from '../../tests/support/stream';
import { putPhoto, startS3 } from '../../tests/support/s3';
import { orderRepo } from '../src/repositories/order-repo';
import { userRepo } from '../src/repositories/user-repo';
import { refundRepo } from '../src/repositories/refund-repo';
import { transitionUpdate } from '../src/repositories/order-transitions';
import { transact } from '../src/repositories/transactions';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import { sweepAfterSales } from '../src/services/after-sales';
import { receiveOrder } from '../src/services/fulfilment';
import * as orders from '../src/handlers/orders';
import * as coupons from '../src/handlers/coupons';
import * as groups from '../src/handlers/groups';
import * as api from '../src/handlers/after-sales';
import * as ops from '../src/handlers/ops-after-sales';
import * as orderOps from '../src/handlers/ops';
import { notify, refundNotify } from '../src/handlers/pay-notify';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let s3: Awaited<ReturnType<typeof startS3>>;
let opsKey = '';
const opsHeaders = () => ({ 'x-ops-key': opsKey });

const deliver = (n: { headers: Record<string, string>; body: string }, handler = notify) =>
  handler({ headers: n.headers, body: n.body, isBase64Encoded: false, requestContext: { requestId: 'wx' } }, { getRemainingTimeInMillis: () => 10_000 } as never);

beforeAll(async () => {
  s3 = await startS3();
  const { env } = await freshTable({
    CAMPAIGNS_DIR: campaignFolder({
      'coupons.yaml': `
couponTemplates:
  - id: tpl-as-10
    name: 满50减10
    kind: fixed
    thresholdFen: 5000
    offFen: 1000
    validity: { type: window, start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    totalStock: 1000
campaigns:
  - id: as-claim
    name: 领券中心
    type: coupon_drop
    trigger: claim_center
    templateIds: [tpl-as-10]
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
  - id: as-flash
    name: 售后秒杀
    type: flash_sale
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    items:
      - { productId: p-as-flash, skuId: sku-as-flash-sku0, priceFen: 990, quota: 10, perUserLimit: 5 }
  - id: as-group
    name: 售后拼团
    type: group_deal
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    productId: p-as-group
    skus:
      - { skuId: sku-as-group-sku0, groupPriceFen: 3990 }
    groupSize: 2
    timeLimitMinutes: 60
    stockQuota: 100
    perUserLimit: 2
    onFull: new_group
    robotFill: false
    leaderFree: false
`,
    }),
    RETURN_ADDRESS: '上海市浦东新区测试路 1 号 售后仓',
    RETURN_ADDRESS_NAME: '售后组',
    RETURN_ADDRESS_PHONE: '021-00000000',
    AFTERSALES_APPROVE_UNSHIPPED_HOURS: '24',
    AFTERSALES_APPROVE_DAYS: '3',
    AFTERSALES_RETURN_SHIP_DAYS: '7',
    AFTERSALES_RETURN_RECEIVE_DAYS: '10',
  });
  opsKey = env.OPS_LOCAL_KEY!;
});

afterAll(async () => {
  await s3?.stop();
});

/** A paid order: prepay through the API, the shopper pays in the sandbox, WeChat's signed notification delivered. */
async function paidOrder(s: Shopper, productId: string, sku: string, quantity = 1) {
  const order = await buyNow(s, productId, sku, quantity);
  return pay(s, order.id);
}

async function pay(s: Shopper, orderId: string) {
  const payRes = await call(orders.payOrder, { token: s.token, params: { orderId } });
  expect(payRes.status).toBe(200);
  const sandbox = await sandboxWechatPay();
  const openid = (await userRepo.get(s.userId))!.openid;
  await sandbox.simulateUserPayment(payRes.body.prepayId, 'pay', Date.now(), openid);
  const tx = (await dynamoSandboxStore().get(orderId))!;
  expect((await deliver(sandbox.server.buildNotification(tx, Date.now()))).statusCode).toBe(204);
  const paid = (await orderRepo.get(orderId))!;
  expect(paid.status).toBe('PAID');
  return paid;
}

let trackingSeq = 0;
/** The operator ships the order (one parcel) through the operator API. */
async function ship(orderId: string) {
  const trackingNo = `SF${String(Date.now()).slice(-8)}${String(++trackingSeq).padStart(4, '0')}`;
  const r = await call(orderOps.opsShipOrder, { headers: opsHeaders(), params: { orderId }, body: { parcels: [{ carrier: 'shunfeng', trackingNo }] } });
  expect(r.status).toBe(200);
}

/** WeChat pays the refund (sandbox) and its signed REFUND.SUCCESS reaches us; the stream's reactions run. */
async function wechatPaysRefund(outRefundNo: string) {
  const sandbox = await sandboxWechatPay();
  await sandbox.completeRefund(outRefundNo, 'SUCCESS', Date.now());
  const note = sandbox.server.buildRefundNotification((await dynamoSandboxStore().getRefund(outRefundNo))!, Date.now());
  expect((await deliver(note, refundNotify)).statusCode).toBe(204);
  await drainReactions();
}

async function photo(s: Shopper, purpose = 'after_sales', size = 4) {
  const t = await call(api.createUpload, { token: s.token, body: { purpose, contentType: 'image/jpeg', size } });
  expect(t.status).toBe(201);
  return t.body as { url: string; key: string; headers: Record<string, string>; expiresAt: number };
}

function request(s: Shopper, body: Record<string, unknown>) {
  return call(api.createAfterSale, { token: s.token, body: { reason: 'QUALITY', description: '', ...body } });
}

const opsCall = (handler: (typeof ops)[keyof typeof ops], afterSaleId: string, body?: unknown) =>
  call(handler as never, { headers: opsHeaders(), params: { afterSaleId }, ...(body ? { body } : {}) });

describe('photo uploads', () => {
  it('accepts a photo PUT with its presigned URL, and refuses keys never uploaded, of another shopper or another purpose', async () => {
    const [sku] = await testProduct('p-as-photo', 10, 3900);
    const alice = await shopper('as-photo-a');
    const bob = await shopper('as-photo-b');
    const order = await paidOrder(alice, 'p-as-photo', sku);

    const mine = await photo(alice);
    expect(mine.key.startsWith(`u/${alice.userId}/after_sales/`)).toBe(true);
    expect(await putPhoto(mine, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toBe(200);
    const never = await photo(alice);
    const bobs = await photo(bob);
    expect(await putPhoto(bobs, new Uint8Array([1, 2, 3, 4]))).toBe(200);
    const review = await photo(alice, 'review');
    expect(await putPhoto(review, new Uint8Array([1, 2, 3, 4]))).toBe(200);

    const base = { orderId: order.id, skuId: sku, quantity: 1, type: 'REFUND_ONLY' };
    for (const key of [never.key, bobs.key, review.key]) {
      const r = await request(alice, { ...base, photoKeys: [mine.key, key] });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('UPLOAD_INVALID');
    }
    const tooMany = await request(alice, { ...base, photoKeys: Array.from({ length: 7 }, () => mine.key) });
    expect(tooMany.status).toBe(400);
    const bad = await call(api.createUpload, { token: alice.token, body: { purpose: 'after_sales', contentType: 'application/pdf', size: 10 } });
    expect(bad.status).toBe(400);

    const ok = await request(alice, { ...base, photoKeys: [mine.key, mine.key] });
    expect(ok.status).toBe(201);
    expect(ok.body.photos).toHaveLength(1);
    const shown = await fetch(ok.body.photos[0].url);
    expect(shown.status).toBe(200);
    expect(new Uint8Array(await shown.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
  });
});

describe('仅退款', () => {
  it('of an unshipped order: 申请中 → (operator approves) 退款中 → 已退款, the whole order refunded with its stock back', async () => {
    const [sku] = await testProduct('p-as-ro', 10, 3900);
    const s = await shopper('as-ro');
    const order = await paidOrder(s, 'p-as-ro', sku, 2);
    const created = await request(s, { orderId: order.id, skuId: sku, quantity: 2, type: 'REFUND_ONLY', reason: 'NOT_WANTED' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'REQUESTED', stateLabel: '申请中', typeLabel: '仅退款', reasonLabel: '不想要了', refundFen: order.paidFen, actions: ['WITHDRAW'] });
    expect(created.body.deadline.text).toContain('逾期自动同意');

    const approved = await opsCall(ops.opsApproveAfterSale, created.body.id);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'REFUNDING', refund: { amountFen: order.paidFen } });
    const [refund] = await refundRepo.forOrder(order.id);
    expect(refund).toMatchObject({ reason: 'AFTER_SALE', full: true, amountFen: order.paidFen, status: 'REFUNDING' });
    expect((await orderRepo.get(order.id))!.status).toBe('REFUNDING');
    expect(await stockOf('p-as-ro', sku)).toEqual({ stock: 10, sold: 0 });

    // A second approval is refused by the table: the request moved on.
    expect((await opsCall(ops.opsApproveAfterSale, created.body.id)).body.code).toBe('AFTER_SALE_STATE_CONFLICT');

    await wechatPaysRefund(refund.outRefundNo);
    const done = await call(api.getAfterSale, { token: s.token, params: { afterSaleId: created.body.id } });
    expect(done.body).toMatchObject({ state: 'REFUNDED', stateLabel: '已退款', refund: { statusLabel: '已退款' }, actions: [] });
    expect(done.body.timeline.map((t: { state: string }) => t.state)).toEqual(['REQUESTED', 'REFUNDING', 'REFUNDED']);
    expect((await orderRepo.get(order.id))!.status).toBe('REFUNDED');
  });

  it('is refused on a received order (退货退款 instead) and on an unpaid one', async () => {
    const [sku] = await testProduct('p-as-ro2', 10, 3900);
    const s = await shopper('as-ro2');
    const unpaid = await buyNow(s, 'p-as-ro2', sku);
    const r1 = await request(s, { orderId: unpaid.id, skuId: sku, quantity: 1, type: 'REFUND_ONLY' });
    expect(r1.body.code).toBe('AFTER_SALE_NOT_ALLOWED');
    const order = await paidOrder(s, 'p-as-ro2', sku);
    const r2 = await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'RETURN_REFUND' });
    expect(r2.body).toMatchObject({ code: 'AFTER_SALE_NOT_ALLOWED', message: '订单尚未发货，请选择仅退款' });
    await ship(order.id);
    await transact([transitionUpdate((await orderRepo.get(order.id))!, 'CONFIRM_RECEIPT', { now: Date.now() })]);
    const r3 = await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'REFUND_ONLY' });
    expect(r3.body.code).toBe('AFTER_SALE_NOT_ALLOWED');
    expect(r3.body.message).toContain('退货退款');
  });

  it('退货退款 of a received order is open for the after-sales window after receipt, then refused with nothing written', async () => {
    const [sku] = await testProduct('p-as-win', 10, 3900);
    const s = await shopper('as-win');
    const order = await paidOrder(s, 'p-as-win', sku);
    await ship(order.id);
    // Received 7 days (the window) and a minute ago: closed. The order page says until when.
    const receivedAt = Date.now() - 7 * 24 * 3600 * 1000 - 60_000;
    expect(await receiveOrder(s.userId, order.id, receivedAt)).toMatchObject({ status: 'COMPLETED', afterSaleUntil: receivedAt + 7 * 24 * 3600 * 1000 });
    const late = await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'RETURN_REFUND' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'AFTER_SALE_NOT_ALLOWED', message: '已超过售后期，如商品有问题请联系客服' });
    expect((await call(api.listAfterSales, { token: s.token })).body.items).toEqual([]);
    // Received two minutes before the window's end: still open.
    const other = await paidOrder(s, 'p-as-win', sku);
    await ship(other.id);
    await receiveOrder(s.userId, other.id, Date.now() - 7 * 24 * 3600 * 1000 + 120_000);
    const inTime = await request(s, { orderId: other.id, skuId: sku, quantity: 1, type: 'RETURN_REFUND' });
    expect(inTime.status).toBe(201);
  });

  it('rejected with the operator reason, then withdrawn: each ends the request and frees its line', async () => {
    const [sku] = await testProduct('p-as-rej', 10, 3900);
    const s = await shopper('as-rej');
    const order = await paidOrder(s, 'p-as-rej', sku, 2);
    await ship(order.id);
    const first = await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'REFUND_ONLY', reason: 'NOT_RECEIVED' });
    expect(first.status).toBe(201);
    const noReason = await opsCall(ops.opsRejectAfterSale, first.body.id, { reason: ' ' });
    expect(noReason.status).toBe(400);
    const rejected = await opsCall(ops.opsRejectAfterSale, first.body.id, { reason: '物流显示已签收' });
    expect(rejected.body).toMatchObject({ state: 'REJECTED', stateLabel: '已拒绝', rejectReason: '物流显示已签收', deadline: null });
    expect((await call(api.withdrawAfterSale, { token: s.token, params: { afterSaleId: first.body.id } })).body.code).toBe('AFTER_SALE_STATE_CONFLICT');

    const second = await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'REFUND_ONLY' });
    expect(second.status).toBe(201);
    const withdrawn = await call(api.withdrawAfterSale, { token: s.token, params: { afterSaleId: second.body.id } });
    expect(withdrawn.body).toMatchObject({ state: 'WITHDRAWN', stateLabel: '已撤销' });
    expect((await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'REFUND_ONLY' })).status).toBe(201);
    expect(await refundRepo.forOrder(order.id)).toEqual([]);
  });
});

describe('退货退款 with a coupon', () => {
  it('returns 1 then 2 units: 待退货 (return address) → 退货中 → 退款中 → 已退款, exact prorated amounts, never above paid', async () => {
    const [sku] = await testProduct('p-as-ret', 10, 2900);
    const s = await shopper('as-ret');
    expect((await call(coupons.claimCoupon, { token: s.token, body: { templateId: 'tpl-as-10' } })).status).toBe(201);
    const order = await paidOrder(s, 'p-as-ret', sku, 3);
    // 3 × ¥29 = ¥87, 满50减10 → the line pays ¥77, plus ¥10 shipping (under ¥99): ¥87 paid.
    expect(order.lines[0].payableFen).toBe(7700);
    expect(order.paidFen).toBe(8700);
    await ship(order.id);

    const one = await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'RETURN_REFUND', reason: 'DAMAGED', description: '外盒破损' });
    expect(one.status).toBe(201);
    expect(one.body.refundFen).toBe(2566);
    const approved = await opsCall(ops.opsApproveAfterSale, one.body.id);
    expect(approved.body).toMatchObject({
      state: 'AWAITING_RETURN',
      returnAddress: { name: '售后组', phone: '021-00000000', address: '上海市浦东新区测试路 1 号 售后仓' },
      refund: null,
    });
    const mine = await call(api.getAfterSale, { token: s.token, params: { afterSaleId: one.body.id } });
    expect(mine.body.actions).toEqual(['WITHDRAW', 'SHIP_RETURN']);
    expect(mine.body.deadline.text).toContain('逾期申请将关闭');
    // The operator cannot confirm a return that was never sent.
    expect((await opsCall(ops.opsReceiveAfterSaleReturn, one.body.id)).body.code).toBe('AFTER_SALE_STATE_CONFLICT');

    const shipped = await call(api.shipAfterSaleReturn, { token: s.token, params: { afterSaleId: one.body.id }, body: { carrier: '顺丰速运', trackingNo: 'sf1234567890' } });
    expect(shipped.body).toMatchObject({ state: 'RETURNING', returnShipment: { carrier: '顺丰速运', trackingNo: 'SF1234567890' }, actions: [] });
    const received = await opsCall(ops.opsReceiveAfterSaleReturn, one.body.id);
    expect(received.body).toMatchObject({ state: 'REFUNDING', refundFen: 2566 });
    expect(await stockOf('p-as-ret', sku)).toEqual({ stock: 8, sold: 2 });
    const first = (await refundRepo.forOrder(order.id))[0];
    expect(first).toMatchObject({ amountFen: 2566, full: false, lines: [{ skuId: sku, quantity: 1, amountFen: 2566 }] });
    await wechatPaysRefund(first.outRefundNo);
    expect((await call(api.getAfterSale, { token: s.token, params: { afterSaleId: one.body.id } })).body.state).toBe('REFUNDED');

    // The rest of the line: the last units take exactly what is left of the line's ¥77.
    const rest = await request(s, { orderId: order.id, skuId: sku, quantity: 2, type: 'RETURN_REFUND' });
    expect(rest.body.refundFen).toBe(7700 - 2566);
    await opsCall(ops.opsApproveAfterSale, rest.body.id);
    await call(api.shipAfterSaleReturn, { token: s.token, params: { afterSaleId: rest.body.id }, body: { carrier: '中通快递', trackingNo: '75312345678' } });
    await opsCall(ops.opsReceiveAfterSaleReturn, rest.body.id);
    const second = (await refundRepo.forOrder(order.id)).find((r) => r.outRefundNo !== first.outRefundNo)!;
    await wechatPaysRefund(second.outRefundNo);
    const after = (await orderRepo.get(order.id))!;
    expect(after.refundedFen).toBe(7700);
    expect(after.refundedFen).toBeLessThanOrEqual(after.paidFen!);
    expect(await stockOf('p-as-ret', sku)).toEqual({ stock: 10, sold: 0 });
    // Nothing is left to return on that line.
    expect((await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'RETURN_REFUND' })).body.code).toBe('AFTER_SALE_NOT_ALLOWED');

    const list = await call(api.listAfterSales, { token: s.token, query: { limit: '1' } });
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([rest.body.id]);
    const page2 = await call(api.listAfterSales, { token: s.token, query: { limit: '5', cursor: list.body.nextCursor } });
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual([one.body.id]);
  });
});

describe('a flash-sale order', () => {
  it('takes the same path: a 仅退款 of one of two units in transit refunds exactly the flash price paid for it', async () => {
    const [sku] = await testProduct('p-as-flash', 10, 5900);
    const s = await shopper('as-flash');
    const order = await paidOrder(s, 'p-as-flash', sku, 2);
    expect(order.lines[0]).toMatchObject({ unitPriceFen: 990, payableFen: 1980 });
    await ship(order.id);
    const req = await request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'REFUND_ONLY', reason: 'NOT_RECEIVED' });
    expect(req.body.refundFen).toBe(990);
    const approved = await opsCall(ops.opsApproveAfterSale, req.body.id);
    expect(approved.body).toMatchObject({ state: 'REFUNDING', refundFen: 990 });
    // Shipped and not received: the unit is not put back on sale.
    expect(await stockOf('p-as-flash', sku)).toEqual({ stock: 8, sold: 2 });
    await wechatPaysRefund((await refundRepo.forOrder(order.id))[0].outRefundNo);
    const after = (await orderRepo.get(order.id))!;
    expect(after).toMatchObject({ status: 'SHIPPED', refundedFen: 990 });
    expect((await call(api.getAfterSale, { token: s.token, params: { afterSaleId: req.body.id } })).body.state).toBe('REFUNDED');
  });
});

describe('a group-buy order', () => {
  it('is refused while its group fills, and once the group succeeded takes the same path (the whole order refunded)', async () => {
    const [sku] = await testProduct('p-as-group', 10, 5900);
    const leader = await shopper('as-group-a');
    const member = await shopper('as-group-b');
    const placed = async (s: Shopper, groupToken?: string) => {
      const r = await call(groups.createGroupOrder, {
        token: s.token,
        body: { idempotencyKey: idempotencyKey(), campaignId: 'as-group', skuId: sku, addressId: s.addressId, ...(groupToken ? { groupToken } : {}) },
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const lo = await placed(leader);
    await pay(leader, lo);
    await drainReactions();
    const open = (await orderRepo.get(lo))!;
    expect(open.group!.status).toBe('OPEN');
    const refused = await request(leader, { orderId: lo, skuId: sku, quantity: 1, type: 'REFUND_ONLY' });
    expect(refused.body).toMatchObject({ code: 'AFTER_SALE_NOT_ALLOWED', message: '拼团进行中，成团后才能申请售后' });

    const mo = await placed(member, open.group!.token!);
    await pay(member, mo);
    await drainReactions();
    expect((await orderRepo.get(lo))!.group!.status).toBe('SUCCESS');
    const req = await request(leader, { orderId: lo, skuId: sku, quantity: 1, type: 'REFUND_ONLY', reason: 'NOT_WANTED' });
    expect(req.status).toBe(201);
    expect(req.body.refundFen).toBe(open.paidFen);
    await opsCall(ops.opsApproveAfterSale, req.body.id);
    const [refund] = await refundRepo.forOrder(lo);
    expect(refund).toMatchObject({ full: true, amountFen: open.paidFen });
    await wechatPaysRefund(refund.outRefundNo);
    expect((await orderRepo.get(lo))!.status).toBe('REFUNDED');
    expect((await call(api.getAfterSale, { token: leader.token, params: { afterSaleId: req.body.id } })).body.state).toBe('REFUNDED');
  });
});

describe('one open request per line', () => {
  it('of 12 concurrent requests on one line exactly one is opened', async () => {
    const [sku] = await testProduct('p-as-race', 10, 3900);
    const s = await shopper('as-race');
    const order = await paidOrder(s, 'p-as-race', sku, 3);
    const results = await Promise.all(Array.from({ length: 12 }, () => request(s, { orderId: order.id, skuId: sku, quantity: 1, type: 'REFUND_ONLY' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.code).toBe('AFTER_SALE_OPEN');
    const mine = await call(api.listAfterSales, { token: s.token, query: {} });
    expect(mine.body.items).toHaveLength(1);
  });
});

describe('deadlines (the sweeper on a set clock)', () => {
  it('approves an unshipped 仅退款 after 24 h, closes an unshipped return after 7 days, refunds an unconfirmed return after 10 days; sweeping twice changes nothing', async () => {
    const skus = await testProduct('p-as-due', 20, 3900, 3);
    const s = await shopper('as-due');
    const unshipped = await paidOrder(s, 'p-as-due', skus[0], 2);
    const fast = await request(s, { orderId: unshipped.id, skuId: skus[0], quantity: 1, type: 'REFUND_ONLY' });
    const shippedOrder = await paidOrder(s, 'p-as-due', skus[1], 1);
    const shippedOrder2 = await paidOrder(s, 'p-as-due', skus[2], 1);
    await ship(shippedOrder.id);
    await ship(shippedOrder2.id);
    const neverSent = await request(s, { orderId: shippedOrder.id, skuId: skus[1], quantity: 1, type: 'RETURN_REFUND' });
    const unconfirmed = await request(s, { orderId: shippedOrder2.id, skuId: skus[2], quantity: 1, type: 'RETURN_REFUND' });
    const t0 = Date.now();
    const state = async (id: string) => (await call(api.getAfterSale, { token: s.token, params: { afterSaleId: id } })).body.state;

    await sweepAfterSales(t0 + 23 * HOUR);
    expect(await state(fast.body.id)).toBe('REQUESTED');
    await sweepAfterSales(t0 + 25 * HOUR);
    expect(await state(fast.body.id)).toBe('REFUNDING');
    expect((await refundRepo.forOrder(unshipped.id)).map((r) => r.amountFen)).toEqual([Math.floor(unshipped.lines[0].payableFen / 2)]);
    // The return requests are approved by themselves after 3 days.
    expect(await state(neverSent.body.id)).toBe('REQUESTED');
    await sweepAfterSales(t0 + 3 * DAY + HOUR);
    expect(await state(neverSent.body.id)).toBe('AWAITING_RETURN');
    expect(await state(unconfirmed.body.id)).toBe('AWAITING_RETURN');
    await call(api.shipAfterSaleReturn, { token: s.token, params: { afterSaleId: unconfirmed.body.id }, body: { carrier: '圆通速递', trackingNo: 'YT0000000001' } });

    // Deadlines count from when the state was entered: the auto-approval at t1, the shopper's shipping now.
    const t1 = t0 + 3 * DAY + HOUR;
    const tShip = Date.now();
    await sweepAfterSales(t1 + 7 * DAY - 2 * HOUR);
    expect(await state(neverSent.body.id)).toBe('AWAITING_RETURN');
    expect(await state(unconfirmed.body.id)).toBe('RETURNING');
    await sweepAfterSales(tShip + 10 * DAY + 60_000);
    expect(await state(unconfirmed.body.id)).toBe('REFUNDING');
    expect(await state(neverSent.body.id)).toBe('AWAITING_RETURN');
    await sweepAfterSales(t1 + 7 * DAY + HOUR);
    expect(await state(neverSent.body.id)).toBe('CLOSED');
    const refundsBefore = (await refundRepo.forOrder(shippedOrder2.id)).length;
    expect(refundsBefore).toBe(1);

    const counts = await sweepAfterSales(t0 + 30 * DAY);
    expect(counts).toEqual({});
    expect((await refundRepo.forOrder(shippedOrder2.id)).length).toBe(1);
    expect(await state(neverSent.body.id)).toBe('CLOSED');
    // The closed request freed its line.
    expect((await request(s, { orderId: shippedOrder.id, skuId: skus[1], quantity: 1, type: 'RETURN_REFUND' })).status).toBe(201);
  });
});

describe('privacy', () => {
  it('another shopper can neither see nor act on a request, nor ask on an order not theirs; shopper tokens cannot call operator routes', async () => {
    const [sku] = await testProduct('p-as-priv', 10, 3900);
    const alice = await shopper('as-priv-a');
    const eve = await shopper('as-priv-e');
    const order = await paidOrder(alice, 'p-as-priv', sku);
    await ship(order.id);
    const req = await request(alice, { orderId: order.id, skuId: sku, quantity: 1, type: 'RETURN_REFUND' });
    const id = req.body.id;
    expect((await call(api.getAfterSale, { token: eve.token, params: { afterSaleId: id } })).body.code).toBe('AFTER_SALE_NOT_FOUND');
    expect((await call(api.withdrawAfterSale, { token: eve.token, params: { afterSaleId: id } })).status).toBe(404);
    expect((await call(api.listAfterSales, { token: eve.token, query: {} })).body.items).toEqual([]);
    expect((await request(eve, { orderId: order.id, skuId: sku, quantity: 1, type: 'RETURN_REFUND' })).body.code).toBe('ORDER_NOT_FOUND');
    expect((await call(api.getAfterSale, { params: { afterSaleId: id } })).status).toBe(401);
    expect((await call(ops.opsApproveAfterSale as never, { token: eve.token, params: { afterSaleId: id } })).status).toBe(403);
    expect((await call(ops.opsApproveAfterSale as never, { params: { afterSaleId: id } })).status).toBe(401);
    await opsCall(ops.opsApproveAfterSale, id);
    const eveShips = await call(api.shipAfterSaleReturn, { token: eve.token, params: { afterSaleId: id }, body: { carrier: '顺丰速运', trackingNo: 'SF000000001' } });
    expect(eveShips.status).toBe(404);
    expect((await call(api.getAfterSale, { token: alice.token, params: { afterSaleId: id } })).body.state).toBe('AWAITING_RETURN');

    const queue = await call(ops.opsListAfterSales as never, { headers: opsHeaders(), query: { state: 'AWAITING_RETURN' } });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);

    // The approval is in the operator log: who, what, which request.
    const log = await call(orderOps.opsLog, { headers: opsHeaders(), query: { limit: '200' } });
    expect(log.body.items).toContainEqual(expect.objectContaining({ actor: 'local-operator', action: 'after-sale.approve', target: id, summary: '同意退货退款' }));
    // A refused action writes no entry.
    const before = log.body.items.filter((e: { target: string }) => e.target === id).length;
    expect((await opsCall(ops.opsApproveAfterSale, id)).status).toBe(409);
    const after = await call(orderOps.opsLog, { headers: opsHeaders(), query: { limit: '200' } });
    expect(after.body.items.filter((e: { target: string }) => e.target === id).length).toBe(before);
  });
});
