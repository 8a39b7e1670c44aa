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
  /** Checked against ours exactly as a notification's are. */
  appid: string | null;
  mchid: string | null;
  currency: string | null;
}

/** A refund of (part of) a paid transaction. out_refund_no names it: the same number again is the same refund. */
export interface RefundRequest {
  outTradeNo: string;
  /** Refund this transaction of the order (a second payment) rather than the order's own. */
  transactionId?: string;
  outRefundNo: string;
  /** Shown to the payer in WeChat's refund message; cut to 80 characters. */
  reason: string;
  refundFen: number;
  /** The transaction's total, as paid. */
  totalFen: number;
  /** Defaults to the client's refundNotifyUrl. */
  notifyUrl?: string;
}

export type AbnormalRefundRequest = { refundId: string; outRefundNo: string } & (
  | { type: 'MERCHANT_BANK_CARD' }
  | { type: 'USER_BANK_CARD'; bankType: string; bankAccount: string; realName: string }
);

export type RefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
export const REFUND_STATUSES = ['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL'] as const satisfies readonly RefundStatus[];

export interface RefundState {
  outRefundNo: string;
  refundId: string | null;
  outTradeNo: string;
  status: RefundStatus;
  refundFen: number;
  successTime: number | null;
}

export type RefundEventType = 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
export const REFUND_EVENT_TYPES: readonly RefundEventType[] = ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'];

export interface RefundNotification {
  eventId: string;
  eventType: RefundEventType;
  mchid: string;
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  refundId: string;
  refundStatus: RefundStatus;
  refundFen: number;
  totalFen: number;
  successTime: number | null;
}

export type NotifyRejectReason =
  | 'BAD_SIGNATURE'
  | 'STALE_TIMESTAMP'
  | 'UNKNOWN_SERIAL'
  | 'MISSING_HEADERS'
  | 'BAD_BODY'
  | 'DECRYPT_FAILED'
  /** associated_data other than "transaction" (TRANSACTION.*) or "refund" (REFUND.*). */
  | 'WRONG_ASSOCIATED_DATA'
  /** A successful result without a readable success_time, or any unreadable one. */
  | 'BAD_SUCCESS_TIME';

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
  /**
   * 申请退款. WeChat answers PROCESSING (or an already final status when the out_refund_no was used before); the
   * outcome arrives as a REFUND.* notification or through queryRefund. Refused refunds (more than is left to refund,
   * unpaid transaction, a used out_refund_no with another amount) fail with DomainError PAYMENT_UNAVAILABLE,
   * details.wechatCode telling why.
   */
  refund(req: RefundRequest): Promise<RefundState>;
  /** 查询单笔退款. An out_refund_no WeChat does not know (RESOURCE_NOT_EXISTS) throws DomainError NOT_FOUND. */
  queryRefund(outRefundNo: string): Promise<RefundState>;
  /**
   * 发起异常退款: resolves an ABNORMAL refund (POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund),
   * to the buyer's other card (USER_BANK_CARD: account and name encrypted with the platform public key) or to the
   * merchant's account for an offline transfer (MERCHANT_BANK_CARD). Answers the refund, normally PROCESSING again;
   * the outcome arrives as a REFUND.* notification for the same out_refund_no. Not retried blindly.
   */
  applyAbnormalRefund(req: AbnormalRefundRequest): Promise<RefundState>;
  /** Verifies and decrypts a refund result notification exactly as parseNotification does. Throws NotifyRejected. */
  parseRefundNotification(
    headers: Record<string, string | undefined>,
    rawBody: string,
    nowMs: number,
  ): RefundNotification;
}
