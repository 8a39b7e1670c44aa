import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DomainError } from '@shop/shared';
import { freshTable } from '../../../tests/support/table';
import { generateLocalSecrets } from '../../../scripts/lib/local-secrets';
import { ConfigError, type AppConfig } from '../../src/lib/config';
import { createWechatPay, type WechatPayClientOptions } from '../../src/providers/wechat-pay/client';
import { buildWechatPay, refundNotifyUrlFor } from '../../src/providers/wechat-pay';
import { createSandboxWechatPay, type SandboxWechatPayOptions } from '../../src/providers/wechat-pay/sandbox';
import {
  dynamoSandboxStore,
  memorySandboxStore,
  type SandboxRefund,
  type SandboxStore,
} from '../../src/providers/wechat-pay/sandbox-server';
import { NotifyRejected, type PrepayRequest, type RefundRequest } from '../../src/providers/wechat-pay/types';
import { nonce } from '../../src/providers/wechat-pay/v3-crypto';

const APP_ID = 'wx0123456789abcdef';
const MCH_ID = '1900000109';
const NOTIFY_URL = 'https://shop.example.com/v1/pay/notify';
const REFUND_NOTIFY_URL = 'https://shop.example.com/v1/pay/refund-notify';
const TOTAL = 12_345;
const keys = generateLocalSecrets();
const other = generateLocalSecrets();
const platformPublicKeys: Record<string, string> = JSON.parse(keys.WXPAY_PLATFORM_PUBLIC_KEYS);

interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

function setup(over: Partial<SandboxWechatPayOptions> & { store?: SandboxStore } = {}) {
  const store = over.store ?? memorySandboxStore();
  const deliveries: Delivery[] = [];
  const notifyFetch: typeof fetch = async (input, init) => {
    deliveries.push({
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: String(init?.body),
    });
    return new Response(null, { status: 204 });
  };
  const pay = createSandboxWechatPay({
    appId: APP_ID,
    mchId: MCH_ID,
    notifyUrl: NOTIFY_URL,
    refundNotifyUrl: REFUND_NOTIFY_URL,
    mchPrivateKey: keys.WXPAY_MCH_PRIVATE_KEY,
    mchSerial: keys.WXPAY_MCH_SERIAL,
    apiV3Key: keys.WXPAY_API_V3_KEY,
    platformPrivateKey: keys.SANDBOX_PLATFORM_PRIVATE_KEY,
    platformSerial: keys.SANDBOX_PLATFORM_SERIAL,
    platformPublicKeys,
    notifyFetch,
    ...over,
    store,
  });
  const server = pay.server;
  /** The real client talking to the same sandbox, with a record of what it sent. */
  function client(o: Partial<WechatPayClientOptions> = {}) {
    const sent: Sent[] = [];
    const c = createWechatPay({
      appId: APP_ID,
      mchId: MCH_ID,
      notifyUrl: NOTIFY_URL,
      refundNotifyUrl: REFUND_NOTIFY_URL,
      mchPrivateKey: keys.WXPAY_MCH_PRIVATE_KEY,
      mchSerial: keys.WXPAY_MCH_SERIAL,
      apiV3Key: keys.WXPAY_API_V3_KEY,
      platformPublicKeys,
      backoffMs: 1,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const text = await request.clone().text();
        sent.push({ method: request.method, path: new URL(request.url).pathname, body: text ? JSON.parse(text) : undefined });
        return server.handle(request);
      },
      ...o,
    });
    return { client: c, sent };
  }
  return { pay, store, server, deliveries, client };
}

let seq = 0;
function prepayRequest(over: Partial<PrepayRequest> = {}): PrepayRequest {
  seq += 1;
  return {
    outTradeNo: `01JREFUND${String(seq).padStart(5, '0')}${nonce(6).toUpperCase()}`,
    description: '退款测试商品',
    amountFen: TOTAL,
    payerOpenid: 'sandbox-openid-alice',
    timeExpireAt: Date.now() + 15 * 60_000,
    ...over,
  };
}

/** A transaction the shopper has paid; its payment notification is dropped from `deliveries`. */
async function paid(ctx: ReturnType<typeof setup>, over: Partial<PrepayRequest> = {}) {
  const req = prepayRequest(over);
  const { prepayId } = await ctx.pay.createJsapiPrepay(req);
  await ctx.pay.simulateUserPayment(prepayId, 'pay', Date.now());
  ctx.deliveries.length = 0;
  return req;
}

function refundRequest(outTradeNo: string, over: Partial<RefundRequest> = {}): RefundRequest {
  return { outTradeNo, outRefundNo: `${outTradeNo}-R`, reason: '买家取消已支付订单', refundFen: TOTAL, totalFen: TOTAL, ...over };
}

async function rejection<T extends Error>(p: Promise<unknown>, type: new (...a: never[]) => T): Promise<T> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  return error as T;
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NotifyRejected);
    return (e as NotifyRejected).reason;
  }
  throw new Error('expected a rejection');
}

describe('refunding a paid transaction', () => {
  it('is PROCESSING until WeChat completes it, then a REFUND.SUCCESS notification carries the amounts', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const { client, sent } = ctx.client();

    const accepted = await client.refund(refundRequest(tx.outTradeNo, { refundFen: 2_345, reason: '退'.repeat(100) }));

    expect(accepted).toEqual({
      outRefundNo: `${tx.outTradeNo}-R`,
      refundId: expect.stringMatching(/^50\d{27}$/),
      outTradeNo: tx.outTradeNo,
      status: 'PROCESSING',
      refundFen: 2_345,
      successTime: null,
    });
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/v3/refund/domestic/refunds',
        body: {
          out_trade_no: tx.outTradeNo,
          out_refund_no: `${tx.outTradeNo}-R`,
          reason: '退'.repeat(80),
          notify_url: REFUND_NOTIFY_URL,
          amount: { refund: 2_345, total: TOTAL, currency: 'CNY' },
        },
      },
    ]);
    expect(ctx.deliveries).toHaveLength(0);

    const nowMs = Date.now();
    expect(await ctx.pay.completeRefund(accepted.outRefundNo, 'SUCCESS', nowMs)).toEqual({ delivered: true, notifyStatus: 204 });

    const [delivery] = ctx.deliveries;
    expect(delivery.url).toBe(REFUND_NOTIFY_URL);
    const envelope = JSON.parse(delivery.body);
    expect(envelope).toMatchObject({
      resource_type: 'encrypt-resource',
      event_type: 'REFUND.SUCCESS',
      summary: '退款成功',
      resource: { original_type: 'refund', algorithm: 'AEAD_AES_256_GCM', associated_data: 'refund' },
    });
    const paidNotice = ctx.pay.parseRefundNotification(delivery.headers, delivery.body, nowMs);
    expect(paidNotice).toEqual({
      eventId: envelope.id,
      eventType: 'REFUND.SUCCESS',
      mchid: MCH_ID,
      outTradeNo: tx.outTradeNo,
      transactionId: expect.stringMatching(/^4200\d{24}$/),
      outRefundNo: accepted.outRefundNo,
      refundId: accepted.refundId,
      refundStatus: 'SUCCESS',
      refundFen: 2_345,
      totalFen: TOTAL,
      successTime: Math.floor(nowMs / 1000) * 1000,
    });
  });

  it('shows SUCCESS on query afterwards, and the transaction as REFUND', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const accepted = await ctx.pay.refund(refundRequest(tx.outTradeNo, { refundFen: 100 }));
    expect(await ctx.pay.queryRefund(accepted.outRefundNo)).toMatchObject({ status: 'PROCESSING', successTime: null });
    expect((await ctx.pay.queryByOutTradeNo(tx.outTradeNo)).tradeState).toBe('SUCCESS');

    const nowMs = Date.now();
    await ctx.pay.completeRefund(accepted.outRefundNo, 'SUCCESS', nowMs);

    expect(await ctx.pay.queryRefund(accepted.outRefundNo)).toEqual({
      ...accepted,
      status: 'SUCCESS',
      successTime: Math.floor(nowMs / 1000) * 1000,
    });
    expect(await ctx.pay.queryByOutTradeNo(tx.outTradeNo)).toMatchObject({ tradeState: 'REFUND', amountTotalFen: TOTAL });
  });

  it('answers a repeated refund request with the refund’s current state', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const first = await ctx.pay.refund(refundRequest(tx.outTradeNo));
    await ctx.pay.completeRefund(first.outRefundNo, 'SUCCESS', Date.now());
    expect(await ctx.pay.refund(refundRequest(tx.outTradeNo))).toMatchObject({ refundId: first.refundId, status: 'SUCCESS' });
  });

  it('reports an ABNORMAL refund, which leaves the transaction SUCCESS and cannot then succeed', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const accepted = await ctx.pay.refund(refundRequest(tx.outTradeNo));
    const nowMs = Date.now();

    await ctx.pay.completeRefund(accepted.outRefundNo, 'ABNORMAL', nowMs);

    const n = ctx.pay.parseRefundNotification(ctx.deliveries[0].headers, ctx.deliveries[0].body, nowMs);
    expect(n).toMatchObject({ eventType: 'REFUND.ABNORMAL', refundStatus: 'ABNORMAL', successTime: null });
    expect(await ctx.pay.queryRefund(accepted.outRefundNo)).toMatchObject({ status: 'ABNORMAL' });
    expect((await ctx.pay.queryByOutTradeNo(tx.outTradeNo)).tradeState).toBe('SUCCESS');
    const e = await rejection(ctx.pay.completeRefund(accepted.outRefundNo, 'SUCCESS', nowMs), DomainError);
    expect(e.code).toBe('ORDER_STATE_CONFLICT');
  });

  it('re-delivers the same event when completed twice, as WeChat’s retries do', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const accepted = await ctx.pay.refund(refundRequest(tx.outTradeNo));
    const nowMs = Date.now();
    await ctx.pay.completeRefund(accepted.outRefundNo, 'SUCCESS', nowMs);
    await ctx.pay.completeRefund(accepted.outRefundNo, 'SUCCESS', nowMs + 15_000);
    const [a, b] = ctx.deliveries.map((d) => ctx.pay.parseRefundNotification(d.headers, d.body, nowMs));
    expect(b).toEqual(a);
  });

  it('finishes refunds by itself when autoCompleteRefunds is set', async () => {
    const ctx = setup({ autoCompleteRefunds: 'SUCCESS' });
    const tx = await paid(ctx);

    const accepted = await ctx.pay.refund(refundRequest(tx.outTradeNo));

    expect(accepted.status).toBe('PROCESSING');
    await vi.waitFor(() => expect(ctx.deliveries).toHaveLength(1));
    const n = ctx.pay.parseRefundNotification(ctx.deliveries[0].headers, ctx.deliveries[0].body, Date.now());
    expect(n).toMatchObject({ eventType: 'REFUND.SUCCESS', outRefundNo: accepted.outRefundNo, refundFen: TOTAL });
    expect((await ctx.pay.queryRefund(accepted.outRefundNo)).status).toBe('SUCCESS');
  });

  it('does not know an unknown out_refund_no', async () => {
    const ctx = setup();
    const e = await rejection(ctx.pay.queryRefund('01JNOSUCHREFUND-R'), DomainError);
    expect(e.code).toBe('NOT_FOUND');
    expect((await rejection(ctx.pay.completeRefund('01JNOSUCHREFUND-R', 'SUCCESS', Date.now()), DomainError)).code).toBe('NOT_FOUND');
  });
});

describe('what WeChat refuses to refund', () => {
  it('refunds a transaction at most once per out_refund_no, however often it is asked', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const req = refundRequest(tx.outTradeNo, { refundFen: 5_000 });

    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => ctx.pay.refund(req)));

    expect(new Set(answers.map((a) => a.refundId)).size).toBe(1);
    expect((await ctx.store.get(tx.outTradeNo))?.refundedFen).toBe(5_000);
  });

  it('refuses a used out_refund_no with another amount', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    await ctx.pay.refund(refundRequest(tx.outTradeNo, { refundFen: 5_000 }));
    const e = await rejection(ctx.pay.refund(refundRequest(tx.outTradeNo, { refundFen: 5_001 })), DomainError);
    expect(e.code).toBe('PAYMENT_UNAVAILABLE');
    expect(e.details).toMatchObject({ operation: 'refund', httpStatus: 400, wechatCode: 'INVALID_REQUEST', signed: true });
  });

  it('allows partial refunds that add up to the total, and not one fen more', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const parts = [5_000, 7_000, 345];
    for (const [i, refundFen] of parts.entries()) {
      await ctx.pay.refund(refundRequest(tx.outTradeNo, { outRefundNo: `${tx.outTradeNo}-P${i}`, refundFen }));
    }
    const e = await rejection(ctx.pay.refund(refundRequest(tx.outTradeNo, { outRefundNo: `${tx.outTradeNo}-P9`, refundFen: 1 })), DomainError);
    expect(e.details).toMatchObject({ httpStatus: 400, wechatCode: 'INVALID_REQUEST', wechatMessage: '申请退款金额超过订单可退金额' });
  });

  it('refuses a refund larger than what is left', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    await ctx.pay.refund(refundRequest(tx.outTradeNo, { outRefundNo: `${tx.outTradeNo}-A`, refundFen: 8_000 }));
    const e = await rejection(ctx.pay.refund(refundRequest(tx.outTradeNo, { outRefundNo: `${tx.outTradeNo}-B`, refundFen: 5_000 })), DomainError);
    expect(e.details).toMatchObject({ wechatCode: 'INVALID_REQUEST', wechatMessage: '申请退款金额超过订单可退金额' });
    await expect(ctx.pay.queryRefund(`${tx.outTradeNo}-B`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets only one of two refunds racing for the same money through', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const results = await Promise.allSettled(
      ['X', 'Y'].map((s) => ctx.pay.refund(refundRequest(tx.outTradeNo, { outRefundNo: `${tx.outTradeNo}-${s}`, refundFen: 7_000 }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses to refund an unpaid transaction, or one WeChat never saw', async () => {
    const ctx = setup();
    const req = prepayRequest();
    await ctx.pay.createJsapiPrepay(req);
    const unpaid = await rejection(ctx.pay.refund(refundRequest(req.outTradeNo)), DomainError);
    expect(unpaid.details).toMatchObject({ httpStatus: 400, wechatCode: 'INVALID_REQUEST' });
    const unknown = await rejection(ctx.pay.refund(refundRequest('01JNEVERPAID000000000000000')), DomainError);
    expect(unknown.details).toMatchObject({ httpStatus: 404, wechatCode: 'RESOURCE_NOT_EXISTS' });
  });

  it('refuses a total that is not the transaction’s', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const e = await rejection(ctx.pay.refund(refundRequest(tx.outTradeNo, { totalFen: TOTAL + 1, refundFen: 1 })), DomainError);
    expect(e.details).toMatchObject({ wechatCode: 'INVALID_REQUEST' });
  });

  it('checks amounts and numbers before calling WeChat', async () => {
    const { client, sent } = setup().client();
    await expect(client.refund(refundRequest('01JANYTHING000000000000000', { refundFen: TOTAL + 1 }))).rejects.toThrow(/refund must be/);
    await expect(client.refund(refundRequest('01JANYTHING000000000000000', { refundFen: 0 }))).rejects.toThrow(/refund must be/);
    await expect(client.refund(refundRequest('01JANYTHING000000000000000', { outRefundNo: 'no spaces' }))).rejects.toThrow(/out_refund_no/);
    expect(sent).toHaveLength(0);
  });
});

describe('refund notifications', () => {
  async function completed() {
    const ctx = setup();
    const tx = await paid(ctx);
    const accepted = await ctx.pay.refund(refundRequest(tx.outTradeNo));
    const nowMs = Date.now();
    await ctx.pay.completeRefund(accepted.outRefundNo, 'SUCCESS', nowMs);
    return { ...ctx, tx, nowMs, delivery: ctx.deliveries[0] };
  }

  it('rejects a body with one byte changed', async () => {
    const { pay, nowMs, delivery } = await completed();
    const tampered = delivery.body.replace('REFUND.SUCCESS', 'REFUND.SUCCESs');
    expect(reasonOf(() => pay.parseRefundNotification(delivery.headers, tampered, nowMs))).toBe('BAD_SIGNATURE');
  });

  it('rejects a stale one and one under an unknown serial', async () => {
    const { pay, nowMs, delivery } = await completed();
    expect(reasonOf(() => pay.parseRefundNotification(delivery.headers, delivery.body, nowMs + 301_000))).toBe('STALE_TIMESTAMP');
    const headers = { ...delivery.headers, 'wechatpay-serial': other.SANDBOX_PLATFORM_SERIAL };
    expect(reasonOf(() => pay.parseRefundNotification(headers, delivery.body, nowMs))).toBe('UNKNOWN_SERIAL');
  });

  it('rejects a resource encrypted with another APIv3 key', async () => {
    const { pay, store, tx, nowMs } = await completed();
    const refund = (await store.getRefund(`${tx.outTradeNo}-R`))!;
    const elsewhere = setup({ apiV3Key: other.WXPAY_API_V3_KEY }).server.buildRefundNotification(refund, nowMs);
    expect(reasonOf(() => pay.parseRefundNotification(elsewhere.headers, elsewhere.body, nowMs))).toBe('DECRYPT_FAILED');
  });

  it('keeps payment and refund notifications apart', async () => {
    const ctx = setup();
    const req = prepayRequest();
    const { prepayId } = await ctx.pay.createJsapiPrepay(req);
    const nowMs = Date.now();
    await ctx.pay.simulateUserPayment(prepayId, 'pay', nowMs);
    const payment = ctx.deliveries[0];
    const accepted = await ctx.pay.refund(refundRequest(req.outTradeNo));
    await ctx.pay.completeRefund(accepted.outRefundNo, 'SUCCESS', nowMs);
    const refund = ctx.deliveries[1];

    expect(reasonOf(() => ctx.pay.parseRefundNotification(payment.headers, payment.body, nowMs))).toBe('BAD_BODY');
    expect(reasonOf(() => ctx.pay.parseNotification(refund.headers, refund.body, nowMs))).toBe('BAD_BODY');
  });
});

describe('failures on the way', () => {
  it('retries a refund after a 5xx and succeeds', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const { client, sent } = ctx.client();
    ctx.server.failNextRequests(1);

    const accepted = await client.refund(refundRequest(tx.outTradeNo));

    expect(accepted.status).toBe('PROCESSING');
    expect(sent).toHaveLength(2);
    expect(sent[1].body).toEqual(sent[0].body);
  });

  it('refunds once when WeChat did the refund but the answer was lost', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const req = refundRequest(tx.outTradeNo, { refundFen: 6_000 });
    ctx.server.failNextRequests(1, 503, 'after');
    const once = ctx.client({ maxRetries: 0 }).client;
    expect((await rejection(once.refund(req), DomainError)).details).toMatchObject({ httpStatus: 503 });
    const done = await ctx.pay.queryRefund(req.outRefundNo);
    expect(done.status).toBe('PROCESSING');

    ctx.server.failNextRequests(1, 503, 'after');
    const { client, sent } = ctx.client();
    expect(await client.refund(req)).toEqual(done);

    expect(sent).toHaveLength(2);
    expect((await ctx.store.get(tx.outTradeNo))?.refundedFen).toBe(6_000);
  });

  it('gives up after the retries with the last 5xx', async () => {
    const ctx = setup();
    const tx = await paid(ctx);
    const { client, sent } = ctx.client();
    ctx.server.failNextRequests(3, 502);
    const e = await rejection(client.refund(refundRequest(tx.outTradeNo)), DomainError);
    expect(e.details).toMatchObject({ operation: 'refund', attempts: 3, httpStatus: 502, wechatCode: 'SYSTEM_ERROR' });
    expect(sent).toHaveLength(3);
    // The next request goes through again.
    expect((await client.refund(refundRequest(tx.outTradeNo))).status).toBe('PROCESSING');
  });
});

describe('the refund notify URL', () => {
  const cfg = (notifyUrl: string): AppConfig => ({
    stage: 'prod',
    tableName: 't',
    dynamoEndpoint: undefined,
    region: 'ap-east-1',
    wechat: { appId: APP_ID, mchId: MCH_ID, notifyUrl, sandbox: false },
    paymentWindowMs: 900_000,
    sessionTtlSeconds: 3600,
    webBaseUrl: 'https://shop.example.com',
  });
  const secrets = {
    jwtSecret: keys.JWT_SECRET,
    wechatAppSecret: keys.WECHAT_APP_SECRET,
    mchPrivateKey: keys.WXPAY_MCH_PRIVATE_KEY,
    mchSerial: keys.WXPAY_MCH_SERIAL,
    apiV3Key: keys.WXPAY_API_V3_KEY,
    platformPublicKeys,
  };

  it('is the payment one with /notify replaced by /refund-notify', () => {
    expect(refundNotifyUrlFor('https://api.example.com/v1/pay/notify')).toBe('https://api.example.com/v1/pay/refund-notify');
    expect(refundNotifyUrlFor('http://127.0.0.1:3000/v1/pay/notify')).toBe('http://127.0.0.1:3000/v1/pay/refund-notify');
  });

  it('must be set when it cannot be derived', async () => {
    await expect(buildWechatPay(cfg('https://api.example.com/wxpay/callback'), secrets, {})).rejects.toThrow(ConfigError);
    expect((await buildWechatPay(cfg('https://api.example.com/wxpay/callback'), secrets, { WECHAT_REFUND_NOTIFY_URL: 'https://api.example.com/wxpay/refund' })).mode).toBe('wechat');
  });

  it('refuses an unknown SANDBOX_AUTO_COMPLETE_REFUNDS', async () => {
    const env = {
      SANDBOX_PLATFORM_PRIVATE_KEY: keys.SANDBOX_PLATFORM_PRIVATE_KEY,
      SANDBOX_PLATFORM_SERIAL: keys.SANDBOX_PLATFORM_SERIAL,
    };
    const local = { ...cfg(NOTIFY_URL), stage: 'local', wechat: { ...cfg(NOTIFY_URL).wechat, sandbox: true } };
    expect((await buildWechatPay(local, secrets, { ...env, SANDBOX_AUTO_COMPLETE_REFUNDS: 'SUCCESS' })).mode).toBe('sandbox');
    await expect(buildWechatPay(local, secrets, { ...env, SANDBOX_AUTO_COMPLETE_REFUNDS: 'yes' })).rejects.toThrow(ConfigError);
  });
});

describe('the DynamoDB sandbox store', () => {
  beforeAll(async () => {
    await freshTable();
  });

  it('runs a refund through to REFUND on DynamoDB', async () => {
    const ctx = setup({ store: dynamoSandboxStore() });
    const tx = await paid(ctx);
    const accepted = await ctx.pay.refund(refundRequest(tx.outTradeNo, { refundFen: 345 }));
    expect(await ctx.pay.refund(refundRequest(tx.outTradeNo, { refundFen: 345 }))).toEqual(accepted);
    const nowMs = Date.now();

    await ctx.pay.completeRefund(accepted.outRefundNo, 'SUCCESS', nowMs);

    expect(ctx.pay.parseRefundNotification(ctx.deliveries[0].headers, ctx.deliveries[0].body, nowMs)).toMatchObject({ refundFen: 345, totalFen: TOTAL });
    expect(await ctx.pay.queryRefund(accepted.outRefundNo)).toMatchObject({ status: 'SUCCESS' });
    expect((await ctx.pay.queryByOutTradeNo(tx.outTradeNo)).tradeState).toBe('REFUND');
    await expect(ctx.pay.close(tx.outTradeNo)).rejects.toMatchObject({ details: { wechatCode: 'ORDERPAID' } });
  });

  it('lets concurrent refunds take no more than the total', async () => {
    const store = dynamoSandboxStore();
    const ctx = setup({ store });
    const tx = await paid(ctx);
    const transactionId = (await store.get(tx.outTradeNo))!.transactionId!;
    const refund = (i: number): SandboxRefund => ({
      outRefundNo: `${tx.outTradeNo}-C${i}`,
      refundId: `50${i}`,
      outTradeNo: tx.outTradeNo,
      transactionId,
      mchid: MCH_ID,
      reason: null,
      notifyUrl: null,
      refundFen: 1_000,
      totalFen: TOTAL,
      status: 'PROCESSING',
      createdAt: Date.now(),
      successTime: null,
    });

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.createRefund(refund(i))));

    expect(results.filter((r) => r.outcome === 'CREATED')).toHaveLength(12);
    expect(results.filter((r) => r.outcome === 'NOT_ENOUGH')).toHaveLength(8);
    expect((await store.get(tx.outTradeNo))?.refundedFen).toBe(12_000);
    expect(await store.createRefund(refund(0))).toMatchObject({ outcome: 'EXISTS', refund: { outRefundNo: `${tx.outTradeNo}-C0` } });
    expect(await store.createRefund({ ...refund(99), outTradeNo: '01JNEVERPAID000000000000000' })).toEqual({ outcome: 'NOT_PAID' });
    expect(await store.finishRefund(`${tx.outTradeNo}-C0`, { status: 'SUCCESS', successTime: 1 })).toMatchObject({ status: 'SUCCESS' });
    expect(await store.finishRefund(`${tx.outTradeNo}-C0`, { status: 'ABNORMAL', successTime: null })).toBeUndefined();
    expect((await store.get(tx.outTradeNo))?.refundSucceeded).toBe(true);
  });
});
