import { z } from 'zod';
import { AEAD_ALGORITHM, decryptResource, parseRfc3339, responseSignatureMessage, verifyMessage } from './v3-crypto';
import {
  NotifyRejected,
  REFUND_EVENT_TYPES,
  REFUND_STATUSES,
  type RefundEventType,
  type RefundNotification,
  type TransactionNotification,
} from './types';

/** WeChat Pay's v3 rule for signed responses and notifications: refuse timestamps more than 5 minutes off. */
export const MAX_CLOCK_SKEW_SEC = 300;

const Envelope = z.object({
  id: z.string().min(1),
  create_time: z.string(),
  event_type: z.string().min(1),
  resource_type: z.literal('encrypt-resource'),
  summary: z.string().optional(),
  resource: z.object({
    algorithm: z.literal(AEAD_ALGORITHM),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
});

const Transaction = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  trade_state: z.string(),
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string() }),
  amount: z.object({
    total: z.number().int(),
    payer_total: z.number().int().optional(),
    currency: z.string(),
  }),
});

/** 退款结果通知's resource (original_type "refund"). */
const Refund = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: z.enum(REFUND_STATUSES),
  success_time: z.string().optional(),
  amount: z.object({
    total: z.number().int(),
    refund: z.number().int(),
    payer_total: z.number().int().optional(),
    payer_refund: z.number().int().optional(),
  }),
});

export interface SignedHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

/** Wechatpay-* headers whatever their case (API Gateway and Node lower-case them; WeChat sends them capitalised). */
export function wechatpayHeaders(headers: Record<string, string | undefined>): Partial<SignedHeaders> {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) lower.set(name.toLowerCase(), value);
  return {
    timestamp: lower.get('wechatpay-timestamp'),
    nonce: lower.get('wechatpay-nonce'),
    signature: lower.get('wechatpay-signature'),
    serial: lower.get('wechatpay-serial'),
  };
}

/**
 * Checks that `body` was signed by WeChat Pay (a platform key we hold, under its serial) within the allowed clock
 * skew. Used for notifications and for the client's responses alike. WeChat also sends probe notifications with
 * deliberately wrong signatures to check that merchants verify: those must fail here.
 */
export function verifySignedBody(
  h: Partial<SignedHeaders>,
  body: string,
  nowMs: number,
  platformPublicKeys: Record<string, string>,
): void {
  if (!h.timestamp || !h.nonce || !h.signature || !h.serial) {
    throw new NotifyRejected('MISSING_HEADERS', 'Wechatpay-Timestamp/Nonce/Signature/Serial required');
  }
  if (!/^\d{1,12}$/.test(h.timestamp) || Math.abs(nowMs / 1000 - Number(h.timestamp)) > MAX_CLOCK_SKEW_SEC) {
    throw new NotifyRejected('STALE_TIMESTAMP', `timestamp ${h.timestamp} too far from now`);
  }
  const key = Object.hasOwn(platformPublicKeys, h.serial) ? platformPublicKeys[h.serial] : undefined;
  if (!key) throw new NotifyRejected('UNKNOWN_SERIAL', `no platform key for serial ${h.serial}`);
  if (!verifyMessage(key, responseSignatureMessage(h.timestamp, h.nonce, body), h.signature)) {
    throw new NotifyRejected('BAD_SIGNATURE', 'signature does not verify');
  }
}

/**
 * The associated_data WeChat Pay binds into each family's AEAD resource: "transaction" for TRANSACTION.* and "refund"
 * for REFUND.*. The tag only proves the pair was not altered, not that it is the right pair, so it is checked here.
 */
const ASSOCIATED_DATA = { transaction: 'transaction', refund: 'refund' } as const;
type NotificationFamily = keyof typeof ASSOCIATED_DATA;

/**
 * A success_time that must be there (a successful payment or refund) or is there at all must be a real RFC 3339
 * time; an absent or unreadable one is refused rather than recorded as "no time".
 */
function successTime(value: string | undefined, required: boolean): number | null {
  if (value === undefined) {
    if (required) throw new NotifyRejected('BAD_SUCCESS_TIME', 'success_time missing from a successful result');
    return null;
  }
  const at = parseRfc3339(value);
  if (at === null) throw new NotifyRejected('BAD_SUCCESS_TIME', `success_time ${JSON.stringify(value.slice(0, 40))} is not an RFC 3339 time`);
  return at;
}

interface NotificationKeys {
  platformPublicKeys: Record<string, string>;
  apiV3Key: string;
}

/**
 * The steps every v3 notification goes through ("回调通知"): the signature over the raw body, the envelope, an
 * event_type of the expected family, then the AEAD resource. Returns the envelope and the decrypted resource JSON.
 */
function openNotification(
  headers: Record<string, string | undefined>,
  rawBody: string,
  nowMs: number,
  keys: NotificationKeys,
  family: NotificationFamily,
  acceptsEvent: (eventType: string) => boolean,
): { envelope: z.infer<typeof Envelope>; resource: unknown } {
  verifySignedBody(wechatpayHeaders(headers), rawBody, nowMs, keys.platformPublicKeys);

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new NotifyRejected('BAD_BODY', 'body is not JSON');
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) throw new NotifyRejected('BAD_BODY', 'not a v3 encrypted notification');
  // Payment (TRANSACTION.*) and refund (REFUND.*) results carry different resources and arrive at their own
  // notify_url: one parser never reads the other's events.
  if (!acceptsEvent(envelope.data.event_type)) {
    throw new NotifyRejected('BAD_BODY', `unexpected event_type ${envelope.data.event_type}`);
  }
  if (envelope.data.resource.associated_data !== ASSOCIATED_DATA[family]) {
    throw new NotifyRejected(
      'WRONG_ASSOCIATED_DATA',
      `associated_data ${JSON.stringify(envelope.data.resource.associated_data?.slice(0, 40) ?? null)} on a ${family} notification`,
    );
  }

  let plaintext: string;
  try {
    plaintext = decryptResource(envelope.data.resource, keys.apiV3Key);
  } catch {
    throw new NotifyRejected('DECRYPT_FAILED', 'resource does not decrypt with the APIv3 key');
  }
  try {
    return { envelope: envelope.data, resource: JSON.parse(plaintext) };
  } catch {
    throw new NotifyRejected('BAD_BODY', 'resource is not JSON');
  }
}

export function parseTransactionNotification(
  headers: Record<string, string | undefined>,
  rawBody: string,
  nowMs: number,
  keys: NotificationKeys,
): TransactionNotification {
  const { envelope, resource } = openNotification(headers, rawBody, nowMs, keys, 'transaction', (t) =>
    t.startsWith('TRANSACTION.'),
  );
  const parsed = Transaction.safeParse(resource);
  if (!parsed.success) throw new NotifyRejected('BAD_BODY', 'resource is not a transaction');
  const tx = parsed.data;

  return {
    eventId: envelope.id,
    eventType: envelope.event_type,
    outTradeNo: tx.out_trade_no,
    transactionId: tx.transaction_id,
    tradeState: tx.trade_state,
    amountTotalFen: tx.amount.total,
    payerTotalFen: tx.amount.payer_total ?? tx.amount.total,
    currency: tx.amount.currency,
    appid: tx.appid,
    mchid: tx.mchid,
    payerOpenid: tx.payer.openid,
    successTime: successTime(tx.success_time, tx.trade_state === 'SUCCESS'),
  };
}

/** 退款结果通知: REFUND.SUCCESS, REFUND.ABNORMAL or REFUND.CLOSED, verified and decrypted as any notification. */
export function parseRefundNotification(
  headers: Record<string, string | undefined>,
  rawBody: string,
  nowMs: number,
  keys: NotificationKeys,
): RefundNotification {
  const isRefundEvent = (t: string): t is RefundEventType => (REFUND_EVENT_TYPES as readonly string[]).includes(t);
  const { envelope, resource } = openNotification(headers, rawBody, nowMs, keys, 'refund', isRefundEvent);
  const parsed = Refund.safeParse(resource);
  if (!parsed.success) throw new NotifyRejected('BAD_BODY', 'resource is not a refund');
  const r = parsed.data;

  return {
    eventId: envelope.id,
    eventType: envelope.event_type as RefundEventType,
    mchid: r.mchid,
    outTradeNo: r.out_trade_no,
    transactionId: r.transaction_id,
    outRefundNo: r.out_refund_no,
    refundId: r.refund_id,
    refundStatus: r.refund_status,
    refundFen: r.amount.refund,
    totalFen: r.amount.total,
    // "当退款状态为退款成功时返回": required on SUCCESS, absent on ABNORMAL / CLOSED.
    successTime: successTime(r.success_time, r.refund_status === 'SUCCESS'),
  };
}
