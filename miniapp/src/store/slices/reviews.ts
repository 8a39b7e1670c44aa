import type {
  ApiBody,
  CreateFeedbackRequest,
  OrderReviewsResponse,
  ReviewFilter,
  ReviewSummary,
  ReviewView,
} from '@shop/shared';
import type { LoadStatus, Slice } from '../types';

/** One product's 全部评价 under one filter, page by page. */
export interface ReviewList {
  items: ReviewView[];
  cursor: string | null;
  status: LoadStatus;
  counts: ReviewSummary['counts'] | null;
}

export const EMPTY_REVIEW_LIST: ReviewList = { items: [], cursor: null, status: 'idle', counts: null };

export const reviewListKey = (productId: string, filter: ReviewFilter) => `${productId}:${filter}`;

/** 好评率 98% · 1234 条评价, or 暂无评价. */
export function reviewHeadline(summary: Pick<ReviewSummary, 'count' | 'goodRate'> | undefined): string {
  if (!summary || summary.count === 0 || summary.goodRate === null) return '暂无评价';
  return `好评率 ${summary.goodRate}%`;
}

/** A filter tab's words with its count: 有图 (12); 全部 with no reviews stays 全部. */
export function filterTabLabel(label: string, count: number | undefined): string {
  return count ? `${label} ${count > 9999 ? `${Math.floor(count / 1000) / 10}万` : count}` : label;
}

export interface ReviewsSlice {
  reviewSummaries: Record<string, ReviewSummary>;
  reviewLists: Record<string, ReviewList>;
  orderReviews: Record<string, OrderReviewsResponse>;
  reviewSubmitting: boolean;

  loadReviewSummary(productId: string): Promise<void>;
  /** The first page (reset) or the next one of a product's reviews under a filter. */
  loadProductReviews(productId: string, filter: ReviewFilter, reset: boolean): Promise<void>;
  loadOrderReviews(orderId: string): Promise<OrderReviewsResponse | null>;
  /** 发表评价; true when it was published (the order's lines are read again). */
  submitReview(body: ApiBody<'createReview'>): Promise<boolean>;
  submitFollowUp(body: ApiBody<'followUpReview'>): Promise<boolean>;
  /** 意见反馈; the server's thank-you (with the points it earned), or null when refused. */
  submitFeedback(body: CreateFeedbackRequest): Promise<string | null>;
}

export const reviewsSlice: Slice<ReviewsSlice> = (set, get, deps) => {
  const submit = async <T>(run: () => Promise<T>): Promise<T | null> => {
    if (get().reviewSubmitting) return null;
    set({ reviewSubmitting: true });
    try {
      return await run();
    } catch {
      return null;
    } finally {
      set({ reviewSubmitting: false });
    }
  };

  return {
    reviewSummaries: {},
    reviewLists: {},
    orderReviews: {},
    reviewSubmitting: false,

    async loadReviewSummary(productId) {
      try {
        const summary = await deps.api.call('reviewSummary', { params: { productId }, silent: true });
        set({ reviewSummaries: { ...get().reviewSummaries, [productId]: summary } });
      } catch {
        // The product page shows no review section rather than an error.
      }
    },

    async loadProductReviews(productId, filter, reset) {
      const key = reviewListKey(productId, filter);
      const before = get().reviewLists[key] ?? EMPTY_REVIEW_LIST;
      if (before.status === 'loading') return;
      if (!reset && (!before.cursor || before.status !== 'ready')) return;
      const put = (list: ReviewList) => set({ reviewLists: { ...get().reviewLists, [key]: list } });
      put({ ...before, status: 'loading' });
      try {
        const page = await deps.api.call('productReviews', {
          params: { productId },
          query: { filter, limit: 10, ...(reset || !before.cursor ? {} : { cursor: before.cursor }) },
        });
        const shown = reset ? [] : before.items;
        const seen = new Set(shown.map((r) => r.id));
        put({ items: [...shown, ...page.items.filter((r) => !seen.has(r.id))], cursor: page.nextCursor, status: 'ready', counts: page.counts });
      } catch {
        put({ ...before, status: reset || before.items.length === 0 ? 'error' : 'ready' });
      }
    },

    async loadOrderReviews(orderId) {
      try {
        const r = await deps.api.call('orderReviews', { params: { orderId } });
        set({ orderReviews: { ...get().orderReviews, [orderId]: r } });
        return r;
      } catch {
        return null;
      }
    },

    async submitReview(body) {
      const done = await submit(() => deps.api.call('createReview', { body }));
      if (!done) return false;
      deps.toast('评价成功', 'success');
      await get().loadOrderReviews(body.orderId);
      return true;
    },

    async submitFollowUp(body) {
      const done = await submit(() => deps.api.call('followUpReview', { body }));
      if (!done) return false;
      deps.toast('追评成功', 'success');
      await get().loadOrderReviews(body.orderId);
      return true;
    },

    async submitFeedback(body) {
      const receipt = await submit(() => deps.api.call('createFeedback', { body }));
      return receipt ? receipt.message : null;
    },
  };
};
