/**
 * Points the shop gives outright (the demo shoppers' starting points in scripts/seed) go through the ledger like any
 * earning: once per gift id however often it is replayed, into the month lot, named in 积分明细 in words, and
 * spendable in 积分商城.
 */
import { beforeAll, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { giftPoints, history, redeem } from '../src/services/points';
import { pointsRepo } from '../src/repositories/points-repo';
import { expectInvariants, membersFolder } from './support-points';

beforeAll(async () => {
  await freshTable({ CAMPAIGNS_DIR: campaignFolder() });
  membersFolder('mall:\n  items:\n    - { id: gift-mug, name: 马克杯, points: 150, kind: gift, stock: 5 }\n');
});

it('credits a gift once under replays, in words, and it can be spent in 积分商城', async () => {
  const userId = 'gift-user-1';
  const now = Date.UTC(2026, 10, 27, 4);
  const credited = await Promise.all(Array.from({ length: 10 }, () => giftPoints(userId, 'demo-start', 200, '演示账户赠送积分', now)));
  expect(credited.filter((n) => n > 0)).toEqual([200]);
  expect((await pointsRepo.balance(userId)).available).toBe(200);
  await expectInvariants(userId);

  const page = await history(userId, { limit: 20 });
  expect(page.items).toEqual([expect.objectContaining({ points: 200, reason: '演示账户赠送积分', pendingLabel: '' })]);

  const r = await redeem(userId, 'gift-mug', 'gift-test-key-1', now + 1000);
  expect(r.available).toBe(50);
  await expectInvariants(userId);
});
