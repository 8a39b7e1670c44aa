import type { Category, ProductDetail, ProductSort, ProductSummary } from '@shop/shared';
import type { LoadStatus, Slice } from '../types';

const PAGE_SIZE = 20;

export type FeedQuery =
  | { kind: 'list'; categoryId?: string; sort: ProductSort }
  | { kind: 'search'; q: string; sort: ProductSort };

export interface Feed {
  items: ProductSummary[];
  nextCursor: string | null;
  /** loading = first page; loadingMore = a further page. */
  status: 'idle' | 'loading' | 'loadingMore' | 'ready' | 'error';
  /** True once the last page is in. */
  done: boolean;
}

export const EMPTY_FEED: Feed = { items: [], nextCursor: null, status: 'idle', done: false };

export function feedKey(q: FeedQuery): string {
  return q.kind === 'list' ? `list:${q.categoryId ?? '*'}:${q.sort}` : `search:${q.q.trim()}:${q.sort}`;
}

export interface CatalogSlice {
  categories: Category[];
  categoriesStatus: LoadStatus;
  /** Category the 分类 tab shows (set by the home page's shortcuts before switching tabs). */
  activeCategoryId: string | null;
  feeds: Record<string, Feed>;
  products: Record<string, ProductDetail>;
  productStatus: Record<string, LoadStatus>;
  suggestions: string[];
  suggestionsFor: string;

  loadCategories(force?: boolean): Promise<void>;
  setActiveCategory(id: string | null): void;
  /** `reset` loads the first page again; `more` the next one (no-op when done or already loading). */
  loadFeed(query: FeedQuery, mode: 'reset' | 'more'): Promise<void>;
  loadProduct(id: string, force?: boolean): Promise<ProductDetail | undefined>;
  loadSuggestions(q: string): Promise<void>;
}

export const catalogSlice: Slice<CatalogSlice> = (set, get, deps) => {
  /** Latest request per feed: an answer to an older one (superseded by a reset) is dropped. */
  const seq: Record<string, number> = {};
  let suggestSeq = 0;

  const patchFeed = (key: string, patch: Partial<Feed>) =>
    set((s) => ({ feeds: { ...s.feeds, [key]: { ...(s.feeds[key] ?? EMPTY_FEED), ...patch } } }));

  return {
    categories: [],
    categoriesStatus: 'idle',
    activeCategoryId: null,
    feeds: {},
    products: {},
    productStatus: {},
    suggestions: [],
    suggestionsFor: '',

    async loadCategories(force = false) {
      const { categoriesStatus } = get();
      if (!force && (categoriesStatus === 'ready' || categoriesStatus === 'loading')) return;
      set({ categoriesStatus: 'loading' });
      try {
        const res = await deps.api.call('categories');
        const items = [...res.items].sort((a, b) => a.sortOrder - b.sortOrder);
        set({ categories: items, categoriesStatus: 'ready' });
      } catch {
        set({ categoriesStatus: 'error' });
      }
    },

    setActiveCategory(id) {
      set({ activeCategoryId: id });
    },

    async loadFeed(query, mode) {
      const key = feedKey(query);
      const feed = get().feeds[key] ?? EMPTY_FEED;
      if (mode === 'more') {
        if (feed.done || feed.status === 'loading' || feed.status === 'loadingMore' || !feed.nextCursor) return;
      }
      const cursor = mode === 'more' ? (feed.nextCursor ?? undefined) : undefined;
      const mine = (seq[key] = (seq[key] ?? 0) + 1);
      patchFeed(key, mode === 'reset' ? { status: 'loading' } : { status: 'loadingMore' });
      try {
        const page =
          query.kind === 'list'
            ? await deps.api.call('listProducts', {
                query: { categoryId: query.categoryId, sort: query.sort, cursor, limit: PAGE_SIZE },
              })
            : await deps.api.call('searchProducts', {
                query: { q: query.q.trim(), sort: query.sort, cursor, limit: PAGE_SIZE },
              });
        if (seq[key] !== mine) return;
        const before = mode === 'more' ? (get().feeds[key]?.items ?? []) : [];
        const seen = new Set(before.map((p) => p.id));
        patchFeed(key, {
          items: [...before, ...page.items.filter((p) => !seen.has(p.id))],
          nextCursor: page.nextCursor,
          done: page.nextCursor === null,
          status: 'ready',
        });
      } catch {
        if (seq[key] !== mine) return;
        patchFeed(key, { status: 'error' });
      }
    },

    async loadProduct(id, force = false) {
      const cached = get().products[id];
      if (cached && !force) return cached;
      set((s) => ({ productStatus: { ...s.productStatus, [id]: 'loading' } }));
      try {
        const p = await deps.api.call('getProduct', { params: { productId: id } });
        set((s) => ({ products: { ...s.products, [id]: p }, productStatus: { ...s.productStatus, [id]: 'ready' } }));
        return p;
      } catch {
        set((s) => ({ productStatus: { ...s.productStatus, [id]: 'error' } }));
        return undefined;
      }
    },

    async loadSuggestions(q) {
      const text = q.trim();
      const mine = ++suggestSeq;
      if (!text) {
        set({ suggestions: [], suggestionsFor: '' });
        return;
      }
      try {
        const res = await deps.api.call('suggest', { query: { q: text }, silent: true });
        // Keystrokes race: only the answer to the latest call is shown.
        if (mine !== suggestSeq) return;
        set({ suggestions: res.suggestions, suggestionsFor: text });
      } catch {
        if (mine !== suggestSeq) return;
        set({ suggestions: [], suggestionsFor: text });
      }
    },
  };
};
