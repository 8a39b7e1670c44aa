/**
 * Points and levels on DynamoDB Local: earning exactly once under replays, 签到 once a day, spends that never take a
 * balance below zero, proportional reversals with the shortfall recorded, expiry with a controllable clock, level
 * upgrades on the crossing event. The invariants (ledger = balance = lots, nothing negative) after every test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { shopper, type Shopper } from '../../tests/support/shop';
import { pointsRepo } from '../src/repositories/points-repo';
import { TransactionRefused, transact } from '../src/repositories/transactions';
import { awardFeedback, awardReview, checkIn, redeem, runPointsJobs } from '../src/services/points';
import { reviewLevels } from '../src/services/members';
import { couponRepo } from '../src/repositories/coupon-repo';
import * as members from '../src/handlers/members';
import { DAY, earn, expectInvariants, membersFolder, paidOrder, refundPaid } from './support-points';

const CONFIG = `
points:
  order: { pointsPerYuan: 1, pendingDays: 15 }
  checkIn: { points: 2, streakBonus: { every: 3, bonus: 5 } }
  invite: { points: 20 }
  review: { points: 5 }
  feedback: { points: 50 }
  dailyCaps: { FEEDBACK: null, REVIEW: 10, INVITE: null }
levels:
  yearlyReview: true
mall:
  items:
    - { id: coupon-test, name: 测试满减券, points: 30, kind: coupon, couponTemplateId: tpl-mall, stock: 1000, perUserLimit: 1000 }
    - { id: gift-few, name: 限量礼品, points: 10, kind: gift, stock: 3, perUserLimit: 5 }
    - { id: gift-gold, name: 金卡礼品, points: 10, kind: gift, stock: 10, minLevel: GOLD }
`;

const COUPONS = `
couponTemplates:
  - id: tpl-mall
    name: 积分兑换满100减10
    kind: fixed
    thresholdFen: 10000
    offFen: 1000
    validity: { type: days_after_claim, days: 30 }
    totalStock: 100000
    perUserLimit: 100
campaigns: []
`;

/** Mid-June 2026, noon in Shanghai. */
const T0 = Date.UTC(2026, 5, 15, 4, 0, 0);

let n = 0;
const uid = (name: string) => `u-${name}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'coupons.yaml': COUPONS }) });
  membersFolder(CONFIG);
});

/** Points made available now: an order earned at `at` and released after its pending days. */
async function fund(userId: string, fen: number, at = T0) {
  const order = await paidOrder(userId, fen, at);
  await earn(order, at);
  await runPointsJobs(at + 16 * DAY);
  return order;
}

describe('earning exactly once', () => {
  it('an order earns paid fen × rate, pending, then available once; 10 replays (sequential and concurrent) credit it once', async () => {
    const u = uid('replay');
    const order = await paidOrder(u, 12_345, T0);
    await Promise.all(Array.from({ length: 10 }, () => earn(order, T0)));
    for (let i = 0; i < 10; i++) await earn(order, T0);
    let { balance } = await expectInvariants(u);
    expect(balance).toMatchObject({ available: 0, pending: 123, lifetime: 123 });
    // Not yet: the job a day early moves nothing.
    expect((await runPointsJobs(T0 + 14 * DAY)).released).toBe(0);
    await Promise.all([runPointsJobs(T0 + 16 * DAY), runPointsJobs(T0 + 16 * DAY), runPointsJobs(T0 + 17 * DAY)]);
    ({ balance } = await expectInvariants(u));
    expect(balance).toMatchObject({ available: 123, pending: 0, lifetime: 123 });
    const history = await call(members.pointsHistory, { token: undefined });
    expect(history.status).toBe(401);
    // An order too small for one point earns nothing, and its line says why in words.
    const tiny = await paidOrder(u, 50, T0 + 1);
    await earn(tiny, T0 + 1);
    const { entries } = await expectInvariants(u);
    expect(entries.find((e) => e.orderId === tiny.id)).toMatchObject({ delta: 0, pendingDelta: 0, note: '本单金额未满积分门槛，未获得积分' });
    expect(entries.find((e) => e.orderId === order.id)?.note).toBe('购物获得积分（15 天后到账）');
  });

  it('review and feedback hooks credit once per id, within the daily cap', async () => {
    const u = uid('review');
    expect(await Promise.all(Array.from({ length: 10 }, () => awardReview(u, 'r1', T0)))).toEqual(expect.arrayContaining([5]));
    expect((await pointsRepo.balance(u)).available).toBe(5);
    expect(await awardReview(u, 'r2', T0)).toBe(5);
    // The cap (10 a day) leaves nothing for a third review today, and the entry says so.
    expect(await awardReview(u, 'r3', T0)).toBe(0);
    expect(await awardReview(u, 'r4', T0 + DAY)).toBe(5);
    expect(await awardFeedback(u, 'f1', T0)).toBe(50);
    expect(await awardFeedback(u, 'f1', T0)).toBe(0);
    const { balance } = await expectInvariants(u);
    expect(balance.available).toBe(65);
  });

  it('an invited friend’s first paid order rewards the inviter once; a second order does not', async () => {
    const inviter = await shopper(`inv-${n++}`);
    const friendShopper = await shopper(`friend-${n++}`);
    const friend = friendShopper.userId;
    const first = await paidOrder(friend, 5000, T0, inviter.userId);
    const second = await paidOrder(friend, 5000, T0 + 1000, inviter.userId);
    await Promise.all([earn(second, T0), earn(first, T0), earn(first, T0), earn(second, T0)]);
    const { balance } = await expectInvariants(inviter.userId);
    expect(balance.available).toBe(20);
    expect((await pointsRepo.member(inviter.userId))?.invites).toBe(1);
    // 积分明细 speaks in words: the friend by masked nickname, orders by a link, never an id fragment in the text.
    const mine = await call(members.pointsHistory, { token: inviter.token });
    expect(mine.body.items).toEqual([expect.objectContaining({ points: 20, reason: expect.stringMatching(/^邀请的好友 \S+ 完成首单$/), orderId: null })]);
    expect(mine.body.items[0].reason).not.toMatch(/[A-Z0-9]{4,}/);
    const theirs = await call(members.pointsHistory, { token: friendShopper.token });
    expect(theirs.body.items.map((e: { reason: string; orderId: string | null }) => [e.reason, e.orderId])).toEqual([
      ['购物获得积分（15 天后到账）', second.id],
      ['购物获得积分（15 天后到账）', first.id],
    ]);
  });
});

describe('签到', () => {
  it('twice on one day (and 10 at once) checks in once; the streak grows day by day with the bonus on the 3rd', async () => {
    const s = await shopper(`checkin-${n++}`);
    const results = await Promise.all(Array.from({ length: 10 }, () => checkIn(s.userId, T0)));
    expect(results.filter((r) => r.awarded! > 0)).toHaveLength(1);
    expect((await pointsRepo.balance(s.userId)).available).toBe(2);
    const day2 = await checkIn(s.userId, T0 + DAY);
    const day3 = await checkIn(s.userId, T0 + 2 * DAY);
    expect([day2.streak, day2.awarded, day3.streak, day3.awarded, day3.bonus]).toEqual([2, 2, 3, 7, 5]);
    // A day missed breaks the streak.
    const day5 = await checkIn(s.userId, T0 + 4 * DAY);
    expect([day5.streak, day5.awarded]).toEqual([1, 2]);
    const again = await call(members.checkIn, { token: s.token });
    expect(again.status).toBe(200);
    const cal = await call(members.checkInCalendar, { token: s.token, query: { month: '2026-06' } });
    expect(cal.status).toBe(200);
    expect(cal.body.days.filter((d: { checked: boolean }) => d.checked).map((d: { day: string }) => d.day)).toEqual(['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-19']);
    await expectInvariants(s.userId);
  });
});

describe('spending', () => {
  it('100 concurrent redemptions and checkout spends against one balance: never negative, the ledger sums to the balance', async () => {
    const s = await shopper(`spend-${n++}`);
    await fund(s.userId, 100_000); // 1000 points
    const now = T0 + 20 * DAY;
    let spent = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        if (i % 2 === 0) {
          try {
            await redeem(s.userId, 'coupon-test', `key-${i}-abcdefgh`, now);
            spent += 30;
            return 'ok';
          } catch (e) {
            return (e as { code?: string }).code;
          }
        }
        // A checkout's spend: the items in its own transaction, planned again while lots move.
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            await transact(await pointsRepo.spendItems({ userId: s.userId, businessId: `SPEND#o${i}`, source: 'SPEND', points: 17, at: now, note: '下单抵扣', orderId: `o${i}` }));
            spent += 17;
            return 'ok';
          } catch (e) {
            if ((e as { code?: string }).code === 'POINTS_INSUFFICIENT') return 'POINTS_INSUFFICIENT';
            if (!(e instanceof TransactionRefused) || e.failed().includes('pointsBalance')) return 'POINTS_INSUFFICIENT';
          }
        }
        return 'busy';
      }),
    );
    expect(outcomes.filter((o) => o !== 'ok' && o !== 'POINTS_INSUFFICIENT')).toEqual([]);
    const { balance } = await expectInvariants(s.userId);
    expect(balance.available).toBe(1000 - spent);
    expect(balance.available).toBeLessThan(17);
    const coupons = await couponRepo.listForUser(s.userId);
    expect(coupons).toHaveLength(outcomes.filter((o, i) => o === 'ok' && i % 2 === 0).length);
  }, 240_000);

  it('the mall: stock and per-shopper limits in the same transaction; a retried key redeems once; levels gate items', async () => {
    const a = await shopper(`mall-a-${n++}`);
    const b = await shopper(`mall-b-${n++}`);
    await fund(a.userId, 10_000);
    await fund(b.userId, 10_000);
    const now = T0 + 20 * DAY;
    const r1 = await call(members.redeemMallItem, { token: a.token, params: { itemId: 'gift-few' }, body: { idempotencyKey: 'same-key-123' } });
    const r2 = await call(members.redeemMallItem, { token: a.token, params: { itemId: 'gift-few' }, body: { idempotencyKey: 'same-key-123' } });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect((await pointsRepo.balance(a.userId)).available).toBe(90);
    const rest = await Promise.all(
      Array.from({ length: 6 }, (_, i) => redeem(i % 2 ? a.userId : b.userId, 'gift-few', `k-${i}-xxxxxxxx`, now).then(() => 'ok', (e) => e.code)),
    );
    expect(rest.filter((o) => o === 'ok')).toHaveLength(2);
    expect(rest.filter((o) => o === 'POINTS_ITEM_SOLD_OUT')).toHaveLength(4);
    const gold = await call(members.redeemMallItem, { token: a.token, params: { itemId: 'gift-gold' }, body: { idempotencyKey: 'gold-key-1' } });
    expect(gold.status).toBe(403);
    const mall = await call(members.pointsMall, { token: a.token });
    expect(mall.body.items.find((i: { id: string }) => i.id === 'gift-few')).toMatchObject({ left: 0, refusal: '已兑完' });
    expect(mall.body.items.find((i: { id: string }) => i.id === 'gift-gold').refusal).toBe('仅限金卡及以上会员');
    await expectInvariants(a.userId);
    await expectInvariants(b.userId);
  });
});

describe('refunds', () => {
  it('a refund after a partial spend reverses what is there, records the shortfall, balance ≥ 0; replays change nothing', async () => {
    const u = uid('shortfall');
    const order = await fund(u, 10_000); // 100 points
    await transact(await pointsRepo.spendItems({ userId: u, businessId: 'SPEND#other', source: 'SPEND', points: 80, at: T0 + 20 * DAY, note: '下单抵扣', orderId: 'other' }));
    await Promise.all(Array.from({ length: 5 }, () => refundPaid(order, 10_000, 'R1', T0 + 21 * DAY)));
    const { balance, entries } = await expectInvariants(u);
    expect(balance).toMatchObject({ available: 0, reversed: 20, shortfall: 80 });
    expect(entries.find((e) => e.businessId === 'REVERSAL#R1')).toMatchObject({ delta: -20, shortfall: 80 });
  });

  it('partial refunds reverse in proportion, exactly the whole over all of them; while pending they come off pending', async () => {
    const u = uid('partial');
    const order = await paidOrder(u, 9_999, T0); // 99 points, pending
    await earn(order, T0);
    await refundPaid(order, 3_333, 'P1', T0 + DAY); // floor(99 × 3333 / 9999) = 33
    let { balance } = await expectInvariants(u);
    expect(balance.pending).toBe(66);
    await runPointsJobs(T0 + 16 * DAY);
    await Promise.all([refundPaid(order, 1_000, 'P2', T0 + 17 * DAY), refundPaid(order, 2_000, 'P3', T0 + 17 * DAY)]);
    ({ balance } = await expectInvariants(u));
    expect(balance.available).toBe(99 - Math.floor((99 * 6333) / 9999));
    await refundPaid(order, 3_666, 'P4', T0 + 18 * DAY);
    ({ balance } = await expectInvariants(u));
    expect(balance).toMatchObject({ available: 0, pending: 0, reversed: 99, shortfall: 0 });
  });

  it('points spent on an order come back in proportion with its refund', async () => {
    const u = uid('return');
    await fund(u, 20_000); // 200
    const order = await paidOrder(u, 10_000, T0 + 20 * DAY);
    await transact(await pointsRepo.spendItems({ userId: u, businessId: `SPEND#${order.id}`, source: 'SPEND', points: 50, at: T0 + 20 * DAY, note: '下单抵扣', orderId: order.id }));
    await earn(order, T0 + 20 * DAY); // +100 pending
    await refundPaid(order, 5_000, 'H1', T0 + 21 * DAY);
    await refundPaid(order, 5_000, 'H1', T0 + 21 * DAY);
    const { balance } = await expectInvariants(u);
    expect(balance).toMatchObject({ available: 150 + 25, pending: 50 });
  });
});

describe('expiry', () => {
  it('exactly the lots past a year expire, once; spending takes the oldest first', async () => {
    const u = uid('expiry');
    const may2025 = Date.UTC(2025, 4, 10, 4);
    const jul2025 = Date.UTC(2025, 6, 10, 4);
    await awardFeedback(u, 'old', may2025); // 50, expires end of May 2026
    await awardFeedback(u, 'newer', jul2025); // 50, expires end of July 2026
    await transact(await pointsRepo.spendItems({ userId: u, businessId: 'SPEND#x', source: 'SPEND', points: 30, at: Date.UTC(2026, 0, 1), note: '下单抵扣', orderId: 'x' }));
    let lots = await pointsRepo.lots(u);
    expect(lots.find((l) => l.lotId === 'M#2025-05')?.remaining).toBe(20);
    expect(lots.find((l) => l.lotId === 'M#2025-07')?.remaining).toBe(50);
    // The last moment of May 2026 in Shanghai: nothing yet.
    const endOfMay = Date.UTC(2026, 4, 31, 16) - 1;
    expect((await runPointsJobs(endOfMay)).expired).toBe(0);
    const runs = await Promise.all([runPointsJobs(endOfMay + 1), runPointsJobs(endOfMay + 1), runPointsJobs(endOfMay + DAY)]);
    expect(runs.reduce((s, r) => s + r.expired, 0)).toBe(1);
    const { balance, entries } = await expectInvariants(u);
    expect(balance).toMatchObject({ available: 50, expired: 20 });
    expect(entries.filter((e) => e.source === 'EXPIRE')).toHaveLength(1);
    lots = await pointsRepo.lots(u);
    expect(lots.find((l) => l.lotId === 'M#2025-05')?.status).toBe('EXPIRED');
    const me = await call(members.memberMe, { token: (await shopper(`exp-${n++}`)).token });
    expect(me.status).toBe(200);
  });
});

describe('levels', () => {
  it('upgrades on the payment that crosses the threshold, with history; a refund below keeps the level (default rule)', async () => {
    const s = await shopper(`level-${n++}`);
    const o1 = await paidOrder(s.userId, 60_000, T0);
    await earn(o1, T0);
    expect((await pointsRepo.member(s.userId))?.level).toBe('NORMAL');
    const o2 = await paidOrder(s.userId, 40_000, T0 + 1000);
    await earn(o2, T0 + 1000);
    expect((await pointsRepo.member(s.userId))?.level).toBe('SILVER');
    const history = await pointsRepo.levelHistory(s.userId);
    expect(history).toEqual([expect.objectContaining({ from: 'NORMAL', to: 'SILVER' })]);
    // SILVER doubles order points: 400 × 2.
    const o3 = await paidOrder(s.userId, 40_000, T0 + 2000);
    await earn(o3, T0 + 2000);
    expect((await pointsRepo.entry(s.userId, `ORDER#${o3.id}`))?.earned).toBe(800);
    await refundPaid(o2, 40_000, 'L1', T0 + DAY);
    await refundPaid(o3, 40_000, 'L2', T0 + DAY);
    expect((await pointsRepo.member(s.userId))).toMatchObject({ level: 'SILVER', spentFen: 60_000 });
    const me = await call(members.memberMe, { token: s.token });
    expect(me.body).toMatchObject({ level: 'SILVER', levelName: '银卡', next: { level: 'GOLD', spendFenToGo: 440_000 } });
    expect(me.body.benefits).toContain('包邮');
    // The yearly review a year on: the last 12 months hold ¥600 → back to 普通.
    expect((await reviewLevels(T0 + 366 * DAY)).lowered).toBeGreaterThanOrEqual(1);
    expect((await pointsRepo.member(s.userId))?.level).toBe('NORMAL');
    await expectInvariants(s.userId);
  });

  it('upgrades on the third invited member’s first paid order', async () => {
    const inviter: Shopper = await shopper(`level-inv-${n++}`);
    for (let i = 0; i < 3; i++) {
      const friend = uid(`f${i}`);
      await earn(await paidOrder(friend, 1000, T0 + i, inviter.userId), T0 + i);
      expect((await pointsRepo.member(inviter.userId))?.level).toBe(i < 2 ? 'NORMAL' : 'SILVER');
    }
    const tiers = await call(members.memberTiers);
    expect(tiers.body.tiers.map((t: { name: string }) => t.name)).toEqual(['普通', '银卡', '金卡', '白金', '钻石']);
  });
});
