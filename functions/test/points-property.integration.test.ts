/**
 * Property test of points on DynamoDB Local: random sequences of earn / release / spend / expire / refund / check-in,
 * some of them replayed, on one member with a clock that only moves forward. After every step the ledger sums to the
 * balance, the lots hold exactly the balance, and nothing is negative.
 */
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { pointsRepo } from '../src/repositories/points-repo';
import { transact, TransactionRefused } from '../src/repositories/transactions';
import { checkIn, runPointsJobs } from '../src/services/points';
import { DAY, earn, expectInvariants, membersFolder, paidOrder, refundPaid } from './support-points';

beforeAll(async () => {
  await freshTable({ CAMPAIGNS_DIR: campaignFolder() });
  membersFolder('points:\n  order: { pointsPerYuan: 1, pendingDays: 10 }\n  checkIn: { points: 3, streakBonus: { every: 2, bonus: 4 } }\n');
});

type Op =
  | { kind: 'earn'; fen: number }
  | { kind: 'spend'; points: number }
  | { kind: 'refund'; order: number; percent: number }
  | { kind: 'advance'; days: number }
  | { kind: 'checkIn' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('earn' as const), fen: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({ kind: fc.constant('spend' as const), points: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('refund' as const), order: fc.nat(), percent: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('checkIn' as const) }),
);

let run = 0;

it('random earn / release / spend / expire / reverse / refund sequences keep every invariant', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), fc.boolean(), async (ops, replay) => {
      const userId = `prop-${++run}-${Math.random().toString(36).slice(2, 8)}`;
      let now = Date.UTC(2026, 0, 10, 4);
      const orders: { id: string; userId: string; paidFen: number; refunded: number }[] = [];
      let refunds = 0;
      let spends = 0;
      for (const o of ops) {
        if (o.kind === 'earn') {
          const order = await paidOrder(userId, o.fen, now);
          await earn(order, now);
          if (replay) await earn(order, now);
          orders.push({ id: order.id, userId, paidFen: o.fen, refunded: 0 });
        } else if (o.kind === 'spend') {
          const orderId = `s${++spends}`;
          try {
            await transact(await pointsRepo.spendItems({ userId, businessId: `SPEND#${orderId}`, source: 'SPEND', points: o.points, at: now, note: '下单抵扣', orderId }));
          } catch (e) {
            const insufficient = (e as { code?: string }).code === 'POINTS_INSUFFICIENT' || (e instanceof TransactionRefused && e.failed().includes('pointsBalance'));
            expect(insufficient).toBe(true);
          }
        } else if (o.kind === 'refund' && orders.length) {
          const order = orders[o.order % orders.length];
          const amount = Math.min(order.paidFen - order.refunded, Math.max(1, Math.floor((order.paidFen * o.percent) / 100)));
          if (amount > 0) {
            order.refunded += amount;
            const no = `R${++refunds}`;
            await refundPaid(order, amount, no, now);
            if (replay) await refundPaid(order, amount, no, now);
          }
        } else if (o.kind === 'advance') {
          now += o.days * DAY;
          await runPointsJobs(now);
          if (replay) await runPointsJobs(now);
        } else if (o.kind === 'checkIn') {
          await checkIn(userId, now);
          if (replay) await checkIn(userId, now);
        }
        await expectInvariants(userId);
      }
      // Fully refunded orders leave nothing of theirs: what they earned is reversed (taken or recorded short).
      const { balance } = await expectInvariants(userId);
      expect(balance.reversed + balance.shortfall).toBeLessThanOrEqual(balance.lifetime);
    }),
    { numRuns: 12, seed: 20260615 },
  );
}, 600_000);
