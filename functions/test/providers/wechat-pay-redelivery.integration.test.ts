import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../../tests/support/table';
import { generateLocalSecrets } from '../../../scripts/lib/local-secrets';
import { freePort } from '../../../scripts/lib/dynamodb-local';
import { createSandboxWechatPay } from '../../src/providers/wechat-pay/sandbox';
import { NOTIFY_RETRY_DELAYS_MS, dynamoSandboxStore } from '../../src/providers/wechat-pay/sandbox-server';

const APP_ID = 'wx0123456789abcdef';
const MCH_ID = '1900000109';
const keys = generateLocalSecrets();
const START = Date.UTC(2025, 5, 1, 4, 0, 0);

interface Received {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * The merchant's notify endpoint, on a real port: `down` = nothing listens (connection refused), `answer` = the
 * status it replies with while up.
 */
async function merchantEndpoint(clock: () => number) {
  const port = await freePort();
  const received: Received[] = [];
  let answer = 204;
  let server: http.Server | undefined;
  return {
    url: `http://127.0.0.1:${port}/v1/pay/notify`,
    received,
    setAnswer: (status: number) => (answer = status),
    async up() {
      if (server) return;
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ at: clock(), headers: req.headers, body });
          res.writeHead(answer).end(answer === 204 ? undefined : '{"code":"FAIL","message":"失败"}');
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      expect((server.address() as AddressInfo).port).toBe(port);
    },
    async down() {
      if (!server) return;
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
      server = undefined;
    },
  };
}

async function setup() {
  let clock = START;
  const endpoint = await merchantEndpoint(() => clock);
  const store = dynamoSandboxStore();
  const pay = createSandboxWechatPay({
    appId: APP_ID,
    mchId: MCH_ID,
    notifyUrl: endpoint.url,
    mchPrivateKey: keys.WXPAY_MCH_PRIVATE_KEY,
    mchSerial: keys.WXPAY_MCH_SERIAL,
    apiV3Key: keys.WXPAY_API_V3_KEY,
    platformPrivateKey: keys.SANDBOX_PLATFORM_PRIVATE_KEY,
    platformSerial: keys.SANDBOX_PLATFORM_SERIAL,
    store,
    now: () => clock,
  });
  let n = 0;
  const paidTransaction = async () => {
    const outTradeNo = `REDELIVER${Date.now()}${n++}`;
    const { prepayId } = await pay.createJsapiPrepay({
      outTradeNo,
      description: '测试商品',
      amountFen: 990,
      payerOpenid: 'o-redeliver',
      timeExpireAt: clock + 15 * 60_000,
    });
    const first = await pay.simulateUserPayment(prepayId, 'pay', clock);
    return { outTradeNo, first };
  };
  return {
    pay,
    store,
    endpoint,
    paidTransaction,
    at: (ms: number) => (clock = START + ms),
    redeliver: () => pay.server.redeliverDue(clock),
  };
}

let ctx: Awaited<ReturnType<typeof setup>>;

beforeAll(async () => {
  await freshTable();
  ctx = await setup();
});
afterAll(() => ctx.endpoint.down());

describe("the sandbox re-sends unanswered notifications on WeChat's schedule", () => {
  it('re-sends 15 s after a failed first delivery, freshly signed, and stops once answered', async () => {
    const { at, endpoint, redeliver, paidTransaction, pay, store } = ctx;
    at(0);
    await endpoint.down();
    const { outTradeNo, first } = await paidTransaction();
    expect(first).toEqual({ delivered: false, notifyStatus: null });

    at(14_999);
    await endpoint.up();
    expect(await redeliver()).toEqual({ sent: 0, delivered: 0, gaveUp: 0 });
    expect(endpoint.received).toHaveLength(0);

    at(15_000);
    expect(await redeliver()).toEqual({ sent: 1, delivered: 1, gaveUp: 0 });
    expect(endpoint.received).toHaveLength(1);
    const resent = endpoint.received[0]!;
    // Signed now (timestamp of the re-send), and the shop's own verification accepts it.
    expect(resent.headers['wechatpay-timestamp']).toBe(String(Math.floor((START + 15_000) / 1000)));
    const parsed = pay.parseNotification(resent.headers as Record<string, string>, resent.body, START + 15_000);
    expect(parsed).toMatchObject({ outTradeNo, tradeState: 'SUCCESS', amountTotalFen: 990 });

    // Answered: nothing more, however long one waits.
    for (const ms of [30_000, 60_000, 300_000, 24 * 3600_000]) {
      at(ms);
      expect(await redeliver()).toEqual({ sent: 0, delivered: 0, gaveUp: 0 });
    }
    expect(endpoint.received).toHaveLength(1);
    const tx = (await store.get(outTradeNo))!;
    expect(await store.getDelivery(JSON.parse(pay.server.buildNotification(tx, START).body).id)).toBeUndefined();
  });

  it('keeps re-sending a notification answered with an error on 15 s, 15 s, 30 s, 3 m … 6 h, and stops after the 15th re-send', async () => {
    const { at, endpoint, redeliver, paidTransaction } = ctx;
    endpoint.received.length = 0;
    await endpoint.up().catch(() => undefined);
    endpoint.setAnswer(500);
    at(0);
    await paidTransaction();
    expect(endpoint.received).toHaveLength(1);

    // Just before each due time nothing is sent; at it, exactly one re-send.
    const total = NOTIFY_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBe((24 * 60 + 4) * 60_000);
    const eventId = JSON.parse(endpoint.received[0]!.body).id as string;
    let due = 0;
    let gaveUp = 0;
    for (const [i, delay] of NOTIFY_RETRY_DELAYS_MS.entries()) {
      due += delay;
      expect((await ctx.store.getDelivery(eventId))?.dueAt).toBe(START + due);
      at(due - 1);
      expect(await redeliver()).toEqual({ sent: 0, delivered: 0, gaveUp: 0 });
      at(due);
      const r = await redeliver();
      expect(r.sent).toBe(1);
      gaveUp += r.gaveUp;
      expect(endpoint.received).toHaveLength(2 + i);
    }
    expect(gaveUp).toBe(1);
    expect(await ctx.store.getDelivery(eventId)).toBeUndefined();
    const sends = endpoint.received.map((r) => r.at - START);
    expect(sends.slice(1).map((s, i) => s - sends[i]!)).toEqual(NOTIFY_RETRY_DELAYS_MS);
    // Every re-send carries the same event id with its own nonce.
    const ids = new Set(endpoint.received.map((r) => JSON.parse(r.body).id));
    const nonces = new Set(endpoint.received.map((r) => r.headers['wechatpay-nonce']));
    expect(ids.size).toBe(1);
    expect(nonces.size).toBe(16);

    at(total + 48 * 3600_000);
    expect(await redeliver()).toEqual({ sent: 0, delivered: 0, gaveUp: 0 });
    expect(endpoint.received).toHaveLength(16);
  });

  it('re-sends a notification lost with a crash mid-send (recorded before it went out), once per due time across concurrent runners', async () => {
    const { at, endpoint, redeliver, pay, store } = ctx;
    endpoint.received.length = 0;
    endpoint.setAnswer(204);
    at(0);
    // The first send never happened (the process died after the payment): only the pending record exists.
    const outTradeNo = `REDELIVERCRASH${Date.now()}`;
    const { prepayId } = await pay.createJsapiPrepay({ outTradeNo, description: '测试商品', amountFen: 500, payerOpenid: 'o-crash', timeExpireAt: START + 900_000 });
    const tx = (await store.getByPrepayId(prepayId))!;
    await store.markPaid(outTradeNo, { transactionId: '4200000000202506010000000001', successTime: START, nowMs: START });
    const paid = (await store.get(outTradeNo))!;
    const eventId = JSON.parse(pay.server.buildNotification(paid, START).body).id;
    await store.addDelivery({ eventId, kind: 'TRANSACTION', ref: tx.outTradeNo, url: endpoint.url, attempts: 1, dueAt: START + 15_000 });

    at(15_000);
    const results = await Promise.all([redeliver(), redeliver(), redeliver()]);
    expect(results.reduce((a, r) => a + r.sent, 0)).toBe(1);
    expect(endpoint.received).toHaveLength(1);
    expect(JSON.parse(endpoint.received[0]!.body).id).toBe(eventId);
  });
});
