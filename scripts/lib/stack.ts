/**
 * The local shop as a library: DynamoDB Local → table from infra/table.cjs → demo data when empty → the functions
 * behind osls offline → (optionally) the H5 app, its images and a /v1 proxy on one origin.
 * `npm start`, the browser tests and the benchmarks all start the shop through here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { ensureTable, freePort, localClient, startDynamoLocal, type DynamoLocal } from './dynamodb-local';
import { loadOrCreateLocalSecrets } from './local-secrets';
import { startWebServer } from './web-server';
import { createStreamReader, type StreamHandler } from './table-stream';
import { startLocalS3, type LocalS3 } from './local-s3';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const TABLE_NAME = 'wechat-shop-local';
const H5_DIR = path.join(ROOT, 'miniapp/dist/h5');

export interface StackOptions {
  /** Where DynamoDB Local keeps its data and the generated keys live; null = in memory (data gone on stop). */
  dataDir: string | null;
  apiPort?: number;
  webPort?: number;
  dynamoPort?: number;
  /** Serve the H5 app (building it first unless a build exists and `rebuildH5` is false). */
  web?: boolean;
  rebuildH5?: boolean;
  /** Run the payment-lifecycle jobs on timers (timeout sweep every 5 s, reconciliation every minute). Default true. */
  jobs?: boolean;
  /** Extra environment for the functions (e.g. a short PAYMENT_WINDOW_MS). */
  functionEnv?: Record<string, string>;
  log?: (line: string) => void;
  verbose?: boolean;
  /**
   * Restart DynamoDB Local, the API or the web server when one dies (default true). One that dies 3 times within a
   * minute stops the whole stack and `onFatal` is called with the reason (npm start then exits 1).
   */
  supervise?: boolean;
  onFatal?: (reason: string) => void;
}

type StackPart = 'dynamo' | 'api' | 'web';

export interface Stack {
  apiUrl: string;
  webUrl: string | null;
  dynamoEndpoint: string;
  /** The environment the functions run with (tests and benchmarks reuse it in-process). */
  env: Record<string, string>;
  /** What the supervisor did so far, and the processes it watches (crash tests kill them). */
  supervision: {
    restarts: Record<StackPart, number>;
    pid(part: 'dynamo' | 'api'): number | undefined;
    /** Resolves once `part` is serving again after its restart number `n` (1 = the first restart). */
    restarted(part: StackPart, n: number, timeoutMs?: number): Promise<void>;
  };
  stop(): Promise<void>;
}

/** How a process ended, in a few words. */
function exitDetail(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Kills what is left of a detached child's process group (osls leaves workers behind when its parent dies). */
function killGroup(child: ChildProcess): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

const PART_NAMES: Record<StackPart, [zh: string, en: string]> = {
  dynamo: ['DynamoDB Local', 'DynamoDB Local'],
  api: ['API（osls offline）', 'the API (osls offline)'],
  web: ['网页服务', 'the web server'],
};

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!alive()) throw new Error(`the process serving ${url} exited`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function resetFunctionState(): Promise<void> {
  const [config, secretsLib, dynamo, pay, campaigns] = await Promise.all([
    import('../../functions/src/lib/config'),
    import('../../functions/src/lib/secrets'),
    import('../../functions/src/lib/dynamo'),
    import('../../functions/src/providers/wechat-pay/index'),
    import('../../functions/src/providers/campaign-config'),
  ]);
  config.resetConfig();
  secretsLib.resetSecrets();
  dynamo.resetDb();
  pay.resetWechatPay();
  campaigns.resetCampaignConfig();
}

/**
 * What the functions put at the start of a link when this stack serves no web pages (web: false, or a script acting
 * on the table): a reserved name that can never open someone else's site, and that says why when it shows up.
 */
const NO_WEB_SERVER_URL = 'http://no-web-server.invalid';

/** The environment of the functions on the local stage (also used by scripts that act on a running local shop). */
export function localFunctionEnv(args: {
  dynamoEndpoint: string;
  apiPort: number;
  secretsFile: string;
  /** The web server of this stack (share links and poster codes point there); null or absent when none runs. */
  webUrl?: string | null;
}): Record<string, string> {
  return {
    STAGE: 'local',
    LOCAL_SECRETS_FILE: args.secretsFile,
    TABLE_NAME,
    DYNAMODB_ENDPOINT: args.dynamoEndpoint,
    WECHAT_SANDBOX: 'true',
    WECHAT_APP_ID: 'wxsandbox00000000',
    WECHAT_MCH_ID: '1900000001',
    WECHAT_NOTIFY_URL: `http://127.0.0.1:${args.apiPort}/v1/pay/notify`,
    WEB_BASE_URL: args.webUrl ?? NO_WEB_SERVER_URL,
    // The sandbox answers refunds the way WeChat does: asynchronously, with a signed REFUND.SUCCESS notification.
    SANDBOX_AUTO_COMPLETE_REFUNDS: 'SUCCESS',
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    API_PORT: String(args.apiPort),
    // The functions read campaigns/local/*.yaml from the working copy and pick up edits within a second.
    CAMPAIGNS_DIR: path.join(ROOT, 'campaigns'),
  };
}

/**
 * Calls every route once without a session (answers 400/401 quickly), so each function's worker has loaded its
 * bundle before a shopper's first tap.
 */
async function warmUp(apiUrl: string): Promise<void> {
  const { API } = await import('../../shared/src/api');
  const routes = Object.values(API).map((r) => ({ method: r.method, path: r.path.replace(/\{[^}]+\}/g, 'warm-up') }));
  for (let i = 0; i < routes.length; i += 4) {
    await Promise.all(
      routes.slice(i, i + 4).map((r) =>
        fetch(`${apiUrl}${r.path}`, { method: r.method, headers: { 'content-type': 'application/json' }, body: r.method === 'GET' ? undefined : '{}' })
          .then((res) => res.arrayBuffer())
          .catch(() => undefined),
      ),
    );
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const children: ChildProcess[] = [];
  let dynamo: DynamoLocal | undefined;
  let s3: LocalS3 | undefined;
  let web: http.Server | undefined;
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];
  const streamPollers: { stop(): Promise<void> }[] = [];
  let api: ChildProcess | undefined;
  let esbuildDir: string | undefined;
  /** Set once everything answered for the first time: from then on a death is restarted, not a failed start. */
  let supervising = false;
  const restarts: Record<StackPart, number> = { dynamo: 0, api: 0, web: 0 };
  const deaths: Record<StackPart, number[]> = { dynamo: [], api: [], web: [] };
  const restartWaiters: { part: StackPart; n: number; resolve: () => void }[] = [];

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const t of timers) clearInterval(t);
    await Promise.all(streamPollers.map((p) => p.stop()));
    web?.close();
    for (const c of children) killTree(c, 'SIGTERM');
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => (killTree(c, 'SIGKILL'), resolve()), 5000);
            c.once('exit', () => (clearTimeout(t), resolve()));
          }),
      ),
    );
    await dynamo?.stop();
    await s3?.stop();
    if (esbuildDir) fs.rmSync(esbuildDir, { recursive: true, force: true });
  };
  const onExit = () => {
    // Never leave Java or the API running behind us, whatever way this process ends.
    for (const c of children) killTree(c, 'SIGKILL');
    if (dynamo && dynamo.process.exitCode === null) dynamo.process.kill('SIGKILL');
  };
  process.once('exit', onExit);

  /**
   * A supervised part died: restart it, saying so; the third death within a minute stops everything instead. A
   * restart that fails counts as another death a second later.
   */
  const onDeath = (part: StackPart, detail: string, restart: () => Promise<void | 'died again'>) => {
    if (stopped || !supervising || options.supervise === false) return;
    const now = Date.now();
    deaths[part] = [...deaths[part].filter((t) => now - t < 60_000), now];
    const [zh, en] = PART_NAMES[part];
    if (deaths[part].length >= 3) {
      const reason = `✗ ${zh} 一分钟内退出了 ${deaths[part].length} 次，停止全部服务 / ${en} died ${deaths[part].length} times within a minute (last: ${detail}); stopping everything`;
      log(reason);
      void stop().finally(() => options.onFatal?.(reason));
      return;
    }
    log(`✗ ${zh} 意外退出（${detail}），正在重启… / ${en} exited unexpectedly (${detail}); restarting…`);
    const startedAt = Date.now();
    restart().then(
      (outcome) => {
        // The new process died while starting: its own exit is the next death, already being handled.
        if (stopped || outcome === 'died again') return;
        restarts[part] += 1;
        log(`✓ ${zh} 已重启，耗时 ${((Date.now() - startedAt) / 1000).toFixed(1)} 秒 / ${en} is back`);
        for (const w of [...restartWaiters]) {
          if (w.part === part && restarts[part] >= w.n) (restartWaiters.splice(restartWaiters.indexOf(w), 1), w.resolve());
        }
      },
      (e) => {
        if (stopped) return;
        log(`✗ ${zh} 重启失败：${(e as Error).message.split('\n')[0]} / could not restart ${en}`);
        setTimeout(() => onDeath(part, 'restart failed', restart), 1000).unref();
      },
    );
  };

  const spawnLogged = (command: string, args: string[], env: NodeJS.ProcessEnv, name: string, cwd = ROOT) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.push(child);
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim() || /nodedir|NodeVersionSupportWarning|trace-warnings/.test(line)) continue;
        if (options.verbose || /\berror\b|exception/i.test(line)) log(`[${name}] ${line}`);
      }
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    return child;
  };

  try {
    const dataDir = options.dataDir ? path.resolve(options.dataDir) : fs.mkdtempSync(path.join(ROOT, '.local-tmp-'));
    fs.mkdirSync(dataDir, { recursive: true });
    const secretsFile = path.join(dataDir, 'secrets.json');
    loadOrCreateLocalSecrets(secretsFile);
    const secrets = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as Record<string, string>;
    if (!options.dataDir) process.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));

    const dynamoOptions = {
      port: options.dynamoPort ?? (await freePort()),
      ...(options.dataDir ? { dbPath: path.join(dataDir, 'dynamodb') } : {}),
    };
    // DynamoDB Local keeps its data in the data folder, so a restart on the same port loses nothing (in memory, the
    // table and demo data are made again).
    const watchDynamo = (d: DynamoLocal) =>
      d.process.once('exit', (code, signal) => {
        if (dynamo !== d) return;
        onDeath('dynamo', exitDetail(code, signal), async () => {
          if (stopped) return;
          const next = await startDynamoLocal(dynamoOptions);
          dynamo = next;
          watchDynamo(next);
          await prepareTable();
        });
      });
    dynamo = await startDynamoLocal(dynamoOptions);
    watchDynamo(dynamo);
    log(`DynamoDB Local on ${dynamo.endpoint}${options.dataDir ? ` (data in ${path.relative(ROOT, dataDir) || dataDir})` : ' (in memory)'}`);

    // Shoppers' photos: an S3-compatible server with the uploads bucket, beside DynamoDB Local (data kept with it).
    s3 = await startLocalS3(path.join(dataDir, 's3'), await freePort());
    log(`S3 (s3rver) on ${s3.endpoint}, bucket ${s3.bucket}`);

    const apiPort = options.apiPort ?? (await freePort());
    const wantWeb = options.web ?? true;
    // The web port is chosen now: the functions make links to the web server (WEB_BASE_URL) from their first call.
    const webPort = wantWeb ? (options.webPort ?? (await freePort())) : null;
    const webUrl = webPort === null ? null : `http://localhost:${webPort}`;
    const env: Record<string, string> = {
      ...localFunctionEnv({ dynamoEndpoint: dynamo.endpoint, apiPort, secretsFile, webUrl }),
      LAMBDA_PORT: String(await freePort()),
      S3_ENDPOINT: s3.endpoint,
      UPLOADS_BUCKET: s3.bucket,
      RETURN_ADDRESS: '上海市浦东新区世纪大道 100 号 售后仓',
      ...options.functionEnv,
    };
    // This process talks to the same table (seeding; tests and benchmarks that call services directly); clients and
    // settings cached for an earlier stack in this process must not outlive it.
    Object.assign(process.env, env, secrets);
    await resetFunctionState();

    const { isEmpty, seedDemoBehaviour, seedDemoData } = await import('../seed/seed');
    const prepareTable = async () => {
      const created = await ensureTable(localClient(dynamo!.endpoint), TABLE_NAME);
      if (created || (await isEmpty())) {
        const counts = await seedDemoData();
        log(`demo data: ${counts.categories} categories, ${counts.products} products, ${counts.skus} SKUs, ${counts.users} demo shoppers`);
        const browsing = await seedDemoBehaviour();
        log(`demo browsing: ${browsing.events} events of ${browsing.browsers} accounts, a recommendation model of ${browsing.lists} products`);
      } else if (!supervising) {
        log('existing data kept (delete the data folder to start over)');
      }
    };
    await prepareTable();

    const buildH5 =
      wantWeb && (options.rebuildH5 || !fs.existsSync(path.join(H5_DIR, 'index.html')))
        ? new Promise<void>((resolve, reject) => {
            log('building the H5 app…');
            const child = spawnLogged('npx', ['taro', 'build', '--type', 'h5'], { ...process.env, NODE_ENV: 'production', SHOP_API_BASE: '', SHOP_ASSET_BASE: '' }, 'h5', path.join(ROOT, 'miniapp'));
            child.on('exit', (code) => (children.splice(children.indexOf(child), 1), code === 0 ? resolve() : reject(new Error(`H5 build failed (${code})`))));
          })
        : Promise.resolve();

    // Bundles from an earlier run (or another output format) must not shadow the fresh ones; each stack has its own
    // folder (by API port), so another stack starting on this checkout does not pull the bundles from under it.
    const esbuildFolder = `.esbuild/api-${apiPort}`;
    esbuildDir = path.join(ROOT, esbuildFolder);
    fs.rmSync(esbuildDir, { recursive: true, force: true });
    env.SHOP_ESBUILD_WORK_FOLDER = esbuildFolder;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const startApi = () => {
      const child = spawnLogged('npx', ['osls', 'offline', 'start', '--stage', 'local'], { ...process.env, ...env }, 'api');
      api = child;
      child.once('exit', (code, signal) => {
        if (children.includes(child)) children.splice(children.indexOf(child), 1);
        // Workers of a killed osls would keep the port.
        killGroup(child);
        if (api !== child) return;
        onDeath('api', exitDetail(code, signal), async () => {
          const next = startApi();
          const alive = () => next.exitCode === null && next.signalCode === null;
          try {
            await waitForHttp(`${apiUrl}/v1/categories`, 180_000, alive);
          } catch (e) {
            if (alive()) {
              // Never answered: it is ended, and its exit counts as the next death.
              log(`✗ ${(e as Error).message}`);
              killGroup(next);
            }
            return 'died again';
          }
        });
      });
      return child;
    };
    const first = startApi();
    await Promise.all([buildH5, waitForHttp(`${apiUrl}/v1/categories`, 180_000, () => first.exitCode === null && first.signalCode === null)]);

    await warmUp(apiUrl);

    if (options.jobs ?? true) {
      // In the cloud each order has its own EventBridge Scheduler schedule plus a sweeper every minute; locally the
      // same handlers run on timers, so unpaid orders close themselves within seconds of their deadline.
      const jobs = await import('../../functions/src/handlers/jobs');
      const every = (ms: number, job: () => Promise<unknown>) => {
        let running = false;
        const t = setInterval(() => {
          if (running || stopped) return;
          running = true;
          job()
            .catch((e) => log(`[jobs] ${(e as Error).message}`))
            .finally(() => (running = false));
        }, ms);
        t.unref();
        timers.push(t);
      };
      every(5_000, jobs.sweepOrders);
      every(5_000, jobs.sweepGroups);
      every(5_000, jobs.sweepAfterSalesJob);
      every(60_000, jobs.reconcileJob);
      // Recommendations learn from the behaviour events: every 6 hours in the cloud, every 10 minutes here so a demo
      // soon shows what was browsed in 看了又看.
      const { recsTrainJob } = await import('../../functions/src/handlers/recs');
      every(600_000, recsTrainJob);
      // The sandbox's WeChat Pay re-sends unanswered notifications (15 s, 15 s, 30 s, 3 m … as WeChat does); the
      // pending ones are in the table, so this process sends what a crashed API could not.
      const { sandboxWechatPay } = await import('../../functions/src/providers/wechat-pay/index');
      every(5_000, async () => (await sandboxWechatPay()).server.redeliverDue(Date.now()));
      // Fulfilment: shipped orders past their receipt due are received (the cloud's schedule + sweeper), and the 快递100
      // twin walks each parcel's timeline on the wall clock, pushing to the API's callback as 快递100 would.
      const fulfilment = await import('../../functions/src/handlers/fulfilment');
      every(60_000, fulfilment.sweepReceipts);
      const { sandboxLogistics } = await import('../../functions/src/providers/logistics/index');
      every(5_000, async () => (await sandboxLogistics()).advance(Date.now()));
    }

    // In the cloud Lambda reads the table's stream; here the same handler gets the same batches from DynamoDB Local's
    // stream, a moment after each write. It is part of the shop (group seats, owed refunds), not a timer job: always on.
    const { onTableChange } = await import('../../functions/src/handlers/jobs');
    const reader = createStreamReader({ endpoint: dynamo.endpoint, tableName: TABLE_NAME, log: (line) => log(`[stream] ${line}`) });
    streamPollers.push(reader.poll(onTableChange as StreamHandler, 500));

    if (webPort !== null) {
      const startWeb = async () => {
        const server = await startWebServer({ port: webPort, h5Dir: H5_DIR, imagesDir: path.join(ROOT, 'assets/catalog-images'), apiPort });
        web = server;
        const died = (detail: string) => {
          if (web !== server) return;
          web = undefined;
          server.close();
          onDeath('web', detail, startWeb);
        };
        server.once('close', () => died('closed'));
        server.on('error', (e) => died((e as Error).message));
      };
      await startWeb();
    }
    supervising = true;
    const supervision: Stack['supervision'] = {
      restarts,
      pid: (part) => (part === 'dynamo' ? dynamo?.process.pid : api?.pid),
      restarted: (part, n, timeoutMs = 180_000) =>
        new Promise<void>((resolve, reject) => {
          if (restarts[part] >= n) return resolve();
          const t = setTimeout(() => reject(new Error(`${part} was not restarted ${n} time(s) within ${timeoutMs} ms`)), timeoutMs);
          restartWaiters.push({ part, n, resolve: () => (clearTimeout(t), resolve()) });
        }),
    };
    return { apiUrl, webUrl, dynamoEndpoint: dynamo.endpoint, env: { ...env, ...secrets }, supervision, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
