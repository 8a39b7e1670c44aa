import { DomainError } from '@shop/shared';
import type { PosterCode, SendOutcome, ShippingInfo, SubscribeMessage, WechatMp, WxaCodeRequest } from './types';

export interface RealWechatMpOptions {
  appId: string;
  appSecret: string;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  /** getwxacodeunlimit's env_version: release in production, trial / develop for test builds. */
  envVersion?: 'release' | 'trial' | 'develop';
  /** Clock for the access_token cache. */
  now?: () => number;
}

/** A token is renewed this long before WeChat says it expires. */
export const TOKEN_RENEW_MARGIN_MS = 5 * 60 * 1000;
/** access_token invalid (40001) or expired (42001): renewed once and the call tried again. */
const TOKEN_ERRCODES = new Set([40001, 42001]);
/** subscribeMessage.send: the user refused, or has no consent left for this template. Not an error. */
const ERRCODE_NOT_SUBSCRIBED = 43101;

export interface RealWechatMp extends WechatMp {
  accessToken(): Promise<string>;
}

/**
 * api.weixin.qq.com for the mini-program: `GET /cgi-bin/token` (client_credential; cached until 5 minutes before
 * expires_in, one refresh in flight at a time), `POST /wxa/getwxacodeunlimit` and
 * `POST /cgi-bin/message/subscribe/send` and `POST /wxa/sec/order/upload_shipping_info` (发货信息录入).
 * The app secret and the access token travel in query strings, so no URL
 * or raw error text ever goes into an error.
 */
export function createRealWechatMp(opts: RealWechatMpOptions): RealWechatMp {
  const {
    appId,
    appSecret,
    baseUrl = 'https://api.weixin.qq.com',
    fetch = globalThis.fetch,
    timeoutMs = 3000,
    envVersion = 'release',
    now = Date.now,
  } = opts;
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const redact = (text: string) => {
    let out = appSecret ? text.split(appSecret).join('***') : text;
    if (cached?.token) out = out.split(cached.token).join('***');
    return out;
  };
  const failed = (api: string, details: Record<string, unknown>) => new DomainError('INTERNAL', undefined, { api, ...details });

  async function request(api: string, url: URL, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      if (timedOut) throw failed(api, { reason: 'TIMEOUT', timeoutMs });
      throw failed(api, { reason: 'NETWORK', error: redact(e instanceof Error ? e.message : String(e)) });
    }
    if (res.status !== 200) throw failed(api, { reason: 'HTTP_STATUS', httpStatus: res.status });
    return res;
  }

  async function json(api: string, res: Response): Promise<Record<string, unknown>> {
    try {
      const body = JSON.parse(await res.text());
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
      return body as Record<string, unknown>;
    } catch {
      throw failed(api, { reason: 'BAD_RESPONSE' });
    }
  }

  const errcodeOf = (body: Record<string, unknown>) => (typeof body.errcode === 'number' ? body.errcode : 0);
  const errorOf = (api: string, body: Record<string, unknown>) =>
    failed(api, { errcode: errcodeOf(body), errmsg: typeof body.errmsg === 'string' ? redact(body.errmsg) : undefined });

  async function fetchToken(): Promise<string> {
    const url = new URL('/cgi-bin/token', baseUrl);
    url.search = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret: appSecret }).toString();
    const startedAt = now();
    const body = await json('token', await request('token', url));
    if (errcodeOf(body) !== 0) throw errorOf('token', body);
    const { access_token: token, expires_in: expiresIn } = body;
    if (typeof token !== 'string' || !token || typeof expiresIn !== 'number') throw failed('token', { reason: 'BAD_RESPONSE' });
    cached = { token, renewAt: startedAt + expiresIn * 1000 - TOKEN_RENEW_MARGIN_MS };
    return token;
  }

  async function accessToken(): Promise<string> {
    if (cached && now() < cached.renewAt) return cached.token;
    inFlight ??= fetchToken().finally(() => (inFlight = undefined));
    return inFlight;
  }

  /** POSTs JSON with the access token; renews the token once if WeChat says it is invalid or expired. */
  async function post(api: string, path: string, payload: unknown): Promise<Response | Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const token = await accessToken();
      const url = new URL(path, baseUrl);
      url.search = new URLSearchParams({ access_token: token }).toString();
      const res = await request(api, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      if ((res.headers.get('content-type') ?? '').startsWith('image/')) return res;
      const body = await json(api, res);
      if (TOKEN_ERRCODES.has(errcodeOf(body)) && attempt === 0) {
        if (cached?.token === token) cached = undefined;
        continue;
      }
      return body;
    }
  }

  return {
    accessToken,

    async posterCode(req: WxaCodeRequest): Promise<PosterCode> {
      const api = 'getwxacodeunlimit';
      if (req.scene.length > 32) throw failed(api, { reason: 'SCENE_TOO_LONG' });
      const page = req.page.replace(/^\/+/, '');
      const out = await post(api, '/wxa/getwxacodeunlimit', { scene: req.scene, page, check_path: false, env_version: envVersion });
      if (!(out instanceof Response)) throw errcodeOf(out) !== 0 ? errorOf(api, out) : failed(api, { reason: 'BAD_RESPONSE' });
      const type = (out.headers.get('content-type') ?? 'image/png').split(';')[0].trim();
      const bytes = Buffer.from(await out.arrayBuffer());
      if (bytes.length === 0) throw failed(api, { reason: 'BAD_RESPONSE' });
      return { kind: 'wxacode', data: `data:${type};base64,${bytes.toString('base64')}` };
    },

    async sendSubscribeMessage(msg: SubscribeMessage): Promise<SendOutcome> {
      const api = 'subscribeMessage.send';
      const data = Object.fromEntries(Object.entries(msg.data).map(([k, value]) => [k, { value }]));
      const out = await post(api, '/cgi-bin/message/subscribe/send', { touser: msg.openid, template_id: msg.templateId, page: msg.page, data });
      if (out instanceof Response) throw failed(api, { reason: 'BAD_RESPONSE' });
      const errcode = errcodeOf(out);
      if (errcode === ERRCODE_NOT_SUBSCRIBED) return 'NOT_SUBSCRIBED';
      if (errcode !== 0) throw errorOf(api, out);
      return 'SENT';
    },

    async uploadShippingInfo(info: ShippingInfo): Promise<void> {
      const api = 'upload_shipping_info';
      const out = await post(api, '/wxa/sec/order/upload_shipping_info', info);
      if (out instanceof Response) throw failed(api, { reason: 'BAD_RESPONSE' });
      if (errcodeOf(out) !== 0) throw errorOf(api, out);
    },
  };
}
