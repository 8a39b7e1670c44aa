import { z } from 'zod';
import { FenAmount, Slug, Title, Url } from './common';

const CART_LINE_STATES = ['OK', 'PRICE_CHANGED', 'INSUFFICIENT_STOCK', 'OUT_OF_STOCK', 'OFF_SHELF'] as const;
export const CartLineState = z.enum(CART_LINE_STATES);
export type CartLineState = z.infer<typeof CartLineState>;
export const MAX_CART_LINES = 100;

export const CartLineView = z.object({
  productId: Slug,
  skuId: Slug,
  title: Title,
  specText: Title,
  image: Url,
  quantity: z.number().int().positive(),
  selected: z.boolean(),
  /** Today's price. */
  unitPriceFen: FenAmount,
  /** The price when the shopper added the line (to show 价格有变动 / 降价 x 元). */
  addedPriceFen: FenAmount,
  stock: z.number().int().nonnegative(),
  state: CartLineState,
  /** Only OK and PRICE_CHANGED lines can be checked out. */
  purchasable: z.boolean(),
});
export type CartLineView = z.infer<typeof CartLineView>;

export const CartView = z.object({
  lines: z.array(CartLineView),
  selectedCount: z.number().int(),
  selectedTotalFen: FenAmount,
});
export type CartView = z.infer<typeof CartView>;

export const AddCartLineRequest = z.object({
  productId: Slug,
  skuId: Slug,
  quantity: z.number().int().min(1, '数量至少为 1').max(99, '单件商品最多购买 99 件'),
});
export type AddCartLineRequest = z.infer<typeof AddCartLineRequest>;

export const UpdateCartLineRequest = z
  .object({
    quantity: z.number().int().min(1, '数量至少为 1').max(99, '单件商品最多购买 99 件').optional(),
    selected: z.boolean().optional(),
  })
  .refine((v) => v.quantity !== undefined || v.selected !== undefined, '没有要修改的内容');
export type UpdateCartLineRequest = z.infer<typeof UpdateCartLineRequest>;

export const SelectCartLinesRequest = z.object({
  selected: z.boolean(),
  /** Omit to apply to every line. */
  skuIds: z.array(Slug).max(100).optional(),
});
export type SelectCartLinesRequest = z.infer<typeof SelectCartLinesRequest>;
