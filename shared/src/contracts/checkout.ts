import { z } from 'zod';
import { FenAmount, Id, Slug } from './common';
import { MAX_QUANTITY_PER_LINE } from '../quote';

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

export const QuoteRequest = z.object({ source: CheckoutSource, addressId: Id.optional() });
export type QuoteRequest = z.infer<typeof QuoteRequest>;

export const QuoteLineView = z.object({
  productId: Slug,
  skuId: Slug,
  title: z.string(),
  specText: z.string(),
  image: z.string(),
  unitPriceFen: FenAmount,
  quantity: z.number().int().positive(),
  lineTotalFen: FenAmount,
  discountFen: FenAmount,
  payableFen: FenAmount,
});
export type QuoteLineView = z.infer<typeof QuoteLineView>;

export const QuoteView = z.object({
  lines: z.array(QuoteLineView),
  itemCount: z.number().int(),
  subtotalFen: FenAmount,
  shippingFen: FenAmount,
  discountFen: FenAmount,
  discounts: z.array(z.object({ kind: z.string(), label: z.string(), amountFen: FenAmount })),
  payableFen: FenAmount,
});
export type QuoteView = z.infer<typeof QuoteView>;

export const CreateOrderRequest = z.object({
  /** Chosen by the client once per checkout page; a retried submit with the same key returns the same order. */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '提交标识格式不正确'),
  source: CheckoutSource,
  addressId: Id,
  remark: z.string().trim().max(100, '备注最多 100 字').default(''),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;
