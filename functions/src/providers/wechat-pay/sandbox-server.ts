/**
 * The local twin of WeChat Pay's API v3 server (JSAPI prepay, query, close, refunds, and their notifications),
 * speaking the same signed HTTP protocol so the real client's signing and verification run unchanged on the local
 * stage. Behaviour follows the v3 merchant documents (JSAPI下单 / 查询订单 / 关闭订单 / 支付成功回调通知 / 申请退款 /
 * 查询单笔退款 / 退款结果通知).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { DomainError } from '@shop/shared';
import { z } from 'zod';
import { logger } from '../../lib/http';
import type { SandboxDelivery, SandboxRefund, SandboxStore, SandboxTransaction } from './sandbox-store';
import {
  OUT_REFUND_NO,
  OUT_TRADE_NO,
  encryptResource,
  nonce,
  parseAuthorizationHeader,
  parseRfc3339,
  requestSignatureMessage,
  responseSignatureMessage,
  rfc3339Beijing,
  signMessage,
  verifyMessage,
} from './v3-crypto';
import { MAX_CLOCK_SKEW_SEC } from './notification';

export type { SandboxRefund, SandboxStore, SandboxTransaction } from './sandbox-store';
export { dynamoSandboxStore, memorySandboxStore } from './sandbox-store';

/**
 * Only sandbox code carries this string: `npm run size -- --check` refuses a production bundle that contains it.
 * @public read in the built bundle, not imported: the export keeps esbuild from dropping it.
 */
export const SANDBOX_MODULE = 'shop-sandbox-module:wechat-pay/sandbox-server';

/** How the sandbox ends a refund when asked to (tests drive exceptions through completeRefund). */
type SandboxRefundOutcome = 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

export interface SandboxWechatPayServerOptions {
  mchId: string;
  appId: string;
  apiV3Key: string;
  platformPrivateKey: string;
  platformSerial: string;
  /** The merchant's API public key, for checking request signatures. */
  merchantPublicKey: string;
  /** When given, requests must name this certificate serial. */
  merchantSerial?: string;
  store: SandboxStore;
  /** Delivers notifications here instead of each transaction's notify_url. */
  notifyUrl?: string;
  /** Delivers refund notifications here instead of each refund's notify_url. */
  refundNotifyUrl?: string;
  /**
   * Completes every accepted refund with this outcome right after answering, as WeChat settles refunds on its own
   * after 申请退款 returned PROCESSING. false (the default): refunds stay PROCESSING until completeRefund.
   */
  autoCompleteRefunds?: 'SUCCESS' | 'ABNORMAL' | false;
  /** Used to deliver notifications. */
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

export interface SandboxPaymentResult {
  delivered: boolean;
  notifyStatus: number | null;
}

interface SandboxRedeliveryResult {
  /** Re-sends made in this run. */
  sent: number;
  /** Of those, answered with 200/204 (no more re-sends for them). */
  delivered: number;
  /** Notifications whose last re-send failed too: WeChat stops trying. */
  gaveUp: number;
}

export interface SignedNotification {
  headers: Record<string, string>;
  body: string;
}

export interface SandboxWechatPayServer {
  handle(request: Request): Promise<Response>;
  /**
   * What the shopper does in the payment sheet. 'pay' moves the transaction to SUCCESS (once: a second 'pay'
   * re-delivers the same notification, as WeChat's retries do) and POSTs the notification; 'cancel' pays nothing.
   * Throws DomainError NOT_FOUND (unknown prepay_id), FORBIDDEN (`payerOpenid` given and not the prepay's payer),
   * PAYMENT_EXPIRED (past time_expire) or ORDER_STATE_CONFLICT (closed).
   */
  simulateUserPayment(
    prepayId: string,
    action: 'pay' | 'cancel',
    nowMs: number,
    payerOpenid?: string,
  ): Promise<SandboxPaymentResult>;
  buildNotification(tx: SandboxTransaction, nowMs: number): SignedNotification;
  /**
   * The payer pays an out_trade_no that is paid already once more (another transaction_id, e.g. two payment sheets
   * left open): the further transaction is kept under its own id (refunds name it by transaction_id) and its
   * TRANSACTION.SUCCESS notification is signed and POSTed like any other (re-sent while unanswered). Throws
   * DomainError NOT_FOUND (unknown out_trade_no) or ORDER_STATE_CONFLICT (not paid yet).
   */
  simulateAnotherPayment(outTradeNo: string, nowMs: number): Promise<SandboxPaymentResult & { transaction: SandboxTransaction }>;
  /**
   * WeChat finishing a PROCESSING refund: sets its final status and POSTs the REFUND.SUCCESS / REFUND.ABNORMAL /
   * REFUND.CLOSED notification (CLOSED gives the amount back to what is left to refund; an ABNORMAL one can be
   * reopened by apply-abnormal-refund and then completed again). Repeating the same outcome re-delivers the same notification (WeChat's retries). Throws DomainError
   * NOT_FOUND (unknown out_refund_no) or ORDER_STATE_CONFLICT (the refund already ended otherwise).
   */
  completeRefund(outRefundNo: string, outcome: SandboxRefundOutcome, nowMs: number): Promise<SandboxPaymentResult>;
  buildRefundNotification(refund: SandboxRefund, nowMs: number): SignedNotification;
  /**
   * Fault injection: the next `n` API requests answer `status` with SYSTEM_ERROR. 'before' fails them without doing
   * anything; 'after' does the work first and loses the answer, as a timeout after WeChat committed would.
   */
  failNextRequests(n: number, status?: number, when?: 'before' | 'after'): void;
  /**
   * WeChat's re-sends: every notification not answered with 200/204 (refused, failed, timed out, or lost with a
   * crash mid-send) is sent again on NOTIFY_RETRY_DELAYS_MS, each time built from the current state and freshly
   * signed (new timestamp and nonce, same event id), until answered or after the last delay. The local stack calls
   * this on a timer; tests pass their own clock.
   */
  redeliverDue(nowMs?: number): Promise<SandboxRedeliveryResult>;
}

/**
 * "通知频率为15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h - 总计 24h4m": after a notification is not
 * answered with success, WeChat Pay sends it again after each of these delays, then gives up.
 */
export const NOTIFY_RETRY_DELAYS_MS: readonly number[] = [
  15_000, 15_000, 30_000, 180_000, 600_000, 1_200_000, 1_800_000, 1_800_000, 1_800_000, 3_600_000,
  10_800_000, 10_800_000, 10_800_000, 21_600_000, 21_600_000,
];
/** Re-sends run at most this many at a time (each may wait NOTIFY_TIMEOUT_MS). */
const REDELIVERY_CONCURRENCY = 8;

/** "支付结束时间不能早于下单时间后1分钟": WeChat moves an earlier time_expire to one minute after the prepay. */
const MIN_PAYMENT_WINDOW_MS = 60_000;
/** Without time_expire an unpaid transaction can be paid for 7 days. */
const DEFAULT_PAYMENT_WINDOW_MS = 7 * 24 * 3600_000;
const NOTIFY_TIMEOUT_MS = 5000;

const PrepayBody = z.object({
  appid: z.string().min(1),
  mchid: z.string().min(1),
  description: z
    .string()
    .min(1)
    .refine((d) => Array.from(d).length <= 127, 'description 长度不能超过127'),
  out_trade_no: z.string().regex(OUT_TRADE_NO),
  time_expire: z.string().optional(),
  attach: z.string().max(128).optional(),
  notify_url: z.string().url().max(255),
  amount: z.object({ total: z.number().int().positive(), currency: z.literal('CNY').optional() }),
  payer: z.object({ openid: z.string().min(1) }),
});

const CloseBody = z.object({ mchid: z.string().min(1) });

const AbnormalRefundBody = z.object({
  out_refund_no: z.string().regex(OUT_REFUND_NO),
  type: z.enum(['USER_BANK_CARD', 'MERCHANT_BANK_CARD']),
  bank_type: z.string().optional(),
  bank_account: z.string().optional(),
  real_name: z.string().optional(),
});

const RefundBody = z.object({
  // "transaction_id 和 out_trade_no 二选一，同时存在时以 transaction_id 为准": the shop always sends out_trade_no, and
  // transaction_id too when it refunds a further payment of the out_trade_no.
  transaction_id: z.string().optional(),
  out_trade_no: z.string().regex(OUT_TRADE_NO),
  out_refund_no: z.string().regex(OUT_REFUND_NO),
  reason: z
    .string()
    .refine((r) => Array.from(r).length <= 80, 'reason 长度不能超过80')
    .optional(),
  // "通知url必须为外网可访问的url，不能携带参数".
  notify_url: z
    .string()
    .url()
    .max(256)
    .refine((u) => !new URL(u).search, 'notify_url 不能携带参数')
    .optional(),
  funds_account: z.string().optional(),
  amount: z.object({
    refund: z.number().int().positive(),
    total: z.number().int().positive(),
    currency: z.literal('CNY'),
  }),
});

type TradeStateShown = SandboxTransaction['tradeState'] | 'REFUND';

const STATE_DESC: Record<TradeStateShown, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  REFUND: '转入退款',
};

const REFUND_SUMMARY: Record<Exclude<SandboxRefund['status'], 'PROCESSING'>, string> = {
  SUCCESS: '退款成功',
  ABNORMAL: '退款异常',
  CLOSED: '退款关闭',
};

function beijingDigits(epochMs: number): string {
  return rfc3339Beijing(epochMs).slice(0, 19).replace(/\D/g, '');
}

function digits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

/** Shaped like WeChat's: `wx` + Beijing yyyyMMddHHmmss + 20 hex (36 characters). */
function newPrepayId(nowMs: number): string {
  return `wx${beijingDigits(nowMs)}${randomBytes(10).toString('hex')}`;
}

/** Shaped like WeChat's: 28 digits starting 4200 and the Beijing date. */
function newTransactionId(nowMs: number): string {
  return `4200${beijingDigits(nowMs).slice(0, 8)}${digits(16)}`;
}

/** Shaped like WeChat's: 29 digits starting 50, the Beijing date in the middle. */
function newRefundId(nowMs: number): string {
  return `50${digits(8)}${beijingDigits(nowMs).slice(0, 8)}${digits(11)}`;
}

/** One event, one id: WeChat's retries of a notification carry the same id, so the re-delivery here does too. */
function eventIdFor(eventType: string, objectId: string): string {
  const h = createHash('sha256').update(`${eventType}:${objectId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function signedHeaders(
  platformPrivateKey: string,
  platformSerial: string,
  body: string,
  nowMs: number,
): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonceStr = nonce();
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonceStr,
    'Wechatpay-Signature': signMessage(platformPrivateKey, responseSignatureMessage(timestamp, nonceStr, body)),
    'Wechatpay-Serial': platformSerial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

/** The TRANSACTION.SUCCESS notification for a paid transaction, encrypted and signed as WeChat Pay sends it. */
export function buildNotification(
  keys: { apiV3Key: string; platformPrivateKey: string; platformSerial: string },
  tx: SandboxTransaction,
  nowMs: number,
): SignedNotification {
  if (tx.tradeState !== 'SUCCESS' || !tx.transactionId || tx.successTime === null) {
    throw new Error(`transaction ${tx.outTradeNo} is not paid`);
  }
  const successTime = rfc3339Beijing(tx.successTime);
  const plaintext = JSON.stringify({
    mchid: tx.mchid,
    appid: tx.appid,
    out_trade_no: tx.outTradeNo,
    transaction_id: tx.transactionId,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: STATE_DESC.SUCCESS,
    bank_type: 'OTHERS',
    attach: '',
    success_time: successTime,
    payer: { openid: tx.payerOpenid },
    amount: { total: tx.amountFen, payer_total: tx.amountFen, currency: 'CNY', payer_currency: 'CNY' },
  });
  const { algorithm, ciphertext, associated_data, nonce: resourceNonce } = encryptResource(
    plaintext,
    keys.apiV3Key,
    'transaction',
  );
  const body = JSON.stringify({
    id: eventIdFor('TRANSACTION.SUCCESS', tx.transactionId),
    create_time: successTime,
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: 'transaction', algorithm, ciphertext, associated_data, nonce: resourceNonce },
  });
  return {
    headers: {
      'Content-Type': 'application/json',
      ...signedHeaders(keys.platformPrivateKey, keys.platformSerial, body, nowMs),
    },
    body,
  };
}

/** The REFUND.* notification for a finished refund, encrypted (associated_data "refund") and signed as WeChat does. */
export function buildRefundNotification(
  keys: { apiV3Key: string; platformPrivateKey: string; platformSerial: string },
  refund: SandboxRefund,
  nowMs: number,
): SignedNotification {
  if (refund.status === 'PROCESSING') throw new Error(`refund ${refund.outRefundNo} has not finished`);
  const plaintext = JSON.stringify({
    mchid: refund.mchid,
    out_trade_no: refund.outTradeNo,
    transaction_id: refund.transactionId,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_status: refund.status,
    // "当退款状态为退款成功时返回此参数".
    ...(refund.status === 'SUCCESS' && refund.successTime !== null
      ? { success_time: rfc3339Beijing(refund.successTime) }
      : {}),
    user_received_account: '支付用户零钱',
    amount: { total: refund.totalFen, refund: refund.refundFen, payer_total: refund.totalFen, payer_refund: refund.refundFen },
  });
  const { algorithm, ciphertext, associated_data, nonce: resourceNonce } = encryptResource(
    plaintext,
    keys.apiV3Key,
    'refund',
  );
  const eventType = `REFUND.${refund.status}`;
  const body = JSON.stringify({
    id: eventIdFor(eventType, refund.refundId),
    create_time: rfc3339Beijing(refund.successTime ?? nowMs),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: REFUND_SUMMARY[refund.status],
    resource: { original_type: 'refund', algorithm, ciphertext, associated_data, nonce: resourceNonce },
  });
  return {
    headers: {
      'Content-Type': 'application/json',
      ...signedHeaders(keys.platformPrivateKey, keys.platformSerial, body, nowMs),
    },
    body,
  };
}

export function createSandboxWechatPayServer(opts: SandboxWechatPayServerOptions): SandboxWechatPayServer {
  const {
    mchId,
    appId,
    apiV3Key,
    platformPrivateKey,
    platformSerial,
    merchantPublicKey,
    merchantSerial,
    store,
    notifyUrl,
    refundNotifyUrl,
    autoCompleteRefunds = false,
    fetch = globalThis.fetch,
    now = Date.now,
  } = opts;
  const faults = { remaining: 0, status: 500, when: 'before' as 'before' | 'after' };

  function respond(status: number, payload?: unknown): Response {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    return new Response(status === 204 ? null : body, {
      status,
      headers: {
        ...(status === 204 ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
        'Request-ID': randomBytes(16).toString('hex'),
        ...signedHeaders(platformPrivateKey, platformSerial, body, now()),
      },
    });
  }

  function fail(status: number, code: string, message: string): Response {
    return respond(status, { code, message });
  }

  /** The merchant's signature, checked as WeChat Pay checks it (签名验证失败 → 401 SIGN_ERROR). */
  function authenticate(request: Request, url: URL, body: string): Response | null {
    const auth = parseAuthorizationHeader(request.headers.get('authorization'));
    if (!auth) return fail(401, 'SIGN_ERROR', 'Authorization 头缺失或格式错误');
    if (auth.mchid !== mchId) return fail(401, 'SIGN_ERROR', '商户号不存在或与签名不匹配');
    if (merchantSerial !== undefined && auth.serial !== merchantSerial) {
      return fail(401, 'SIGN_ERROR', '商户证书序列号不存在或已过期');
    }
    const ts = Number(auth.timestamp);
    if (!/^\d{1,12}$/.test(auth.timestamp) || Math.abs(now() / 1000 - ts) > MAX_CLOCK_SKEW_SEC) {
      return fail(401, 'SIGN_ERROR', '请求时间戳与服务器时间相差过大');
    }
    const message = requestSignatureMessage(request.method, url.pathname + url.search, auth.timestamp, auth.nonce, body);
    if (!verifyMessage(merchantPublicKey, message, auth.signature)) return fail(401, 'SIGN_ERROR', '签名错误');
    return null;
  }

  function parseJson(body: string): unknown {
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }

  async function prepay(body: string): Promise<Response> {
    const parsed = PrepayBody.safeParse(parseJson(body));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(400, 'PARAM_ERROR', `输入源"${issue?.path.join('.') ?? 'body'}"映射到值字段时出错：${issue?.message}`);
    }
    const req = parsed.data;
    if (req.appid !== appId || req.mchid !== mchId) return fail(400, 'APPID_MCHID_NOT_MATCH', 'AppID和mch_id不匹配');
    const nowMs = now();
    let timeExpireAt = nowMs + DEFAULT_PAYMENT_WINDOW_MS;
    if (req.time_expire !== undefined) {
      const at = parseRfc3339(req.time_expire);
      if (at === null) return fail(400, 'PARAM_ERROR', 'time_expire 格式错误，应为 rfc3339');
      timeExpireAt = Math.max(at, nowMs + MIN_PAYMENT_WINDOW_MS);
    }
    const candidate: SandboxTransaction = {
      outTradeNo: req.out_trade_no,
      prepayId: newPrepayId(nowMs),
      appid: req.appid,
      mchid: req.mchid,
      description: req.description,
      amountFen: req.amount.total,
      payerOpenid: req.payer.openid,
      notifyUrl: req.notify_url,
      timeExpire: req.time_expire ?? null,
      timeExpireAt,
      createdAt: nowMs,
      tradeState: 'NOTPAY',
      transactionId: null,
      successTime: null,
    };
    const { created, tx } = await store.create(candidate);
    if (!created) {
      // "time_expire 参数仅在用户首次下单时可设置，且不允许后续修改": same parameters again → the order's prepay_id;
      // anything changed → the out_trade_no is already used.
      const same =
        tx.description === candidate.description &&
        tx.amountFen === candidate.amountFen &&
        tx.payerOpenid === candidate.payerOpenid &&
        tx.notifyUrl === candidate.notifyUrl &&
        tx.timeExpire === candidate.timeExpire;
      if (!same) return fail(400, 'INVALID_REQUEST', '201 商户订单号重复');
      if (tx.tradeState === 'SUCCESS') return fail(400, 'ORDERPAID', '该订单已支付');
      if (tx.tradeState === 'CLOSED') return fail(400, 'ORDER_CLOSED', '订单已关闭');
    }
    return respond(200, { prepay_id: tx.prepayId });
  }

  async function query(outTradeNo: string, url: URL): Promise<Response> {
    if (url.searchParams.get('mchid') !== mchId) return fail(400, 'PARAM_ERROR', 'mchid 与商户号不一致');
    const tx = await store.get(outTradeNo);
    if (!tx) return fail(404, 'ORDER_NOT_EXIST', '订单不存在');
    const paid = tx.tradeState === 'SUCCESS';
    // Once a refund succeeded WeChat's query shows REFUND (转入退款) instead of SUCCESS.
    const shown: TradeStateShown = paid && tx.refundSucceeded ? 'REFUND' : tx.tradeState;
    return respond(200, {
      appid: tx.appid,
      mchid: tx.mchid,
      out_trade_no: tx.outTradeNo,
      ...(paid
        ? {
            transaction_id: tx.transactionId,
            trade_type: 'JSAPI',
            bank_type: 'OTHERS',
            success_time: rfc3339Beijing(tx.successTime ?? tx.createdAt),
          }
        : {}),
      trade_state: shown,
      trade_state_desc: STATE_DESC[shown],
      attach: '',
      payer: { openid: tx.payerOpenid },
      amount: paid
        ? { total: tx.amountFen, payer_total: tx.amountFen, currency: 'CNY', payer_currency: 'CNY' }
        : { total: tx.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    });
  }

  async function close(outTradeNo: string, body: string): Promise<Response> {
    const parsed = CloseBody.safeParse(parseJson(body));
    if (!parsed.success || parsed.data.mchid !== mchId) return fail(400, 'PARAM_ERROR', 'mchid 与商户号不一致');
    if (await store.markClosed(outTradeNo)) return respond(204);
    const tx = await store.get(outTradeNo);
    if (tx?.tradeState === 'SUCCESS') return fail(400, 'ORDERPAID', '订单已支付，不能发起关单');
    // Already closed, or never created: WeChat answers 204 to both.
    return respond(204);
  }

  /** The refund object 申请退款 and 查询单笔退款 both answer with. */
  function refundResource(r: SandboxRefund): Record<string, unknown> {
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.status === 'SUCCESS' && r.successTime !== null ? { success_time: rfc3339Beijing(r.successTime) } : {}),
      create_time: rfc3339Beijing(r.createdAt),
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: r.totalFen,
        refund: r.refundFen,
        from: [],
        payer_total: r.totalFen,
        payer_refund: r.refundFen,
        settlement_refund: r.refundFen,
        settlement_total: r.totalFen,
        discount_refund: 0,
        currency: 'CNY',
        refund_fee: 0,
      },
      promotion_detail: [],
    };
  }

  async function refund(body: string): Promise<Response> {
    const parsed = RefundBody.safeParse(parseJson(body));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(400, 'PARAM_ERROR', `输入源"${issue?.path.join('.') ?? 'body'}"映射到值字段时出错：${issue?.message}`);
    }
    const req = parsed.data;
    let tx = await store.get(req.out_trade_no);
    if (!tx) return fail(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    // A transaction_id other than the out_trade_no's own names a further payment of it.
    const furtherPayment = req.transaction_id !== undefined && req.transaction_id !== tx.transactionId;
    if (furtherPayment) {
      const other = await store.getPayment(req.transaction_id!);
      if (!other || other.outTradeNo !== tx.outTradeNo) return fail(400, 'INVALID_REQUEST', 'transaction_id 与 out_trade_no 不匹配');
      tx = other;
    }
    if (tx.tradeState !== 'SUCCESS' || !tx.transactionId) return fail(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    if (req.amount.total !== tx.amountFen) return fail(400, 'INVALID_REQUEST', '订单金额与原订单金额不一致');
    if (req.amount.refund > req.amount.total) return fail(400, 'INVALID_REQUEST', '退款金额不能大于订单金额');

    const nowMs = now();
    const candidate: SandboxRefund = {
      outRefundNo: req.out_refund_no,
      refundId: newRefundId(nowMs),
      outTradeNo: tx.outTradeNo,
      transactionId: tx.transactionId,
      mchid: tx.mchid,
      reason: req.reason ?? null,
      notifyUrl: req.notify_url ?? null,
      refundFen: req.amount.refund,
      totalFen: req.amount.total,
      status: 'PROCESSING',
      createdAt: nowMs,
      successTime: null,
      ...(furtherPayment ? { furtherPayment: true } : {}),
    };
    const result = await store.createRefund(candidate);
    switch (result.outcome) {
      case 'NOT_PAID':
        return fail(400, 'INVALID_REQUEST', '订单未支付，不能退款');
      // WeChat's answer to a refund beyond what is left ("申请退款总金额不能超过订单金额"). NOT_ENOUGH is another
      // thing there: the merchant's balance cannot cover the refund (403).
      case 'NOT_ENOUGH':
        return fail(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
      case 'EXISTS': {
        // "同一退款单号多次请求只退一笔": the same refund asked again is answered with its current state; the number
        // reused for anything else is refused.
        const r = result.refund;
        if (r.outTradeNo !== candidate.outTradeNo || r.refundFen !== candidate.refundFen || r.totalFen !== candidate.totalFen) {
          return fail(400, 'INVALID_REQUEST', '商户退款单号已存在，且与原退款请求的订单或金额不一致');
        }
        return respond(200, refundResource(r));
      }
      case 'CREATED':
        if (autoCompleteRefunds) scheduleCompletion(result.refund.outRefundNo, autoCompleteRefunds);
        return respond(200, refundResource(result.refund));
    }
  }

  /** 发起异常退款: an ABNORMAL refund goes back to PROCESSING (completeRefund then ends it again). */
  async function applyAbnormalRefund(refundId: string, body: string): Promise<Response> {
    const parsed = AbnormalRefundBody.safeParse(parseJson(body));
    if (!parsed.success) return fail(400, 'PARAM_ERROR', '请求参数错误');
    const r = await store.getRefund(parsed.data.out_refund_no);
    if (!r || r.refundId !== refundId) return fail(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    if (r.status !== 'ABNORMAL') return fail(400, 'INVALID_REQUEST', '退款单状态不是退款异常');
    const reopened = (await store.reopenAbnormalRefund(r.outRefundNo)) ?? (await store.getRefund(r.outRefundNo)) ?? r;
    return respond(200, refundResource(reopened));
  }

  async function queryRefund(outRefundNo: string): Promise<Response> {
    const r = await store.getRefund(outRefundNo);
    if (!r) return fail(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    return respond(200, refundResource(r));
  }

  /** After the answer has gone out, as WeChat settles a refund asynchronously. */
  function scheduleCompletion(outRefundNo: string, outcome: 'SUCCESS' | 'ABNORMAL'): void {
    setTimeout(() => {
      completeRefund(outRefundNo, outcome, now()).then(
        (r) => {
          if (!r.delivered) logger.warn('sandbox refund notification not received', { outRefundNo, ...r });
        },
        (e: unknown) => logger.error('sandbox refund completion failed', { outRefundNo, error: e as Error }),
      );
    }, 0);
  }

  async function route(request: Request, url: URL, body: string): Promise<Response> {
    const path = url.pathname;
    if (request.method === 'POST' && path === '/v3/pay/transactions/jsapi') return prepay(body);
    if (request.method === 'POST' && path === '/v3/refund/domestic/refunds') return refund(body);
    const abnormal = /^\/v3\/refund\/domestic\/refunds\/([0-9A-Za-z]+)\/apply-abnormal-refund$/.exec(path);
    if (abnormal && request.method === 'POST') return applyAbnormalRefund(abnormal[1], body);
    const refundQuery = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    if (refundQuery && request.method === 'GET') {
      let outRefundNo: string;
      try {
        outRefundNo = decodeURIComponent(refundQuery[1]);
      } catch {
        return fail(400, 'PARAM_ERROR', 'out_refund_no 格式错误');
      }
      if (!OUT_REFUND_NO.test(outRefundNo)) return fail(400, 'PARAM_ERROR', 'out_refund_no 格式错误');
      return queryRefund(outRefundNo);
    }
    const trade = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(path);
    if (trade) {
      let outTradeNo: string;
      try {
        outTradeNo = decodeURIComponent(trade[1]);
      } catch {
        return fail(400, 'PARAM_ERROR', 'out_trade_no 格式错误');
      }
      if (!OUT_TRADE_NO.test(outTradeNo)) return fail(400, 'PARAM_ERROR', 'out_trade_no 格式错误');
      if (request.method === 'GET' && !trade[2]) return query(outTradeNo, url);
      if (request.method === 'POST' && trade[2]) return close(outTradeNo, body);
    }
    return fail(404, 'NOT_FOUND', '请求的资源不存在');
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const body = await request.text();
    let injected: number | undefined;
    if (faults.remaining > 0) {
      faults.remaining -= 1;
      if (faults.when === 'before') return fail(faults.status, 'SYSTEM_ERROR', '系统错误');
      injected = faults.status;
    }
    const denied = authenticate(request, url, body);
    if (denied) return denied;
    const res = await route(request, url, body);
    return injected === undefined ? res : fail(injected, 'SYSTEM_ERROR', '系统错误');
  }

  function failNextRequests(n: number, status = 500, when: 'before' | 'after' = 'before'): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`failNextRequests needs a count >= 0, got ${n}`);
    if (!Number.isInteger(status) || status < 500 || status > 599) throw new Error(`not a 5xx status: ${status}`);
    Object.assign(faults, { remaining: n, status, when });
  }

  function notificationFor(tx: SandboxTransaction, nowMs: number): SignedNotification {
    return buildNotification({ apiV3Key, platformPrivateKey, platformSerial }, tx, nowMs);
  }

  function refundNotificationFor(refund: SandboxRefund, nowMs: number): SignedNotification {
    return buildRefundNotification({ apiV3Key, platformPrivateKey, platformSerial }, refund, nowMs);
  }

  /**
   * Sends a notification the first time. It is recorded as pending (first re-send in 15 s) before it goes out and
   * the record is removed once answered, so a refusal, a timeout or a crash mid-send all end in WeChat's re-sends.
   */
  async function deliver(
    url: string | null,
    notification: SignedNotification,
    about: { kind: SandboxDelivery['kind']; ref: string; nowMs: number },
  ): Promise<SandboxPaymentResult> {
    // A refund without notify_url is notified at the URL set on the merchant platform; the sandbox has none.
    if (!url) return { delivered: false, notifyStatus: null };
    const eventId = (JSON.parse(notification.body) as { id: string }).id;
    await store.addDelivery({
      eventId,
      kind: about.kind,
      ref: about.ref,
      url,
      attempts: 1,
      dueAt: about.nowMs + NOTIFY_RETRY_DELAYS_MS[0]!,
    });
    const result = await post(url, notification);
    if (result.delivered) await store.removeDelivery(eventId);
    return result;
  }

  /** The notification for a pending delivery as things stand now, or null when the event no longer holds. */
  async function rebuild(d: SandboxDelivery, nowMs: number): Promise<SignedNotification | null> {
    let n: SignedNotification | null = null;
    if (d.kind === 'TRANSACTION') {
      // ref: the out_trade_no, or the transaction id of a further payment of it.
      const tx = (await store.get(d.ref)) ?? (await store.getPayment(d.ref));
      if (tx?.tradeState === 'SUCCESS') n = notificationFor(tx, nowMs);
    } else {
      const refund = await store.getRefund(d.ref);
      if (refund && refund.status !== 'PROCESSING') n = refundNotificationFor(refund, nowMs);
    }
    // A refund reopened and ended otherwise is another event, with its own delivery.
    return n && (JSON.parse(n.body) as { id: string }).id === d.eventId ? n : null;
  }

  async function redeliverDue(nowMs: number = now()): Promise<SandboxRedeliveryResult> {
    const result: SandboxRedeliveryResult = { sent: 0, delivered: 0, gaveUp: 0 };
    const due = await store.dueDeliveries(nowMs, 100);
    const one = async (d: SandboxDelivery) => {
      // attempts counts the first send: this is re-send number `attempts`; after the last one there is no next.
      const delay = NOTIFY_RETRY_DELAYS_MS[d.attempts];
      const next = delay === undefined ? null : { attempts: d.attempts + 1, dueAt: nowMs + delay };
      // Taken (and the next re-send scheduled) before sending: two runners never send the same re-send twice.
      if (!(await store.claimDelivery(d, next))) return;
      const notification = await rebuild(d, nowMs);
      if (!notification) {
        if (next) await store.removeDelivery(d.eventId);
        return;
      }
      result.sent += 1;
      const sent = await post(d.url, notification);
      if (sent.delivered) {
        result.delivered += 1;
        if (next) await store.removeDelivery(d.eventId);
      } else if (!next) {
        result.gaveUp += 1;
        logger.warn('sandbox WeChat Pay gave up on a notification after its last re-send', {
          eventId: d.eventId,
          kind: d.kind,
          ref: d.ref,
          sends: d.attempts + 1,
          notifyStatus: sent.notifyStatus,
        });
      }
    };
    for (let i = 0; i < due.length; i += REDELIVERY_CONCURRENCY) {
      await Promise.all(due.slice(i, i + REDELIVERY_CONCURRENCY).map(one));
    }
    return result;
  }

  async function post(url: string, { headers, body }: SignedNotification): Promise<SandboxPaymentResult> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      // WeChat Pay counts only 200 and 204 as received; anything else is retried.
      return { delivered: res.status === 200 || res.status === 204, notifyStatus: res.status };
    } catch {
      return { delivered: false, notifyStatus: null };
    }
  }

  async function simulateUserPayment(
    prepayId: string,
    action: 'pay' | 'cancel',
    nowMs: number,
    payerOpenid?: string,
  ): Promise<SandboxPaymentResult> {
    const tx = await store.getByPrepayId(prepayId);
    if (!tx) throw new DomainError('NOT_FOUND', '支付单不存在', { prepayId });
    // A JSAPI prepay names its payer (payer.openid): WeChat lets no one else pay it.
    if (payerOpenid !== undefined && payerOpenid !== tx.payerOpenid) {
      throw new DomainError('FORBIDDEN', '该支付单不属于当前用户', { prepayId });
    }
    if (action === 'cancel') return { delivered: false, notifyStatus: null };

    const refuse = (t: SandboxTransaction) =>
      t.tradeState === 'CLOSED'
        ? new DomainError('ORDER_STATE_CONFLICT', '订单已关闭，无法支付', { prepayId, tradeState: t.tradeState })
        : new DomainError('PAYMENT_EXPIRED', undefined, { prepayId, timeExpireAt: t.timeExpireAt });

    let paid: SandboxTransaction | undefined = tx.tradeState === 'SUCCESS' ? tx : undefined;
    if (!paid) {
      if (tx.tradeState === 'CLOSED' || nowMs > tx.timeExpireAt) throw refuse(tx);
      paid = await store.markPaid(tx.outTradeNo, {
        transactionId: newTransactionId(nowMs),
        successTime: Math.floor(nowMs / 1000) * 1000,
        nowMs,
      });
      if (!paid) {
        // Another 'pay' won the race, or the transaction was closed in between.
        const current = await store.get(tx.outTradeNo);
        if (current?.tradeState !== 'SUCCESS') throw refuse(current ?? tx);
        paid = current;
      }
    }
    return deliver(notifyUrl ?? paid.notifyUrl, notificationFor(paid, nowMs), { kind: 'TRANSACTION', ref: paid.outTradeNo, nowMs });
  }

  async function simulateAnotherPayment(outTradeNo: string, nowMs: number): Promise<SandboxPaymentResult & { transaction: SandboxTransaction }> {
    const first = await store.get(outTradeNo);
    if (!first) throw new DomainError('NOT_FOUND', '支付单不存在', { outTradeNo });
    if (first.tradeState !== 'SUCCESS') throw new DomainError('ORDER_STATE_CONFLICT', '订单尚未支付', { outTradeNo, tradeState: first.tradeState });
    const { refundedFen: _refunded, refundSucceeded: _succeeded, ...paid } = first;
    const transaction: SandboxTransaction = { ...paid, transactionId: newTransactionId(nowMs), successTime: Math.floor(nowMs / 1000) * 1000 };
    if (!(await store.addPayment(transaction))) throw new DomainError('ORDER_STATE_CONFLICT', '交易号重复', { outTradeNo });
    const sent = await deliver(notifyUrl ?? transaction.notifyUrl, notificationFor(transaction, nowMs), {
      kind: 'TRANSACTION',
      ref: transaction.transactionId!,
      nowMs,
    });
    return { ...sent, transaction };
  }

  async function completeRefund(
    outRefundNo: string,
    outcome: SandboxRefundOutcome,
    nowMs: number,
  ): Promise<SandboxPaymentResult> {
    let refund = await store.getRefund(outRefundNo);
    if (!refund) throw new DomainError('NOT_FOUND', '退款单不存在', { outRefundNo });
    if (refund.status === 'PROCESSING') {
      const finished = await store.finishRefund(outRefundNo, {
        status: outcome,
        successTime: outcome === 'SUCCESS' ? Math.floor(nowMs / 1000) * 1000 : null,
      });
      // undefined: a concurrent completion got there first; its result is what counts.
      refund = finished ?? (await store.getRefund(outRefundNo)) ?? refund;
    }
    if (refund.status !== outcome) {
      throw new DomainError('ORDER_STATE_CONFLICT', '退款已有其他结果', { outRefundNo, status: refund.status });
    }
    return deliver(refundNotifyUrl ?? refund.notifyUrl, refundNotificationFor(refund, nowMs), {
      kind: 'REFUND',
      ref: refund.outRefundNo,
      nowMs,
    });
  }

  return {
    handle,
    simulateUserPayment,
    simulateAnotherPayment,
    buildNotification: notificationFor,
    completeRefund,
    buildRefundNotification: refundNotificationFor,
    failNextRequests,
    redeliverDue,
  };
}
