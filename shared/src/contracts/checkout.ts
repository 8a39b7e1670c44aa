import { z } from 'zod';
import { FenAmount, Id, Label, Ref, Slug, Title, Url } from './common';
import { MAX_QUANTITY_PER_LINE } from '../quote';
import { QuoteCouponOption } from './coupons';

/** Omitted: the server picks the best usable coupons. []: use none. Otherwise exactly these (refused if unusable). */
const CouponChoice = z.array(Id).max(5).optional();

/** What is being bought: the selected cart lines, or one SKU straight from the product page (立即购买). */
export const CheckoutSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cart') }),
  z.object({
    type: z.literal('buyNow'),
    productId: Slug,
    skuId: Slug,
    quantity: z.number().int().min(1, '数量至少为 1').max(MAX_QUANTITY_PER_LINE, '单件商品最多购买 99 件'),
  }),
]);
export type CheckoutSource = z.infer<typeof CheckoutSource>;

/**
 * 积分抵扣. In a quote: up to this many points (the quote uses the most the order allows, `points.used`); in an order:
 * exactly this many (the quote's `points.used`; more than the order allows is refused). Omitted or 0 = none.
 */
const UsePoints = z.number().int('积分须为整数').min(0).max(10_000_000, '积分数量过大').optional();

export const QuoteRequest = z.object({ source: CheckoutSource, addressId: Id.optional(), couponIds: CouponChoice, usePoints: UsePoints });
export type QuoteRequest = z.infer<typeof QuoteRequest>;

export const QuoteLineView = z.object({
  productId: Slug,
  skuId: Slug,
  title: Title,
  specText: Title,
  image: Url,
  unitPriceFen: FenAmount,
  quantity: z.number().int().positive(),
  lineTotalFen: FenAmount,
  discountFen: FenAmount,
  payableFen: FenAmount,
  /** Set when a flash-sale price replaced the list price (`unitPriceFen` is then the flash price). */
  flashSale: z
    .object({ campaignId: Slug, name: Label, listPriceFen: FenAmount, endsAt: z.number().int() })
    .optional(),
});
export type QuoteLineView = z.infer<typeof QuoteLineView>;

export const QuoteView = z.object({
  lines: z.array(QuoteLineView),
  itemCount: z.number().int(),
  subtotalFen: FenAmount,
  shippingFen: FenAmount,
  discountFen: FenAmount,
  discounts: z.array(z.object({ kind: Ref, label: Title, amountFen: FenAmount })),
  payableFen: FenAmount,
  /** The coupons applied, and every held coupon with why it is or is not used. */
  couponIds: z.array(Id),
  coupons: z.array(QuoteCouponOption),
  /** 满赠 gifts that come with this order. */
  gifts: z.array(z.object({ productId: Slug, skuId: Slug, title: Title, quantity: z.number().int().positive() })),
  /** Hints such as 满299减40：再买 ¥23 (each 凑单 hint labelled with its promotion) or a flash-sale limit. */
  hints: z.array(Title),
  /** The shopper's level and each member benefit this checkout gets (会员价, 会员日, 包邮, 积分倍数); null for a visitor. */
  member: z
    .object({ level: Ref, levelName: Label, benefits: z.array(z.object({ label: Title, amountFen: FenAmount })) })
    .nullable()
    .optional(),
  /** 积分抵扣: what the shopper holds, the most this order takes, and what is used (null for a visitor). */
  points: z
    .object({
      available: z.number().int().nonnegative(),
      maxUsable: z.number().int().nonnegative(),
      maxDeductionFen: FenAmount,
      used: z.number().int().nonnegative(),
      deductionFen: FenAmount,
      pointsPerYuan: z.number().int().positive(),
      maxPercentOfPayable: z.number().int(),
    })
    .nullable()
    .optional(),
});
export type QuoteView = z.infer<typeof QuoteView>;

export const CreateOrderRequest = z.object({
  /** Chosen by the client once per checkout page; a retried submit with the same key returns the same order. */
  idempotencyKey: z.string().max(64, '提交标识格式不正确').regex(/^[A-Za-z0-9_-]{16,64}$/, '提交标识格式不正确'),
  source: CheckoutSource,
  addressId: Id,
  remark: z.string().trim().max(100, '备注最多 100 字').default(''),
  couponIds: CouponChoice,
  usePoints: UsePoints,
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;
