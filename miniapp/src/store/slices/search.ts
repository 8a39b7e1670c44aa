import type { SearchPage, SearchSort } from '@shop/shared';
import type { Slice } from '../types';
import { EMPTY_FEED, type Feed } from './catalog';

const PAGE_SIZE = 20;

export interface SearchFilters {
  categoryId?: string;
  /** A price band (fen, both ends inclusive; maxFen null = and above). */
  band?: { minFen: number; maxFen: number | null };
  inStock?: boolean;
}

export interface SearchQueryState {
  q: string;
  sort: SearchSort;
  filters: SearchFilters;
}

/** A search's pages plus what the server says about the whole result (count, facets, alternatives). */
export interface SearchFeed extends Feed {
  total: number;
  categories: SearchPage['categories'];
  priceBands: SearchPage['priceBands'];
  alternatives: SearchPage['alternatives'];
}

export const EMPTY_SEARCH: SearchFeed = { ...EMPTY_FEED, total: 0, categories: [], priceBands: [], alternatives: [] };

export function searchKey(s: SearchQueryState): string {
  const f = s.filters;
  return [s.q.trim(), s.sort, f.categoryId ?? '', f.band ? `${f.band.minFen}-${f.band.maxFen ?? ''}` : '', f.inStock ? '1' : ''].join('|');
}

export interface SearchSlice {
  searches: Record<string, SearchFeed>;
  /** 热门搜索: the operators' words, then top sellers. */
  hotSearches: string[];
  /** `reset` loads the first page again; `more` the next one (no-op when done or already loading). */
  loadSearch(query: SearchQueryState, mode: 'reset' | 'more'): Promise<void>;
  loadHotSearches(): Promise<void>;
}

export const searchSlice: Slice<SearchSlice> = (set, get, deps) => {
  /** Latest request per search: an answer to an older one (superseded by a reset) is dropped. */
  const seq: Record<string, number> = {};
  const patch = (key: string, p: Partial<SearchFeed>) =>
    set((s) => ({ searches: { ...s.searches, [key]: { ...(s.searches[key] ?? EMPTY_SEARCH), ...p } } }));

  return {
    searches: {},
    hotSearches: [],

    async loadSearch(query, mode) {
      const key = searchKey(query);
      const feed = get().searches[key] ?? EMPTY_SEARCH;
      if (mode === 'more' && (feed.done || feed.status === 'loading' || feed.status === 'loadingMore' || !feed.nextCursor)) return;
      const cursor = mode === 'more' ? (feed.nextCursor ?? undefined) : undefined;
      const mine = (seq[key] = (seq[key] ?? 0) + 1);
      patch(key, { status: mode === 'reset' ? 'loading' : 'loadingMore' });
      const { filters } = query;
      try {
        const page = await deps.api.call('searchProducts', {
          query: {
            q: query.q.trim(),
            sort: query.sort,
            categoryId: filters.categoryId,
            minPriceFen: filters.band?.minFen,
            maxPriceFen: filters.band?.maxFen ?? undefined,
            inStock: filters.inStock ? 'true' : undefined,
            cursor,
            limit: PAGE_SIZE,
          },
        });
        if (seq[key] !== mine) return;
        const before = mode === 'more' ? (get().searches[key]?.items ?? []) : [];
        const seen = new Set(before.map((p) => p.id));
        patch(key, {
          items: [...before, ...page.items.filter((p) => !seen.has(p.id))],
          nextCursor: page.nextCursor,
          done: page.nextCursor === null,
          status: 'ready',
          total: page.total,
          categories: page.categories,
          priceBands: page.priceBands,
          ...(mode === 'reset' ? { alternatives: page.alternatives } : {}),
        });
      } catch {
        if (seq[key] !== mine) return;
        patch(key, { status: 'error' });
      }
    },

    async loadHotSearches() {
      try {
        const res = await deps.api.call('suggest', { query: { q: '' }, silent: true });
        set({ hotSearches: res.suggestions });
      } catch {
        // 热门搜索 is a convenience: without it the page still searches.
      }
    },
  };
};
