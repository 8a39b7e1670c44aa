/**
 * Recommendations: serving and training.
 * - Serving: `recommendations()` for 猜你喜欢 in-process (the shopper's profile, 不感兴趣 list and the model head read
 *   side by side, then the neighbour lists of their recent products, then scoring, the diversity re-rank and the
 *   reasons) on DynamoDB Local with the demo catalog and a model trained from synthetic browsing, next to the floor:
 *   the same DynamoDB reads, bare (the same keys, the same two round trips), at the same concurrency. Interleaved
 *   rounds after a warm-up, so the first call's shelf load (a cold start) is reported on its own and not in p50.
 * - Training: the shop's trainModel on the Amazon Beauty data (22,363 shoppers, 198,502 interactions), seconds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localClient, startDynamoLocal } from '../lib/dynamodb-local';
import { loadBeauty, trainingInput } from '../lib/recs-eval';
import { trainModel } from '../../shared/src/recs/index';
import { benchLine, inProcessEnv, interleaved, ratio } from './paths';

const SHOPPERS = 40;
const TOTAL = Number(process.env.BENCH_RECS_CALLS ?? 400);

export function benchRecs(): Promise<Record<string, unknown>> {
  return benchLine('recs', async (line) => {
    const dynamo = await startDynamoLocal();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-recs-'));
    try {
      const tableName = 'bench-recs';
      fs.mkdirSync(path.join(dir, 'campaigns', 'local'), { recursive: true });
      inProcessEnv(dynamo.endpoint, tableName, { CAMPAIGNS_DIR: path.join(dir, 'campaigns') });
      await ensureTable(localClient(dynamo.endpoint), tableName);
      const { seedDemoData } = await import('../seed/seed');
      const { products } = await import('../seed/catalog-data');
      const { db, table } = await import('../../functions/src/lib/dynamo');
      const { newId } = await import('../../functions/src/lib/ids');
      const { keys } = await import('../../functions/src/repositories/keys');
      const { userRepo } = await import('../../functions/src/repositories/user-repo');
      const { ingestEvents } = await import('../../functions/src/services/events');
      const { recommendations } = await import('../../functions/src/services/recs');
      const { trainAndPublish } = await import('../../functions/src/services/recs-training');
      await seedDemoData();

      // Shoppers who each browsed 8 products, mostly within one category: what the model learns from and scores.
      const ids = products.map((p) => p.id);
      const now = Date.now();
      const shoppers: string[] = [];
      for (let s = 0; s < SHOPPERS; s++) {
        const user = { id: newId(now), openid: `bench-openid-${s}`, unionid: null, nickname: `买家${s}`, avatar: '', createdAt: now, lastLoginAt: now, defaultAddressId: null };
        await userRepo.create(user);
        shoppers.push(user.id);
        const start = (s * 7) % ids.length;
        const seen = Array.from({ length: 8 }, (_, i) => ids[(start + i * (i % 3 === 0 ? 5 : 1)) % ids.length]!);
        await ingestEvents(user.id, seen.map((productId, i) => ({ id: newId(now - 60_000 + i), kind: 'view' as const, productId, at: now - 60_000 + i, dwellMs: 5000 })), now - 60_000);
      }
      const trained = await trainAndPublish(now);
      const head = (await db().send(new GetCommand({ TableName: table(), Key: keys.recModelHead }))).Item!;

      const query = { placement: 'home_feed' as const, limit: 10 };
      const coldStart = performance.now();
      await recommendations(shoppers[0]!, query, now);
      const coldMs = Math.round(performance.now() - coldStart);
      for (let i = 0; i < 20; i++) await recommendations(shoppers[i % SHOPPERS]!, query, now);

      // The floor: the reads serving makes, bare. Round trip 1: head, user, profile, 不感兴趣; round trip 2: neighbours.
      const floorRun = async (userId: string) => {
        const first = await db().send(
          new BatchGetCommand({
            RequestItems: { [table()]: { Keys: [keys.recModelHead, keys.user(userId), keys.shopperProfile(userId), keys.recDislikes(userId)], ConsistentRead: true } },
          }),
        );
        const profile = first.Responses?.[table()]?.find((i) => i.SK === keys.shopperProfile(userId).SK);
        const recent = ((profile?.recent as { productId: string }[] | undefined) ?? []).slice(0, 20);
        const anchors = [...new Set(recent.map((r) => r.productId))];
        if (anchors.length > 0) {
          await db().send(
            new BatchGetCommand({ RequestItems: { [table()]: { Keys: anchors.map((p) => keys.recNeighbours(p, head.version as string)) } } }),
          );
        }
        return anchors.length;
      };
      const anchorsSeen = await floorRun(shoppers[0]!);

      const results = await interleaved(
        [
          { name: 'floor', ok: 'ok', run: async (i) => (await floorRun(shoppers[i % SHOPPERS]!), { status: 'ok' }) },
          {
            name: 'serve',
            ok: 'ok',
            run: async (i) => {
              const page = await recommendations(shoppers[i % SHOPPERS]!, query, now);
              return { status: page.items.length === 10 && page.personalized ? 'ok' : 'short', detail: page.items.length };
            },
          },
        ],
        { total: TOTAL, rounds: 8, concurrency: 4 },
      );

      // Training on the Beauty data (the test split's training input: every shopper's sequence but the last item).
      const data = loadBeauty();
      const input = trainingInput(data, 'test');
      const t0 = performance.now();
      const model = trainModel(input);
      const trainSeconds = Math.round((performance.now() - t0) / 100) / 10;

      Object.assign(line, {
        calls: TOTAL,
        concurrency: 4,
        shopProducts: ids.length,
        shopShoppers: SHOPPERS,
        anchorsPerShopper: anchorsSeen,
        shopTrainingMs: trained.ms,
        firstCallMs: coldMs,
        serveP50Ms: results.serve!.p50Ms,
        serveP99Ms: results.serve!.p99Ms,
        floorP50Ms: results.floor!.p50Ms,
        floorP99Ms: results.floor!.p99Ms,
        p50Ratio: ratio(results.serve!.p50Ms, results.floor!.p50Ms),
        p99Ratio: ratio(results.serve!.p99Ms, results.floor!.p99Ms),
        ...(results.serve!.error ? { serveError: results.serve!.error, firstFailure: results.serve!.firstFailure } : {}),
        beautyShoppers: input.sequences.length,
        beautyItemsWithNeighbours: Object.keys(model.neighbours).length,
        beautyTrainSeconds: trainSeconds,
      });
    } finally {
      await dynamo.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
