import type { ClaimableCoupon, CouponView } from '@shop/shared';
import { BAD_RESPONSE_MESSAGE, isApiError } from '../../api/errors';
import type { LoadStatus, Slice } from '../types';

/** The tabs of 我的优惠券, in the order shown. */
export const MY_COUPON_TABS = [
  { key: 'UNUSED', label: '未使用' },
  { key: 'USED', label: '已使用' },
  { key: 'EXPIRED', label: '已过期' },
] as const;
export type MyCouponTab = (typeof MY_COUPON_TABS)[number]['key'];

interface CouponList {
  items: CouponView[];
  status: LoadStatus;
}

type ClaimResult =
  | { ok: true; coupon: CouponView }
  | { ok: false; code: string; message: string; needLogin?: boolean };

/** Why a template can no longer be claimed, as the 领券中心 card shows it, for the claim errors that say so. */
const CLAIM_BLOCKED_REASON: Record<string, string> = {
  COUPON_SOLD_OUT: '已领完',
  COUPON_LIMIT_REACHED: '已达领取上限',
  COUPON_NOT_CLAIMABLE: '暂不可领取',
  COUPON_NOT_FOUND: '活动已结束',
};

/**
 * What a failed claim means for its card: the message to toast (the server's own), and how the card changes. A
 * sold-out or used-up template can't be claimed again; a network error or a busy server leaves it claimable.
 */
export function claimFailure(e: unknown): { message: string; code: string; blockedReason: string | null; soldOut: boolean } {
  if (!isApiError(e)) return { message: BAD_RESPONSE_MESSAGE, code: 'BAD_RESPONSE', blockedReason: null, soldOut: false };
  const blockedReason = CLAIM_BLOCKED_REASON[e.code] ?? null;
  return { message: e.message, code: e.code, blockedReason, soldOut: e.code === 'COUPON_SOLD_OUT' };
}

/** The card after one more claim of it by this shopper (until the next read of 领券中心 says otherwise). */
export function afterClaim(c: ClaimableCoupon): ClaimableCoupon {
  const claimedByMe = c.claimedByMe + 1;
  const remaining = c.remaining === null ? null : Math.max(0, c.remaining - 1);
  const soldOut = remaining === 0;
  const limit = claimedByMe >= c.perUserLimit;
  return {
    ...c,
    claimedByMe,
    remaining,
    canClaim: c.canClaim && !soldOut && !limit,
    reason: soldOut ? '已领完' : limit ? '已领取' : c.reason,
  };
}

export interface CouponsSlice {
  couponCenter: ClaimableCoupon[];
  couponCenterStatus: LoadStatus;
  /** Template ids with a claim under way. */
  claiming: Record<string, boolean>;
  myCoupons: Partial<Record<MyCouponTab, CouponList>>;

  loadCouponCenter(opts?: { silent?: boolean }): Promise<void>;
  /** Claims one coupon of a template; toasts 领取成功 or the server's reason, and updates the card. */
  claimCoupon(templateId: string): Promise<ClaimResult>;
  loadMyCoupons(tab: MyCouponTab): Promise<void>;
  /** Drops the cached 我的优惠券 lists (after a claim or an order that used coupons). */
  forgetMyCoupons(): void;
  resetCoupons(): void;
}

export const couponsSlice: Slice<CouponsSlice> = (set, get, deps) => {
  let centerSeq = 0;
  const listSeq: Partial<Record<MyCouponTab, number>> = {};
  const patchCard = (templateId: string, f: (c: ClaimableCoupon) => ClaimableCoupon) =>
    set((s) => ({ couponCenter: s.couponCenter.map((c) => (c.templateId === templateId ? f(c) : c)) }));

  return {
    couponCenter: [],
    couponCenterStatus: 'idle',
    claiming: {},
    myCoupons: {},

    async loadCouponCenter(opts = {}) {
      const mine = ++centerSeq;
      if (get().couponCenterStatus !== 'ready') set({ couponCenterStatus: 'loading' });
      try {
        const res = await deps.api.call('couponCenter', { silent: opts.silent });
        if (mine !== centerSeq) return;
        set({ couponCenter: res.items, couponCenterStatus: 'ready' });
      } catch {
        if (mine !== centerSeq) return;
        set((s) => ({ couponCenterStatus: s.couponCenterStatus === 'ready' ? 'ready' : 'error' }));
      }
    },

    async claimCoupon(templateId) {
      if (!get().isLoggedIn()) return { ok: false, code: 'UNAUTHORIZED', message: '请先登录', needLogin: true };
      if (get().claiming[templateId]) return { ok: false, code: 'BUSY', message: '' };
      set((s) => ({ claiming: { ...s.claiming, [templateId]: true } }));
      try {
        // Silent: the one toast comes from here, with the server's reason when it refuses.
        const coupon = await deps.api.call('claimCoupon', { body: { templateId }, silent: true });
        centerSeq++; // a read that started before the claim would show the card as before it
        patchCard(templateId, afterClaim);
        get().forgetMyCoupons();
        deps.toast('领取成功', 'success');
        return { ok: true, coupon };
      } catch (e) {
        const f = claimFailure(e);
        if (isApiError(e) && e.isUnauthorized) return { ok: false, code: f.code, message: f.message, needLogin: true };
        deps.toast(f.message);
        if (f.blockedReason) {
          centerSeq++;
          patchCard(templateId, (c) => ({
            ...c,
            canClaim: false,
            reason: f.blockedReason,
            remaining: f.soldOut ? 0 : c.remaining,
          }));
        }
        return { ok: false, code: f.code, message: f.message };
      } finally {
        set((s) => ({ claiming: { ...s.claiming, [templateId]: false } }));
      }
    },

    async loadMyCoupons(tab) {
      const mine = (listSeq[tab] = (listSeq[tab] ?? 0) + 1);
      set((s) => ({
        myCoupons: { ...s.myCoupons, [tab]: { items: s.myCoupons[tab]?.items ?? [], status: 'loading' } },
      }));
      try {
        const res = await deps.api.call('myCoupons', { query: { status: tab } });
        if (listSeq[tab] !== mine) return;
        set((s) => ({ myCoupons: { ...s.myCoupons, [tab]: { items: res.items, status: 'ready' } } }));
      } catch {
        if (listSeq[tab] !== mine) return;
        set((s) => ({
          myCoupons: { ...s.myCoupons, [tab]: { items: s.myCoupons[tab]?.items ?? [], status: 'error' } },
        }));
      }
    },

    forgetMyCoupons() {
      for (const t of MY_COUPON_TABS) listSeq[t.key] = (listSeq[t.key] ?? 0) + 1;
      set({ myCoupons: {} });
    },

    resetCoupons() {
      centerSeq++;
      get().forgetMyCoupons();
      // 领券中心 is per shopper (claimed counts, limits): read it again for whoever comes next.
      set({ couponCenter: [], couponCenterStatus: 'idle', claiming: {} });
    },
  };
};
