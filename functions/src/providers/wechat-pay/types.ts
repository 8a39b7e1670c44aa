import type { PaymentParams } from '@shop/shared';

export interface PrepayRequest {
  outTradeNo: string;
  description: string;
  amountFen: number;
  payerOpenid: string;
  /** Epoch ms; sent as RFC 3339 +08:00 time_expire, after which WeChat refuses the payment. */
  timeExpireAt: number;
}

export interface TransactionNotification {
  eventId: string;
  eventType: string;
  outTradeNo: string;
  transactionId: string;
  tradeState: string;
  amountTotalFen: number;
  payerTotalFen: number;
  currency: string;
  appid: string;
  mchid: string;
  payerOpenid: string;
  successTime: number | null;
}

export type TradeState = 'SUCCESS' | 'NOTPAY' | 'CLOSED' | 'REFUND' | 'USERPAYING' | 'PAYERROR' | 'REVOKED';
export const TRADE_STATES: readonly TradeState[] = [
  'SUCCESS',
  'NOTPAY',
  'CLOSED',
  'REFUND',
  'USERPAYING',
  'PAYERROR',
  'REVOKED',
];

export interface TransactionState {
  outTradeNo: string;
  transactionId: string | null;
  tradeState: TradeState;
  amountTotalFen: number | null;
  successTime: number | null;
}

export type NotifyRejectReason =
  | 'BAD_SIGNATURE'
  | 'STALE_TIMESTAMP'
  | 'UNKNOWN_SERIAL'
  | 'MISSING_HEADERS'
  | 'BAD_BODY'
  | 'DECRYPT_FAILED';

/** A notification that is not provably from WeChat Pay: answer non-2xx and act on nothing in it. */
export class NotifyRejected extends Error {
  override readonly name = 'NotifyRejected';
  constructor(
    readonly reason: NotifyRejectReason,
    message?: string,
  ) {
    super(message ?? reason);
  }
}

export interface WechatPay {
  readonly mode: 'wechat' | 'sandbox';
  /**
   * JSAPI prepay. Repeating it with the same out_trade_no and the same parameters is safe (WeChat answers with the
   * order's prepay_id); different parameters for a used out_trade_no fail with PAYMENT_UNAVAILABLE.
   */
  createJsapiPrepay(req: PrepayRequest): Promise<{ prepayId: string }>;
  /** wx.requestPayment parameters, signType RSA, paySign by the merchant key. */
  paymentParams(prepayId: string, nowMs: number): PaymentParams;
  /**
   * Verifies Wechatpay-Timestamp/Nonce/Signature/Serial over the RAW body (reject |now − ts| > 300 s, unknown serial,
   * bad signature), then decrypts the resource. Header names case-insensitive. Throws NotifyRejected.
   */
  parseNotification(headers: Record<string, string | undefined>, rawBody: string, nowMs: number): TransactionNotification;
  /** An out_trade_no WeChat has never seen (ORDER_NOT_EXIST) reads as NOTPAY: nothing was paid for it. */
  queryByOutTradeNo(outTradeNo: string): Promise<TransactionState>;
  /**
   * Closes the transaction so it can no longer be paid; closing twice is fine. A paid transaction fails with
   * DomainError PAYMENT_UNAVAILABLE, details.wechatCode 'ORDERPAID'. WeChat may also answer 204 for a payment
   * completing at the same moment, so a caller deciding an order's fate queries afterwards.
   */
  close(outTradeNo: string): Promise<void>;
}
