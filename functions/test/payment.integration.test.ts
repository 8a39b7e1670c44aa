import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable, TEST_APP_ID, TEST_MCH_ID } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { buildNotification } from '../../tests/support/notifications';
import { generateLocalSecrets } from '../../scripts/lib/local-secrets';
import { shopper, testProduct } from '../../tests/support/shop';
import { orderRepo } from '../src/repositories/order-repo';
import { publicKeyFromPrivate, verifyMessage } from '../src/providers/wechat-pay/v3-crypto';
import * as auth from '../src/handlers/auth';
import * as orders from '../src/handlers/orders';
import { notify } from '../src/handlers/pay-notify';

let env: Record<string, string>;
let sandboxKeys: { apiV3Key: string; platformPrivateKey: string; platformSerial: string };

async function unpaidOrder(name: string, quantity = 1) {
  const b = await shopper(name);
  const order = await call(orders.createOrder, {
    token: b.token,
    body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-pay-1', skuId: 'sku-pay-1-sku0', quantity }, addressId: b.addressId },
  });
  expect(order.status).toBe(201);
  return { ...b, order: order.body };
}

function deliver(n: { headers: Record<string, string>; body: string }) {
  return notify({ headers: n.headers, body: n.body, isBase64Encoded: false, requestContext: { requestId: 'wx' } });
}

beforeAll(async () => {
  ({ env } = await freshTable());
  sandboxKeys = { apiV3Key: env.WXPAY_API_V3_KEY, platformPrivateKey: env.SANDBOX_PLATFORM_PRIVATE_KEY, platformSerial: env.SANDBOX_PLATFORM_SERIAL };
  await testProduct('p-pay-1', 1000, 12900);
});

describe('paying an order', () => {
  it('opens a prepay and signs wx.requestPayment parameters with the merchant key (signType RSA)', async () => {
    const { token, order } = await unpaidOrder('payer');
    const pay = await call(orders.payOrder, { token, params: { orderId: order.id } });
    expect(pay.status).toBe(200);
    expect(pay.body).toMatchObject({ orderId: order.id, mode: 'sandbox', payableFen: 12900, params: { signType: 'RSA' } });
    const { timeStamp, nonceStr, package: pkg, paySign } = pay.body.params;
    expect(pkg).toBe(`prepay_id=${pay.body.prepayId}`);
    const merchantPublic = publicKeyFromPrivate(env.WXPAY_MCH_PRIVATE_KEY);
    expect(verifyMessage(merchantPublic, `${TEST_APP_ID}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, paySign)).toBe(true);
    // Paying again reuses the open prepay instead of opening a second one.
    const again = await call(orders.payOrder, { token, params: { orderId: order.id } });
    expect(again.body.prepayId).toBe(pay.body.prepayId);
  });

  it('refuses to pay after the payment deadline even before any timeout ran', async () => {
    const { token, order } = await unpaidOrder('late-payer');
    const { payOrder } = await import('../src/services/payment');
    const me = await call(auth.me, { token });
    await expect(payOrder(me.body.id, order.id, order.deadlineAt + 1)).rejects.toMatchObject({ code: 'PAYMENT_EXPIRED' });
  });
});

describe('payment notifications', () => {
  it('moves the order to PAID exactly once under 50 concurrent duplicate notifications', async () => {
    const { token, order } = await unpaidOrder('dup');
    const n = buildNotification({ outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID, transactionId: '4200000001' }, sandboxKeys);
    const answers = await Promise.all(Array.from({ length: 50 }, () => deliver(n)));
    expect(answers.every((a) => a.statusCode === 204)).toBe(true);
    const detail = await call(orders.getOrder, { token, params: { orderId: order.id } });
    expect(detail.body).toMatchObject({ status: 'PAID', statusLabel: '待发货', transactionId: '4200000001' });
    expect(detail.body.timeline.filter((t: any) => t.status === 'PAID')).toHaveLength(1);
    // A replay a day later is acknowledged and changes nothing.
    expect((await deliver(n)).statusCode).toBe(204);
    expect((await orderRepo.get(order.id))!.timeline).toHaveLength(2);
  });

  it('rejects a tampered body, a tampered signature, a stale timestamp and an unknown serial, leaving the order unpaid', async () => {
    const { order } = await unpaidOrder('tamper');
    const good = () => buildNotification({ outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID }, sandboxKeys);
    const tamperedBody = good();
    tamperedBody.body = tamperedBody.body.replace('"summary":"支付成功"', '"summary":"支付成功 "');
    const tamperedSig = good();
    const sig = Buffer.from(tamperedSig.headers['Wechatpay-Signature'], 'base64');
    sig[10] ^= 0xff;
    tamperedSig.headers['Wechatpay-Signature'] = sig.toString('base64');
    const stale = buildNotification({ outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID }, sandboxKeys, Date.now() - 10 * 60_000);
    const future = buildNotification({ outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID }, sandboxKeys, Date.now() + 10 * 60_000);
    const other = generateLocalSecrets();
    const unknownSerial = buildNotification(
      { outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID },
      { apiV3Key: sandboxKeys.apiV3Key, platformPrivateKey: other.SANDBOX_PLATFORM_PRIVATE_KEY, platformSerial: other.SANDBOX_PLATFORM_SERIAL },
    );
    const forgedWithKnownSerial = buildNotification(
      { outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID },
      { apiV3Key: sandboxKeys.apiV3Key, platformPrivateKey: other.SANDBOX_PLATFORM_PRIVATE_KEY, platformSerial: sandboxKeys.platformSerial },
    );
    const noHeaders = { headers: {}, body: good().body };
    for (const n of [tamperedBody, tamperedSig, stale, future, unknownSerial, forgedWithKnownSerial, noHeaders]) {
      const answer = await deliver(n);
      expect(answer.statusCode).toBe(401);
      expect(JSON.parse(answer.body).code).toBe('FAIL');
    }
    expect((await orderRepo.get(order.id))!.status).toBe('PENDING_PAYMENT');
  });

  it('records but never applies a notification whose amount, appid or mchid does not match the order', async () => {
    const { order } = await unpaidOrder('mismatch');
    const cases = [
      { outTradeNo: order.id, amountFen: 1, appid: TEST_APP_ID, mchid: TEST_MCH_ID },
      { outTradeNo: order.id, amountFen: order.payableFen, appid: 'wxsomeoneelse000', mchid: TEST_MCH_ID },
      { outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: '1999999999' },
      { outTradeNo: '01JUNKNOWNORDER0000000000X', amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID },
    ];
    for (const c of cases) {
      const answer = await deliver(buildNotification(c, sandboxKeys));
      // Durably recorded for reconciliation, so WeChat may stop retrying.
      expect(answer.statusCode).toBe(204);
    }
    expect((await orderRepo.get(order.id))!.status).toBe('PENDING_PAYMENT');
  });
});
