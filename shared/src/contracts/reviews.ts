import { z } from 'zod';
import { FEEDBACK_LIMITS, FEEDBACK_TYPES, REVIEW_FILTERS, REVIEW_LIMITS } from '../reviews';
import { Cursor, EpochMs, Id, Label, Slug, Title, Url, page } from './common';
import { PhotoKey } from './after-sales';

export const CreateReviewRequest = z.object({
  orderId: Id,
  skuId: Slug,
  stars: z.number({ invalid_type_error: '请选择评分' }).int('评分为 1–5 星').min(1, '评分为 1–5 星').max(5, '评分为 1–5 星'),
  text: z.string().trim().max(REVIEW_LIMITS.maxText, `评价最多 ${REVIEW_LIMITS.maxText} 字`).default(''),
  /** Keys from POST /v1/uploads with purpose `review`. */
  photoKeys: z.array(PhotoKey).max(REVIEW_LIMITS.maxPhotos, `最多上传 ${REVIEW_LIMITS.maxPhotos} 张图片`).default([]),
  anonymous: z.boolean().default(false),
  tags: z.array(z.string().max(REVIEW_LIMITS.maxTagLength, '标签无效')).max(REVIEW_LIMITS.maxTags, `最多选择 ${REVIEW_LIMITS.maxTags} 个标签`).default([]),
});
export type CreateReviewRequest = z.infer<typeof CreateReviewRequest>;

/** 追评: once, after the first review. */
export const FollowUpRequest = z.object({
  orderId: Id,
  skuId: Slug,
  text: z.string().trim().min(1, '请填写追评内容').max(REVIEW_LIMITS.maxText, `追评最多 ${REVIEW_LIMITS.maxText} 字`),
  /** Keys from POST /v1/uploads with purpose `review`. */
  photoKeys: z.array(PhotoKey).max(REVIEW_LIMITS.maxPhotos, `最多上传 ${REVIEW_LIMITS.maxPhotos} 张图片`).default([]),
});
export type FollowUpRequest = z.infer<typeof FollowUpRequest>;

export const ReviewView = z.object({
  id: z.string().max(100),
  productId: Slug,
  specText: Title,
  stars: z.number().int().min(1).max(5),
  text: z.string().max(REVIEW_LIMITS.maxText),
  photos: z.array(Url).max(REVIEW_LIMITS.maxPhotos),
  tags: z.array(Label),
  /** The reviewer's nickname, masked (张***三) when the review is anonymous. */
  nickname: Label,
  avatar: Url,
  anonymous: z.boolean(),
  createdAt: EpochMs,
  followUp: z
    .object({
      text: z.string().max(REVIEW_LIMITS.maxText),
      photos: z.array(Url).max(REVIEW_LIMITS.maxPhotos),
      at: EpochMs,
      /** 收货后 N 天追评 in the page's words: 当天追评 / 3 天后追评. */
      label: Label,
    })
    .nullable(),
});
export type ReviewView = z.infer<typeof ReviewView>;

const ReviewFilterCounts = z.object({
  all: z.number().int().nonnegative(),
  photo: z.number().int().nonnegative(),
  good: z.number().int().nonnegative(),
  neutral: z.number().int().nonnegative(),
  bad: z.number().int().nonnegative(),
});

/** What the product page shows: 好评率, count, tag cloud and the top reviews with photos. */
export const ReviewSummary = z.object({
  productId: Slug,
  count: z.number().int().nonnegative(),
  /** 好评率 in whole percent (4–5 stars), null before the first review. */
  goodRate: z.number().int().min(0).max(100).nullable(),
  counts: ReviewFilterCounts,
  tags: z.array(z.object({ tag: Label, count: z.number().int().positive() })).max(20),
  top: z.array(ReviewView).max(3),
});
export type ReviewSummary = z.infer<typeof ReviewSummary>;

export const ProductReviewsPath = z.object({ productId: Slug });
export const ListReviewsQuery = z.object({
  filter: z.enum(REVIEW_FILTERS, { errorMap: () => ({ message: '筛选条件无效' }) }).default('all'),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1).max(20).default(10),
});
export const ReviewsPage = page(ReviewView).extend({ counts: ReviewFilterCounts });
export type ReviewsPage = z.infer<typeof ReviewsPage>;

export const OrderReviewsPath = z.object({ orderId: Id });
/** Per line of one of my orders: its review (with 追评) if written, and what can be done now. */
export const OrderReviewsResponse = z.object({
  orderId: Id,
  lines: z.array(
    z.object({
      productId: Slug,
      skuId: Slug,
      title: Title,
      specText: Title,
      image: Url,
      review: ReviewView.nullable(),
      canReview: z.boolean(),
      canFollowUp: z.boolean(),
    }),
  ),
  /** The tags a review may pick (from the stage's reviews config). */
  tags: z.array(Label),
  /** Why nothing can be reviewed yet ('' when something can, or all is done). */
  note: Title,
});
export type OrderReviewsResponse = z.infer<typeof OrderReviewsResponse>;

export const CreateFeedbackRequest = z.object({
  type: z.enum(FEEDBACK_TYPES, { errorMap: () => ({ message: '请选择反馈类型' }) }),
  text: z
    .string()
    .trim()
    .min(FEEDBACK_LIMITS.minText, `请至少填写 ${FEEDBACK_LIMITS.minText} 个字`)
    .max(FEEDBACK_LIMITS.maxText, `最多 ${FEEDBACK_LIMITS.maxText} 字`),
  /** Keys from POST /v1/uploads with purpose `feedback`. */
  photoKeys: z.array(PhotoKey).max(FEEDBACK_LIMITS.maxPhotos, `最多上传 ${FEEDBACK_LIMITS.maxPhotos} 张图片`).default([]),
  /** 允许客服联系我: only then is a phone number kept. */
  contactConsent: z.boolean().default(false),
  phone: z
    .string()
    .trim()
    .max(11, '手机号格式不正确')
    .regex(/^1\d{10}$/, '手机号格式不正确')
    .optional(),
});
export type CreateFeedbackRequest = z.infer<typeof CreateFeedbackRequest>;

export const FeedbackReceipt = z.object({
  id: Id,
  /** Points credited for it (feedback earns points once a Shanghai day; 0 after that). */
  points: z.number().int().nonnegative(),
  message: Title,
});

/* ── operator routes ── */

export const HideReviewRequest = z.object({
  hidden: z.boolean(),
  reason: z.string().trim().min(1, '请填写原因').max(200),
});
export const OpsReviewPath = z.object({ reviewId: z.string().max(100) });
export const OpsReviewResult = z.object({ id: z.string().max(100), productId: Slug, hidden: z.boolean(), changed: z.boolean() });

export const ListFeedbackQuery = z.object({ cursor: Cursor, limit: z.coerce.number().int().min(1).max(100).default(50) });
export const FeedbackView = z.object({
  id: Id,
  userId: z.string().max(64),
  type: z.enum(FEEDBACK_TYPES),
  typeLabel: Label,
  text: z.string().max(FEEDBACK_LIMITS.maxText),
  photos: z.array(Url),
  contactConsent: z.boolean(),
  phone: z.string().max(20).nullable(),
  createdAt: EpochMs,
});
export const FeedbackPage = page(FeedbackView);
export type FeedbackView = z.infer<typeof FeedbackView>;
