import Taro from '@tarojs/taro';
import { create } from 'zustand';
import { createApiClient } from '../api/client';
import { goLogin } from '../utils/nav';
import { newIdempotencyKey } from '../utils/id';
import { shopState } from './create';
import type { ShopState, StoreDeps } from './types';

export type { ShopState } from './types';
export { feedKey, EMPTY_FEED, type FeedQuery, type Feed } from './slices/catalog';
export { allSelected, cartBadgeCount, canCheckout, invalidLines, selectableLines } from './slices/cart';
export { pickDefaultAddress } from './slices/address';
export { couponSummary, isSettledRefusal, pointsSummary } from './slices/checkout';
export { leftPendingPayment, refundsSettled } from './slices/orders';
export { MY_COUPON_TABS, type MyCouponTab } from './slices/coupons';
export {
  MY_GROUP_TABS,
  dealMinPriceFen,
  groupRemainingMs,
  joinableGroups,
  orderGroupText,
  type GroupStatusKey,
} from './slices/groups';
export { flashState, serverTime, soldPercent } from './slices/campaigns';
export { footprintDays } from './slices/privacy';
export { EMPTY_REVIEW_LIST, filterTabLabel, reviewHeadline, reviewListKey } from './slices/reviews';
export { autoReceiptText } from './slices/fulfilment';
export { EMPTY_RECS, recsKey } from './slices/recs';
export { afterSaleChoices, canApplyAfterSale } from './slices/after-sales';

const toast: StoreDeps['toast'] = (title, kind = 'none') => {
  void Taro.showToast({ title, icon: kind, duration: 2000 });
};

const api = createApiClient({
  baseUrl: API_BASE,
  getToken: () => useShop.getState().token,
  onUnauthorized: () => {
    if (!useShop.getState().token) return;
    useShop.getState().clearSession();
    goLogin();
  },
  toast: (message) => toast(message),
});

const deps: StoreDeps = {
  api,
  storage: {
    get: (key) => {
      const v: unknown = Taro.getStorageSync(key);
      return typeof v === 'string' && v !== '' ? v : null;
    },
    set: (key, value) => Taro.setStorageSync(key, value),
    remove: (key) => Taro.removeStorageSync(key),
  },
  toast,
  wxLogin: async () => {
    const res = await Taro.login();
    if (!res.code) throw new Error(res.errMsg || 'login failed');
    return res.code;
  },
  requestPayment: async (params) => {
    await Taro.requestPayment({ ...params });
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  newKey: () => newIdempotencyKey(),
  now: () => Date.now(),
};

/** The app's one store: `useShop(selector)` in components, `useShop.getState()` elsewhere. */
export const useShop = create<ShopState>()(shopState(deps));
