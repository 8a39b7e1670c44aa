import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateLocalSecrets } from '../../../scripts/lib/local-secrets';
import { parseRefundNotification, parseTransactionNotification } from '../../src/providers/wechat-pay/notification';
import { buildNotification, buildRefundNotification } from '../../src/providers/wechat-pay/sandbox-server';
import type { SandboxRefund, SandboxTransaction } from '../../src/providers/wechat-pay/sandbox-store';
import { NotifyRejected } from '../../src/providers/wechat-pay/types';
import { encryptResource, nonce, parseRfc3339, rfc3339Beijing, signMessage } from '../../src/providers/wechat-pay/v3-crypto';

const secrets = generateLocalSecrets();
const sandboxKeys = {
  apiV3Key: secrets.WXPAY_API_V3_KEY,
  platformPrivateKey: secrets.SANDBOX_PLATFORM_PRIVATE_KEY,
  platformSerial: secrets.SANDBOX_PLATFORM_SERIAL,
};
const keys = { apiV3Key: secrets.WXPAY_API_V3_KEY, platformPublicKeys: JSON.parse(secrets.WXPAY_PLATFORM_PUBLIC_KEYS) as Record<string, string> };
const NOW = Date.UTC(2026, 4, 20, 5, 29, 35);

const tx: SandboxTransaction = {
  outTradeNo: '01JC0000000000000000000000',
  prepayId: 'wx2026052013293500000000000001',
  appid: 'wxtest0000000001',
  mchid: '1900000099',
  description: '测试商品',
  amountFen: 12900,
  payerOpenid: 'openid-1',
  notifyUrl: 'https://shop.example/v1/pay/notify',
  timeExpire: null,
  timeExpireAt: NOW + 900_000,
  createdAt: NOW - 60_000,
  tradeState: 'SUCCESS',
  transactionId: '4200000000202605200000000001',
  successTime: NOW - 1000,
};
const refund: SandboxRefund = {
  outRefundNo: 'R01JC0000000000000000000000',
  refundId: '50300000002026052000000000001',
  outTradeNo: tx.outTradeNo,
  transactionId: tx.transactionId!,
  mchid: tx.mchid,
  reason: null,
  notifyUrl: null,
  refundFen: 12900,
  totalFen: 12900,
  status: 'SUCCESS',
  createdAt: NOW - 5000,
  successTime: NOW - 1000,
};

const transactionResource = (over: Record<string, unknown> = {}) => ({
  mchid: tx.mchid,
  appid: tx.appid,
  out_trade_no: tx.outTradeNo,
  transaction_id: tx.transactionId,
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  attach: '',
  success_time: rfc3339Beijing(NOW - 1000),
  payer: { openid: tx.payerOpenid },
  amount: { total: tx.amountFen, payer_total: tx.amountFen, currency: 'CNY', payer_currency: 'CNY' },
  ...over,
});
const refundResource = (over: Record<string, unknown> = {}) => ({
  mchid: refund.mchid,
  out_trade_no: refund.outTradeNo,
  transaction_id: refund.transactionId,
  out_refund_no: refund.outRefundNo,
  refund_id: refund.refundId,
  refund_status: 'SUCCESS',
  success_time: rfc3339Beijing(NOW - 1000),
  user_received_account: '支付用户零钱',
  amount: { total: 12900, refund: 12900, payer_total: 12900, payer_refund: 12900 },
  ...over,
});

/**
 * A notification as WeChat Pay builds one (the sandbox's own helpers: AES-256-GCM resource with the APIv3 key, headers
 * signing `timestamp\nnonce\nbody\n` with the platform key), with the parts a test varies.
 */
function signed(eventType: string, resource: Record<string, unknown>, associatedData: string | undefined, originalType: string) {
  const enc = encryptResource(JSON.stringify(resource), sandboxKeys.apiV3Key, associatedData ?? '');
  const { associated_data, ...rest } = enc;
  const body = JSON.stringify({
    id: randomUUID(),
    create_time: rfc3339Beijing(NOW),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '通知',
    resource: { original_type: originalType, ...rest, ...(associatedData === undefined ? {} : { associated_data }) },
  });
  const timestamp = String(Math.floor(NOW / 1000));
  const n = nonce(32);
  return {
    headers: {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': n,
      'Wechatpay-Serial': sandboxKeys.platformSerial,
      'Wechatpay-Signature': signMessage(sandboxKeys.platformPrivateKey, `${timestamp}\n${n}\n${body}\n`),
    },
    body,
  };
}

function rejection(f: () => unknown): NotifyRejected {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NotifyRejected);
    return e as NotifyRejected;
  }
  throw new Error('expected a NotifyRejected');
}

const parseTx = (n: { headers: Record<string, string>; body: string }) => parseTransactionNotification(n.headers, n.body, NOW, keys);
const parseRefund = (n: { headers: Record<string, string>; body: string }) => parseRefundNotification(n.headers, n.body, NOW, keys);

describe('associated_data is exactly "transaction" for payments and "refund" for refunds', () => {
  it("accepts the sandbox's own notifications", () => {
    expect(parseTx(buildNotification(sandboxKeys, tx, NOW))).toMatchObject({ outTradeNo: tx.outTradeNo, successTime: NOW - 1000 });
    expect(parseRefund(buildRefundNotification(sandboxKeys, refund, NOW))).toMatchObject({ refundStatus: 'SUCCESS', successTime: NOW - 1000 });
    expect(parseTx(signed('TRANSACTION.SUCCESS', transactionResource(), 'transaction', 'transaction')).successTime).toBe(NOW - 1000);
  });

  it('refuses a payment notification whose resource is bound to anything else, even when it decrypts', () => {
    for (const ad of ['refund', '', 'Transaction', 'transaction ', 'certificate', undefined]) {
      const e = rejection(() => parseTx(signed('TRANSACTION.SUCCESS', transactionResource(), ad, 'transaction')));
      expect(e.reason, String(ad)).toBe('WRONG_ASSOCIATED_DATA');
    }
  });

  it('refuses a refund notification whose resource is bound to anything else', () => {
    for (const status of ['SUCCESS', 'ABNORMAL', 'CLOSED']) {
      for (const ad of ['transaction', '', 'REFUND', undefined]) {
        const resource = refundResource({ refund_status: status, ...(status === 'SUCCESS' ? {} : { success_time: undefined }) });
        const e = rejection(() => parseRefund(signed(`REFUND.${status}`, resource, ad, 'refund')));
        expect(e.reason, `${status} ${String(ad)}`).toBe('WRONG_ASSOCIATED_DATA');
      }
    }
  });
});

describe('success_time must be a real time', () => {
  const BAD = ['', 'yesterday', '2026-05-20 13:29:35', '2026-05-20T13:29:35', '2026-02-30T10:00:00+08:00', '2026-05-20T24:00:00+08:00', '2026-05-20T13:29:35+25:00', '1747718975'];

  it('a payment with a missing or unreadable success_time is refused', () => {
    expect(rejection(() => parseTx(signed('TRANSACTION.SUCCESS', transactionResource({ success_time: undefined }), 'transaction', 'transaction'))).reason).toBe('BAD_SUCCESS_TIME');
    for (const value of BAD) {
      const e = rejection(() => parseTx(signed('TRANSACTION.SUCCESS', transactionResource({ success_time: value }), 'transaction', 'transaction')));
      expect(e.reason, value).toBe('BAD_SUCCESS_TIME');
    }
  });

  it('a refund SUCCESS without a readable success_time is refused; ABNORMAL and CLOSED carry none', () => {
    expect(rejection(() => parseRefund(signed('REFUND.SUCCESS', refundResource({ success_time: undefined }), 'refund', 'refund'))).reason).toBe('BAD_SUCCESS_TIME');
    for (const value of BAD) {
      const e = rejection(() => parseRefund(signed('REFUND.SUCCESS', refundResource({ success_time: value }), 'refund', 'refund')));
      expect(e.reason, value).toBe('BAD_SUCCESS_TIME');
    }
    for (const status of ['ABNORMAL', 'CLOSED'] as const) {
      const n = parseRefund(buildRefundNotification(sandboxKeys, { ...refund, status, successTime: null }, NOW));
      expect(n).toMatchObject({ refundStatus: status, successTime: null });
      // Present at all, it must still read.
      const e = rejection(() => parseRefund(signed(`REFUND.${status}`, refundResource({ refund_status: status, success_time: 'soon' }), 'refund', 'refund')));
      expect(e.reason).toBe('BAD_SUCCESS_TIME');
    }
  });
});

describe('parseRfc3339 is strict', () => {
  it('reads WeChat Pay times with any offset and fractions', () => {
    expect(parseRfc3339('2025-05-20T13:29:35+08:00')).toBe(Date.UTC(2025, 4, 20, 5, 29, 35));
    expect(parseRfc3339('2025-05-20T05:29:35Z')).toBe(Date.UTC(2025, 4, 20, 5, 29, 35));
    expect(parseRfc3339('2025-05-20T05:29:35.250Z')).toBe(Date.UTC(2025, 4, 20, 5, 29, 35, 250));
    expect(parseRfc3339('2025-05-20T00:00:00-03:30')).toBe(Date.UTC(2025, 4, 20, 3, 30));
    expect(parseRfc3339('2024-02-29T12:00:00+08:00')).toBe(Date.UTC(2024, 1, 29, 4));
    expect(parseRfc3339(rfc3339Beijing(NOW))).toBe(NOW);
  });

  it('refuses what Date.parse would roll over or guess', () => {
    for (const value of ['2025-02-29T12:00:00+08:00', '2025-04-31T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01T23:60:00Z', '2025-01-01T23:59:60Z', '2025-13-01T00:00:00Z', '2025-00-10T00:00:00Z', '2025-01-00T00:00:00Z', '2025-01-01T00:00:00+24:00', '2025-01-01T00:00:00+08:60', '2025-01-01T00:00:00']) {
      expect(parseRfc3339(value), value).toBeNull();
    }
  });
});
