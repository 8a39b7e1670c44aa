import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '@shop/shared';
import { createRealWechatLogin } from '../../src/providers/wechat-login/real';
import { createSandboxWechatLogin } from '../../src/providers/wechat-login/sandbox';
import { wechatLogin } from '../../src/providers/wechat-login';
import type { AppConfig } from '../../src/lib/config';

const APP_ID = 'wx1234567890abcdef';
const APP_SECRET = 'f00dfacecafebabe0123456789abcdef';

type Reply = { status?: number; body?: unknown; hang?: boolean };

/** Imitates api.weixin.qq.com's jscode2session: answers whatever the test sets, records what it was asked. */
let reply: Reply;
let received: URL[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received.push(new URL(req.url ?? '/', 'http://localhost'));
    if (reply.hang) return;
    res.writeHead(reply.status ?? 200, { 'Content-Type': 'text/plain' });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  reply = { body: {} };
});

function client(timeoutMs = 1000) {
  return createRealWechatLogin({ appId: APP_ID, appSecret: APP_SECRET, baseUrl, timeoutMs });
}

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

function expectNoSecrets(e: DomainError) {
  const visible = JSON.stringify({ message: e.message, details: e.details, body: e.toBody() });
  expect(visible).not.toContain(APP_SECRET);
  expect(visible).not.toContain('session_key');
}

describe('real jscode2session client', () => {
  it('asks WeChat with appid, secret, js_code and grant_type and returns the identity', async () => {
    reply = { body: { openid: 'o-user-1', session_key: 'c2Vzc2lvbmtleQ==', unionid: 'u-1' } };

    const session = await client().code2session('code-abc');

    expect(session).toEqual({ openid: 'o-user-1', sessionKey: 'c2Vzc2lvbmtleQ==', unionid: 'u-1' });
    expect(received).toHaveLength(1);
    const url = received[0];
    expect(url.pathname).toBe('/sns/jscode2session');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appid: APP_ID,
      secret: APP_SECRET,
      js_code: 'code-abc',
      grant_type: 'authorization_code',
    });
  });

  it('leaves unionid out when WeChat does not send one', async () => {
    reply = { body: { openid: 'o-user-2', session_key: 'a2V5' } };
    expect(await client().code2session('c')).toEqual({ openid: 'o-user-2', sessionKey: 'a2V5' });
  });

  it.each([
    [40029, 'LOGIN_CODE_INVALID'],
    [40163, 'LOGIN_CODE_INVALID'],
    [45011, 'LOGIN_RATE_LIMITED'],
    [40226, 'LOGIN_BLOCKED'],
    [-1, 'LOGIN_FAILED'],
    [40013, 'LOGIN_FAILED'],
  ])('turns errcode %i into %s with a Chinese message and no secret', async (errcode, code) => {
    reply = { body: { errcode, errmsg: `invalid secret ${APP_SECRET} rid: 1234` } };

    const e = await rejection(client().code2session('code-x'));

    expect(e.code).toBe(code);
    expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(e.details).toMatchObject({ errcode });
    expectNoSecrets(e);
  });

  it('gives up after the timeout with LOGIN_FAILED', async () => {
    reply = { hang: true };
    const started = Date.now();

    const e = await rejection(client(150).code2session('code-slow'));

    expect(e.code).toBe('LOGIN_FAILED');
    expect(e.details).toMatchObject({ reason: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
    expectNoSecrets(e);
  });

  it('reports an unreachable WeChat as LOGIN_FAILED without the request URL', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const login = createRealWechatLogin({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: `http://127.0.0.1:${port}` });

    const e = await rejection(login.code2session('code-y'));

    expect(e.code).toBe('LOGIN_FAILED');
    expect(e.details).toMatchObject({ reason: 'NETWORK' });
    expectNoSecrets(e);
  });

  it('treats a non-200 answer or a body that is not JSON as LOGIN_FAILED', async () => {
    reply = { status: 502, body: 'bad gateway' };
    expect((await rejection(client().code2session('a'))).details).toMatchObject({ httpStatus: 502 });
    reply = { body: '<html>' };
    expect((await rejection(client().code2session('b'))).details).toMatchObject({ reason: 'BAD_RESPONSE' });
    reply = { body: { errcode: 0 } };
    expect((await rejection(client().code2session('c'))).code).toBe('LOGIN_FAILED');
  });

  it('refuses an empty code without asking WeChat', async () => {
    expect((await rejection(client().code2session(''))).code).toBe('LOGIN_CODE_INVALID');
    expect(received).toHaveLength(0);
  });
});

describe('sandbox login', () => {
  const login = createSandboxWechatLogin();

  it('logs demo codes in as fixed sandbox users', async () => {
    const s = await login.code2session('demo-alice');
    expect(s.openid).toBe('sandbox-openid-alice');
    expect(Buffer.from(s.sessionKey, 'base64')).toHaveLength(16);
    expect((await login.code2session('demo-bob-2')).openid).toBe('sandbox-openid-bob-2');
  });

  it('imitates WeChat refusals by code prefix', async () => {
    expect((await rejection(login.code2session('invalid-code'))).code).toBe('LOGIN_CODE_INVALID');
    expect((await rejection(login.code2session('ratelimited'))).code).toBe('LOGIN_RATE_LIMITED');
    expect((await rejection(login.code2session('blocked-1'))).code).toBe('LOGIN_BLOCKED');
    expect((await rejection(login.code2session(''))).code).toBe('LOGIN_CODE_INVALID');
  });

  it('maps any other code (a DevTools wx.login code) to a stable openid', async () => {
    const a = await login.code2session('0a3Xyz000abcDEF');
    const b = await login.code2session('0a3Xyz000abcDEF');
    expect(a.openid).toMatch(/^sandbox-openid-[0-9a-f]{16}$/);
    expect(b.openid).toBe(a.openid);
    expect(b.sessionKey).not.toBe(a.sessionKey);
    expect((await login.code2session('demo-UPPER')).openid).toMatch(/^sandbox-openid-[0-9a-f]{16}$/);
  });
});

describe('wechatLogin factory', () => {
  const cfg = (sandbox: boolean): AppConfig => ({
    stage: sandbox ? 'local' : 'prod',
    tableName: 't',
    dynamoEndpoint: undefined,
    region: 'ap-east-1',
    wechat: { appId: APP_ID, mchId: '1900000109', notifyUrl: 'https://x/notify', sandbox },
    paymentWindowMs: 900_000,
    sessionTtlSeconds: 3600,
    webBaseUrl: 'https://shop.example.com',
  });

  it('uses the sandbox when the stage asks for it, without reading secrets', async () => {
    const login = wechatLogin(cfg(true));
    expect((await login.code2session('demo-carol')).openid).toBe('sandbox-openid-carol');
  });
});
