/**
 * `npm start`: the whole shop on this machine — DynamoDB Local (data kept in .local/), demo data, the functions
 * behind a local HTTP API, and the H5 app. Ctrl-C stops every child process.
 * Ports and the data folder: API_PORT (3000), WEB_PORT (10086), DYNAMO_PORT (8000), SHOP_DATA_DIR (.local).
 * SKIP_H5_BUILD=1 reuses an existing H5 build. A child that dies (DynamoDB Local, the API, the web server) is
 * restarted; one that dies three times within a minute stops everything and exits 1.
 */
import path from 'node:path';
import { ROOT, startStack } from './lib/stack';

// Lambda runs Node.js 22; the SDK's notice about this machine's Node.js 20 is not news to a shopper.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const log = (line: string) => process.stdout.write(`[shop] ${line}\n`);

const stack = await startStack({
  dataDir: process.env.SHOP_DATA_DIR ?? path.join(ROOT, '.local'),
  apiPort: Number(process.env.API_PORT ?? 3000),
  webPort: Number(process.env.WEB_PORT ?? 10086),
  dynamoPort: Number(process.env.DYNAMO_PORT ?? 8000),
  rebuildH5: !process.env.SKIP_H5_BUILD,
  verbose: Boolean(process.env.SHOP_VERBOSE),
  log,
  // A child that dies is restarted (the line above says so); one that keeps dying ends npm start.
  onFatal: () => process.exit(1),
}).catch((e) => {
  log(`failed to start: ${(e as Error).message}`);
  process.exit(1);
});

log(`API   ${stack.apiUrl}/v1/categories`);
log(`Shop  ${stack.webUrl}/   ← open this; log in with 选择演示用户, pay on the 模拟支付 sheet`);
log('ready. Ctrl-C stops everything.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await stack.stop();
    process.exit(0);
  });
}
