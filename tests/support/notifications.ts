import { randomUUID } from 'node:crypto';
import { encryptResource, nonce, rfc3339Beijing, signMessage } from '../../functions/src/providers/wechat-pay/v3-crypto';

export interface NotificationFields {
  outTradeNo: string;
  transactionId?: string;
  amountFen: number;
  appid: string;
  mchid: string;
  openid?: string;
  tradeState?: string;
}

/**
 * Builds a WeChat Pay v3 TRANSACTION.SUCCESS notification the way WeChat does: resource AES-256-GCM encrypted with
 * the APIv3 key, headers signing `timestamp\nnonce\nbody\n` with the platform key. Tests vary one part at a time.
 */
export function buildNotification(
  f: NotificationFields,
  keys: { apiV3Key: string; platformPrivateKey: string; platformSerial: string },
  at: number = Date.now(),
): { headers: Record<string, string>; body: string } {
  const plaintext = JSON.stringify({
    appid: f.appid,
    mchid: f.mchid,
    out_trade_no: f.outTradeNo,
    transaction_id: f.transactionId ?? `4200${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    trade_type: 'JSAPI',
    trade_state: f.tradeState ?? 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: '',
    success_time: rfc3339Beijing(at),
    payer: { openid: f.openid ?? 'sandbox-openid-test' },
    amount: { total: f.amountFen, payer_total: f.amountFen, currency: 'CNY', payer_currency: 'CNY' },
  });
  const body = JSON.stringify({
    id: randomUUID(),
    create_time: rfc3339Beijing(at),
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: 'transaction', ...encryptResource(plaintext, keys.apiV3Key, 'transaction') },
  });
  const timestamp = String(Math.floor(at / 1000));
  const n = nonce(32);
  return {
    headers: {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': n,
      'Wechatpay-Serial': keys.platformSerial,
      'Wechatpay-Signature': signMessage(keys.platformPrivateKey, `${timestamp}\n${n}\n${body}\n`),
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      'Content-Type': 'application/json',
    },
    body,
  };
}
