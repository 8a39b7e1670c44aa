/**
 * Reviews (评价): written after receipt (the order COMPLETED), one per order line, one 追评 later; read by product
 * pages from incrementally kept totals and index listings (no scan, no count per page view); hidden by operators.
 * Points for a review come from the points hook (services/points.ts awardReview), once per review.
 */
import { z } from 'zod';
import {
  DomainError,
  ORDER_STATUS_LABEL,
  assertClean,
  bucketCounts,
  goodRatePercent,
  maskNickname,
  pickTags,
  tagCloud,
  type CreateReviewRequest,
  type FollowUpRequest,
  type OrderReviewsResponse,
  type ReviewFilter,
  type ReviewSummary,
  type ReviewTotals,
  type ReviewView,
  type ReviewsPage,
} from '@shop/shared';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { operatorLogItem } from '../repositories/after-sales-repo';
import { orderRepo } from '../repositories/order-repo';
import { parseReviewId, reviewId, reviewRepo, type ReviewItem, type ReviewList } from '../repositories/review-repo';
import { userRepo } from '../repositories/user-repo';
import { reviewsConfig } from '../providers/reviews-config';
import { awardReview } from './points';
import { checkPhotos, photoLinks } from './uploads';

const DAY = 24 * 3600 * 1000;

/** Stored photo keys as links a page can show for a while. */
const shown = async (photoKeys: readonly string[]) => (await photoLinks(photoKeys)).map((p) => p.url);

async function toView(r: ReviewItem, own: boolean): Promise<ReviewView> {
  const masked = r.anonymous && !own;
  return {
    id: r.id,
    productId: r.productId,
    specText: r.specText,
    stars: r.stars,
    text: r.text,
    photos: await shown(r.photos),
    tags: r.tags,
    nickname: masked ? maskNickname(r.nickname) : r.nickname,
    avatar: masked ? '' : r.avatar,
    anonymous: r.anonymous,
    createdAt: r.createdAt,
    followUp: r.followUp
      ? {
          text: r.followUp.text,
          photos: await shown(r.followUp.photos),
          at: r.followUp.at,
          label: followUpLabel(r.followUp.at - r.createdAt),
        }
      : null,
  };
}

/** 当天追评 / 3 天后追评: how long after the review the 追评 came. */
function followUpLabel(ms: number): string {
  const days = Math.floor(Math.max(0, ms) / DAY);
  return days === 0 ? '当天追评' : `${days} 天后追评`;
}

function notReviewable(status: string): DomainError {
  return new DomainError('REVIEW_NOT_ALLOWED', `订单${ORDER_STATUS_LABEL[status as keyof typeof ORDER_STATUS_LABEL] ?? ''}，确认收货后才能评价`);
}

/** POST /v1/reviews: a line of my completed order, once. */
export async function createReview(userId: string, req: CreateReviewRequest, now: number): Promise<ReviewView> {
  const cfg = reviewsConfig();
  assertClean(req.text, cfg);
  const tags = pickTags(req.tags, cfg);
  const order = await orderRepo.get(req.orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  const line = order.lines.find((l) => l.skuId === req.skuId);
  if (!line) throw new DomainError('SKU_NOT_FOUND', '订单中没有该商品');
  if (order.status !== 'COMPLETED') throw notReviewable(order.status);
  const photos = await checkPhotos(userId, 'review', req.photoKeys);
  const user = await userRepo.get(userId);
  const id = reviewId(order.id, line.skuId);
  const review: ReviewItem = {
    id,
    orderId: order.id,
    skuId: line.skuId,
    productId: line.productId,
    userId,
    title: line.title,
    specText: line.specText,
    image: line.image,
    stars: req.stars,
    text: req.text,
    photos,
    tags,
    anonymous: req.anonymous,
    nickname: user?.nickname ?? '',
    avatar: user?.avatar ?? '',
    createdAt: now,
    shard: reviewRepo.shardFor(id),
    hidden: false,
  };
  const result = await reviewRepo.create(review);
  if (result === 'exists') {
    // A retry after the review was written but before its points were: the points hook is once per review.
    const existing = await reviewRepo.get(order.id, line.skuId);
    if (existing?.userId === userId) await awardReview(userId, id, existing.createdAt);
    throw new DomainError('REVIEW_EXISTS');
  }
  if (result === 'order') throw notReviewable((await orderRepo.get(order.id))?.status ?? order.status);
  await awardReview(userId, id, now);
  return toView(review, true);
}

/** POST /v1/reviews/follow-up: 追评, once, after my review. */
export async function followUp(userId: string, req: FollowUpRequest, now: number): Promise<ReviewView> {
  assertClean(req.text, reviewsConfig());
  const review = await reviewRepo.get(req.orderId, req.skuId);
  if (!review || review.userId !== userId) throw new DomainError('NOT_FOUND', '还没有评价该商品，请先发表评价');
  if (review.followUp) throw new DomainError('REVIEW_EXISTS', '已经追评过了');
  const photos = await checkPhotos(userId, 'review', req.photoKeys);
  const f = { text: req.text, photos, at: now };
  if (!(await reviewRepo.addFollowUp(req.orderId, req.skuId, userId, f))) throw new DomainError('REVIEW_EXISTS', '已经追评过了');
  return toView({ ...review, followUp: f }, true);
}

/** GET /v1/orders/{orderId}/reviews: per line of my order, its review and what I can do now. */
export async function orderReviews(userId: string, orderId: string): Promise<OrderReviewsResponse> {
  const order = await orderRepo.get(orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  const reviews = new Map((await reviewRepo.forOrder(orderId)).map((r) => [r.skuId, r]));
  const completed = order.status === 'COMPLETED';
  const lines = await Promise.all(
    order.lines.map(async (l) => {
      const r = reviews.get(l.skuId);
      return {
        productId: l.productId,
        skuId: l.skuId,
        title: l.title,
        specText: l.specText,
        image: l.image,
        review: r ? await toView(r, true) : null,
        canReview: completed && !r,
        canFollowUp: Boolean(r && !r.followUp),
      };
    }),
  );
  return { orderId, lines, tags: reviewsConfig().tags, note: completed || reviews.size > 0 ? '' : '确认收货后即可评价' };
}

const FILTER_LIST: Record<ReviewFilter, ReviewList> = { all: 'ALL', photo: 'PHOTO', good: 'GOOD', neutral: 'NEUTRAL', bad: 'BAD' };
const Position = z.object({
  o: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/),
  s: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  k: z.string().regex(/^[0-9#A-Za-z_-]{1,200}$/),
});

function counts(t: ReviewTotals) {
  return { all: t.count, photo: t.withPhoto, ...bucketCounts(t) };
}

/** GET /v1/products/{productId}/reviews: visible reviews newest first, under a filter, with the filters' counts. */
export async function productReviews(productId: string, q: { filter: ReviewFilter; cursor?: string; limit: number }): Promise<ReviewsPage> {
  const scope = `reviews:${productId}:${q.filter}`;
  const at = decodeCursor(q.cursor, scope, Position);
  const [page, totals] = await Promise.all([
    reviewRepo.list(productId, FILTER_LIST[q.filter], q.limit, at ? { orderId: at.o, skuId: at.s, sortKey: at.k } : undefined),
    reviewRepo.totals(productId),
  ]);
  return {
    items: await Promise.all(page.items.map((r) => toView(r, false))),
    nextCursor: page.last ? encodeCursor(scope, { o: page.last.orderId, s: page.last.skuId, k: page.last.sortKey }) : null,
    counts: counts(totals),
  };
}

/** GET /v1/products/{productId}/reviews/summary: 好评率, count, tag cloud and the two top reviews with photos. */
export async function reviewSummary(productId: string): Promise<ReviewSummary> {
  const [totals, top] = await Promise.all([reviewRepo.totals(productId), reviewRepo.list(productId, 'TOP', 2)]);
  return {
    productId,
    count: totals.count,
    goodRate: goodRatePercent(totals),
    counts: counts(totals),
    tags: tagCloud(totals, 12),
    top: await Promise.all(top.items.map((r) => toView(r, false))),
  };
}

/**
 * An operator hides a review (out of every list and the product's totals) or shows it again; the operator log entry
 * is written in the same transaction, so only a change that happened is logged.
 */
export async function setReviewHidden(
  actor: string,
  id: string,
  req: { hidden: boolean; reason: string },
  now: number,
): Promise<{ id: string; productId: string; hidden: boolean; changed: boolean }> {
  const ref = parseReviewId(id);
  const review = ref ? await reviewRepo.get(ref.orderId, ref.skuId) : null;
  if (!review) throw new DomainError('NOT_FOUND', '评价不存在');
  const log = operatorLogItem({
    at: now,
    actor,
    action: req.hidden ? 'review.hide' : 'review.show',
    target: id,
    summary: `${req.hidden ? '隐藏' : '恢复显示'}评价（${review.productId}，${review.stars} 星）：${req.reason}`,
  });
  const changed = await reviewRepo.setHidden(review, req.hidden, { reason: req.reason, actor, now, extra: [log] });
  return { id, productId: review.productId, hidden: req.hidden, changed };
}
