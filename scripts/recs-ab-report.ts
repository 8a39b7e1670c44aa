/**
 * The recommendation A/B report against a running local shop (`npm start` in another terminal):
 *   npm run recs:ab-report                      the last 14 days, every placement
 *   npm run recs:ab-report -- --days 30 --placement home_feed
 * Prints one JSON line, then a table: per variant exposures, clicks, purchases, CTR and conversion with 95 % intervals.
 * Uses the same data folder and ports as npm start (SHOP_DATA_DIR, DYNAMO_PORT, API_PORT).
 */
import path from 'node:path';
import { abReport, type Rate } from './lib/recs-ab';
import { localFunctionEnv, ROOT } from './lib/stack';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const days = Number(arg('days') ?? 14);
const placement = arg('placement');

const dataDir = path.resolve(process.env.SHOP_DATA_DIR ?? path.join(ROOT, '.local'));
Object.assign(
  process.env,
  localFunctionEnv({
    dynamoEndpoint: `http://127.0.0.1:${process.env.DYNAMO_PORT ?? 8000}`,
    apiPort: Number(process.env.API_PORT ?? 3000),
    secretsFile: path.join(dataDir, 'secrets.json'),
  }),
);
const { eventRepo } = await import('../functions/src/repositories/event-repo');
const now = Date.now();
const events = [];
for await (const e of eventRepo.readBetween(now - days * 24 * 3600 * 1000, now + 1)) events.push(e);
const rows = abReport(events, placement);
console.log(JSON.stringify({ days, placement: placement ?? 'all', rows }));
const pct = (r: Rate) => `${(r.rate * 100).toFixed(2)}% [${(r.low * 100).toFixed(2)}, ${(r.high * 100).toFixed(2)}]`;
console.log(`推荐 A/B（近 ${days} 天${placement ? `，${placement}` : ''}）`);
console.log('组 | 曝光 | 点击 | 购买 | 点击率 (95% 区间) | 转化率 (95% 区间) | 点击率差 (对第一组)');
for (const r of rows) {
  console.log(
    [r.variant, r.exposures, r.clicks, r.purchases, pct(r.ctr), pct(r.conversion), r.ctrLift ? pct(r.ctrLift) : '—'].join(' | '),
  );
}
if (rows.length === 0) console.log('还没有带实验分组的曝光、点击或购买事件。');
process.exit(0);
