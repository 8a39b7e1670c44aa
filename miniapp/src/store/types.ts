import type { StoreApi } from 'zustand/vanilla';
import type { PaymentParams } from '@shop/shared';
import type { ApiClient } from '../api/client';
import type { SessionSlice } from './slices/session';
import type { CatalogSlice } from './slices/catalog';
import type { CartSlice } from './slices/cart';
import type { CheckoutSlice } from './slices/checkout';
import type { OrdersSlice } from './slices/orders';
import type { AddressSlice } from './slices/address';
import type { CouponsSlice } from './slices/coupons';
import type { CampaignsSlice } from './slices/campaigns';
import type { GroupsSlice } from './slices/groups';
import type { SearchSlice } from './slices/search';
import type { FavoritesSlice } from './slices/favorites';
import type { MembersSlice } from './slices/members';
import type { PrivacySlice } from './slices/privacy';
import type { ReviewsSlice } from './slices/reviews';
import type { RecsSlice } from './slices/recs';
import type { AfterSalesSlice } from './slices/after-sales';
import type { FulfilmentSlice } from './slices/fulfilment';

export type ShopState = SessionSlice &
  ReviewsSlice &
  CatalogSlice &
  CartSlice &
  CheckoutSlice &
  OrdersSlice &
  AddressSlice &
  CouponsSlice &
  CampaignsSlice &
  GroupsSlice &
  SearchSlice &
  FavoritesSlice &
  MembersSlice &
  PrivacySlice &
  RecsSlice &
  AfterSalesSlice &
  FulfilmentSlice;

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** Everything the slices need from the platform; tests pass fakes. */
export interface StoreDeps {
  api: ApiClient;
  storage: KeyValueStorage;
  /** A short message to the shopper (success notes; API errors are toasted by the client). */
  toast: (message: string, kind?: 'success' | 'none') => void;
  /** `Taro.login` → code (WeChat only). */
  wxLogin: () => Promise<string>;
  /** `Taro.requestPayment`; rejects when the shopper cancels or payment fails. */
  requestPayment: (params: PaymentParams) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  newKey: () => string;
  now: () => number;
}

type SetState = StoreApi<ShopState>['setState'];
type GetState = StoreApi<ShopState>['getState'];
export type Slice<T> = (set: SetState, get: GetState, deps: StoreDeps) => T;
