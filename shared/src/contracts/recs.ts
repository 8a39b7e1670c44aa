import { z } from 'zod';
import { Cursor, Label, Slug, Title, page } from './common';
import { ProductSummary } from './catalog';

/**
 * Where recommendations are shown. The same names tag the exposure/click/purchase events of what was shown there, so
 * the A/B report can follow a card from being shown to being bought.
 */
const REC_PLACEMENTS = ['home_feed', 'pdp_also_viewed', 'pdp_also_bought', 'cart', 'pay_result', 'search_empty'] as const;
export type RecPlacement = (typeof REC_PLACEMENTS)[number];

export const RecsQuery = z
  .object({
    placement: z.enum(REC_PLACEMENTS, { errorMap: () => ({ message: '推荐位置无效' }) }),
    /** The product the page is about (看了又看 / 买了又买). */
    productId: Slug.optional(),
    cursor: Cursor,
    limit: z.coerce.number().int().min(1).max(20).default(10),
  })
  .refine((q) => !q.placement.startsWith('pdp_') || q.productId !== undefined, { message: '缺少商品编号', path: ['productId'] });
export type RecsQuery = z.infer<typeof RecsQuery>;

const REC_REASON_KINDS = ['because_viewed', 'also_bought', 'category_hot', 'new', 'popular'] as const;

/** Why a product is recommended, in words a shopper reads (因为你浏览了 X / 买了 X 的人也买了 / 同类热销 / 新品推荐). */
const RecReason = z.object({
  kind: z.enum(REC_REASON_KINDS),
  text: Title,
  /** The product of the shopper's own history (or of the page) the recommendation comes from. */
  anchorProductId: Slug.optional(),
});

export const RecCard = z.object({ product: ProductSummary, reason: RecReason });
export type RecCard = z.infer<typeof RecCard>;

export const RecsPage = page(RecCard).extend({
  placement: z.enum(REC_PLACEMENTS),
  /** The A/B variant this shopper is in (tag the events of these cards with it). */
  variant: Label,
  /** False for a visitor, a shopper who turned 个性化推荐 off, or one with no history yet: the shop's own ranking. */
  personalized: z.boolean(),
});
export type RecsPage = z.infer<typeof RecsPage>;

/** 不感兴趣: the product is never recommended to this shopper again, and similar ones weigh less. */
export const DislikeRequest = z.object({ productId: Slug });
export const DislikeResponse = z.object({ ok: z.literal(true), dislikedCount: z.number().int().nonnegative() });
