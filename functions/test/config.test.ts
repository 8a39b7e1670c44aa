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
  it('gives each group its own deadline schedule, targeting only the groupDeadline function', () => {
    expect(yml).toMatch(/handler: functions\/src\/handlers\/jobs\.groupDeadline\n/);
    expect(yml).toMatch(/handler: functions\/src\/handlers\/jobs\.onTableChange\n/);
    expect(yml).toMatch(/type: \{ S: \[order, group, payment, refund\] \}/);
    expect(yml).toMatch(/Resource: !GetAtt GroupDeadlineLambdaFunction\.Arn/);
    expect(yml).toMatch(/Resource: \[!GetAtt OrderTimeoutSchedulerRole\.Arn, !GetAtt GroupDeadlineSchedulerRole\.Arn\]/);
  });
});
