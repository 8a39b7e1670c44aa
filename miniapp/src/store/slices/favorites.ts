import type { FavoriteView, ShopInfo } from '@shop/shared';
import type { LoadStatus, Slice } from '../types';

export interface FavoritesSlice {
  /** 收藏 state per product id, as the server last said it for the shopper logged in then. */
  favorited: Record<string, boolean>;
  /** Product ids with a 收藏 / 取消收藏 under way. */
  favoriteBusy: Record<string, boolean>;
  /** 我的收藏, newest first, page by page. */
  favorites: FavoriteView[];
  favoritesCursor: string | null;
  favoritesTotal: number;
  favoritesStatus: LoadStatus;
  /** 客服 hours and phone from the server (null until read). */
  shopInfo: ShopInfo | null;

  loadFavoriteState(productId: string): Promise<void>;
  /** 收藏 or 取消收藏; returns the new state, or undefined when the server refused (its message is toasted). */
  toggleFavorite(productId: string): Promise<boolean | undefined>;
  /** The first page (reset) or the next one. */
  loadFavorites(reset: boolean): Promise<void>;
  loadShopInfo(): Promise<ShopInfo | null>;
}

export const favoritesSlice: Slice<FavoritesSlice> = (set, get, deps) => ({
  favorited: {},
  favoriteBusy: {},
  favorites: [],
  favoritesCursor: null,
  favoritesTotal: 0,
  favoritesStatus: 'idle',
  shopInfo: null,

  async loadFavoriteState(productId) {
    if (!get().token) return;
    try {
      const r = await deps.api.call('getFavorite', { params: { productId }, silent: true });
      set({ favorited: { ...get().favorited, [productId]: r.favorited } });
    } catch {
      // The 收藏 button keeps what it showed; a tap asks the server again anyway.
    }
  },

  async toggleFavorite(productId) {
    if (get().favoriteBusy[productId]) return get().favorited[productId];
    const want = !get().favorited[productId];
    set({ favoriteBusy: { ...get().favoriteBusy, [productId]: true } });
    try {
      const r = want
        ? await deps.api.call('addFavorite', { params: { productId } })
        : await deps.api.call('removeFavorite', { params: { productId } });
      const removed = !r.favorited;
      set({
        favorited: { ...get().favorited, [productId]: r.favorited },
        // The list drops a removed product at once, and is read again next time it is shown.
        favorites: removed ? get().favorites.filter((f) => f.productId !== productId) : get().favorites,
        favoritesTotal: removed && get().favorites.some((f) => f.productId === productId) ? Math.max(0, get().favoritesTotal - 1) : get().favoritesTotal,
      });
      if (r.favorited) get().track({ kind: 'favorite', productId });
      deps.toast(r.favorited ? '已收藏' : '已取消收藏', 'success');
      return r.favorited;
    } catch {
      return undefined;
    } finally {
      set({ favoriteBusy: { ...get().favoriteBusy, [productId]: false } });
    }
  },

  async loadFavorites(reset) {
    const cursor = reset ? undefined : get().favoritesCursor;
    if (!reset && !cursor) return;
    if (get().favoritesStatus === 'loading') return;
    set({ favoritesStatus: 'loading' });
    try {
      const page = await deps.api.call('listFavorites', { query: { limit: 20, ...(cursor ? { cursor } : {}) } });
      const items = reset ? page.items : [...get().favorites, ...page.items.filter((i) => !get().favorites.some((f) => f.productId === i.productId))];
      const favorited = { ...get().favorited };
      for (const i of page.items) favorited[i.productId] = true;
      set({ favorites: items, favoritesCursor: page.nextCursor, favoritesTotal: page.total, favoritesStatus: 'ready', favorited });
    } catch {
      set({ favoritesStatus: reset || get().favorites.length === 0 ? 'error' : 'ready' });
    }
  },

  async loadShopInfo() {
    if (get().shopInfo) return get().shopInfo;
    try {
      const info = await deps.api.call('shopInfo', { silent: true });
      set({ shopInfo: info });
      return info;
    } catch {
      return null;
    }
  },
});
