import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/shared';
import { generateLocalSecrets } from '../../../scripts/lib/local-secrets';
import { createWechatPay, type WechatPayClientOptions } from '../../src/providers/wechat-pay/client';
import { createSandboxWechatPay } from '../../src/providers/wechat-pay/sandbox';
import { memorySandboxStore } from '../../src/providers/wechat-pay/sandbox-server';
import { buildWechatPay } from '../../src/providers/wechat-pay';
import { NotifyRejected, type PrepayRequest } from '../../src/providers/wechat-pay/types';
import {
  authorizationHeader,
  nonce,
  publicKeyFromPrivate,
  requestSignatureMessage,
  responseSignatureMessage,
  signMessage,
  verifyMessage,
} from '../../src/providers/wechat-pay/v3-crypto';
import type { AppConfig } from '../../src/lib/config';

const APP_ID = 'wx0123456789abcdef';
const MCH_ID = '1900000109';
const NOTIFY_URL = 'https://shop.example.com/pay/notify';
const keys = generateLocalSecrets();
const other = generateLocalSecrets();
const platformPublicKeys: Record<string, string> = JSON.parse(keys.WXPAY_PLATFORM_PUBLIC_KEYS);

interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function setup(opts: { notifyStatus?: number; notifyThrows?: boolean; apiV3Key?: string } = {}) {
  const store = memorySandboxStore();
  const deliveries: Delivery[] = [];
  const notifyFetch: typeof fetch = async (input, init) => {
    if (opts.notifyThrows) throw new TypeError('fetch failed');
    deliveries.push({
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: String(init?.body),
    });
    return new Response(null, { status: opts.notifyStatus ?? 204 });
  };
  const pay = createSandboxWechatPay({
    appId: APP_ID,
    mchId: MCH_ID,
    notifyUrl: NOTIFY_URL,
    mchPrivateKey: keys.WXPAY_MCH_PRIVATE_KEY,
    mchSerial: keys.WXPAY_MCH_SERIAL,
    apiV3Key: opts.apiV3Key ?? keys.WXPAY_API_V3_KEY,
    platformPrivateKey: keys.SANDBOX_PLATFORM_PRIVATE_KEY,
    platformSerial: keys.SANDBOX_PLATFORM_SERIAL,
    platformPublicKeys,
    store,
    notifyFetch,
  });
  return { pay, store, deliveries, server: pay.server };
}

let seq = 0;
function prepayRequest(over: Partial<PrepayRequest> = {}): PrepayRequest {
  seq += 1;
  return {
    outTradeNo: `01JTEST${String(seq).padStart(6, '0')}${nonce(6).toUpperCase()}`,
    description: '测试商品 ×2',
    amountFen: 12_345,
    payerOpenid: 'sandbox-openid-alice',
    timeExpireAt: Date.now() + 15 * 60_000,
    ...over,
  };
}

async function rejection<T extends Error>(p: Promise<unknown> | (() => unknown), type: new (...a: never[]) => T): Promise<T> {
  let error: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  return error as T;
}

/** A request as the merchant would send it, signed with `key`. */
function signedRequest(
  method: 'GET' | 'POST',
  pathWithQuery: string,
  signedBody: string,
  o: { key?: string; sentBody?: string; nowMs?: number; mchid?: string } = {},
): Request {
  const timestamp = Math.floor((o.nowMs ?? Date.now()) / 1000);
  const n = nonce();
  const signature = signMessage(
    o.key ?? keys.WXPAY_MCH_PRIVATE_KEY,
    requestSignatureMessage(method, pathWithQuery, timestamp, n, signedBody),
  );
  const body = o.sentBody ?? signedBody;
  return new Request(`https://api.mch.weixin.qq.com${pathWithQuery}`, {
    method,
    body: body || undefined,
    headers: {
      Authorization: authorizationHeader({
        mchid: o.mchid ?? MCH_ID,
        serial: keys.WXPAY_MCH_SERIAL,
        nonce: n,
        timestamp,
        signature,
      }),
      Accept: 'application/json',
      'Content-Type': 'application/json',
    },
  });
}

/** Wechatpay-* headers over `body`, as the platform key (or another key under the platform's serial) signs. */
function signedAsPlatform(body: string, nowMs: number, key = keys.SANDBOX_PLATFORM_PRIVATE_KEY): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const n = nonce();
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': n,
    'Wechatpay-Signature': signMessage(key, responseSignatureMessage(timestamp, n, body)),
    'Wechatpay-Serial': keys.SANDBOX_PLATFORM_SERIAL,
  };
}

function clientOptions(over: Partial<WechatPayClientOptions> = {}): WechatPayClientOptions {
  return {
    appId: APP_ID,
    mchId: MCH_ID,
    notifyUrl: NOTIFY_URL,
    mchPrivateKey: keys.WXPAY_MCH_PRIVATE_KEY,
    mchSerial: keys.WXPAY_MCH_SERIAL,
    apiV3Key: keys.WXPAY_API_V3_KEY,
    platformPublicKeys,
    backoffMs: 1,
    ...over,
  };
}

describe('the sandbox checks merchant signatures as WeChat Pay does', () => {
  const body = JSON.stringify({
    appid: APP_ID,
    mchid: MCH_ID,
    description: 'x',
    out_trade_no: 'SIGTEST000001',
    notify_url: NOTIFY_URL,
    amount: { total: 1, currency: 'CNY' },
    payer: { openid: 'o' },
  });

  it('accepts a correctly signed request and signs its answer with the platform key', async () => {
    const { server } = setup();
    const res = await server.handle(signedRequest('POST', '/v3/pay/transactions/jsapi', body));
    expect(res.status).toBe(200);
    const text = await res.text();
    const message = `${res.headers.get('Wechatpay-Timestamp')}\n${res.headers.get('Wechatpay-Nonce')}\n${text}\n`;
    expect(res.headers.get('Wechatpay-Serial')).toBe(keys.SANDBOX_PLATFORM_SERIAL);
    expect(verifyMessage(platformPublicKeys[keys.SANDBOX_PLATFORM_SERIAL], message, res.headers.get('Wechatpay-Signature')!)).toBe(true);
  });

  it.each([
    ['a body changed after signing', { sentBody: body.replace('"total":1', '"total":2') }],
    ['another private key', { key: other.WXPAY_MCH_PRIVATE_KEY }],
    ['another merchant id', { mchid: '1900000999' }],
    ['a timestamp 10 minutes old', { nowMs: Date.now() - 600_000 }],
  ])('answers 401 SIGN_ERROR to %s', async (_name, o) => {
    const { server } = setup();
    const res = await server.handle(signedRequest('POST', '/v3/pay/transactions/jsapi', body, o));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'SIGN_ERROR' });
  });

  it('answers 401 to a request without Authorization', async () => {
    const { server } = setup();
    const res = await server.handle(new Request('https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi', { method: 'POST', body }));
    expect(res.status).toBe(401);
  });

  it('signs over the path with its query', async () => {
    const { server } = setup();
    const path = `/v3/pay/transactions/out-trade-no/NOPE00000001?mchid=${MCH_ID}`;
    const ok = await server.handle(signedRequest('GET', path, ''));
    expect(ok.status).toBe(404);
    const signedWithoutQuery = signedRequest('GET', '/v3/pay/transactions/out-trade-no/NOPE00000001', '');
    const res = await server.handle(
      new Request(`https://api.mch.weixin.qq.com${path}`, { headers: signedWithoutQuery.headers }),
    );
    expect(res.status).toBe(401);
  });
});

describe('prepay', () => {
  it('sends appid, mchid, truncated description, RFC 3339 time_expire, notify_url, amount and payer', async () => {
    const { server } = setup();
    const sent: { url: string; headers: Headers; body: unknown }[] = [];
    const client = createWechatPay(
      clientOptions({
        fetch: async (input, init) => {
          const request = new Request(input, init);
          sent.push({ url: request.url, headers: request.headers, body: await request.clone().json() });
          return server.handle(request);
        },
      }),
    );
    const req = prepayRequest({ description: '好'.repeat(200), timeExpireAt: Date.UTC(2030, 0, 1, 4, 0, 0, 500) });

    const { prepayId } = await client.createJsapiPrepay(req);

    expect(prepayId).toMatch(/^wx[0-9a-z]{28,}$/);
    expect(sent[0].url).toBe('https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi');
    expect(sent[0].headers.get('authorization')).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="[A-Za-z0-9]{32}",signature="[^"]+",timestamp="\d+",serial_no="[0-9A-F]{40}"$/);
    expect(sent[0].headers.get('accept')).toBe('application/json');
    expect(sent[0].headers.get('user-agent')).toBeTruthy();
    expect(sent[0].body).toEqual({
      appid: APP_ID,
      mchid: MCH_ID,
      description: '好'.repeat(127),
      out_trade_no: req.outTradeNo,
      time_expire: '2030-01-01T12:00:00+08:00',
      notify_url: NOTIFY_URL,
      amount: { total: 12_345, currency: 'CNY' },
      payer: { openid: 'sandbox-openid-alice' },
    });
  });

  it('returns the same prepay_id for the same out_trade_no and parameters', async () => {
    const { pay } = setup();
    const req = prepayRequest();
    const first = await pay.createJsapiPrepay(req);
    const again = await pay.createJsapiPrepay(req);
    expect(again.prepayId).toBe(first.prepayId);
  });

  it('refuses a used out_trade_no with different parameters', async () => {
    const { pay } = setup();
    const req = prepayRequest();
    await pay.createJsapiPrepay(req);
    const e = await rejection(pay.createJsapiPrepay({ ...req, amountFen: req.amountFen + 1 }), DomainError);
    expect(e.code).toBe('PAYMENT_UNAVAILABLE');
    expect(e.details).toMatchObject({ httpStatus: 400, wechatCode: 'INVALID_REQUEST', signed: true });
  });

  it('refuses an invalid out_trade_no before calling WeChat', async () => {
    const { pay } = setup();
    await expect(pay.createJsapiPrepay(prepayRequest({ outTradeNo: 'bad no' }))).rejects.toThrow(/out_trade_no/);
  });
});

describe('payment parameters for wx.requestPayment', () => {
  it('signs appId, timeStamp, nonceStr and package with the merchant key', () => {
    const { pay } = setup();
    const nowMs = 1_700_000_000_123;

    const p = pay.paymentParams('wx20250101120000abcdef0123456789abcd', nowMs);

    expect(p).toMatchObject({ timeStamp: '1700000000', package: 'prepay_id=wx20250101120000abcdef0123456789abcd', signType: 'RSA' });
    expect(p.nonceStr).toMatch(/^[A-Za-z0-9]{32}$/);
    const merchantPublicKey = publicKeyFromPrivate(keys.WXPAY_MCH_PRIVATE_KEY);
    const message = `${APP_ID}\n1700000000\n${p.nonceStr}\nprepay_id=wx20250101120000abcdef0123456789abcd\n`;
    expect(verifyMessage(merchantPublicKey, message, p.paySign)).toBe(true);
  });
});

describe('payment notifications', () => {
  async function paidNotification(apiV3Key?: string) {
    const ctx = setup({ apiV3Key });
    const req = prepayRequest();
    const { prepayId } = await ctx.pay.createJsapiPrepay(req);
    const nowMs = Date.now();
    const result = await ctx.pay.simulateUserPayment(prepayId, 'pay', nowMs);
    return { ...ctx, req, prepayId, nowMs, result, delivery: ctx.deliveries[0] };
  }

  it('delivers a signed, encrypted TRANSACTION.SUCCESS that the client accepts', async () => {
    const { pay, req, nowMs, result, delivery } = await paidNotification();

    expect(result).toEqual({ delivered: true, notifyStatus: 204 });
    expect(delivery.url).toBe(NOTIFY_URL);
    const envelope = JSON.parse(delivery.body);
    expect(envelope).toMatchObject({
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction' },
    });
    expect(envelope.resource.nonce).toHaveLength(12);

    const n = pay.parseNotification(delivery.headers, delivery.body, nowMs);

    expect(n).toMatchObject({
      eventId: envelope.id,
      eventType: 'TRANSACTION.SUCCESS',
      outTradeNo: req.outTradeNo,
      tradeState: 'SUCCESS',
      amountTotalFen: 12_345,
      payerTotalFen: 12_345,
      currency: 'CNY',
      appid: APP_ID,
      mchid: MCH_ID,
      payerOpenid: 'sandbox-openid-alice',
      successTime: Math.floor(nowMs / 1000) * 1000,
    });
    expect(n.transactionId).toMatch(/^4200\d{24}$/);
  });

  it('reads header names in any case', async () => {
    const { pay, nowMs, delivery } = await paidNotification();
    const upper = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(pay.parseNotification(upper, delivery.body, nowMs).tradeState).toBe('SUCCESS');
  });

  function reasonOf(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(NotifyRejected);
      return (e as NotifyRejected).reason;
    }
    throw new Error('expected a rejection');
  }

  it('rejects a body with one byte changed', async () => {
    const { pay, nowMs, delivery } = await paidNotification();
    const i = delivery.body.indexOf('TRANSACTION.SUCCESS');
    const tampered = `${delivery.body.slice(0, i)}X${delivery.body.slice(i + 1)}`;
    expect(reasonOf(() => pay.parseNotification(delivery.headers, tampered, nowMs))).toBe('BAD_SIGNATURE');
  });

  it('rejects a tampered signature', async () => {
    const { pay, nowMs, delivery } = await paidNotification();
    const sig = delivery.headers['wechatpay-signature'];
    const forged = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(reasonOf(() => pay.parseNotification({ ...delivery.headers, 'wechatpay-signature': forged }, delivery.body, nowMs))).toBe('BAD_SIGNATURE');
  });

  it('rejects timestamps more than 5 minutes in the past or the future', async () => {
    const { pay, nowMs, delivery } = await paidNotification();
    expect(reasonOf(() => pay.parseNotification(delivery.headers, delivery.body, nowMs + 301_000))).toBe('STALE_TIMESTAMP');
    expect(reasonOf(() => pay.parseNotification(delivery.headers, delivery.body, nowMs - 301_000))).toBe('STALE_TIMESTAMP');
    expect(pay.parseNotification(delivery.headers, delivery.body, nowMs + 299_000).tradeState).toBe('SUCCESS');
  });

  it('rejects an unknown platform serial', async () => {
    const { pay, nowMs, delivery } = await paidNotification();
    const headers = { ...delivery.headers, 'wechatpay-serial': other.SANDBOX_PLATFORM_SERIAL };
    expect(reasonOf(() => pay.parseNotification(headers, delivery.body, nowMs))).toBe('UNKNOWN_SERIAL');
  });

  it('rejects a notification signed by another key under a known serial', async () => {
    const { pay, nowMs, delivery } = await paidNotification();
    const forged = signedAsPlatform(delivery.body, nowMs, other.SANDBOX_PLATFORM_PRIVATE_KEY);
    expect(reasonOf(() => pay.parseNotification(forged, delivery.body, nowMs))).toBe('BAD_SIGNATURE');
  });

  it.each(['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'])(
    'rejects a notification without %s',
    async (name) => {
      const { pay, nowMs, delivery } = await paidNotification();
      const headers: Record<string, string | undefined> = { ...delivery.headers, [name]: undefined };
      expect(reasonOf(() => pay.parseNotification(headers, delivery.body, nowMs))).toBe('MISSING_HEADERS');
    },
  );

  it('rejects a resource encrypted with another APIv3 key', async () => {
    const { nowMs, delivery } = await paidNotification(other.WXPAY_API_V3_KEY);
    const { pay } = setup();
    expect(reasonOf(() => pay.parseNotification(delivery.headers, delivery.body, nowMs))).toBe('DECRYPT_FAILED');
  });

  it('rejects signed bodies that are not encrypted transaction notifications', async () => {
    const { pay } = setup();
    const nowMs = Date.now();
    const refund = JSON.stringify({
      id: 'EV-1',
      create_time: '2025-01-01T12:00:00+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'REFUND.SUCCESS',
      resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAA', nonce: 'n', associated_data: 'refund' },
    });
    for (const body of ['not json', '{}', refund]) {
      expect(reasonOf(() => pay.parseNotification(signedAsPlatform(body, nowMs), body, nowMs))).toBe('BAD_BODY');
    }
  });
});

describe('paying, querying and closing', () => {
  it('shows SUCCESS with the transaction id after the shopper pays', async () => {
    const { pay, deliveries } = setup();
    const req = prepayRequest();
    const { prepayId } = await pay.createJsapiPrepay(req);
    expect(await pay.queryByOutTradeNo(req.outTradeNo)).toMatchObject({ tradeState: 'NOTPAY', transactionId: null });

    const nowMs = Date.now();
    await pay.simulateUserPayment(prepayId, 'pay', nowMs);

    const notified = pay.parseNotification(deliveries[0].headers, deliveries[0].body, nowMs);
    expect(await pay.queryByOutTradeNo(req.outTradeNo)).toEqual({
      outTradeNo: req.outTradeNo,
      transactionId: notified.transactionId,
      tradeState: 'SUCCESS',
      amountTotalFen: 12_345,
      successTime: Math.floor(nowMs / 1000) * 1000,
      // What settlement checks against ours, exactly as for a notification.
      appid: notified.appid,
      mchid: notified.mchid,
      currency: 'CNY',
    });
  });

  it('reads an out_trade_no WeChat never saw as NOTPAY', async () => {
    const { pay } = setup();
    expect(await pay.queryByOutTradeNo('01JNEVERSEEN00000000000000')).toEqual({
      outTradeNo: '01JNEVERSEEN00000000000000',
      transactionId: null,
      tradeState: 'NOTPAY',
      amountTotalFen: null,
      successTime: null,
      appid: null,
      mchid: null,
      currency: null,
    });
  });

  it('closes an unpaid transaction, twice if asked, after which it cannot be paid', async () => {
    const { pay, deliveries } = setup();
    const req = prepayRequest();
    const { prepayId } = await pay.createJsapiPrepay(req);

    await pay.close(req.outTradeNo);
    await pay.close(req.outTradeNo);

    expect((await pay.queryByOutTradeNo(req.outTradeNo)).tradeState).toBe('CLOSED');
    const e = await rejection(pay.simulateUserPayment(prepayId, 'pay', Date.now()), DomainError);
    expect(e.code).toBe('ORDER_STATE_CONFLICT');
    expect(deliveries).toHaveLength(0);
    const again = await rejection(pay.createJsapiPrepay(req), DomainError);
    expect(again.details).toMatchObject({ wechatCode: 'ORDER_CLOSED' });
  });

  it('refuses to close a paid transaction', async () => {
    const { pay } = setup();
    const req = prepayRequest();
    const { prepayId } = await pay.createJsapiPrepay(req);
    await pay.simulateUserPayment(prepayId, 'pay', Date.now());

    const e = await rejection(pay.close(req.outTradeNo), DomainError);

    expect(e.code).toBe('PAYMENT_UNAVAILABLE');
    expect(e.details).toMatchObject({ wechatCode: 'ORDERPAID', httpStatus: 400 });
    expect((await pay.queryByOutTradeNo(req.outTradeNo)).tradeState).toBe('SUCCESS');
  });

  it('refuses payment after time_expire', async () => {
    const { pay, deliveries } = setup();
    const timeExpireAt = Date.now() + 10 * 60_000;
    const req = prepayRequest({ timeExpireAt });
    const { prepayId } = await pay.createJsapiPrepay(req);

    const e = await rejection(pay.simulateUserPayment(prepayId, 'pay', timeExpireAt + 1000), DomainError);

    expect(e.code).toBe('PAYMENT_EXPIRED');
    expect(deliveries).toHaveLength(0);
    expect((await pay.queryByOutTradeNo(req.outTradeNo)).tradeState).toBe('NOTPAY');
  });

  it('moves a time_expire less than a minute away to one minute after the prepay, as WeChat does', async () => {
    const { pay, store } = setup();
    const req = prepayRequest({ timeExpireAt: Date.now() - 5000 });
    await pay.createJsapiPrepay(req);
    const tx = (await store.get(req.outTradeNo))!;
    expect(tx.timeExpireAt).toBe(tx.createdAt + 60_000);
  });

  it('pays once when the shopper pays twice, re-sending the same notification', async () => {
    const { pay, deliveries } = setup();
    const req = prepayRequest();
    const { prepayId } = await pay.createJsapiPrepay(req);
    const nowMs = Date.now();

    const results = await Promise.all([1, 2, 3, 4, 5].map(() => pay.simulateUserPayment(prepayId, 'pay', nowMs)));

    expect(results.every((r) => r.delivered)).toBe(true);
    const parsed = deliveries.map((d) => pay.parseNotification(d.headers, d.body, nowMs));
    expect(new Set(parsed.map((n) => n.transactionId)).size).toBe(1);
    expect(new Set(parsed.map((n) => n.eventId)).size).toBe(1);
    expect((await pay.queryByOutTradeNo(req.outTradeNo)).transactionId).toBe(parsed[0].transactionId);
  });

  it('changes nothing when the shopper cancels', async () => {
    const { pay, deliveries } = setup();
    const req = prepayRequest();
    const { prepayId } = await pay.createJsapiPrepay(req);

    expect(await pay.simulateUserPayment(prepayId, 'cancel', Date.now())).toEqual({ delivered: false, notifyStatus: null });
    expect(deliveries).toHaveLength(0);
    expect((await pay.queryByOutTradeNo(req.outTradeNo)).tradeState).toBe('NOTPAY');
  });

  it('reports how the notify endpoint answered', async () => {
    const failing = setup({ notifyStatus: 500 });
    const a = await failing.pay.createJsapiPrepay(prepayRequest());
    expect(await failing.pay.simulateUserPayment(a.prepayId, 'pay', Date.now())).toEqual({ delivered: false, notifyStatus: 500 });

    const unreachable = setup({ notifyThrows: true });
    const b = await unreachable.pay.createJsapiPrepay(prepayRequest());
    expect(await unreachable.pay.simulateUserPayment(b.prepayId, 'pay', Date.now())).toEqual({ delivered: false, notifyStatus: null });
  });

  it('lets only the payer named in the prepay pay it', async () => {
    const { pay, deliveries } = setup();
    const { prepayId } = await pay.createJsapiPrepay(prepayRequest({ payerOpenid: 'sandbox-openid-alice' }));

    const e = await rejection(pay.simulateUserPayment(prepayId, 'pay', Date.now(), 'sandbox-openid-mallory'), DomainError);

    expect(e.code).toBe('FORBIDDEN');
    expect(deliveries).toHaveLength(0);
    expect((await pay.simulateUserPayment(prepayId, 'pay', Date.now(), 'sandbox-openid-alice')).delivered).toBe(true);
  });

  it('does not know an unknown prepay_id', async () => {
    const { pay } = setup();
    expect((await rejection(pay.simulateUserPayment('wx-nope', 'pay', Date.now()), DomainError)).code).toBe('NOT_FOUND');
  });
});

describe('the client trusts only answers signed by WeChat Pay', () => {
  function clientThrough(rewrite: (res: Response) => Promise<Response>, over: Partial<WechatPayClientOptions> = {}) {
    const { server } = setup();
    return createWechatPay(
      clientOptions({ fetch: async (input, init) => rewrite(await server.handle(new Request(input, init))), ...over }),
    );
  }

  it('rejects an answer whose body was changed on the way', async () => {
    const client = clientThrough(async (res) => {
      const body = (await res.text()).replace(/"prepay_id":"wx/, '"prepay_id":"wX');
      return new Response(body, { status: res.status, headers: res.headers });
    });
    const e = await rejection(client.createJsapiPrepay(prepayRequest()), DomainError);
    expect(e.code).toBe('PAYMENT_UNAVAILABLE');
    expect(e.details).toMatchObject({ reason: 'RESPONSE_NOT_SIGNED_BY_WECHATPAY', check: 'BAD_SIGNATURE' });
  });

  it('rejects an answer signed under a serial it does not hold', async () => {
    const client = clientThrough(async (res) => res, {
      platformPublicKeys: JSON.parse(other.WXPAY_PLATFORM_PUBLIC_KEYS),
    });
    const e = await rejection(client.createJsapiPrepay(prepayRequest()), DomainError);
    expect(e.details).toMatchObject({ reason: 'RESPONSE_NOT_SIGNED_BY_WECHATPAY', check: 'UNKNOWN_SERIAL' });
    const notFound = await rejection(client.queryByOutTradeNo('01JANYTHING000000000000000'), DomainError);
    expect(notFound.details).toMatchObject({ wechatCode: 'ORDER_NOT_EXIST', signed: false, check: 'UNKNOWN_SERIAL' });
  });

  it('rejects an unsigned success, and does not take an unsigned ORDER_NOT_EXIST for NOTPAY', async () => {
    const strip = async (res: Response) => {
      const headers = new Headers(res.headers);
      for (const h of ['Wechatpay-Signature', 'Wechatpay-Serial', 'Wechatpay-Nonce', 'Wechatpay-Timestamp']) headers.delete(h);
      return new Response(res.status === 204 ? null : await res.text(), { status: res.status, headers });
    };
    const client = clientThrough(strip);
    expect((await rejection(client.createJsapiPrepay(prepayRequest()), DomainError)).details).toMatchObject({ check: 'MISSING_HEADERS' });
    const e = await rejection(client.queryByOutTradeNo('01JANYTHING000000000000000'), DomainError);
    expect(e.details).toMatchObject({ wechatCode: 'ORDER_NOT_EXIST', signed: false });
  });

  it('reports a refused signature as PAYMENT_UNAVAILABLE with WeChat’s code', async () => {
    const { server } = setup();
    const client = createWechatPay(
      clientOptions({ mchPrivateKey: other.WXPAY_MCH_PRIVATE_KEY, fetch: async (i, init) => server.handle(new Request(i, init)) }),
    );
    const e = await rejection(client.createJsapiPrepay(prepayRequest()), DomainError);
    expect(e.details).toMatchObject({ httpStatus: 401, wechatCode: 'SIGN_ERROR' });
  });
});

describe('retries', () => {
  function flaky(failures: number, failure: () => Promise<Response>) {
    const { server } = setup();
    let calls = 0;
    const client = createWechatPay(
      clientOptions({
        timeoutMs: 100,
        fetch: async (input, init) => {
          calls += 1;
          if (calls <= failures) return failure();
          return server.handle(new Request(input, init));
        },
      }),
    );
    return { client, calls: () => calls };
  }
  const systemError = async () =>
    new Response(JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统异常' }), { status: 500 });

  it('retries an idempotent call after a 5xx', async () => {
    const { client, calls } = flaky(2, systemError);
    expect((await client.queryByOutTradeNo('01JRETRY000000000000000000')).tradeState).toBe('NOTPAY');
    expect(calls()).toBe(3);
  });

  it('gives up after two retries', async () => {
    const { client, calls } = flaky(5, systemError);
    const e = await rejection(client.createJsapiPrepay(prepayRequest()), DomainError);
    expect(e.code).toBe('PAYMENT_UNAVAILABLE');
    expect(e.details).toMatchObject({ attempts: 3, httpStatus: 500, wechatCode: 'SYSTEM_ERROR' });
    expect(calls()).toBe(3);
  });

  it('retries after a timeout', async () => {
    const hang = () =>
      new Promise<Response>((_resolve, reject) =>
        setTimeout(() => reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), 120),
      );
    const { client, calls } = flaky(1, hang);
    await client.close('01JRETRY000000000000000001');
    expect(calls()).toBe(2);
  });

  it('does not retry a 4xx', async () => {
    const { client, calls } = flaky(1, async () => new Response(JSON.stringify({ code: 'PARAM_ERROR' }), { status: 400 }));
    const e = await rejection(client.queryByOutTradeNo('01JRETRY000000000000000002'), DomainError);
    expect(e.details).toMatchObject({ httpStatus: 400, wechatCode: 'PARAM_ERROR' });
    expect(calls()).toBe(1);
  });
});

describe('wechatPay factory', () => {
  const cfg = (sandbox: boolean): AppConfig => ({
    stage: sandbox ? 'local' : 'prod',
    tableName: 't',
    dynamoEndpoint: undefined,
    region: 'ap-east-1',
    wechat: { appId: APP_ID, mchId: MCH_ID, notifyUrl: NOTIFY_URL, sandbox },
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

  it('builds the real client outside the sandbox', async () => {
    expect((await buildWechatPay(cfg(false), secrets, {})).mode).toBe('wechat');
  });

  it('builds the sandbox with its platform key from the environment', async () => {
    const pay = await buildWechatPay(cfg(true), secrets, {
      SANDBOX_PLATFORM_PRIVATE_KEY: keys.SANDBOX_PLATFORM_PRIVATE_KEY,
      SANDBOX_PLATFORM_SERIAL: keys.SANDBOX_PLATFORM_SERIAL,
    });
    expect(pay.mode).toBe('sandbox');
    await expect(buildWechatPay(cfg(true), secrets, {})).rejects.toThrow(/SANDBOX_PLATFORM_PRIVATE_KEY/);
  });
});
