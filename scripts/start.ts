/**
 * `npm start`: the whole shop on this machine.
 *   DynamoDB Local (data kept in .local/dynamodb) → the table from infra/table.cjs → demo data when empty →
 *   the functions behind a local HTTP API (osls offline) → the H5 app, its images and an /v1 proxy on one origin.
 * Ctrl-C stops every child process. Ports and the data folder can be changed with API_PORT, WEB_PORT, DYNAMO_PORT
 * and SHOP_DATA_DIR (the browser tests use that to run a private copy).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureTable, localClient, startDynamoLocal, type DynamoLocal } from './lib/dynamodb-local';
import { loadOrCreateLocalSecrets } from './lib/local-secrets';
import { startWebServer } from './lib/web-server';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(process.env.SHOP_DATA_DIR ?? path.join(root, '.local'));
const apiPort = Number(process.env.API_PORT ?? 3000);
const lambdaPort = Number(process.env.LAMBDA_PORT ?? apiPort + 2);
const webPort = Number(process.env.WEB_PORT ?? 10086);
const dynamoPort = Number(process.env.DYNAMO_PORT ?? 8000);
const tableName = 'wechat-shop-local';
const h5Dir = path.join(root, 'miniapp/dist/h5');

const children: ChildProcess[] = [];
let dynamo: DynamoLocal | undefined;
let stopping = false;

function log(message: string): void {
  process.stdout.write(`[shop] ${message}\n`);
}

async function stopAll(code = 0): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const child of children) {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
      }
    }
    await dynamo?.stop();
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));
process.on('exit', () => {
  // Last resort: never leave Java or the API running behind us.
  for (const child of children) if (child.exitCode === null && child.pid) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  if (dynamo?.process.exitCode === null) dynamo.process.kill('SIGKILL');
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv, name: string, onLine?: (line: string) => void): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim() || line.includes('Unknown user config "nodedir"')) continue;
      onLine?.(line);
      if (process.env.SHOP_VERBOSE || /error|warn/i.test(line)) process.stdout.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  child.on('exit', (code) => {
    if (!stopping) {
      log(`${name} exited with code ${code}; stopping.`);
      void stopAll(1);
    }
  });
  return child;
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = run(command, args, env, name);
    child.removeAllListeners('exit');
    child.on('exit', (code) => {
      children.splice(children.indexOf(child), 1);
      code === 0 ? resolve() : reject(new Error(`${name} failed with code ${code}`));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
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

async function main(): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  // Bundles from an earlier run (or another output format) must not shadow the fresh ones.
  fs.rmSync(path.join(root, '.esbuild'), { recursive: true, force: true });
  const secretsFile = path.join(dataDir, 'secrets.json');
  const secrets = loadOrCreateLocalSecrets(secretsFile);

  dynamo = await startDynamoLocal({ port: dynamoPort, dbPath: path.join(dataDir, 'dynamodb') });
  log(`DynamoDB Local on ${dynamo.endpoint} (data in ${path.relative(root, path.join(dataDir, 'dynamodb')) || '.'})`);

  const functionEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...secrets,
    STAGE: 'local',
    LOCAL_SECRETS_FILE: secretsFile,
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    WECHAT_SANDBOX: 'true',
    WECHAT_APP_ID: 'wxsandbox00000000',
    WECHAT_MCH_ID: '1900000001',
    WECHAT_NOTIFY_URL: `http://127.0.0.1:${apiPort}/v1/pay/notify`,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1',
    API_PORT: String(apiPort),
    LAMBDA_PORT: String(lambdaPort),
  };
  Object.assign(process.env, functionEnv);

  const created = await ensureTable(localClient(dynamo.endpoint), tableName);
  const { isEmpty, seedDemoData } = await import('./seed/seed');
  if (created || (await isEmpty())) {
    const counts = await seedDemoData();
    log(`demo data: ${counts.categories} categories, ${counts.products} products, ${counts.skus} SKUs, ${counts.users} demo shoppers`);
  } else {
    log('existing data kept (delete the data folder to start over)');
  }

  const h5Build =
    process.env.SKIP_H5_BUILD && fs.existsSync(path.join(h5Dir, 'index.html'))
      ? Promise.resolve()
      : (log('building the H5 app…'),
        runToEnd('npm', ['run', 'build:h5', '-w', 'miniapp'], { ...process.env, NODE_ENV: 'production', SHOP_API_BASE: '', SHOP_ASSET_BASE: '' }, 'h5').catch(
          (e) => {
            log(String(e));
            return stopAll(1);
          },
        ));
  const api = run('npx', ['osls', 'offline', 'start', '--stage', 'local'], functionEnv, 'api');
  void api;
  await Promise.all([h5Build, waitForHttp(`http://127.0.0.1:${apiPort}/v1/categories`, 120_000)]);
  await startWebServer({ port: webPort, h5Dir, imagesDir: path.join(root, 'assets/catalog-images'), apiPort });
  log(`API      http://127.0.0.1:${apiPort}/v1/categories`);
  log(`Shop     http://localhost:${webPort}/   ← open this (选择演示用户 to log in; 模拟支付 pays in the sandbox)`);
  log('ready. Ctrl-C stops everything.');
}

main().catch((e) => {
  log(`failed to start: ${(e as Error).stack ?? e}`);
  void stopAll(1);
});
