import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPS_API } from '@shop/shared';
import { freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { buyNow, shopper, testProduct, type Shopper } from '../../tests/support/shop';
import { drainReactions } from '../../tests/support/stream';
import { parseShipCsv, shipMany } from '../../scripts/lib/ops-cli';
import { membersFolder } from './support-points';
import { userRepo } from '../src/repositories/user-repo';
import { orderRepo } from '../src/repositories/order-repo';
import { pointsRepo } from '../src/repositories/points-repo';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { sandboxShippingCalls } from '../src/providers/wechat-mp/sandbox';
import { sandboxMessages } from '../src/providers/wechat-mp/sandbox';
import { sandboxLogistics } from '../src/providers/logistics/index';
import { wechatPushSignature } from '../src/services/fulfilment';
import * as orders from '../src/handlers/orders';
import * as ops from '../src/handlers/ops';
import * as fulfilment from '../src/handlers/fulfilment';

const DAY = 24 * 3600 * 1000;
let opsKey = '';

beforeAll(async () => {
  // The local stage's templates (serverless.yml params) so 已发货 / 已签收 are recorded by the twin.
  const { env } = await freshTable({
    WECHAT_TMPL_ORDER_SHIPPED: 'sandbox-tmpl-order-shipped', WECHAT_TMPL_ORDER_DELIVERED: 'sandbox-tmpl-order-delivered' });
  opsKey = env.OPS_LOCAL_KEY!;
  // A point per yuan, pending 15 days after payment (until receipt says otherwise).
  membersFolder('points:\n  order:\n    pointsPerYuan: 1\n    pendingDays: 15\n');
});

const opsHeaders = () => ({ 'x-ops-key': opsKey });

async function paidOrder(s: Shopper, productId: string, skuId: string, quantity = 1) {
  const order = await buyNow(s, productId, skuId, quantity);
  const prepay = await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
  expect(prepay.status).toBe(200);
  const openid = (await userRepo.get(s.userId))!.openid;
  await (await sandboxWechatPay()).simulateUserPayment(prepay.body.prepayId, 'pay', Date.now(), openid);
  const read = await call(orders.getOrder, { token: s.token, params: { orderId: order.id } });
  expect(read.body.status).toBe('PAID');
  await drainReactions();
  return read.body as { id: string; transactionId: string };
}

const ship = (orderId: string, body: unknown, headers: Record<string, string> = opsHeaders()) => call(ops.opsShipOrder, { headers, params: { orderId }, body });

/** 快递100's pushes delivered to the callback handler as the HTTP API would. */
const deliver = async (_url: string, form: Record<string, string>) =>
  (await call(fulfilment.trackingPush, { rawBody: new URLSearchParams(form).toString() })).body?.result === true;

describe('operator API', () => {
  it('refuses a shopper token (403), an unsigned call (401) and a wrong key (403); the local key passes', async () => {
    const s = await shopper('ops-auth');
    expect((await call(ops.opsListOrders, { token: s.token })).status).toBe(403);
    expect((await call(ops.opsListOrders, { token: s.token, headers: opsHeaders() })).status).toBe(403);
    expect((await call(ops.opsListOrders, {})).status).toBe(401);
    expect((await call(ops.opsListOrders, { headers: { 'x-ops-key': `${opsKey}x` } })).status).toBe(403);
    expect((await ship('01J0000000000000000000000A', { parcels: [{ carrier: 'shunfeng', trackingNo: 'SF1000' }] }, {})).status).toBe(401);
    expect((await call(ops.opsListOrders, { headers: opsHeaders() })).status).toBe(200);
  });

  it('is routed in serverless.yml exactly as the operator table says, every route IAM-authorised', () => {
    const yml = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8');
    const routes = [...yml.matchAll(/httpApi: \{ method: (\w+), path: (?:'([^']+)'|([^\s,}]+)), authorizer: \{ type: aws_iam \} \}/g)].map((m) => `${m[1]} ${m[2] ?? m[3]}`);
    expect(routes.sort()).toEqual(Object.values(OPS_API).map((r) => `${r.method} ${r.path}`).sort());
  });

  it('lists paid orders to ship (a group order waiting for its group is not shippable) and logs every shipment', async () => {
    const [sku] = await testProduct('p-ful-list', 20);
    const s = await shopper('ops-list');
    const paid = await paidOrder(s, 'p-ful-list', sku!);
    const list = await call(ops.opsListOrders, { headers: opsHeaders(), query: { status: 'PAID' } });
    expect(list.status).toBe(200);
    const row = list.body.items.find((o: { id: string }) => o.id === paid.id);
    expect(row).toMatchObject({ status: 'PAID', statusLabel: '待发货', shippable: true, receiver: '王小明' });
    expect((await ship(paid.id, { parcels: [{ carrier: 'zhongtong', trackingNo: 'ZT7000001' }] })).status).toBe(200);
    const log = await call(ops.opsLog, { headers: opsHeaders() });
    expect(log.body.items[0]).toMatchObject({ actor: 'local-operator', action: 'SHIP', target: `order:${paid.id}` });
    expect(log.body.items[0].summary).toContain('中通快递 ZT7000001');
    // Shipped twice: refused in Chinese.
    const again = await ship(paid.id, { parcels: [{ carrier: 'zhongtong', trackingNo: 'ZT7000002' }] });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('订单已发货');
  });
});

describe('ship → track → receipt', () => {
  it('uploads the shipping info once, follows the twin’s timeline and receives automatically N days after delivery', async () => {
    const [sku] = await testProduct('p-ful-track', 20);
    const s = await shopper('track');
    const paid = await paidOrder(s, 'p-ful-track', sku!);
    const shipped = await ship(paid.id, { parcels: [{ carrier: 'shunfeng', trackingNo: 'SF1234567890' }] });
    expect(shipped.body).toEqual({ orderId: paid.id, status: 'SHIPPED', parcels: 1, allDelivered: true });
    await drainReactions();
    await drainReactions();

    const calls = await sandboxShippingCalls(`tx:${paid.transactionId}`);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.info).toMatchObject({
      order_key: { order_number_type: 2, transaction_id: paid.transactionId },
      logistics_type: 1,
      delivery_mode: 1,
      shipping_list: [{ tracking_no: 'SF1234567890', express_company: 'SF', contact: { receiver_contact: '138****8000' } }],
      payer: { openid: (await userRepo.get(s.userId))!.openid },
    });
    const messages = await sandboxMessages(s.userId);
    expect(messages.filter((m) => m.templateId === 'sandbox-tmpl-order-shipped')).toHaveLength(1);

    const before = await call(fulfilment.orderTracking, { token: s.token, params: { orderId: paid.id } });
    expect(before.body.parcels[0]).toMatchObject({ carrierName: '顺丰速运', stage: 'AWAITING', stageLabel: '等待揽收' });

    // The twin's clock: a day later the parcel is in transit; three days later it was signed for.
    const twin = await sandboxLogistics();
    // The twin pushes every subscription it holds (earlier tests' parcels too): this parcel's at least.
    expect(await twin.advance(Date.now() + 1 * DAY, deliver)).toBeGreaterThanOrEqual(1);
    let track = await call(fulfilment.orderTracking, { token: s.token, params: { orderId: paid.id } });
    expect(track.body.parcels[0].stageLabel).toBe('运输中');
    expect(await twin.advance(Date.now() + 3 * DAY, deliver)).toBeGreaterThanOrEqual(1);
    expect(await twin.advance(Date.now() + 3 * DAY, deliver)).toBe(0);
    track = await call(fulfilment.orderTracking, { token: s.token, params: { orderId: paid.id } });
    const parcel = track.body.parcels[0];
    expect(parcel.stageLabel).toBe('已签收');
    expect(parcel.events.map((e: { stageLabel: string }) => e.stageLabel)).toEqual(['已签收', '派送中', '运输中', '运输中', '已揽收', '商家已发货']);
    for (let i = 1; i < parcel.events.length; i++) expect(parcel.events[i - 1].at).toBeGreaterThanOrEqual(parcel.events[i].at);

    const order = (await orderRepo.get(paid.id))!;
    expect(order.deliveredAt).toBe(parcel.deliveredAt);
    expect(order.receiptDueAt).toBe(parcel.deliveredAt + 7 * DAY);
    expect(track.body.autoReceiptAt).toBe(order.receiptDueAt);
    await drainReactions();
    expect((await sandboxMessages(s.userId)).filter((m) => m.templateId === 'sandbox-tmpl-order-delivered')).toHaveLength(1);

    // Not yet due: nothing; due: received once; a second sweep changes nothing.
    expect((await fulfilment.sweepReceipts()).received).toBe(0);
    const { sweepReceipts } = await import('../src/services/fulfilment');
    // (The sweep is the shop's: orders of earlier tests come due too, so this order's own status is what is checked.)
    await sweepReceipts(order.receiptDueAt! - 1000);
    expect((await orderRepo.get(paid.id))!.status).toBe('SHIPPED');
    expect((await sweepReceipts(order.receiptDueAt! + 1000)).received).toBeGreaterThanOrEqual(1);
    expect(await sweepReceipts(order.receiptDueAt! + 2000)).toMatchObject({ received: 0, noop: 0, failed: 0 });
    const received = (await orderRepo.get(paid.id))!;
    expect(received).toMatchObject({ status: 'COMPLETED', receivedBy: 'auto', receivedAt: order.receiptDueAt! + 1000 });
    expect(received.timeline.at(-1)!.note).toBe('超时自动确认收货');

    // Receipt ends the points' pending window: due 7 days after receipt (from the stream).
    await drainReactions();
    const lot = await pointsRepo.lot(s.userId, pointsRepo.pendingLotId(paid.id));
    expect(lot?.status).toBe('PENDING');
    expect(lot?.availableAt).toBe(received.receivedAt! + 7 * DAY);
  });

  it('receives M days after shipping when tracking never says delivered', async () => {
    const [sku] = await testProduct('p-ful-lost', 20);
    const s = await shopper('lost');
    const paid = await paidOrder(s, 'p-ful-lost', sku!);
    expect((await ship(paid.id, { parcels: [{ carrier: 'yunda', trackingNo: 'YDLOST0001' }] })).status).toBe(200);
    await drainReactions();
    await (await sandboxLogistics()).advance(Date.now() + 30 * DAY, deliver);
    const order = (await orderRepo.get(paid.id))!;
    expect(order.deliveredAt ?? null).toBeNull();
    expect(order.receiptDueAt).toBe(order.shippedAt! + 15 * DAY);
    const { autoReceive } = await import('../src/services/fulfilment');
    expect(await autoReceive(paid.id, order.receiptDueAt! - 1)).toBe('not_due');
    expect(await fulfilment.receiptDue({ orderId: paid.id })).toMatchObject({ result: 'not_due' });
    expect(await autoReceive(paid.id, order.receiptDueAt!)).toBe('received');
    expect(await autoReceive(paid.id, order.receiptDueAt! + 1)).toBe('noop');
  });

  it('splits an order into parcels: delivery_mode 2, and the next parcels update the upload with a later upload_time', async () => {
    const [a, b] = await testProduct('p-ful-split', 20, 3900, 2);
    const s = await shopper('split');
    const first = await paidOrder(s, 'p-ful-split', a!, 2);
    const two = await ship(first.id, {
      parcels: [
        { carrier: 'yuantong', trackingNo: 'YT0000000001', lines: [{ skuId: a, quantity: 1 }] },
        { carrier: 'yuantong', trackingNo: 'YT0000000002', lines: [{ skuId: a, quantity: 1 }] },
      ],
    });
    expect(two.body).toMatchObject({ parcels: 2, allDelivered: true });
    await drainReactions();
    const [upload] = await sandboxShippingCalls(`tx:${first.transactionId}`);
    expect(upload!.info).toMatchObject({ delivery_mode: 2, is_all_delivered: true });
    expect(upload!.info.shipping_list.map((p) => p.tracking_no)).toEqual(['YT0000000001', 'YT0000000002']);

    // More than was bought: refused.
    const second = await paidOrder(s, 'p-ful-split', b!, 2);
    const over = await ship(second.id, { parcels: [{ carrier: 'ems', trackingNo: 'EMS00000001', lines: [{ skuId: b, quantity: 3 }] }] });
    expect(over.status).toBe(400);
    expect(over.body.message).toBe(`商品 ${b} 最多还可发 2 件`);
    // One parcel now, one later.
    expect((await ship(second.id, { parcels: [{ carrier: 'ems', trackingNo: 'EMS00000001', lines: [{ skuId: b, quantity: 1 }] }], isAllDelivered: false })).status).toBe(200);
    await drainReactions();
    expect((await ship(second.id, { parcels: [{ carrier: 'ems', trackingNo: 'EMS00000002', lines: [{ skuId: b, quantity: 1 }] }] })).body).toMatchObject({ parcels: 2, allDelivered: true });
    await drainReactions();
    const calls = await sandboxShippingCalls(`tx:${second.transactionId}`);
    expect(calls.map((c) => [c.info.delivery_mode, c.info.is_all_delivered, c.info.shipping_list.length])).toEqual([
      [2, false, 1],
      [2, true, 2],
    ]);
    expect(Date.parse(calls[1]!.info.upload_time)).toBeGreaterThan(Date.parse(calls[0]!.info.upload_time));
    // A tracking number is one parcel's only.
    const third = await paidOrder(s, 'p-ful-split', a!, 1);
    const reused = await ship(third.id, { parcels: [{ carrier: 'ems', trackingNo: 'ems00000002' }] });
    expect(reused.body.message).toBe('快递单号已被其他包裹使用');
  });
});

describe('receipt by the shopper and by WeChat', () => {
  it('确认收货 is idempotent and only the owner’s', async () => {
    const [sku] = await testProduct('p-ful-receive', 20);
    const s = await shopper('receive');
    const other = await shopper('receive-other');
    const paid = await paidOrder(s, 'p-ful-receive', sku!);
    const early = await call(fulfilment.receiveOrder, { token: s.token, params: { orderId: paid.id } });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe('订单状态为「待发货」，不能确认收货');
    await ship(paid.id, { parcels: [{ carrier: 'jd', trackingNo: 'JD0000000001' }] });
    expect((await call(fulfilment.receiveOrder, { token: other.token, params: { orderId: paid.id } })).status).toBe(404);
    expect((await call(fulfilment.orderTracking, { token: other.token, params: { orderId: paid.id } })).status).toBe(404);
    const [r1, r2] = await Promise.all([
      call(fulfilment.receiveOrder, { token: s.token, params: { orderId: paid.id } }),
      call(fulfilment.receiveOrder, { token: s.token, params: { orderId: paid.id } }),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r1.body.status).toBe('COMPLETED');
    const order = (await orderRepo.get(paid.id))!;
    expect(order.timeline.filter((t) => t.event === 'CONFIRM_RECEIPT')).toHaveLength(1);
    expect(order.receivedBy).toBe('shopper');
  });

  it('WeChat’s confirm-receipt event, verified by its signature, receives the order', async () => {
    const [sku] = await testProduct('p-ful-wx', 20);
    const s = await shopper('wx-receipt');
    const paid = await paidOrder(s, 'p-ful-wx', sku!);
    await ship(paid.id, { parcels: [{ carrier: 'shentong', trackingNo: 'STO000000001' }] });
    const confirmAt = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      ToUserName: 'gh_shop',
      FromUserName: 'o-payer',
      CreateTime: confirmAt,
      MsgType: 'event',
      Event: 'trade_manage_order_settlement',
      transaction_id: paid.transactionId,
      merchant_trade_no: paid.id,
      confirm_receive_method: 2,
      confirm_receive_time: confirmAt,
    });
    const timestamp = String(confirmAt);
    const token = process.env.WECHAT_PUSH_TOKEN!;
    const forged = await call(fulfilment.wechatPush, { rawBody: body, query: { timestamp, nonce: 'n1', signature: wechatPushSignature('other-token', timestamp, 'n1') } });
    expect(forged.status).toBe(401);
    expect((await orderRepo.get(paid.id))!.status).toBe('SHIPPED');
    const pushed = await fulfilment.wechatPush({ body, queryStringParameters: { timestamp, nonce: 'n1', signature: wechatPushSignature(token, timestamp, 'n1') } });
    expect(pushed).toMatchObject({ statusCode: 200, body: 'success' });
    expect(await orderRepo.get(paid.id)).toMatchObject({ status: 'COMPLETED', receivedBy: 'wechat', receivedAt: confirmAt * 1000 });
  });
});

describe('npm run ops -- ship --csv', () => {
  it('ships 3 orders from a CSV where one is not shippable: 2 shipped, 1 line of error in Chinese', async () => {
    const [sku] = await testProduct('p-ful-csv', 20);
    const s = await shopper('csv');
    const a = await paidOrder(s, 'p-ful-csv', sku!);
    const b = await paidOrder(s, 'p-ful-csv', sku!);
    const unpaid = await buyNow(s, 'p-ful-csv', sku!);
    const csv = ['order_id,carrier,tracking_no', `${a.id},zhongtong,ZTCSV0001`, `${unpaid.id},zhongtong,ZTCSV0002`, `${b.id},zhongtong,ZTCSV0003`].join('\n');
    const { lines, errors } = parseShipCsv(csv);
    expect(errors).toEqual([]);
    const outcomes = await shipMany(lines, (orderId, body) => ship(orderId, body));
    expect(outcomes.filter((o) => o.ok).map((o) => o.orderId)).toEqual([a.id, b.id]);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.message)).toEqual(['第 2 行：订单状态为「待付款」，不能发货']);
  });
});
