import { DomainError, type ErrorCode } from '@shop/shared';
import type { WechatLogin, WechatSession } from './types';

export interface RealWechatLoginOptions {
  appId: string;
  appSecret: string;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** jscode2session errcodes with a meaning for the shopper; everything else (−1 busy included) is LOGIN_FAILED. */
const ERRCODES: Record<number, ErrorCode> = {
  40029: 'LOGIN_CODE_INVALID',
  // "code been used": the shopper only needs a fresh wx.login, exactly as for an invalid code.
  40163: 'LOGIN_CODE_INVALID',
  45011: 'LOGIN_RATE_LIMITED',
  40226: 'LOGIN_BLOCKED',
};

/**
 * `GET /sns/jscode2session` (小程序登录). WeChat answers HTTP 200 even on failure, with `errcode`/`errmsg`.
 * The app secret travels in the query string, so no URL, request or raw error text is ever put in an error.
 */
export function createRealWechatLogin(opts: RealWechatLoginOptions): WechatLogin {
  const { appId, appSecret, baseUrl = 'https://api.weixin.qq.com', fetch = globalThis.fetch, timeoutMs = 3000 } = opts;
  const redact = (text: string) => (appSecret ? text.split(appSecret).join('***') : text);
  const failed = (details: Record<string, unknown>) => new DomainError('LOGIN_FAILED', undefined, details);

  return {
    async code2session(code: string): Promise<WechatSession> {
      if (!code) throw new DomainError('LOGIN_CODE_INVALID', undefined, { reason: 'EMPTY_CODE' });
      const url = new URL('/sns/jscode2session', baseUrl);
      url.search = new URLSearchParams({
        appid: appId,
        secret: appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      }).toString();

      let status: number;
      let text: string;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        status = res.status;
        text = await res.text();
      } catch (e) {
        const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        if (timedOut) throw failed({ reason: 'TIMEOUT', timeoutMs });
        const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined)?.code : undefined;
        throw failed({
          reason: 'NETWORK',
          error: redact(e instanceof Error ? e.message : String(e)),
          ...(cause ? { cause: String(cause) } : {}),
        });
      }
      if (status !== 200) throw failed({ reason: 'HTTP_STATUS', httpStatus: status });

      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text);
        if (typeof body !== 'object' || body === null) throw new Error('not an object');
      } catch {
        throw failed({ reason: 'BAD_RESPONSE' });
      }

      const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
      if (errcode !== 0) {
        const errmsg = typeof body.errmsg === 'string' ? redact(body.errmsg) : undefined;
        throw new DomainError(ERRCODES[errcode] ?? 'LOGIN_FAILED', undefined, { errcode, errmsg });
      }
      const { openid, session_key: sessionKey, unionid } = body;
      if (typeof openid !== 'string' || !openid || typeof sessionKey !== 'string' || !sessionKey) {
        throw failed({ reason: 'BAD_RESPONSE' });
      }
      return { openid, sessionKey, ...(typeof unionid === 'string' && unionid ? { unionid } : {}) };
    },
  };
}
