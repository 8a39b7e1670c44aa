/** The stage's reviews configuration (`reviews/<stage>.yaml`): the tags a review may pick and the banned words. */
import { z } from 'zod';
import { REVIEW_LIMITS } from './reviews';

const DEFAULT_TAGS = ['质量很好', '物流很快', '包装精美', '性价比高', '与描述相符', '做工精细', '客服热情', '值得回购'];

export const ReviewsConfigSchema = z
  .object({
    /** The tags a shopper may pick (tag cloud on the product page). */
    tags: z.array(z.string().trim().min(1).max(REVIEW_LIMITS.maxTagLength)).max(40).default(DEFAULT_TAGS),
    /** Words a review or 追评 may not contain (compared ignoring case, spaces and punctuation between characters). */
    bannedWords: z.array(z.string().trim().min(1).max(30)).max(5000).default([]),
  })
  .strict();
export type ReviewsConfig = z.infer<typeof ReviewsConfigSchema>;
export const DEFAULT_REVIEWS_CONFIG: ReviewsConfig = ReviewsConfigSchema.parse({});
