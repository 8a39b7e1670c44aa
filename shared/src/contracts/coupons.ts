import { z } from 'zod';
import { EpochMs, FenAmount, Id, Label, Ref, Slug, Title, Url } from './common';

export const COUPON_STATUSES = ['UNUSED', 'LOCKED', 'USED', 'EXPIRED'] as const;
const CouponStatusSchema = z.enum(COUPON_STATUSES);
export const COUPON_STATUS_LABEL: Record<(typeof COUPON_STATUSES)[number], string> = {
  UNUSED: '未使用',
  LOCKED: '使用中',
  USED: '已使用',
  EXPIRED: '已过期',
};

/** A coupon the shopper holds. */
export const CouponView = z.object({
  id: Id,
  templateId: Ref,
  name: Label,
  /** How it reads on its face: 满99减10 / 88折 最高减50 / 无门槛减5. */
  label: Label,
  kind: z.enum(['fixed', 'percent', 'no_threshold']),
  thresholdFen: FenAmount,
  offFen: FenAmount,
  percent: z.number().int().nullable(),
  capFen: FenAmount.nullable(),
  scopeLabel: Title,
  validFrom: EpochMs,
  validTo: EpochMs,
  status: CouponStatusSchema,
  statusLabel: Label,
  /** The order holding it while LOCKED or after USED. */
  orderId: Id.nullable(),
});
export type CouponView = z.infer<typeof CouponView>;

export const ListCouponsQuery = z.object({ status: z.enum(['UNUSED', 'USED', 'EXPIRED']).default('UNUSED') });
export type ListCouponsQuery = z.infer<typeof ListCouponsQuery>;
export const CouponsResponse = z.object({ items: z.array(CouponView) });

/** A template in 领券中心. */
export const ClaimableCoupon = z.object({
  templateId: Ref,
  name: Label,
  label: Label,
  scopeLabel: Title,
  validityLabel: Title,
  /** Left in stock (null = unlimited). */
  remaining: z.number().int().nonnegative().nullable(),
  totalStock: z.number().int().nonnegative().nullable(),
  perUserLimit: z.number().int().positive(),
  claimedByMe: z.number().int().nonnegative(),
  canClaim: z.boolean(),
  /** Why not, in Chinese (已领完 / 已达领取上限 / 仅限新用户 …). */
  reason: Title.nullable(),
});
export type ClaimableCoupon = z.infer<typeof ClaimableCoupon>;
export const CouponCenterResponse = z.object({ items: z.array(ClaimableCoupon) });

export const ClaimCouponRequest = z.object({ templateId: z.string().min(1, '请选择优惠券').max(64, '优惠券编号格式不正确') });
export type ClaimCouponRequest = z.infer<typeof ClaimCouponRequest>;

/** Why each held coupon is (not) applied to a quote. */
export const QuoteCouponOption = z.object({
  couponId: Id,
  label: Label,
  name: Label,
  usable: z.boolean(),
  chosen: z.boolean(),
  amountFen: FenAmount,
  reason: Title.nullable(),
  validTo: EpochMs,
});
export type QuoteCouponOption = z.infer<typeof QuoteCouponOption>;

export const FlashSaleItem = z.object({
  campaignId: Slug,
  productId: Slug,
  skuId: Slug,
  title: Title,
  image: Url,
  priceFen: FenAmount,
  originalPriceFen: FenAmount,
  quota: z.number().int().nonnegative(),
  sold: z.number().int().nonnegative(),
  perUserLimit: z.number().int().positive(),
  startsAt: EpochMs,
  endsAt: EpochMs,
  soldOut: z.boolean(),
});
export type FlashSaleItem = z.infer<typeof FlashSaleItem>;

/** Where a 首页 banner goes when tapped (from the campaign file's `target`, checked by campaigns:check). */
const BannerTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('coupon_center') }),
  z.object({ type: z.literal('flash_list') }),
  z.object({ type: z.literal('product'), productId: Slug }),
  /** null = the whole 分类 page. */
  z.object({ type: z.literal('category'), categoryId: Slug.nullable() }),
  z.object({ type: z.literal('group_deal'), campaignId: Slug, productId: Slug }),
]);

export const CampaignBanner = z.object({
  campaignId: Slug,
  type: Ref,
  title: Title,
  subtitle: Title,
  endsAt: EpochMs,
  target: BannerTarget,
});
export type CampaignBanner = z.infer<typeof CampaignBanner>;

/** What 首页 shows of the live campaigns for this shopper (or for a visitor). */
export const HomeCampaignsResponse = z.object({
  banners: z.array(CampaignBanner),
  flashSales: z.array(FlashSaleItem),
  /** Server time, so countdowns do not trust the phone's clock. */
  now: EpochMs,
});
export type HomeCampaignsResponse = z.infer<typeof HomeCampaignsResponse>;
