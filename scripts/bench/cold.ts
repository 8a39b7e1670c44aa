/**
 * Cold starts of the production bundles. Every handler module is built as production builds it (esbuild with
 * infra/esbuild.cjs's options for the prod stage: minified, no source map, no WeChat sandbox), and one function of each
 * is started cold: a fresh node process loads the bundle and answers one minimal valid event against DynamoDB Local.
 * Measured inside that process, as Lambda's init + first invoke would be: `loadMs` (require of the bundle), then
 * `firstInvokeMs` (the first event, with whatever the handler sets up on first use: config, secrets, clients, campaign
 * files), `initMs` their sum; `initCpuMs` is the CPU time the process spent on the same (user + system), which other
 * load on the machine disturbs far less than wall time. Node's own start is the same for every process and is not
 * counted (`processMs` is the whole process, for information).
 * The floor, measured in the same rounds: a bare DynamoDB client's cold start — a bundle (same options) that imports
 * @aws-sdk/client-dynamodb + lib-dynamodb and does one GetItem. Secrets come from the environment (as on the local
 * stage), not SSM, so the one SSM round trip a real cold start makes is not in these figures.
 * Prints one JSON line per function, then the summary line: each function's median init over the floor's (wall time
 * and CPU time), their median and maximum over the functions. Goal: ≤ 1.3.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { ensureTable, localClient, startDynamoLocal } from '../lib/dynamodb-local';
import { generateLocalSecrets } from '../lib/local-secrets';
import { percentile } from './stats';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);
const require = createRequire(import.meta.url);
const { esbuildOptions } = require(path.join(ROOT, 'infra', 'esbuild.cjs')) as { esbuildOptions: (stage: string) => Record<string, unknown> };

interface Case {
  fn: string;
  module: string;
  export: string;
  event: () => unknown;
}

/** A process that loads `bundle` and calls `exportName` once, printing its timings on the last line. */
const RUNNER = `
const { performance } = require('node:perf_hooks');
const [bundle, exportName, eventFile] = process.argv.slice(2);
const event = JSON.parse(require('node:fs').readFileSync(eventFile, 'utf8'));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const mod = require(bundle);
const t1 = performance.now();
const cpu1 = process.cpuUsage(cpu0);
const done = (status, error) => {
  const t2 = performance.now();
  const cpu2 = process.cpuUsage(cpu0);
  const ms = (c) => (c.user + c.system) / 1000;
  process.stdout.write('\\nCOLD ' + JSON.stringify({ loadMs: t1 - t0, firstInvokeMs: t2 - t1, loadCpuMs: ms(cpu1), initCpuMs: ms(cpu2), status, error }) + '\\n');
  process.exit(0);
};
Promise.resolve()
  .then(() => mod[exportName](event, { awsRequestId: 'cold-start' }))
  .then((res) => done(res && res.statusCode !== undefined ? res.statusCode : 'ok'), (e) => done('threw', String(e && e.message || e)));
`;

/** The floor: what any function that reads DynamoDB starts with. */
const FLOOR_SOURCE = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
export async function handler() {
  const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;
  const client = new DynamoDBClient({ region: process.env.AWS_REGION, ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}) });
  const doc = DynamoDBDocumentClient.from(client);
  await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: 'COLD#floor', SK: 'COLD#floor' } }));
  return { statusCode: 200 };
}
`;

const http = (token?: string, query?: Record<string, string>) => () => ({
  version: '2.0',
  headers: token ? { authorization: `Bearer ${token}` } : {},
  pathParameters: null,
  queryStringParameters: query ?? null,
  body: null,
  isBase64Encoded: false,
  requestContext: { requestId: 'cold-start' },
});

/** Handler modules named in serverless.yml, so a new one without a case here fails the bench instead of going unmeasured. */
function deployedModules(): Set<string> {
  const yml = fs.readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8');
  return new Set([...yml.matchAll(/handler: functions\/src\/handlers\/([\w-]+)\.\w+/g)].map((m) => m[1]));
}

function runChild(bundle: string, exportName: string, eventFile: string, runner: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ loadMs: number; firstInvokeMs: number; initMs: number; loadCpuMs: number; initCpuMs: number; processMs: number; status: unknown; error?: string }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [runner, bundle, exportName, eventFile], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const processMs = performance.now() - started;
      const line = out.split('\n').find((l) => l.startsWith('COLD '));
      if (!line) return reject(new Error(`${path.basename(bundle)} ${exportName}: exited ${code} without a result\n${err.slice(-2000)}`));
      const r = JSON.parse(line.slice(5));
      resolve({ ...r, initMs: r.loadMs + r.firstInvokeMs, processMs });
    });
  });
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { p50Ms: round1(percentile(s, 50)), minMs: round1(s[0]), maxMs: round1(s[s.length - 1]) };
}

export async function benchCold(): Promise<Record<string, unknown>> {
  const dynamo = await startDynamoLocal();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
  try {
    const tableName = 'bench-cold';
    const secrets = generateLocalSecrets();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      STAGE: 'prod',
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: 'ap-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      WECHAT_APP_ID: 'wxcold0000000000',
      WECHAT_MCH_ID: '1900000000',
      WECHAT_NOTIFY_URL: 'https://api.example.invalid/v1/pay/notify',
      WEB_BASE_URL: 'https://shop.example.com',
      WECHAT_SANDBOX: 'false',
      SECRETS_SSM_PREFIX: '',
      LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: 'wechat-shop',
      ...secrets,
    };
    Object.assign(process.env, env);
    await ensureTable(localClient(dynamo.endpoint), tableName);

    // Shop data and a shopper, through the source modules (the bundles only read them).
    const { seedDemoData } = await import('../seed/seed');
    const { userRepo } = await import('../../functions/src/repositories/user-repo');
    const { issueSession } = await import('../../functions/src/lib/session');
    const { buildNotification } = await import('../../tests/support/notifications');
    const now = Date.now();
    await seedDemoData(now);
    const userId = 'cold-shopper';
    await userRepo.create({ id: userId, openid: 'cold-openid', unionid: null, nickname: '冷启动', avatar: '', createdAt: now, lastLoginAt: now, defaultAddressId: null });
    const { token } = await issueSession(userId, now);
    const campaignFiles = fs
      .readdirSync(path.join(ROOT, 'campaigns', 'prod'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => ({ path: `campaigns/prod/${f}`, text: fs.readFileSync(path.join(ROOT, 'campaigns', 'prod', f), 'utf8') }));

    const cases: Case[] = [
      { fn: 'me', module: 'auth', export: 'me', event: http(token) },
      { fn: 'listProducts', module: 'catalog', export: 'listProducts', event: http() },
      { fn: 'getCart', module: 'cart', export: 'getCart', event: http(token) },
      { fn: 'listAddresses', module: 'addresses', export: 'listAddresses', event: http(token) },
      { fn: 'myGroups', module: 'groups', export: 'myGroups', event: http(token) },
      { fn: 'homeCampaigns', module: 'campaigns', export: 'homeCampaigns', event: http(token) },
      { fn: 'couponCenter', module: 'coupons', export: 'couponCenter', event: http(token) },
      { fn: 'listOrders', module: 'orders', export: 'listOrders', event: http(token) },
      {
        fn: 'payNotify',
        module: 'pay-notify',
        export: 'notify',
        // A correctly signed TRANSACTION.SUCCESS for an order the shop does not know.
        event: () => {
          const n = buildNotification(
            { outTradeNo: 'COLD0000000000000000000000', amountFen: 100, appid: env.WECHAT_APP_ID!, mchid: env.WECHAT_MCH_ID! },
            { apiV3Key: secrets.WXPAY_API_V3_KEY!, platformPrivateKey: secrets.SANDBOX_PLATFORM_PRIVATE_KEY!, platformSerial: secrets.SANDBOX_PLATFORM_SERIAL! },
          );
          return { ...http()(), headers: n.headers, body: n.body };
        },
      },
      { fn: 'sweepOrders', module: 'jobs', export: 'sweepOrders', event: () => ({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }) },
      {
        fn: 'validateCampaignPush',
        module: 'campaign-push',
        export: 'validateCampaignPush',
        event: () => ({ content: Buffer.from(JSON.stringify({ files: campaignFiles })).toString('base64') }),
      },
      { fn: 'sandboxPay', module: 'sandbox', export: 'sandboxPay', event: http(token) },
      { fn: 'sweepReceipts', module: 'fulfilment', export: 'sweepReceipts', event: () => ({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }) },
      // Without an IAM caller the operator API refuses at once (403): the bundle's load is what is measured.
      { fn: 'opsListOrders', module: 'ops', export: 'opsListOrders', event: http() },
    ];
    const missing = [...deployedModules()].filter((m) => !cases.some((c) => c.module === m));
    if (missing.length) throw new Error(`no cold-start case for handler module(s) ${missing.join(', ')}: add one`);

    // The production bundles, and the floor's, with the production options.
    const options = { ...esbuildOptions('prod'), outExtension: { '.js': '.cjs' }, logLevel: 'silent' as const };
    const modules = [...new Set(cases.map((c) => c.module))];
    await build({ ...options, entryPoints: modules.map((m) => path.join(ROOT, 'functions', 'src', 'handlers', `${m}.ts`)), outdir: path.join(work, 'handlers') });
    await build({ ...options, stdin: { contents: FLOOR_SOURCE, loader: 'ts', resolveDir: ROOT, sourcefile: 'floor.ts' }, outfile: path.join(work, 'floor.cjs') });
    const bundleOf = (m: string) => path.join(work, 'handlers', `${m}.cjs`);
    const runner = path.join(work, 'runner.cjs');
    fs.writeFileSync(runner, RUNNER);
    const eventFile = (name: string, event: unknown) => {
      const file = path.join(work, `${name}.event.json`);
      fs.writeFileSync(file, JSON.stringify(event));
      return file;
    };
    const floorEvent = eventFile('floor', {});

    // One untimed round (DynamoDB Local's JIT and the page cache warm up), then RUNS interleaved rounds.
    const samples = new Map<string, Awaited<ReturnType<typeof runChild>>[]>();
    for (let round = -1; round < RUNS; round++) {
      const order = [{ name: 'floor', bundle: path.join(work, 'floor.cjs'), exportName: 'handler', file: floorEvent }];
      for (const c of cases) order.push({ name: c.fn, bundle: bundleOf(c.module), exportName: c.export, file: eventFile(`${c.fn}-${round}`, c.event()) });
      for (const o of order) {
        const r = await runChild(o.bundle, o.exportName, o.file, runner, env);
        if (round >= 0) samples.set(o.name, [...(samples.get(o.name) ?? []), r]);
      }
    }

    const floor = samples.get('floor')!;
    const floorInit = stats(floor.map((s) => s.initMs));
    const floorCpu = stats(floor.map((s) => s.initCpuMs));
    const ratios: Record<string, number> = {};
    const cpuRatios: Record<string, number> = {};
    for (const c of cases) {
      const s = samples.get(c.fn)!;
      const init = stats(s.map((x) => x.initMs));
      const cpu = stats(s.map((x) => x.initCpuMs));
      ratios[c.fn] = ratio(init.p50Ms, floorInit.p50Ms);
      cpuRatios[c.fn] = ratio(cpu.p50Ms, floorCpu.p50Ms);
      console.log(
        JSON.stringify({
          bench: 'cold',
          fn: c.fn,
          module: c.module,
          bundleKB: round1(fs.statSync(bundleOf(c.module)).size / 1024),
          runs: s.length,
          statuses: [...new Set(s.map((x) => x.status))],
          ...(s.find((x) => x.error) ? { error: s.find((x) => x.error)!.error } : {}),
          initMs: init,
          loadMs: stats(s.map((x) => x.loadMs)),
          firstInvokeMs: stats(s.map((x) => x.firstInvokeMs)),
          processMs: stats(s.map((x) => x.processMs)),
          initCpuMs: cpu,
          loadCpuMs: stats(s.map((x) => x.loadCpuMs)),
          ratioP50: ratios[c.fn],
          ratioMin: ratio(init.minMs, floorInit.minMs),
          cpuRatioP50: cpuRatios[c.fn],
        }),
      );
    }
    const sorted = Object.values(ratios).sort((a, b) => a - b);
    const cpuSorted = Object.values(cpuRatios).sort((a, b) => a - b);
    return {
      bench: 'cold',
      runs: RUNS,
      functions: cases.length,
      floor: {
        bundleKB: round1(fs.statSync(path.join(work, 'floor.cjs')).size / 1024),
        initMs: floorInit,
        loadMs: stats(floor.map((s) => s.loadMs)),
        firstInvokeMs: stats(floor.map((s) => s.firstInvokeMs)),
        processMs: stats(floor.map((s) => s.processMs)),
        initCpuMs: floorCpu,
      },
      ratioP50Median: percentile(sorted, 50),
      ratioP50Max: sorted[sorted.length - 1],
      worst: Object.entries(ratios).sort((a, b) => b[1] - a[1])[0]![0],
      cpuRatioP50Median: percentile(cpuSorted, 50),
      cpuRatioP50Max: cpuSorted[cpuSorted.length - 1],
      goal: 1.3,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    await dynamo.stop();
  }
}
