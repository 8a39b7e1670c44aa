/**
 * Reviews (评价) and feedback (意见反馈): the pure rules both sides share. Stars 1–5, the text and photo limits, the
 * tags a shopper may pick (from the stage's reviews config), the banned-word check, the rating buckets behind 好评率
 * and the 好评 / 中评 / 差评 filters. No I/O here, and no zod (the mini-app's pages import this file).
 */
import { DomainError } from './errors';
import type { ReviewsConfig } from './reviews-config';

export const REVIEW_LIMITS = {
  maxText: 500,
  maxPhotos: 9,
  maxTags: 5,
  maxTagLength: 12,
} as const;

export const FEEDBACK_LIMITS = { minText: 5, maxText: 500, maxPhotos: 6 } as const;

/** The 意见反馈 types and their words. */
export const FEEDBACK_TYPES = ['SUGGESTION', 'PRODUCT', 'DELIVERY', 'AFTER_SALES', 'APP', 'OTHER'] as const;
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];
export const FEEDBACK_TYPE_LABEL: Record<FeedbackType, string> = {
  SUGGESTION: '功能建议',
  PRODUCT: '商品问题',
  DELIVERY: '物流配送',
  AFTER_SALES: '售后服务',
  APP: '页面使用',
  OTHER: '其他',
};

/** The filters of 全部评价. */
export const REVIEW_FILTERS = ['all', 'photo', 'good', 'neutral', 'bad'] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];
export const REVIEW_FILTER_LABEL: Record<ReviewFilter, string> = { all: '全部', photo: '有图', good: '好评', neutral: '中评', bad: '差评' };

export type RatingBucket = 'good' | 'neutral' | 'bad';
/** 4–5 stars 好评, 3 中评, 1–2 差评. */
export function ratingBucket(stars: number): RatingBucket {
  if (stars >= 4) return 'good';
  if (stars === 3) return 'neutral';
  return 'bad';
}

export const STAR_LABEL: Record<number, string> = { 1: '非常差', 2: '差', 3: '一般', 4: '满意', 5: '非常满意' };

/** Lower case, full-width letters and digits folded, and every space and punctuation mark left out. */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The first banned word the text contains, or null. 傻 瓜 and 傻-瓜 contain 傻瓜. */
function findBannedWord(text: string, bannedWords: readonly string[]): string | null {
  const plain = normalise(text);
  if (!plain) return null;
  for (const word of bannedWords) {
    const w = normalise(word);
    if (w && plain.includes(w)) return word;
  }
  return null;
}

/** Refuses a review text with a banned word in it, naming the word (the shopper rewrites it; nothing is masked). */
export function assertClean(text: string, config: ReviewsConfig): void {
  const word = findBannedWord(text, config.bannedWords);
  if (word) throw new DomainError('CONTENT_NOT_ALLOWED', `内容包含不当词语「${word}」，请修改后再提交`);
}

/** The chosen tags, each one the config offers, without repeats, in the order picked. */
export function pickTags(tags: readonly string[], config: ReviewsConfig): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (!config.tags.includes(tag)) throw new DomainError('VALIDATION_FAILED', `标签「${tag}」不可选`);
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > REVIEW_LIMITS.maxTags) throw new DomainError('VALIDATION_FAILED', `最多选择 ${REVIEW_LIMITS.maxTags} 个标签`);
  return out;
}

/** A product's review counts (the sum of its aggregate shards). */
export interface ReviewTotals {
  count: number;
  /** Reviews per star, index 0 = 1 star. */
  stars: [number, number, number, number, number];
  withPhoto: number;
  tags: Record<string, number>;
}

export function emptyTotals(): ReviewTotals {
  return { count: 0, stars: [0, 0, 0, 0, 0], withPhoto: 0, tags: {} };
}

export function addTotals(a: ReviewTotals, b: ReviewTotals): ReviewTotals {
  const tags = { ...a.tags };
  for (const [t, n] of Object.entries(b.tags)) tags[t] = (tags[t] ?? 0) + n;
  return {
    count: a.count + b.count,
    stars: a.stars.map((n, i) => n + b.stars[i]) as ReviewTotals['stars'],
    withPhoto: a.withPhoto + b.withPhoto,
    tags,
  };
}

export function bucketCounts(t: ReviewTotals): Record<RatingBucket, number> {
  return { good: t.stars[3] + t.stars[4], neutral: t.stars[2], bad: t.stars[0] + t.stars[1] };
}

/** 好评率 in whole percent (rounded down, so 99.6% never shows as 100%), null without reviews. */
export function goodRatePercent(t: ReviewTotals): number | null {
  if (t.count <= 0) return null;
  return Math.floor((bucketCounts(t).good * 100) / t.count);
}

/** The tag cloud: tags with a count, most used first (ties by name), at most `limit`. */
export function tagCloud(t: ReviewTotals, limit = 10): { tag: string; count: number }[] {
  return Object.entries(t.tags)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([tag, count]) => ({ tag, count }));
}

/**
 * How a review with photos ranks among the top reviews of its product (higher first): stars, then photos, then how
 * much was written. A fixed-width string, so the index sorts it.
 */
export function topScore(r: { stars: number; photos: number; textLength: number }): string {
  const photos = Math.min(r.photos, REVIEW_LIMITS.maxPhotos);
  const text = Math.min(r.textLength, REVIEW_LIMITS.maxText);
  return `${r.stars}${photos}${String(text).padStart(3, '0')}`;
}
