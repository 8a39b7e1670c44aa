/**
 * Points on hot balances: 200 operations at once, earnings and spends mixed, against 4 members (50 each), through the
 * production repository and services on DynamoDB Local (each earning its ledger entry, month lot and balance in one
 * transaction; each spend first-earned-first with `available >= :n`, planned again when a lot ran short). Next to it
 * the floor: one bare conditional UpdateItem (`ADD available :n` if `available >= :0`) on 4 hot items at the same
 * concurrency. Then every member is checked: no balance or lot below zero (negativeBalances) and the ledger summing to
 * the balance and to the lots (ledgerMismatches); both must be 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localClient, startDynamoLocal } from '../lib/dynamodb-local';
import { benchLine, inProcessEnv, ratio } from './paths';
import { percentile } from './stats';

const OPS = Number(process.env.BENCH_POINTS_OPS ?? 200);
const MEMBERS = 4;
const STARTING_POINTS = 300;

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50Ms: Math.round(percentile(s, 50)), p99Ms: Math.round(percentile(s, 99)) };
};

export function benchPoints(): Promise<Record<string, unknown>> {
  return benchLine('points', async (line) => {
    Object.assign(line, { ops: OPS, members: MEMBERS });
    const dynamo = await startDynamoLocal();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-points-'));
    try {
      const tableName = 'bench-points';
      fs.mkdirSync(path.join(dir, 'campaigns', 'local'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'members'));
      fs.writeFileSync(path.join(dir, 'members', 'local.yaml'), 'points:\n  feedback: { points: 7 }\n  dailyCaps: { FEEDBACK: null }\n');
      inProcessEnv(dynamo.endpoint, tableName, { CAMPAIGNS_DIR: path.join(dir, 'campaigns'), MEMBERS_DIR: path.join(dir, 'members') });
      await ensureTable(localClient(dynamo.endpoint), tableName);
      const { db, table } = await import('../../functions/src/lib/dynamo');
      const { pointsRepo } = await import('../../functions/src/repositories/points-repo');
      const { transact, TransactionRefused } = await import('../../functions/src/repositories/transactions');
      const { awardFeedback } = await import('../../functions/src/services/points');

      const now = Date.now();
      const members = Array.from({ length: MEMBERS }, (_, i) => `bench-member-${i}`);
      // Each member starts with points in two months' lots, so spends cross lots.
      let seeded = 0;
      for (const m of members) {
        seeded = 0;
        for (let i = 0; i * 7 < STARTING_POINTS; i++) seeded += await awardFeedback(m, `seed-${i}`, now - (i % 2) * 40 * 24 * 3600 * 1000);
      }

      const latency: number[] = [];
      let earned = 0;
      let spent = 0;
      let refused = 0;
      let gaveUp = 0;
      await Promise.all(
        Array.from({ length: OPS }, async (_, i) => {
          // Earnings and spends alternate on every member.
          const userId = members[Math.floor(i / 2) % MEMBERS];
          const t0 = performance.now();
          if (i % 2 === 0) {
            const got = await awardFeedback(userId, `op-${i}`, now);
            earned += got;
          } else {
            for (let attempt = 0; ; attempt++) {
              try {
                await transact(await pointsRepo.spendItems({ userId, businessId: `SPEND#op-${i}`, source: 'SPEND', points: 13, at: now, note: '下单抵扣', orderId: `op-${i}` }));
                spent += 13;
                break;
              } catch (e) {
                const short = (e as { code?: string }).code === 'POINTS_INSUFFICIENT' || (e instanceof TransactionRefused && e.failed().includes('pointsBalance'));
                if (short) {
                  refused++;
                  break;
                }
                if (attempt >= 30) {
                  gaveUp++;
                  break;
                }
              }
            }
          }
          latency.push(performance.now() - t0);
        }),
      );

      // The floor: a bare conditional ADD on as many hot items, at the same concurrency.
      const floor: number[] = [];
      await Promise.all(
        Array.from({ length: OPS }, async (_, i) => {
          const t0 = performance.now();
          await db().send(
            new UpdateCommand({
              TableName: table(),
              Key: { PK: `BENCHFLOOR#${i % MEMBERS}`, SK: 'POINTS' },
              UpdateExpression: 'ADD available :n',
              ConditionExpression: 'attribute_not_exists(available) OR available >= :zero',
              ExpressionAttributeValues: { ':n': 1, ':zero': 0 },
            }),
          );
          floor.push(performance.now() - t0);
        }),
      );

      let negativeBalances = 0;
      let totalAvailable = 0;
      let ledgerMismatches = 0;
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      for (const m of members) {
        const [balance, entries, lots] = await Promise.all([pointsRepo.balance(m), pointsRepo.entries(m, ''), pointsRepo.lots(m)]);
        totalAvailable += balance.available;
        if (balance.available < 0 || balance.pending < 0 || lots.some((l) => l.remaining < 0)) negativeBalances++;
        const lotSum = sum(lots.filter((l) => l.status === 'AVAILABLE').map((l) => l.remaining));
        if (sum(entries.map((e) => e.delta)) !== balance.available || lotSum !== balance.available) ledgerMismatches++;
      }
      const ops = stats(latency);
      const bare = stats(floor);
      Object.assign(line, {
        earned,
        spent,
        refusedSpends: refused,
        spendsGivenUpAfterConflicts: gaveUp,
        negativeBalances,
        // Every member's balance is what they started with, plus what they earned, minus what they spent.
        ledgerMismatches: ledgerMismatches + (totalAvailable === MEMBERS * seeded + earned - spent ? 0 : 1),
        ...ops,
        floorP50Ms: bare.p50Ms,
        floorP99Ms: bare.p99Ms,
        p50Ratio: ratio(ops.p50Ms, bare.p50Ms),
      });
    } finally {
      await dynamo.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
