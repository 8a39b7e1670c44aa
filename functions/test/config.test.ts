import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API } from '@shop/shared';
import { loadConfig } from '../src/lib/config';

const base = {
  STAGE: 'local',
  TABLE_NAME: 't',
  WECHAT_APP_ID: 'wx1',
  WECHAT_MCH_ID: '1900000000',
  WECHAT_NOTIFY_URL: 'https://example.invalid/v1/pay/notify',
  WEB_BASE_URL: 'https://shop.example.com',
};

describe('stage configuration', () => {
  it('allows the WeChat sandbox on the local stage', () => {
    expect(loadConfig({ ...base, WECHAT_SANDBOX: 'true' }).wechat.sandbox).toBe(true);
  });
  it.each(['dev', 'prod', 'staging', 'test'])('refuses to start with the sandbox enabled on stage %s', (stage) => {
    expect(() => loadConfig({ ...base, STAGE: stage, WECHAT_SANDBOX: 'true' })).toThrow(/only allowed on the local stage/);
    expect(loadConfig({ ...base, STAGE: stage, WECHAT_SANDBOX: 'false' }).wechat.sandbox).toBe(false);
  });
  it('refuses a malformed payment window', () => {
    expect(() => loadConfig({ ...base, PAYMENT_WINDOW_MS: '-5' })).toThrow(/PAYMENT_WINDOW_MS/);
  });
});

describe('the web shop address (WEB_BASE_URL): where every link the server makes points', () => {
  const { WEB_BASE_URL: _, ...withoutWeb } = base;
  it('is required on every stage: no built-in default', () => {
    for (const stage of ['local', 'dev', 'prod']) {
      expect(() => loadConfig({ ...withoutWeb, STAGE: stage })).toThrow(/missing environment variable WEB_BASE_URL/);
      expect(() => loadConfig({ ...withoutWeb, STAGE: stage, WEB_BASE_URL: '' })).toThrow(/WEB_BASE_URL/);
    }
  });
  it('is kept as given, without a trailing slash, so links are `<base>/#/<page>`', () => {
    expect(loadConfig(base).webBaseUrl).toBe('https://shop.example.com');
    expect(loadConfig({ ...base, WEB_BASE_URL: 'http://localhost:10086' }).webBaseUrl).toBe('http://localhost:10086');
    expect(loadConfig({ ...base, WEB_BASE_URL: 'http://127.0.0.1:41234/' }).webBaseUrl).toBe('http://127.0.0.1:41234');
    expect(loadConfig({ ...base, STAGE: 'prod', WEB_BASE_URL: 'https://shop.example.com/h5/' }).webBaseUrl).toBe('https://shop.example.com/h5');
  });
  it.each(['localhost:10086', '/h5', 'ftp://shop.example.com', 'https://shop.example.com/?a=1', 'https://shop.example.com/#/'])(
    'refuses %s',
    (url) => {
      expect(() => loadConfig({ ...base, WEB_BASE_URL: url })).toThrow(/WEB_BASE_URL/);
    },
  );
  it.each(['dev', 'prod'])('on stage %s: https only, and never the deployment placeholder', (stage) => {
    expect(() => loadConfig({ ...base, STAGE: stage, WEB_BASE_URL: 'http://shop.example.com' })).toThrow(/must be https/);
    expect(() => loadConfig({ ...base, STAGE: stage, WEB_BASE_URL: 'https://shop.example.invalid' })).toThrow(/placeholder/);
    expect(loadConfig({ ...base, STAGE: stage, WEB_BASE_URL: 'https://shop.example.com' }).webBaseUrl).toBe('https://shop.example.com');
  });
});

describe('serverless.yml', () => {
  const yml = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8');
  const routes = [...yml.matchAll(/httpApi: \{ method: (\w+), path: (?:'([^']+)'|([^\s}]+)) \}/g)].map(
    (m) => `${m[1]} ${m[2] ?? m[3]}`,
  );

  it('routes exactly the API table of shared/api.ts', () => {
    const api = Object.values(API).map((r) => `${r.method} ${r.path}`);
    expect([...routes].sort()).toEqual([...api].sort());
  });
  it('deploys Node.js 22, a point-in-time-recoverable table and secrets from SSM, never inline', () => {
    expect(yml).toMatch(/runtime: nodejs22\.x/);
    expect(readFileSync(new URL('../../infra/table.cjs', import.meta.url), 'utf8')).toMatch(/PointInTimeRecoveryEnabled: true/);
    expect(yml).not.toMatch(/JWT_SECRET|PRIVATE_KEY|API_V3_KEY/);
    expect(yml).toMatch(/secretsPrefix: \/wechat-shop\/\$\{sls:stage\}\//);
  });
  it('gives every function the web shop address of its stage: from the deploy environment, the running stack locally', () => {
    expect(yml).toMatch(/\n    WEB_BASE_URL: \$\{param:webBaseUrl\}\n/);
    const params = [...yml.matchAll(/\n    webBaseUrl: (.+)\n/g)].map((m) => m[1]);
    // default (every deployed stage) and local; each reads WEB_BASE_URL, and no fallback is a working address.
    expect(params).toHaveLength(2);
    for (const p of params) expect(p).toMatch(/^\$\{env:WEB_BASE_URL, '[^']+\.invalid'\}$/);
  });
  it('gives each group its own deadline schedule, targeting only the groupDeadline function', () => {
    expect(yml).toMatch(/handler: functions\/src\/handlers\/jobs\.groupDeadline\n/);
    expect(yml).toMatch(/handler: functions\/src\/handlers\/jobs\.onTableChange\n/);
    // After-sales requests too: their deadline schedules and 已退款 follow from the stream.
    expect(yml).toMatch(/type: \{ S: \[order, group, payment, refund, aftersale\] \}/);
    expect(yml).toMatch(/Resource: !GetAtt GroupDeadlineLambdaFunction\.Arn/);
    expect(yml).toMatch(/Resource: \[!GetAtt OrderTimeoutSchedulerRole\.Arn, !GetAtt GroupDeadlineSchedulerRole\.Arn\]/);
  });
});
