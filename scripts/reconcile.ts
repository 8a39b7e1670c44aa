/**
 * Reconciliation on demand against a running local shop (`npm start` in another terminal):
 *   npm run reconcile                 converge unsettled orders and refunds now
 *   npm run reconcile -- --day 2026-11-23   and print that day's report (JSON, then the readable summary)
 * Uses the same data folder and ports as npm start (SHOP_DATA_DIR, DYNAMO_PORT, API_PORT).
 */
import path from 'node:path';
import { localFunctionEnv, ROOT } from './lib/stack';

const dataDir = path.resolve(process.env.SHOP_DATA_DIR ?? path.join(ROOT, '.local'));
Object.assign(
  process.env,
  localFunctionEnv({
    dynamoEndpoint: `http://127.0.0.1:${process.env.DYNAMO_PORT ?? 8000}`,
    apiPort: Number(process.env.API_PORT ?? 3000),
    secretsFile: path.join(dataDir, 'secrets.json'),
  }),
);
const { reconcile, dailyReport } = await import('../functions/src/services/reconcile');
const dayArg = process.argv.indexOf('--day');
console.log(JSON.stringify({ reconcile: await reconcile(Date.now()) }));
if (dayArg > 0) {
  const { report, summary } = await dailyReport(process.argv[dayArg + 1], Date.now());
  console.log(JSON.stringify(report));
  console.log(summary);
}
process.exit(0);
