/**
 * `npm run ops` after-sales, review and feedback commands against the operator handlers on DynamoDB Local: the
 * command functions of scripts/lib/ops-cli.ts send their requests through a `send` that finds the route in the
 * operator API table (shared/src/ops-api.ts) by method and path and calls its handler with the local operator key,
 * as API Gateway would. So the paths, queries and bodies the commands build are the ones the routes accept, every
 * list is read to its end through nextCursor, and what the operator reads (lines and CSV) comes from real answers.
 * One test runs scripts/ops.ts itself (a child process) against the same handlers behind a local HTTP server.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPS_API, type OpsApiName } from '@shop/shared';
import { freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { startS3 } from '../../tests/support/s3';
import { buyNow, shopper, testProduct, type Shopper } from '../../tests/support/shop';
import { drainReactions } from '../../tests/support/stream';
import {
  afterSaleAction,
  afterSaleLine,
  afterSalesCsv,
  afterSaleState,
  feedbackCsv,
  feedbackLine,
  listAfterSales,
  listFeedback,
  setReviewHidden,
  type OpsSend,
} from '../../scripts/lib/ops-cli';
import { userRepo } from '../src/repositories/user-repo';
import { refundRepo } from '../src/repositories/refund-repo';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import * as orders from '../src/handlers/orders';
import * as fulfilment from '../src/handlers/fulfilment';
import * as afterSales from '../src/handlers/after-sales';
import * as reviews from '../src/handlers/reviews';
import * as ordersOps from '../src/handlers/ops';
import * as afterSalesOps from '../src/handlers/ops-after-sales';
import * as reviewsOps from '../src/handlers/ops-reviews';
import { notify } from '../src/handlers/pay-notify';

let s3: Awaited<ReturnType<typeof startS3>>;
let opsKey = '';

beforeAll(async () => {
  s3 = await startS3();
  const { env } = await freshTable({
    RETURN_ADDRESS: '杭州市余杭区仓前街道 8 号 退货组',
    RETURN_ADDRESS_NAME: '退货组',
    RETURN_ADDRESS_PHONE: '0571-00000000',
  });
  opsKey = env.OPS_LOCAL_KEY!;
});

afterAll(async () => {
  await s3?.stop();
});

const handlers: Record<OpsApiName, (typeof ordersOps)[keyof typeof ordersOps]> = { ...ordersOps, ...afterSalesOps, ...reviewsOps };

/** The operator API as API Gateway routes it: the route is found in OPS_API by method and path, then its handler runs. */
function dispatch(method: string, pathAndQuery: string, headers: Record<string, string>, body?: unknown) {
  const url = new URL(pathAndQuery, 'https://ops.example');
  for (const [name, def] of Object.entries(OPS_API) as [OpsApiName, (typeof OPS_API)[OpsApiName]][]) {
    const pattern = new RegExp(`^${def.path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
    const m = def.method === method ? pattern.exec(url.pathname) : null;
    if (!m) continue;
    const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    return call(handlers[name], { headers, params, query: Object.fromEntries(url.searchParams), ...(body === undefined ? {} : { body }) });
  }
  throw new Error(`no operator route for ${method} ${url.pathname}`);
}

/** The commands' send, with the local operator key (or the headers given), recording each call. */
function opsSend(headers: () => Record<string, string> = () => ({ 'x-ops-key': opsKey })): OpsSend & { calls: string[] } {
  const calls: string[] = [];
  const send = async (method: string, pathAndQuery: string, body?: unknown) => {
    calls.push(`${method} ${pathAndQuery}`);
    return dispatch(method, pathAndQuery, headers(), body);
  };
  return Object.assign(send, { calls });
}

async function paidOrder(s: Shopper, productId: string, sku: string, quantity = 1) {
  const order = await buyNow(s, productId, sku, quantity);
  const payRes = await call(orders.payOrder, { token: s.token, params: { orderId: order.id } });
  expect(payRes.status).toBe(200);
  const sandbox = await sandboxWechatPay();
  await sandbox.simulateUserPayment(payRes.body.prepayId, 'pay', Date.now(), (await userRepo.get(s.userId))!.openid);
  const n = sandbox.server.buildNotification((await dynamoSandboxStore().get(order.id))!, Date.now());
  const res = await notify({ headers: n.headers, body: n.body, isBase64Encoded: false, requestContext: { requestId: 'wx' } }, { getRemainingTimeInMillis: () => 10_000 } as never);
  expect(res.statusCode).toBe(204);
  return order.id as string;
}

let trackingSeq = 0;
async function ship(orderId: string) {
  const trackingNo = `YT${String(Date.now()).slice(-8)}${String(++trackingSeq).padStart(4, '0')}`;
  const r = await call(ordersOps.opsShipOrder, { headers: { 'x-ops-key': opsKey }, params: { orderId }, body: { parcels: [{ carrier: 'yuantong', trackingNo }] } });
  expect(r.status).toBe(200);
}

function requestAfterSale(s: Shopper, body: Record<string, unknown>) {
  return call(afterSales.createAfterSale, { token: s.token, body: { reason: 'QUALITY', description: '', ...body } });
}

/** A CSV file's lines after its BOM (no field of these tests spans lines). */
const csvRows = (csv: string) => {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  return csv.slice(1).trimEnd().split('\n');
};

describe('npm run ops -- after-sales | approve | reject | receive | refund', () => {
  it('lists each state to its last page in words and CSV, and moves requests through every operator action', async () => {
    const [sku] = await testProduct('p-opscli-as', 50, 3900);
    const s = await shopper('opscli-as');
    const send = opsSend();

    // Three requests 申请中: a 仅退款 of an unshipped order, a 退货退款 and one to reject.
    const unshipped = await paidOrder(s, 'p-opscli-as', sku, 2);
    const returned = await paidOrder(s, 'p-opscli-as', sku, 1);
    const refused = await paidOrder(s, 'p-opscli-as', sku, 1);
    await ship(returned);
    await ship(refused);
    const refundOnly = (await requestAfterSale(s, { orderId: unshipped, skuId: sku, quantity: 2, type: 'REFUND_ONLY', reason: 'NOT_WANTED', description: '=拍错了, 不要了' })).body;
    const ret = (await requestAfterSale(s, { orderId: returned, skuId: sku, quantity: 1, type: 'RETURN_REFUND', reason: 'DAMAGED' })).body;
    const rej = (await requestAfterSale(s, { orderId: refused, skuId: sku, quantity: 1, type: 'REFUND_ONLY', reason: 'NOT_RECEIVED' })).body;
    expect([refundOnly.state, ret.state, rej.state]).toEqual(['REQUESTED', 'REQUESTED', 'REQUESTED']);

    // The queue, one request a page: every page is read, each exactly once.
    send.calls.length = 0;
    const queue = await listAfterSales(send, afterSaleState('申请中'), 1);
    expect(queue.map((v) => v.id).sort()).toEqual([refundOnly.id, ret.id, rej.id].sort());
    expect(send.calls).toHaveLength(4);
    expect(send.calls.slice(1).every((c) => c.includes('cursor='))).toBe(true);
    const line = afterSaleLine(queue.find((v) => v.id === refundOnly.id)!);
    expect(line).toContain(`订单 ${unshipped}`);
    expect(line).toMatch(/仅退款 {2}申请中/);
    expect(line).toContain('原因：不想要了，=拍错了, 不要了');
    expect(line).toContain(`退款 ¥${(refundOnly.refundFen / 100).toFixed(2)}`);
    expect(line).toContain('逾期自动同意');
    const [header, ...rows] = csvRows(afterSalesCsv(queue));
    expect(header.split(',').slice(0, 5)).toEqual(['after_sale_id', 'order_id', 'user_id', 'type', 'state']);
    expect(rows).toHaveLength(3);
    // Text a shopper wrote is never a spreadsheet formula.
    expect(rows.find((r) => r.startsWith(refundOnly.id))).toContain(`,"'=拍错了, 不要了",`);

    // Arguments are checked before anything is sent.
    send.calls.length = 0;
    await expect(afterSaleAction(send, 'approve', {})).rejects.toThrow('用法：approve --id');
    await expect(afterSaleAction(send, 'approve', { id: 'not-an-id' })).rejects.toThrow('售后单号无效');
    await expect(afterSaleAction(send, 'reject', { id: rej.id, reason: '  ' })).rejects.toThrow('请填写拒绝原因');
    expect(send.calls).toEqual([]);

    expect(await afterSaleAction(send, 'approve', { id: refundOnly.id })).toBe(
      `✓ 售后 ${refundOnly.id}（仅退款，订单 ${unshipped}）已同意，当前「退款中」；退款 ¥${(refundOnly.refundFen / 100).toFixed(2)}（退款中）`,
    );
    expect(await afterSaleAction(send, 'approve', { id: ret.id })).toContain('当前「待退货」；买家将寄回至 退货组 0571-00000000 杭州市余杭区仓前街道 8 号 退货组');
    expect(await afterSaleAction(send, 'reject', { id: rej.id, reason: '物流显示已签收' })).toContain('已拒绝，当前「已拒绝」；原因：物流显示已签收');
    // A refused move exits with the API's words.
    await expect(afterSaleAction(send, 'receive', { id: ret.id })).rejects.toThrow(/待退货/);
    await expect(afterSaleAction(send, 'approve', { id: `${unshipped}-9` })).rejects.toThrow();

    // The shopper sends the goods back: the 退货中 list shows the return parcel; receive → 退款中.
    const shipped = await call(afterSales.shipAfterSaleReturn, { token: s.token, params: { afterSaleId: ret.id }, body: { carrier: '圆通速递', trackingNo: 'YT9988776655' } });
    expect(shipped.status).toBe(200);
    const returning = await listAfterSales(send, afterSaleState('returning'));
    expect(returning.map((v) => v.id)).toEqual([ret.id]);
    expect(afterSaleLine(returning[0]!)).toContain('退货 圆通速递 YT9988776655');
    const [, retRow] = csvRows(afterSalesCsv(returning));
    expect(retRow).toContain(',圆通速递,YT9988776655,');
    expect(await afterSaleAction(send, 'receive', { id: ret.id })).toContain('已确认收到退货，当前「退款中」');

    // refund: asks again for a request in 退款中 (WeChat not reached yet); a request not in 退款中 is refused.
    expect(await afterSaleAction(send, 'refund', { id: ret.id })).toContain('已重新发起退款，当前「退款中」');
    await expect(afterSaleAction(send, 'refund', { id: rej.id })).rejects.toThrow('无需退款');
    expect((await refundRepo.forOrder(returned)).map((r) => r.amountFen)).toEqual([ret.refundFen]);

    const refunding = await listAfterSales(send, 'REFUNDING');
    expect(refunding.map((v) => v.id).sort()).toEqual([refundOnly.id, ret.id].sort());
    expect((await listAfterSales(send, afterSaleState('已拒绝'))).map((v) => afterSaleLine(v))).toEqual([expect.stringContaining('拒绝原因：物流显示已签收')]);
    expect(await listAfterSales(send, 'REQUESTED')).toEqual([]);

    // Every action is in the operator log, by the local operator.
    const log = await call(ordersOps.opsLog, { headers: { 'x-ops-key': opsKey } });
    const mine = log.body.items.filter((e: { target: string }) => [refundOnly.id, ret.id, rej.id].includes(e.target));
    expect(mine.map((e: { action: string }) => e.action).sort()).toEqual(['after-sale.approve', 'after-sale.approve', 'after-sale.receive', 'after-sale.refund', 'after-sale.reject'].sort());
    expect(mine.every((e: { actor: string }) => e.actor === 'local-operator')).toBe(true);
  });

  it('refuses a state it does not know, and a call without the operator key, in words', async () => {
    expect(() => afterSaleState('OPEN')).toThrow('未知的售后状态「OPEN」');
    await expect(listAfterSales(opsSend(() => ({})), 'REQUESTED')).rejects.toThrow('缺少运营密钥');
    await expect(listFeedback(opsSend(() => ({ 'x-ops-key': `${opsKey}x` })))).rejects.toThrow('运营密钥不正确');
  });
});

describe('npm run ops -- hide-review | show-review | feedback', () => {
  it('hides a review and shows it again (a repeat changes nothing), and lists 意见反馈 to the last page', async () => {
    const [sku] = await testProduct('p-opscli-rv', 10, 2900);
    const s = await shopper('opscli-rv');
    const send = opsSend();
    const orderId = await paidOrder(s, 'p-opscli-rv', sku);
    await ship(orderId);
    expect((await call(fulfilment.receiveOrder, { token: s.token, params: { orderId } })).status).toBe(200);
    const review = await call(reviews.createReview, { token: s.token, body: { orderId, skuId: sku, stars: 1, text: '包装破了，客服不回' } });
    expect(review.status).toBe(201);
    const id = review.body.id as string;
    const shown = async () => (await call(reviews.productReviews, { params: { productId: 'p-opscli-rv' }, query: {} })).body.items.map((r: { id: string }) => r.id);
    expect(await shown()).toEqual([id]);

    send.calls.length = 0;
    await expect(setReviewHidden(send, { id })).rejects.toThrow('请填写原因');
    await expect(setReviewHidden(send, { id: orderId, reason: '广告' })).rejects.toThrow('评价编号无效');
    expect(send.calls).toEqual([]);
    expect(await setReviewHidden(send, { id, reason: '含联系方式' })).toBe(`✓ 评价 ${id}（商品 p-opscli-rv）已隐藏`);
    expect(await shown()).toEqual([]);
    expect(await setReviewHidden(send, { id, reason: '含联系方式' })).toBe(`评价 ${id}（商品 p-opscli-rv）本来就已隐藏，未做改动`);
    expect(await setReviewHidden(send, { id, reason: '误操作', show: true })).toBe(`✓ 评价 ${id}（商品 p-opscli-rv）已恢复显示`);
    expect(await shown()).toEqual([id]);
    await expect(setReviewHidden(send, { id: `${orderId}_sku-none`, reason: '广告' })).rejects.toThrow('评价不存在');

    // 意见反馈: three, read one a page; the phone number only of the shopper who agreed to be contacted.
    const sent = [
      { type: 'DELIVERY', text: '快递太慢了，希望换顺丰', contactConsent: true, phone: '13900001111' },
      { type: 'APP', text: '@所有人 搜索不好用', contactConsent: false },
      { type: 'SUGGESTION', text: '希望增加夜间模式' },
    ];
    for (const body of sent) expect((await call(reviews.createFeedback, { token: s.token, body })).status).toBe(201);
    await drainReactions();
    send.calls.length = 0;
    const feedback = await listFeedback(send, 1);
    expect(send.calls).toHaveLength(4);
    expect(feedback.map((f) => f.text).sort()).toEqual(sent.map((f) => f.text).sort());
    const delivery = feedback.find((f) => f.type === 'DELIVERY')!;
    expect(feedbackLine(delivery)).toMatch(/物流配送 {2}快递太慢了，希望换顺丰 {2}可联系 13900001111/);
    expect(feedbackLine(feedback.find((f) => f.type === 'APP')!)).toContain('不希望被联系');
    const [header, ...rows] = csvRows(feedbackCsv(feedback));
    expect(header).toBe('feedback_id,created_at,user_id,type,text,photos,contact_consent,phone');
    expect(rows.find((r) => r.startsWith(delivery.id))).toMatch(/,物流配送,快递太慢了，希望换顺丰,,是,13900001111$/);
    expect(rows.find((r) => r.includes('搜索不好用'))).toMatch(/,页面使用,'@所有人 搜索不好用,,否,$/);
  });
});

describe('scripts/ops.ts itself', () => {
  it('exports the 退款中 queue to a CSV with a BOM and exits 1 with the API\'s words when an action is refused', async () => {
    const [sku] = await testProduct('p-opscli-run', 10, 4900);
    const s = await shopper('opscli-run');
    const orderId = await paidOrder(s, 'p-opscli-run', sku);
    const req = (await requestAfterSale(s, { orderId, skuId: sku, quantity: 1, type: 'REFUND_ONLY', reason: 'NOT_WANTED' })).body;

    // The operator API over HTTP, as `npm start` serves it; the command finds the local key in SHOP_DATA_DIR.
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', async () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const r = await dispatch(req.method!, req.url!, headers, text ? JSON.parse(text) : undefined);
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-ops-cli-'));
    fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ OPS_LOCAL_KEY: opsKey }));
    const env = { ...process.env, SHOP_DATA_DIR: dir, OPS_API_URL: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
    const root = path.resolve(import.meta.dirname, '../..');
    const ops = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/ops.ts'), ...args], { cwd: root, env }).then(
        (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
      );
    try {
      const approved = await ops('approve', '--id', req.id);
      expect(approved).toMatchObject({ code: 0, err: '' });
      expect(approved.out).toContain(`✓ 售后 ${req.id}（仅退款，订单 ${orderId}）已同意，当前「退款中」`);

      const csv = path.join(dir, 'refunding.csv');
      const listed = await ops('after-sales', '--state', '退款中', '--csv', csv);
      expect(listed.code).toBe(0);
      expect(listed.out).toMatch(/已导出 \d+ 个售后申请到 /);
      const rows = csvRows(fs.readFileSync(csv, 'utf8'));
      expect(rows.find((r) => r.startsWith(req.id))).toContain(`,${orderId},${s.userId},仅退款,退款中,`);

      const again = await ops('approve', '--id', req.id);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/^✗ .*退款中/);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
