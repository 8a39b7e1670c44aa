import { DomainError, type PaymentParams } from '@shop/shared';
import { constants, publicEncrypt } from 'node:crypto';
import { z } from 'zod';
import { parseRefundNotification, parseTransactionNotification, verifySignedBody, wechatpayHeaders } from './notification';
import {
  OUT_REFUND_NO,
  OUT_TRADE_NO,
  authorizationHeader,
  nonce,
  parseRfc3339,
  paySign,
  requestSignatureMessage,
  rfc3339Beijing,
  signMessage,
} from './v3-crypto';
import {
  NotifyRejected,
  REFUND_STATUSES,
  TRADE_STATES,
  type PrepayRequest,
  type AbnormalRefundRequest,
  type RefundRequest,
  type RefundState,
  type TradeState,
  type TransactionState,
  type WechatPay,
} from './types';

export interface WechatPayClientOptions {
  appId: string;
  mchId: string;
  notifyUrl: string;
  /** notify_url of refunds that name none; without it WeChat uses the one configured on the merchant platform. */
  refundNotifyUrl?: string;
  /** Merchant API private key (PEM) and its certificate serial. */
  mchPrivateKey: string;
  mchSerial: string;
  apiV3Key: string;
  /** Platform (or WeChat Pay public key) PEMs by serial: the only keys whose signatures we accept. */
  platformPublicKeys: Record<string, string>;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  mode?: 'wechat' | 'sandbox';
  /** Per attempt. */
  timeoutMs?: number;
  /** Extra attempts after a 5xx, a network error or a timeout. */
  maxRetries?: number;
  /** First retry waits backoffMs..2×backoffMs, the next twice that. */
  backoffMs?: number;
  now?: () => number;
}

/** v3 description is string(127). */
const DESCRIPTION_MAX = 127;
/** 申请退款 reason is string(80). */
const REFUND_REASON_MAX = 80;

const PrepayResponse = z.object({ prepay_id: z.string().min(1) });
const QueryResponse = z.object({
  appid: z.string().optional(),
  mchid: z.string().optional(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.string(),
  success_time: z.string().optional(),
  amount: z.object({ total: z.number().int().optional(), currency: z.string().optional() }).optional(),
});
/** 申请退款 and 查询单笔退款 answer with the same refund object. */
const RefundResponse = z.object({
  refund_id: z.string().min(1).optional(),
  out_refund_no: z.string(),
  out_trade_no: z.string(),
  status: z.string(),
  success_time: z.string().optional(),
  amount: z.object({ refund: z.number().int() }),
});
const ErrorResponse = z.object({ code: z.string(), message: z.string().optional() });

interface WireResponse {
  status: number;
  body: string;
  headers: Headers;
}

/** A response we could read: `signed` says whether WeChat Pay's signature over it verified. */
interface CheckedResponse extends WireResponse {
  signed: boolean;
  /** Why the signature did not verify, when it did not. */
  check: string | undefined;
  wechatCode: string | undefined;
  wechatMessage: string | undefined;
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

function errorCode(body: string): { code?: string; message?: string } {
  try {
    const parsed = ErrorResponse.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export function createWechatPay(opts: WechatPayClientOptions): WechatPay {
  const {
    appId,
    mchId,
    notifyUrl,
    refundNotifyUrl,
    mchPrivateKey,
    mchSerial,
    apiV3Key,
    platformPublicKeys,
    baseUrl = 'https://api.mch.weixin.qq.com',
    fetch = globalThis.fetch,
    mode = 'wechat',
    timeoutMs = 5000,
    maxRetries = 2,
    backoffMs = 200,
    now = Date.now,
  } = opts;
  const userAgent = `shop-functions/0.1 (${process.platform}) node/${process.versions.node}`;

  async function send(method: 'GET' | 'POST', pathWithQuery: string, body: string, extraHeaders?: Record<string, string>): Promise<WireResponse> {
    const url = new URL(pathWithQuery, baseUrl);
    const timestamp = Math.floor(now() / 1000);
    const nonceStr = nonce();
    // Sign what goes on the wire: the URL as serialised, not as the caller wrote it.
    const signature = signMessage(
      mchPrivateKey,
      requestSignatureMessage(method, url.pathname + url.search, timestamp, nonceStr, body),
    );
    const headers: Record<string, string> = {
      Authorization: authorizationHeader({ mchid: mchId, serial: mchSerial, nonce: nonceStr, timestamp, signature }),
      Accept: 'application/json',
      'User-Agent': userAgent,
      ...extraHeaders,
    };
    if (body) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, {
      method,
      headers,
      body: body || undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, headers: res.headers, body: await res.text() };
  }

  function untrusted(operation: string, e: unknown, status: number): DomainError {
    return new DomainError('PAYMENT_UNAVAILABLE', undefined, {
      operation,
      httpStatus: status,
      reason: 'RESPONSE_NOT_SIGNED_BY_WECHATPAY',
      check: e instanceof NotifyRejected ? e.reason : describe(e),
    });
  }

  /**
   * One API call with v3 signing both ways. Only idempotent calls are retried: a retried request that WeChat did
   * process the first time must not do anything twice.
   */
  async function call(
    operation: string,
    method: 'GET' | 'POST',
    pathWithQuery: string,
    payload: unknown,
    idempotent: boolean,
    extraHeaders?: Record<string, string>,
  ): Promise<CheckedResponse> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    for (let attempt = 0; ; attempt++) {
      let failure: Record<string, unknown>;
      try {
        const res = await send(method, pathWithQuery, body, extraHeaders);
        if (res.status < 500) return check(operation, res);
        failure = { httpStatus: res.status, wechatCode: errorCode(res.body).code };
      } catch (e) {
        if (e instanceof DomainError) throw e;
        const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        failure = { reason: timedOut ? 'TIMEOUT' : 'NETWORK', error: describe(e) };
      }
      if (!idempotent || attempt >= maxRetries) {
        throw new DomainError('PAYMENT_UNAVAILABLE', undefined, { operation, attempts: attempt + 1, ...failure });
      }
      const base = backoffMs * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, base + Math.random() * base));
    }
  }

  /**
   * WeChat signs every answer to a correctly signed request ("签名验证"). A success we cannot verify could come from
   * anyone on the path, so it is refused; an error may arrive unsigned (e.g. 401 SIGN_ERROR) and is reported as is,
   * but only a signed one may turn into a success below.
   */
  function check(operation: string, res: WireResponse): CheckedResponse {
    const headers = Object.fromEntries(res.headers.entries());
    let check: string | undefined;
    try {
      verifySignedBody(wechatpayHeaders(headers), res.body, now(), platformPublicKeys);
    } catch (e) {
      if (res.status < 300) throw untrusted(operation, e, res.status);
      check = e instanceof NotifyRejected ? e.reason : describe(e);
    }
    const { code, message } = res.status < 300 ? {} : errorCode(res.body);
    return { ...res, signed: check === undefined, check, wechatCode: code, wechatMessage: message };
  }

  function failed(operation: string, res: CheckedResponse): DomainError {
    return new DomainError('PAYMENT_UNAVAILABLE', undefined, {
      operation,
      httpStatus: res.status,
      wechatCode: res.wechatCode,
      wechatMessage: res.wechatMessage,
      signed: res.signed,
      ...(res.check ? { check: res.check } : {}),
    });
  }

  function json<T>(operation: string, res: CheckedResponse, schema: z.ZodType<T>): T {
    try {
      return schema.parse(JSON.parse(res.body));
    } catch {
      throw new DomainError('PAYMENT_UNAVAILABLE', undefined, { operation, reason: 'UNEXPECTED_RESPONSE' });
    }
  }

  function assertOutTradeNo(outTradeNo: string): void {
    if (!OUT_TRADE_NO.test(outTradeNo)) throw new Error(`invalid out_trade_no ${JSON.stringify(outTradeNo)}`);
  }

  function tradePath(outTradeNo: string): string {
    return `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}`;
  }

  function assertOutRefundNo(outRefundNo: string): void {
    if (!OUT_REFUND_NO.test(outRefundNo)) throw new Error(`invalid out_refund_no ${JSON.stringify(outRefundNo)}`);
  }

  function refundState(operation: string, res: CheckedResponse, outRefundNo: string): RefundState {
    const r = json(operation, res, RefundResponse);
    if (r.out_refund_no !== outRefundNo || !(REFUND_STATUSES as readonly string[]).includes(r.status)) {
      throw new DomainError('PAYMENT_UNAVAILABLE', undefined, {
        operation,
        reason: 'UNEXPECTED_RESPONSE',
        refundStatus: r.status,
      });
    }
    return {
      outRefundNo,
      refundId: r.refund_id ?? null,
      outTradeNo: r.out_trade_no,
      status: r.status as RefundState['status'],
      refundFen: r.amount.refund,
      successTime: r.success_time ? parseRfc3339(r.success_time) : null,
    };
  }

  return {
    mode,

    async createJsapiPrepay(req: PrepayRequest) {
      assertOutTradeNo(req.outTradeNo);
      if (!Number.isSafeInteger(req.amountFen) || req.amountFen <= 0) {
        throw new Error(`prepay amount must be a positive number of fen, got ${req.amountFen}`);
      }
      // Prepay is idempotent per out_trade_no: the same parameters again return the order's prepay_id ("若未超过支付
      // 结束时间，则可使用原参数重新请求下单接口"), so a retry after a lost answer cannot create a second payment.
      const res = await call(
        'prepay',
        'POST',
        '/v3/pay/transactions/jsapi',
        {
          appid: appId,
          mchid: mchId,
          description: truncate(req.description, DESCRIPTION_MAX),
          out_trade_no: req.outTradeNo,
          time_expire: rfc3339Beijing(req.timeExpireAt),
          notify_url: notifyUrl,
          amount: { total: req.amountFen, currency: 'CNY' },
          payer: { openid: req.payerOpenid },
        },
        true,
      );
      if (res.status !== 200) throw failed('prepay', res);
      return { prepayId: json('prepay', res, PrepayResponse).prepay_id };
    },

    paymentParams(prepayId: string, nowMs: number): PaymentParams {
      const timeStamp = String(Math.floor(nowMs / 1000));
      const nonceStr = nonce();
      const pkg = `prepay_id=${prepayId}`;
      return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: paySign(appId, timeStamp, nonceStr, pkg, mchPrivateKey) };
    },

    parseNotification(headers, rawBody, nowMs) {
      return parseTransactionNotification(headers, rawBody, nowMs, { platformPublicKeys, apiV3Key });
    },

    async queryByOutTradeNo(outTradeNo: string): Promise<TransactionState> {
      assertOutTradeNo(outTradeNo);
      const res = await call(
        'query',
        'GET',
        `${tradePath(outTradeNo)}?mchid=${encodeURIComponent(mchId)}`,
        undefined,
        true,
      );
      if (res.status === 404 && res.wechatCode === 'ORDER_NOT_EXIST' && res.signed) {
        return { outTradeNo, transactionId: null, tradeState: 'NOTPAY', amountTotalFen: null, successTime: null, appid: null, mchid: null, currency: null };
      }
      if (res.status !== 200) throw failed('query', res);
      const tx = json('query', res, QueryResponse);
      if (tx.out_trade_no !== outTradeNo || !(TRADE_STATES as readonly string[]).includes(tx.trade_state)) {
        throw new DomainError('PAYMENT_UNAVAILABLE', undefined, {
          operation: 'query',
          reason: 'UNEXPECTED_RESPONSE',
          tradeState: tx.trade_state,
        });
      }
      return {
        outTradeNo,
        transactionId: tx.transaction_id ?? null,
        tradeState: tx.trade_state as TradeState,
        amountTotalFen: tx.amount?.total ?? null,
        successTime: tx.success_time ? parseRfc3339(tx.success_time) : null,
        appid: tx.appid ?? null,
        mchid: tx.mchid ?? null,
        currency: tx.amount?.currency ?? null,
      };
    },

    async close(outTradeNo: string): Promise<void> {
      assertOutTradeNo(outTradeNo);
      // Closing is idempotent: closing a closed transaction again is a no-op (204, or ORDER_CLOSED below).
      const res = await call('close', 'POST', `${tradePath(outTradeNo)}/close`, { mchid: mchId }, true);
      if (res.status === 204 || res.status === 200) return;
      if (res.status === 400 && res.wechatCode === 'ORDER_CLOSED' && res.signed) return;
      throw failed('close', res);
    },

    async refund(req: RefundRequest): Promise<RefundState> {
      assertOutTradeNo(req.outTradeNo);
      assertOutRefundNo(req.outRefundNo);
      if (!Number.isSafeInteger(req.totalFen) || req.totalFen <= 0) {
        throw new Error(`refund total must be a positive number of fen, got ${req.totalFen}`);
      }
      if (!Number.isSafeInteger(req.refundFen) || req.refundFen <= 0 || req.refundFen > req.totalFen) {
        throw new Error(`refund must be 1..${req.totalFen} fen, got ${req.refundFen}`);
      }
      const reason = truncate(req.reason, REFUND_REASON_MAX);
      const notify = req.notifyUrl ?? refundNotifyUrl;
      // "同一退款单号多次请求只退一笔": WeChat treats a repeated out_refund_no as the same refund, so retrying after a
      // 5xx or a timeout cannot refund twice (and its docs ask to retry a failed refund with the same number).
      const res = await call(
        'refund',
        'POST',
        '/v3/refund/domestic/refunds',
        {
          out_trade_no: req.outTradeNo,
          ...(req.transactionId ? { transaction_id: req.transactionId } : {}),
          out_refund_no: req.outRefundNo,
          ...(reason ? { reason } : {}),
          ...(notify ? { notify_url: notify } : {}),
          amount: { refund: req.refundFen, total: req.totalFen, currency: 'CNY' },
        },
        true,
      );
      if (res.status !== 200) throw failed('refund', res);
      return refundState('refund', res, req.outRefundNo);
    },

    async queryRefund(outRefundNo: string): Promise<RefundState> {
      assertOutRefundNo(outRefundNo);
      const res = await call(
        'queryRefund',
        'GET',
        `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`,
        undefined,
        true,
      );
      // Only a signed "does not exist" counts: an unsigned one could come from anyone on the path.
      if (res.status === 404 && res.wechatCode === 'RESOURCE_NOT_EXISTS' && res.signed) {
        throw new DomainError('NOT_FOUND', '退款单不存在', { operation: 'queryRefund', outRefundNo });
      }
      if (res.status !== 200) throw failed('queryRefund', res);
      return refundState('queryRefund', res, outRefundNo);
    },

    async applyAbnormalRefund(req: AbnormalRefundRequest): Promise<RefundState> {
      assertOutRefundNo(req.outRefundNo);
      if (!/^[0-9A-Za-z]{1,64}$/.test(req.refundId)) throw new Error(`invalid refund_id ${JSON.stringify(req.refundId)}`);
      let payload: Record<string, unknown> = { out_refund_no: req.outRefundNo, type: req.type };
      let serial: string | undefined;
      if (req.type === 'USER_BANK_CARD') {
        // Sensitive fields are encrypted with WeChat Pay's public key (RSA-OAEP), named by Wechatpay-Serial.
        const [platformSerial, publicKey] = Object.entries(platformPublicKeys)[0] ?? [];
        if (!platformSerial || !publicKey) throw new Error('no WeChat Pay platform public key to encrypt with');
        serial = platformSerial;
        const seal = (text: string) => publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from(text, 'utf8')).toString('base64');
        payload = { ...payload, bank_type: req.bankType, bank_account: seal(req.bankAccount), real_name: seal(req.realName) };
      }
      const res = await call(
        'applyAbnormalRefund',
        'POST',
        `/v3/refund/domestic/refunds/${encodeURIComponent(req.refundId)}/apply-abnormal-refund`,
        payload,
        false,
        serial ? { 'Wechatpay-Serial': serial } : undefined,
      );
      if (res.status !== 200) throw failed('applyAbnormalRefund', res);
      return refundState('applyAbnormalRefund', res, req.outRefundNo);
    },

    parseRefundNotification(headers, rawBody, nowMs) {
      return parseRefundNotification(headers, rawBody, nowMs, { platformPublicKeys, apiV3Key });
    },
  };
}
