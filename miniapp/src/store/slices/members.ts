import type { CheckInView, InviteView, MallResponse, MemberView, PointsHistoryPage, TiersResponse } from '@shop/shared';
import { isApiError } from '../../api/errors';
import type { LoadStatus, Slice } from '../types';

type PointsEntry = PointsHistoryPage['items'][number];

/** What a tap of 确认兑换 came to: the server's answer, or its refusal in its own words. */
type RedeemOutcome = { ok: true; message: string; couponId: string | null } | { ok: false; message: string };

export interface MembersSlice {
  /** Level, growth and points of the shopper logged in (null until read). */
  member: MemberView | null;
  memberStatus: LoadStatus;
  /** Every tier with its benefits, lowest first. */
  tiers: TiersResponse['tiers'];
  tiersStatus: LoadStatus;
  /** 积分明细, newest first, page by page. */
  pointsEntries: PointsEntry[];
  pointsCursor: string | null;
  pointsStatus: LoadStatus;
  /** The 签到 calendar of the month shown, as the server last answered it. */
  checkInView: CheckInView | null;
  checkInStatus: LoadStatus;
  checkingIn: boolean;
  /** 积分商城's items and the balance they are priced against. */
  mall: MallResponse | null;
  mallStatus: LoadStatus;
  /** The item whose exchange is under way. */
  redeeming: string | null;
  /** 邀请好友: the shopper's code, link, rules and the friends who joined. */
  invite: InviteView | null;
  inviteStatus: LoadStatus;

  loadMember(): Promise<void>;
  loadTiers(): Promise<void>;
  loadInvite(): Promise<void>;
  /** The first page (reset) or the next one. */
  loadPointsHistory(reset: boolean): Promise<void>;
  /** The calendar of `month` (YYYY-MM; the current month when left out). */
  loadCheckIn(month?: string): Promise<void>;
  /** 签到 for today; the server's calendar comes back with what it gave. */
  checkIn(): Promise<CheckInView | null>;
  loadMall(): Promise<void>;
  /** Exchanges one item; the balance everywhere follows the server's answer. */
  redeem(itemId: string): Promise<RedeemOutcome>;
  resetMembers(): void;
}

const initial = {
  member: null,
  memberStatus: 'idle' as LoadStatus,
  tiers: [],
  tiersStatus: 'idle' as LoadStatus,
  pointsEntries: [],
  pointsCursor: null,
  pointsStatus: 'idle' as LoadStatus,
  checkInView: null,
  checkInStatus: 'idle' as LoadStatus,
  checkingIn: false,
  mall: null,
  mallStatus: 'idle' as LoadStatus,
  redeeming: null,
  invite: null,
  inviteStatus: 'idle' as LoadStatus,
};

export const membersSlice: Slice<MembersSlice> = (set, get, deps) => {
  /** The new balance, wherever the pages show it. */
  const setAvailable = (available: number) => {
    const { member, mall, checkInView } = get();
    set({
      member: member ? { ...member, points: { ...member.points, available } } : member,
      mall: mall ? { ...mall, available } : mall,
      checkInView: checkInView ? { ...checkInView, available } : checkInView,
    });
  };

  return {
    ...initial,

    async loadMember() {
      if (!get().token) return;
      set({ memberStatus: 'loading' });
      try {
        const member = await deps.api.call('memberMe', { silent: true });
        set({ member, memberStatus: 'ready' });
      } catch {
        set({ memberStatus: 'error' });
      }
    },

    async loadTiers() {
      if (get().tiersStatus === 'loading') return;
      set({ tiersStatus: get().tiers.length ? 'ready' : 'loading' });
      try {
        const r = await deps.api.call('memberTiers', { silent: true });
        set({ tiers: r.tiers, tiersStatus: 'ready' });
      } catch {
        set({ tiersStatus: get().tiers.length ? 'ready' : 'error' });
      }
    },

    async loadInvite() {
      if (!get().token) return;
      set({ inviteStatus: get().invite ? 'ready' : 'loading' });
      try {
        const invite = await deps.api.call('memberInvite', { silent: true });
        set({ invite, inviteStatus: 'ready' });
      } catch {
        set({ inviteStatus: get().invite ? 'ready' : 'error' });
      }
    },

    async loadPointsHistory(reset) {
      const cursor = reset ? undefined : get().pointsCursor;
      if (!reset && !cursor) return;
      if (get().pointsStatus === 'loading') return;
      set({ pointsStatus: 'loading' });
      try {
        const page = await deps.api.call('pointsHistory', { query: { limit: 20, ...(cursor ? { cursor } : {}) }, silent: true });
        const seen = new Set(reset ? [] : get().pointsEntries.map((e) => e.id));
        const items = reset ? page.items : [...get().pointsEntries, ...page.items.filter((e) => !seen.has(e.id))];
        set({ pointsEntries: items, pointsCursor: page.nextCursor, pointsStatus: 'ready' });
      } catch {
        set({ pointsStatus: reset || get().pointsEntries.length === 0 ? 'error' : 'ready' });
      }
    },

    async loadCheckIn(month) {
      set({ checkInStatus: get().checkInView ? 'ready' : 'loading' });
      try {
        const view = await deps.api.call('checkInCalendar', { query: month ? { month } : {}, silent: true });
        set({ checkInView: view, checkInStatus: 'ready' });
      } catch {
        set({ checkInStatus: get().checkInView ? 'ready' : 'error' });
      }
    },

    async checkIn() {
      if (get().checkingIn) return null;
      set({ checkingIn: true });
      try {
        const view = await deps.api.call('checkIn');
        set({ checkInView: view, checkInStatus: 'ready' });
        setAvailable(view.available);
        deps.toast(view.awarded ? `签到成功，获得 ${view.awarded} 积分` : '今天已经签到过了', view.awarded ? 'success' : 'none');
        // Pages that list points read them again when shown.
        set({ pointsStatus: 'idle' });
        return view;
      } catch {
        return null;
      } finally {
        set({ checkingIn: false });
      }
    },

    async loadMall() {
      set({ mallStatus: get().mall ? 'ready' : 'loading' });
      try {
        const mall = await deps.api.call('pointsMall', { silent: true });
        set({ mall, mallStatus: 'ready' });
      } catch {
        set({ mallStatus: get().mall ? 'ready' : 'error' });
      }
    },

    async redeem(itemId) {
      if (get().redeeming) return { ok: false, message: '正在兑换，请稍候' };
      set({ redeeming: itemId });
      try {
        const r = await deps.api.call('redeemMallItem', { params: { itemId }, body: { idempotencyKey: deps.newKey() }, silent: true });
        setAvailable(r.available);
        set({ pointsStatus: 'idle' });
        // 我的优惠券 reads again: the coupon is there now.
        if (r.couponId) get().forgetMyCoupons();
        void get().loadMall();
        return { ok: true, message: r.message, couponId: r.couponId };
      } catch (e) {
        // Stock or the balance moved: the list shows why now.
        void get().loadMall();
        return { ok: false, message: isApiError(e) ? e.message : '兑换失败，请稍后再试' };
      } finally {
        set({ redeeming: null });
      }
    },

    resetMembers() {
      set({ ...initial });
    },
  };
};
