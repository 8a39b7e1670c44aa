import { createStore, type StateCreator } from 'zustand/vanilla';
import type { ShopState, StoreDeps } from './types';
import { sessionSlice } from './slices/session';
import { catalogSlice } from './slices/catalog';
import { cartSlice } from './slices/cart';
import { checkoutSlice } from './slices/checkout';
import { ordersSlice } from './slices/orders';
import { addressSlice } from './slices/address';
import { couponsSlice } from './slices/coupons';
import { campaignsSlice } from './slices/campaigns';
import { groupsSlice } from './slices/groups';
import { favoritesSlice } from './slices/favorites';
import { searchSlice } from './slices/search';
import { membersSlice } from './slices/members';
import { privacySlice } from './slices/privacy';
import { reviewsSlice } from './slices/reviews';
import { fulfilmentSlice } from './slices/fulfilment';
import { recsSlice } from './slices/recs';
import { afterSalesSlice } from './slices/after-sales';

/** The whole store, composed of its slices; platform access comes in through `deps`. */
export function shopState(deps: StoreDeps): StateCreator<ShopState> {
  return (set, get) => ({
    ...sessionSlice(set, get, deps),
    ...catalogSlice(set, get, deps),
    ...cartSlice(set, get, deps),
    ...checkoutSlice(set, get, deps),
    ...ordersSlice(set, get, deps),
    ...addressSlice(set, get, deps),
    ...couponsSlice(set, get, deps),
    ...campaignsSlice(set, get, deps),
    ...groupsSlice(set, get, deps),
    ...favoritesSlice(set, get, deps),
    ...searchSlice(set, get, deps),
    ...membersSlice(set, get, deps),
    ...privacySlice(set, get, deps),
    ...reviewsSlice(set, get, deps),
    ...recsSlice(set, get, deps),
    ...afterSalesSlice(set, get, deps),
    ...fulfilmentSlice(set, get, deps),
  });
}

/** A store outside React (tests, and the app's own store is built on the same creator). */
export function createShopStore(deps: StoreDeps) {
  return createStore<ShopState>()(shopState(deps));
}
