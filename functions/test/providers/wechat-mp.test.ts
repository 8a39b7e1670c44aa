import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '@shop/shared';
import { TOKEN_RENEW_MARGIN_MS, createRealWechatMp } from '../../src/providers/wechat-mp/real';

const APP_ID = 'wx1234567890abcdef';
const APP_SECRET = 'f00dfacecafebabe0123456789abcdef';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** Imitates api.weixin.qq.com: /cgi-bin/token, /wxa/getwxacodeunlimit and /cgi-bin/message/subscribe/send. */
let tokenCalls = 0;
let codeReply: { image?: boolean; body?: unknown };
let sendReply: unknown;
let received: { path: string; query: Record<string, string>; body: unknown }[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), body: raw ? JSON.parse(raw) : null });
      const json = (b: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(b));
      };
      if (url.pathname === '/cgi-bin/token') {
        tokenCalls++;
        return setTimeout(() => json({ access_token: `TOKEN-${tokenCalls}`, expires_in: 7200 }), 20);
      }
      if (url.pathname === '/wxa/getwxacodeunlimit') {
        if (codeReply.image) {
          res.writeHead(200, { 'Content-Type': 'image/png' });
          return res.end(PNG);
        }
        return json(codeReply.body);
      }
      if (url.pathname === '/cgi-bin/message/subscribe/send') return json(sendReply);
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  tokenCalls = 0;
  received = [];
  codeReply = { image: true };
  sendReply = { errcode: 0, errmsg: 'ok' };
});

let clock = 1_800_000_000_000;
const client = () => createRealWechatMp({ appId: APP_ID, appSecret: APP_SECRET, baseUrl, timeoutMs: 1000, now: () => clock });

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describe('real mini-program server APIs', () => {
  it('fetches the access_token once for concurrent callers and keeps it until 5 minutes before expires_in', async () => {
    const mp = client();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => mp.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(['TOKEN-1']));
    expect(tokenCalls).toBe(1);
    expect(received[0].query).toEqual({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });
    clock += 7200_000 - TOKEN_RENEW_MARGIN_MS - 1;
    expect(await mp.accessToken()).toBe('TOKEN-1');
    clock += 1;
    expect(await mp.accessToken()).toBe('TOKEN-2');
    expect(tokenCalls).toBe(2);
  });

  it('getwxacodeunlimit: posts scene, page without the leading slash, check_path false; the image becomes a data URL', async () => {
    const code = await client().posterCode({ scene: 't=AbCdEfGhIjKl', page: '/packageGroup/pages/landing/index', h5Url: 'http://h5' });
    expect(code).toEqual({ kind: 'wxacode', data: `data:image/png;base64,${PNG.toString('base64')}` });
    const call = received.find((r) => r.path === '/wxa/getwxacodeunlimit')!;
    expect(call.query).toEqual({ access_token: 'TOKEN-1' });
    expect(call.body).toEqual({ scene: 't=AbCdEfGhIjKl', page: 'packageGroup/pages/landing/index', check_path: false, env_version: 'release' });
  });

  it('getwxacodeunlimit: a JSON errcode is a DomainError carrying the errcode, with no secret or token in it', async () => {
    codeReply = { body: { errcode: 41030, errmsg: 'invalid page rid: x' } };
    const e = await rejection(client().posterCode({ scene: 't=AbCdEfGhIjKl', page: 'packageGroup/pages/landing/index', h5Url: '' }));
    expect(e.details).toMatchObject({ api: 'getwxacodeunlimit', errcode: 41030 });
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toMatch(/TOKEN-1|f00dface/);
  });

  it('an expired access_token (42001) is renewed once and the call repeated', async () => {
    const mp = client();
    await mp.accessToken();
    let first = true;
    sendReply = undefined;
    const original = server.listeners('request')[0] as http.RequestListener;
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      if (req.url?.startsWith('/cgi-bin/message/subscribe/send') && first) {
        first = false;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ errcode: 42001, errmsg: 'access_token expired' }));
      }
      sendReply = { errcode: 0 };
      original(req, res);
    });
    try {
      expect(await mp.sendSubscribeMessage({ openid: 'o1', userId: 'u1', templateId: 'T', page: 'p', data: { thing1: 'x' } })).toBe('SENT');
      expect(tokenCalls).toBe(2);
    } finally {
      server.removeAllListeners('request');
      server.on('request', original);
    }
  });

  it('subscribeMessage.send: posts touser, template_id, page and {value} data; 43101 is NOT_SUBSCRIBED, other errcodes throw', async () => {
    const mp = client();
    const msg = { openid: 'o-user', userId: 'u', templateId: 'TMPL', page: 'packageGroup/pages/landing/index?t=Ab', data: { thing1: '商品', amount3: '¥39.90' } };
    expect(await mp.sendSubscribeMessage(msg)).toBe('SENT');
    const call = received.find((r) => r.path === '/cgi-bin/message/subscribe/send')!;
    expect(call.body).toEqual({ touser: 'o-user', template_id: 'TMPL', page: msg.page, data: { thing1: { value: '商品' }, amount3: { value: '¥39.90' } } });
    sendReply = { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    expect(await mp.sendSubscribeMessage(msg)).toBe('NOT_SUBSCRIBED');
    sendReply = { errcode: 47003, errmsg: 'argument invalid! data.thing1.value' };
    expect((await rejection(mp.sendSubscribeMessage(msg))).details).toMatchObject({ api: 'subscribeMessage.send', errcode: 47003 });
  });
});
