import type { GroupDealView, GroupLandingResponse, GroupQuoteView, GroupShareResponse, MyGroupView, OrderView } from '@shop/shared';
import { ApiError, BAD_RESPONSE_MESSAGE } from '../../api/errors';
import type { LoadStatus, Slice } from '../types';
import { clockOffset } from './campaigns';

export type GroupStatusKey = 'OPEN' | 'SUCCESS' | 'FAILED';

/** The three tabs of 我的拼团, in order. */
export const MY_GROUP_TABS: { key: GroupStatusKey; title: string }[] = [
  { key: 'OPEN', title: '拼团中' },
  { key: 'SUCCESS', title: '拼团成功' },
  { key: 'FAILED', title: '拼团失败' },
];

/** Milliseconds left until a group's deadline on the server's clock (phone time + offset); 0 once past. */
export function groupRemainingMs(deadlineAt: number, phoneNow: number, offsetMs: number): number {
  return Math.max(0, deadlineAt - (phoneNow + offsetMs));
}

/** The lowest group price of a deal (what 发起拼团 ¥y shows before a SKU is chosen). */
export function dealMinPriceFen(deal: Pick<GroupDealView, 'skus'>): number | null {
  if (deal.skus.length === 0) return null;
  return Math.min(...deal.skus.map((s) => s.groupPriceFen));
}

/** Groups of a deal that can still be joined at server time `at`: seats left, deadline ahead. */
export function joinableGroups(deal: Pick<GroupDealView, 'openGroups'>, at: number) {
  return deal.openGroups.filter((g) => g.seatsLeft > 0 && g.deadlineAt > at);
}

/** How a group order stands, as order detail shows it. */
export function orderGroupText(order: Pick<OrderView, 'group' | 'status'>): string | null {
  const g = order.group;
  if (!g) return null;
  if (g.status === 'SUCCESS') return '拼团成功';
  if (g.status === 'FAILED') return order.status === 'REFUNDED' ? '拼团失败 · 已退款' : '拼团失败 · 退款中';
  if (order.status === 'PENDING_PAYMENT') return '拼团待支付';
  return '拼团中 — 待成团';
}

/** A group order has left 待付款 and is seated (a leader's group opens when the payment arrives). */
export const groupSeated = (o: OrderView) => o.status !== 'PENDING_PAYMENT' && !!o.group?.token && o.group.status !== 'PENDING';

interface GroupOrderInput {
  campaignId: string;
  skuId: string;
  addressId: string;
  /** The share token of the group to join; none to start a new group. */
  groupToken?: string;
  inviter?: string;
}

interface MyGroupList {
  items: MyGroupView[];
  status: LoadStatus;
}

export interface GroupsSlice {
  groupDeals: Record<string, { deals: GroupDealView[]; status: LoadStatus }>;
  landings: Record<string, GroupLandingResponse>;
  landingStatus: Record<string, LoadStatus>;
  myGroups: Partial<Record<GroupStatusKey, MyGroupList>>;
  groupShares: Record<string, GroupShareResponse>;
  /** One per visit of the group order page; every retry of 提交订单 sends it. */
  groupOrderKey: string;
  groupOrder: OrderView | null;
  groupSubmitting: boolean;
  /** 确认拼团订单's price from the server (what 确认开团 / 确认参团 is charged), and why it could not be had. */
  groupQuote: GroupQuoteView | null;
  groupQuoteStatus: LoadStatus;
  groupQuoteError: string | null;

  loadGroupDeals(productId: string): Promise<GroupDealView[]>;
  loadLanding(token: string): Promise<GroupLandingResponse | undefined>;
  loadMyGroups(status: GroupStatusKey): Promise<void>;
  loadGroupShare(groupId: string): Promise<GroupShareResponse | undefined>;
  /** Starts a visit of the group order page: a new idempotency key, no order yet. */
  startGroupOrder(): void;
  /** Creates the group order (or returns the one this visit created). Throws on failure. */
  submitGroupOrder(input: GroupOrderInput): Promise<OrderView>;
  /** Prices the order submitGroupOrder would place with the same deal, SKU and group. */
  loadGroupQuote(input: Omit<GroupOrderInput, 'addressId' | 'inviter'>): Promise<void>;
  /**
   * After paying: reads the order until it is seated in its group (or the attempts run out), then the group page
   * from the server. Returns the token of the shopper's group, if known.
   */
  settleGroupOrder(orderId: string, knownToken?: string): Promise<string | null>;
}

export const groupsSlice: Slice<GroupsSlice> = (set, get, deps) => {
  const timed = async <T extends { now: number }>(call: () => Promise<T>): Promise<T> => {
    const sentAt = deps.now();
    const res = await call();
    if (typeof res.now === 'number') set({ serverOffsetMs: clockOffset(res.now, sentAt, deps.now()) });
    return res;
  };
  const seq: Record<string, number> = {};
  const next = (k: string) => (seq[k] = (seq[k] ?? 0) + 1);

  return {
    groupDeals: {},
    landings: {},
    landingStatus: {},
    myGroups: {},
    groupShares: {},
    groupOrderKey: deps.newKey(),
    groupOrder: null,
    groupSubmitting: false,
    groupQuote: null,
    groupQuoteStatus: 'idle',
    groupQuoteError: null,

    async loadGroupDeals(productId) {
      const mine = next(`deals:${productId}`);
      set((s) => ({
        groupDeals: { ...s.groupDeals, [productId]: { deals: s.groupDeals[productId]?.deals ?? [], status: 'loading' } },
      }));
      try {
        // Silent: the product page simply shows no group deal when this can't be read.
        const res = await timed(() => deps.api.call('groupDeals', { query: { productId }, silent: true }));
        if (seq[`deals:${productId}`] !== mine) return get().groupDeals[productId]?.deals ?? [];
        const deals = res.deals ?? [];
        set((s) => ({ groupDeals: { ...s.groupDeals, [productId]: { deals, status: 'ready' } } }));
        return deals;
      } catch {
        if (seq[`deals:${productId}`] === mine)
          set((s) => ({ groupDeals: { ...s.groupDeals, [productId]: { deals: [], status: 'error' } } }));
        return [];
      }
    },

    async loadLanding(token) {
      const mine = next(`landing:${token}`);
      set((s) => ({ landingStatus: { ...s.landingStatus, [token]: s.landings[token] ? 'ready' : 'loading' } }));
      try {
        const res = await timed(() => deps.api.call('groupLanding', { params: { token } }));
        if (seq[`landing:${token}`] !== mine) return get().landings[token];
        set((s) => ({ landings: { ...s.landings, [token]: res }, landingStatus: { ...s.landingStatus, [token]: 'ready' } }));
        return res;
      } catch {
        if (seq[`landing:${token}`] === mine)
          set((s) => ({ landingStatus: { ...s.landingStatus, [token]: s.landings[token] ? 'ready' : 'error' } }));
        return undefined;
      }
    },

    async loadMyGroups(status) {
      const mine = next(`mine:${status}`);
      set((s) => ({ myGroups: { ...s.myGroups, [status]: { items: s.myGroups[status]?.items ?? [], status: 'loading' } } }));
      try {
        const res = await timed(() => deps.api.call('myGroups', { query: { status } }));
        if (seq[`mine:${status}`] !== mine) return;
        set((s) => ({ myGroups: { ...s.myGroups, [status]: { items: res.items ?? [], status: 'ready' } } }));
      } catch {
        if (seq[`mine:${status}`] === mine)
          set((s) => ({ myGroups: { ...s.myGroups, [status]: { items: s.myGroups[status]?.items ?? [], status: 'error' } } }));
      }
    },

    async loadGroupShare(groupId) {
      const cached = get().groupShares[groupId];
      if (cached) return cached;
      try {
        const res = await deps.api.call('groupShare', { params: { groupId }, silent: true });
        set((s) => ({ groupShares: { ...s.groupShares, [groupId]: res } }));
        return res;
      } catch {
        return undefined;
      }
    },

    startGroupOrder() {
      set({ groupOrderKey: deps.newKey(), groupOrder: null, groupSubmitting: false, groupQuote: null, groupQuoteStatus: 'idle', groupQuoteError: null });
    },

    async loadGroupQuote(input) {
      const mine = next('groupQuote');
      set({ groupQuoteStatus: 'loading' });
      try {
        // Silent: the page states the server's reason (拼团已满员…) where the price would be.
        const quote = await deps.api.call('groupQuote', {
          body: { campaignId: input.campaignId, skuId: input.skuId, ...(input.groupToken ? { groupToken: input.groupToken } : {}) },
          silent: true,
        });
        if (seq.groupQuote !== mine) return;
        set({ groupQuote: quote, groupQuoteStatus: 'ready', groupQuoteError: null });
      } catch (e) {
        if (seq.groupQuote !== mine) return;
        set({ groupQuote: null, groupQuoteStatus: 'error', groupQuoteError: e instanceof ApiError ? e.message : null });
      }
    },

    async submitGroupOrder(input) {
      const { groupOrder, groupSubmitting, groupOrderKey } = get();
      if (groupOrder) return groupOrder;
      if (groupSubmitting) throw new Error('already submitting');
      set({ groupSubmitting: true });
      try {
        const order = await deps.api.call('createGroupOrder', {
          body: {
            idempotencyKey: groupOrderKey,
            campaignId: input.campaignId,
            skuId: input.skuId,
            addressId: input.addressId,
            ...(input.groupToken ? { groupToken: input.groupToken } : {}),
            ...(input.inviter ? { inviter: input.inviter } : {}),
            remark: '',
          },
        });
        if (!order?.id) {
          deps.toast(BAD_RESPONSE_MESSAGE);
          throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, 502);
        }
        set({ groupOrder: order });
        get().rememberOrder(order);
        return order;
      } finally {
        set({ groupSubmitting: false });
      }
    },

    async settleGroupOrder(orderId, knownToken) {
      const order = await get().watchOrder(orderId, groupSeated, { attempts: 8, intervalMs: 1500 });
      const token = order?.group?.token ?? knownToken ?? null;
      if (token) await get().loadLanding(token);
      if (order?.group?.status === 'OPEN' || order?.group?.status === 'SUCCESS') {
        set((s) => {
          const { OPEN: _o, SUCCESS: _s, ...rest } = s.myGroups;
          return { myGroups: rest };
        });
      }
      return token;
    },
  };
};
