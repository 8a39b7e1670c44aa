import { describe, expect, it } from 'vitest';
import type { CheckInView, MallResponse, MemberView } from '@shop/shared';
import { calendarCells, expiringText, growthHint, shiftMonth, signedPoints, tierThreshold } from '../src/utils/members';
import { LOGIN, fail, makeStore, ok } from './support/fakes';

function member(over: Partial<MemberView> = {}): MemberView {
  return {
    level: 'NORMAL',
    levelName: '普通',
    levelSince: null,
    growth: { spentFen: 20_000, invites: 1 },
    next: { level: 'SILVER', name: '银卡', spendFenToGo: 80_000, invitesToGo: 2, progressPercent: 33, unlocks: ['会员价 9.8 折', '包邮'] },
    benefits: ['生日礼券'],
    points: { available: 150, pending: 12, expiringSoon: { points: 0, days: 30, firstAt: null } },
    ...over,
  };
}

function calendar(over: Partial<CheckInView> = {}): CheckInView {
  return {
    today: '2026-11-27',
    checkedInToday: false,
    streak: 2,
    month: '2026-11',
    days: [
      { day: '2026-11-25', checked: true },
      { day: '2026-11-26', checked: true },
    ],
    hint: '再签 5 天可额外获得 5 积分',
    available: 150,
    ...over,
  };
}

function mall(available: number, left = 10): MallResponse {
  return {
    available,
    items: [{ id: 'coupon-a', name: '满99减10优惠券', description: '', points: 100, kind: 'coupon', kindLabel: '优惠券', left, refusal: '' }],
  };
}

async function loggedIn(handlers: Parameters<typeof makeStore>[0]) {
  const s = makeStore({ login: () => ok(LOGIN), ...handlers });
  await s.store.getState().loginWithCode('demo');
  return s;
}

describe('member formatters', () => {
  it('says what is left to the next tier by either road, and when there is none', () => {
    expect(growthHint(member().next)).toBe('再消费 ¥800.00 或 再邀请 2 位好友，即可升级为银卡');
    expect(growthHint({ ...member().next!, invitesToGo: 0 })).toBe('再消费 ¥800.00，即可升级为银卡');
    expect(growthHint(null)).toBe('已是最高等级，尊享全部会员权益');
  });

  it('signs point changes and words the expiring points and tier thresholds', () => {
    expect([signedPoints(5), signedPoints(-100), signedPoints(0)]).toEqual(['+5', '−100', '0']);
    expect(expiringText({ points: 12, days: 30, firstAt: 1 })).toBe('30 天内将过期 12 积分');
    expect(expiringText({ points: 0, days: 30, firstAt: null })).toBe('30 天内没有积分过期');
    expect(tierThreshold({ minSpendFen: 0, minInvites: 0 })).toBe('注册即享');
    expect(tierThreshold({ minSpendFen: 100_000, minInvites: 3 })).toBe('累计消费满 ¥1000 或 邀请 3 位好友');
  });

  it('lays a month out from its weekday, with the checked days and today marked', () => {
    // 2026-11-01 is a Sunday: no blanks; 2026-02-01 is a Sunday too, 2026-12-01 a Tuesday.
    const nov = calendarCells('2026-11', calendar().days, '2026-11-27');
    expect(nov).toHaveLength(30);
    expect(nov[0]).toEqual({ day: '2026-11-01', date: 1, checked: false, today: false });
    expect(nov.filter((c) => c.checked).map((c) => c.date)).toEqual([25, 26]);
    expect(nov.find((c) => c.today)?.date).toBe(27);
    const dec = calendarCells('2026-12', [], '2026-11-27');
    expect(dec.slice(0, 2).every((c) => c.day === null)).toBe(true);
    expect(dec[2]!.date).toBe(1);
    expect(dec.filter((c) => c.date !== null)).toHaveLength(31);
    expect(calendarCells('2028-02', [], '').filter((c) => c.date !== null)).toHaveLength(29);
    expect([shiftMonth('2026-01', -1), shiftMonth('2026-12', 1), shiftMonth('2026-11', 0)]).toEqual(['2025-12', '2027-01', '2026-11']);
  });
});

describe('members slice', () => {
  it('a check-in puts the server’s balance on every page and toasts what it gave; a second one says so', async () => {
    let checked = false;
    const s = await loggedIn({
      memberMe: () => ok(member()),
      pointsMall: () => ok(mall(150)),
      checkInCalendar: () => ok(calendar()),
      checkIn: () => {
        const again = checked;
        checked = true;
        return ok(calendar({ checkedInToday: true, streak: 3, available: 151, awarded: again ? 0 : 1, bonus: 0, days: [...calendar().days, { day: '2026-11-27', checked: true }] }));
      },
    });
    await Promise.all([s.store.getState().loadMember(), s.store.getState().loadMall(), s.store.getState().loadCheckIn()]);
    const first = await s.store.getState().checkIn();
    expect(first?.awarded).toBe(1);
    const st = s.store.getState();
    expect([st.member?.points.available, st.mall?.available, st.checkInView?.available]).toEqual([151, 151, 151]);
    expect(st.checkInView?.checkedInToday).toBe(true);
    await s.store.getState().checkIn();
    expect(s.toasts).toEqual(['签到成功，获得 1 积分', '今天已经签到过了']);
    expect(s.requests.filter((r) => r.name === 'checkIn')).toHaveLength(2);
  });

  it('an exchange sends one key per tap, updates the balance, drops 我的优惠券; a refusal comes back in the server’s words', async () => {
    let left = 10;
    let balance = 150;
    const s = await loggedIn({
      memberMe: () => ok(member({ points: { ...member().points, available: balance } })),
      pointsMall: () => ok(mall(balance, left)),
      myCoupons: () => ok({ items: [] }),
      redeemMallItem: () => {
        if (balance < 100) return fail(409, 'POINTS_INSUFFICIENT', '积分不足，还差 50 积分');
        balance -= 100;
        left -= 1;
        return ok({ itemId: 'coupon-a', name: '满99减10优惠券', points: 100, message: '兑换成功，优惠券已放入“我的优惠券”', couponId: 'cp-1', available: balance });
      },
    });
    await s.store.getState().loadMember();
    await s.store.getState().loadMall();
    await s.store.getState().loadMyCoupons('UNUSED');
    expect(s.store.getState().myCoupons.UNUSED).toBeDefined();

    const r = await s.store.getState().redeem('coupon-a');
    expect(r).toEqual({ ok: true, message: '兑换成功，优惠券已放入“我的优惠券”', couponId: 'cp-1' });
    expect(s.store.getState().member?.points.available).toBe(50);
    expect(s.store.getState().myCoupons).toEqual({});
    await expect.poll(() => s.store.getState().mall?.items[0]?.left).toBe(9);

    const refused = await s.store.getState().redeem('coupon-a');
    expect(refused).toEqual({ ok: false, message: '积分不足，还差 50 积分' });
    expect(s.store.getState().member?.points.available).toBe(50);
    const keys = s.requests.filter((q) => q.name === 'redeemMallItem').map((q) => (q.body as { idempotencyKey: string }).idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    expect(s.store.getState().redeeming).toBeNull();
  });

  it('pages 积分明细 by cursor without repeating a line, and logging out forgets the member', async () => {
    const line = (id: string) => ({ id, points: 1, pendingLabel: '', reason: '签到（连续 1 天）', at: 1 });
    const s = await loggedIn({
      memberMe: () => ok(member()),
      pointsHistory: (req) =>
        req.url.includes('cursor=c1') ? ok({ items: [line('b'), line('c')], nextCursor: null }) : ok({ items: [line('a'), line('b')], nextCursor: 'c1' }),
    });
    await s.store.getState().loadPointsHistory(true);
    await s.store.getState().loadPointsHistory(false);
    expect(s.store.getState().pointsEntries.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    await s.store.getState().loadPointsHistory(false);
    expect(s.requests.filter((r) => r.name === 'pointsHistory')).toHaveLength(2);
    await s.store.getState().loadMember();
    s.store.getState().logout();
    expect(s.store.getState().member).toBeNull();
    expect(s.store.getState().pointsEntries).toEqual([]);
  });
});
