import { describe, expect, it } from 'vitest';
import type { ClaimableCoupon, CouponView } from '@shop/shared';
import { afterClaim, claimFailure } from '../src/store/slices/coupons';
import { ApiError, NETWORK_ERROR_MESSAGE } from '../src/api/errors';
import { LOGIN, fail, makeStore, ok } from './support/fakes';

function claimable(templateId: string, over: Partial<ClaimableCoupon> = {}): ClaimableCoupon {
  return {
    templateId,
    name: '满99减10',
    label: '满99减10',
    scopeLabel: '全场通用',
    validityLabel: '2026.11.01 - 2027.12.31',
    remaining: 10,
    totalStock: 100,
    perUserLimit: 2,
    claimedByMe: 0,
    canClaim: true,
    reason: null,
    ...over,
  };
}

function coupon(id: string, over: Partial<CouponView> = {}): CouponView {
  return {
    id,
    templateId: 'tpl-full-99-10',
    name: '满99减10',
    label: '满99减10',
    kind: 'fixed',
    thresholdFen: 9900,
    offFen: 1000,
    percent: null,
    capFen: null,
    scopeLabel: '全场通用',
    validFrom: 1,
    validTo: 2e12,
    status: 'UNUSED',
    statusLabel: '未使用',
    orderId: null,
    ...over,
  };
}

const CID = '01HC1111111111111111111111';

async function center(claim: Parameters<typeof makeStore>[0]['claimCoupon'], items = [claimable('tpl-a'), claimable('tpl-b')]) {
  const s = makeStore({
    login: () => ok(LOGIN),
    couponCenter: () => ok({ items }),
    claimCoupon: claim,
    myCoupons: () => ok({ items: [coupon(CID)] }),
  });
  await s.store.getState().loginWithCode('demo');
  await s.store.getState().loadCouponCenter();
  return s;
}

const card = (s: ReturnType<typeof makeStore>, id: string) => s.store.getState().couponCenter.find((c) => c.templateId === id)!;

describe('coupons slice', () => {
  it('claims with the template id, toasts 领取成功 once, and updates the card and 我的优惠券', async () => {
    const s = await center(() => ok(coupon(CID)));
    await s.store.getState().loadMyCoupons('UNUSED');
    expect(s.store.getState().myCoupons.UNUSED?.items).toHaveLength(1);

    const res = await s.store.getState().claimCoupon('tpl-a');
    expect(res).toMatchObject({ ok: true, coupon: { id: CID } });
    expect(s.requests.find((r) => r.name === 'claimCoupon')!.body).toEqual({ templateId: 'tpl-a' });
    expect(s.toasts).toEqual(['领取成功']);
    expect(card(s, 'tpl-a')).toMatchObject({ claimedByMe: 1, remaining: 9, canClaim: true });
    expect(card(s, 'tpl-b').claimedByMe).toBe(0);
    expect(s.store.getState().claiming['tpl-a']).toBe(false);
    // Cached lists are dropped; the next visit of 我的优惠券 reads again.
    expect(s.store.getState().myCoupons).toEqual({});
  });

  it.each([
    ['COUPON_SOLD_OUT', '优惠券已领完', '已领完', 0],
    ['COUPON_LIMIT_REACHED', '已达领取上限', '已达领取上限', 10],
    ['COUPON_NOT_CLAIMABLE', '该优惠券暂不可领取', '暂不可领取', 10],
  ] as const)('%s: toasts the server message and greys the card', async (code, message, reason, remaining) => {
    const s = await center(() => fail(409, code, message));
    const res = await s.store.getState().claimCoupon('tpl-a');
    expect(res).toEqual({ ok: false, code, message });
    expect(s.toasts).toEqual([message]);
    expect(card(s, 'tpl-a')).toMatchObject({ canClaim: false, reason, remaining });
  });

  it('a network failure or a busy server leaves the card claimable', async () => {
    const s = await center(() => {
      throw new Error('socket hang up');
    });
    const res = await s.store.getState().claimCoupon('tpl-a');
    expect(res).toMatchObject({ ok: false, code: 'NETWORK_ERROR' });
    expect(s.toasts).toEqual([NETWORK_ERROR_MESSAGE]);
    expect(card(s, 'tpl-a')).toMatchObject({ canClaim: true, reason: null, remaining: 10 });

    expect(claimFailure(new ApiError('INTERNAL', '系统繁忙，请稍后再试', 500))).toEqual({
      message: '系统繁忙，请稍后再试',
      code: 'INTERNAL',
      blockedReason: null,
      soldOut: false,
    });
    expect(claimFailure(new Error('x')).code).toBe('BAD_RESPONSE');
  });

  it('asks for a login instead of calling the server without a session', async () => {
    const s = makeStore({ couponCenter: () => ok({ items: [claimable('tpl-a')] }) });
    await s.store.getState().loadCouponCenter();
    await expect(s.store.getState().claimCoupon('tpl-a')).resolves.toMatchObject({ ok: false, needLogin: true });
    expect(s.requests.some((r) => r.name === 'claimCoupon')).toBe(false);
  });

  it('a 401 on claim asks for a login without a second toast', async () => {
    const s = await center(() => fail(401, 'SESSION_EXPIRED', '登录已过期，请重新登录'));
    await expect(s.store.getState().claimCoupon('tpl-a')).resolves.toMatchObject({ ok: false, needLogin: true });
    expect(s.toasts).toEqual([]);
    expect(s.unauthorized).toBe(1);
  });

  it('the last claim of a template, or the last one allowed, closes the card', () => {
    expect(afterClaim(claimable('t', { remaining: 1 }))).toMatchObject({ remaining: 0, canClaim: false, reason: '已领完' });
    expect(afterClaim(claimable('t', { perUserLimit: 1 }))).toMatchObject({ claimedByMe: 1, canClaim: false, reason: '已领取' });
    expect(afterClaim(claimable('t', { remaining: null }))).toMatchObject({ remaining: null, canClaim: true });
  });

  it('reads 我的优惠券 per status and forgets it all on logout', async () => {
    const s = makeStore({
      login: () => ok(LOGIN),
      myCoupons: (req) => ok({ items: [coupon(CID, { status: new URL(req.url).searchParams.get('status') as CouponView['status'] })] }),
      couponCenter: () => ok({ items: [claimable('tpl-a')] }),
    });
    await s.store.getState().loginWithCode('demo');
    await s.store.getState().loadMyCoupons('USED');
    await s.store.getState().loadCouponCenter();
    expect(s.requests.filter((r) => r.name === 'myCoupons').map((r) => r.url)).toEqual(['https://api.test/v1/coupons?status=USED']);
    expect(s.store.getState().myCoupons.USED).toMatchObject({ status: 'ready', items: [{ status: 'USED' }] });
    s.store.getState().logout();
    expect(s.store.getState().myCoupons).toEqual({});
    expect(s.store.getState().couponCenter).toEqual([]);
    expect(s.store.getState().couponCenterStatus).toBe('idle');
  });
});
