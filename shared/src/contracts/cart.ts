import { z } from 'zod';
import { EpochMs, FenAmount, Label, Slug, Title, Url } from './common';
import { ShippingInfo } from './catalog';

const CART_LINE_STATES = ['OK', 'PRICE_CHANGED', 'INSUFFICIENT_STOCK', 'OUT_OF_STOCK', 'OFF_SHELF', 'SPEC_GONE'] as const;
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
  /** What checkout charges per unit now for this line (the flash price during a flash sale, else the list price). */
  unitPriceFen: FenAmount,
  /** What unitPriceFen is (秒杀价), null for the list price. */
  priceLabel: Label.nullable(),
  /** 会员价 per unit for this shopper's level (member price and member day), null when none applies. */
  memberPriceFen: FenAmount.nullable().optional(),
  /** The crossed-out list price when a promotion price applies (never below unitPriceFen). */
  crossedOutFen: FenAmount.nullable(),
  /** Why a promotion price does not apply (每人限购 1 件，按原价购买). */
  priceNote: Title.nullable(),
  /** When the flash price ends, for its countdown. */
  flashEndsAt: EpochMs.nullable(),
  /** The list price when the shopper added the line (to show 价格有变动 / 降价 x 元). */
  addedPriceFen: FenAmount,
  stock: z.number().int().nonnegative(),
  state: CartLineState,
  /** Only OK and PRICE_CHANGED lines can be checked out. */
  purchasable: z.boolean(),
});
export type CartLineView = z.infer<typeof CartLineView>;

/** How far the selected lines are in one 满减 / 满赠: 已减 ¥20，再买 ¥23.00 可减 ¥40.00. */
export const CartPromotionProgress = z.object({
  campaignId: Slug,
  name: Label,
  text: Title,
  /** A tier or the gift is reached. */
  reached: z.boolean(),
  /** Where to 凑单: the category of its scope, when it names one. */
  categoryId: Slug.nullable(),
});
export type CartPromotionProgress = z.infer<typeof CartPromotionProgress>;

export const CartView = z.object({
  lines: z.array(CartLineView),
  selectedCount: z.number().int(),
  /** 合计: what checkout charges for the selected lines now (the quote's payable, best coupons, shipping included). */
  selectedTotalFen: FenAmount,
  /** The selected lines at the prices above, before discounts and shipping. */
  subtotalFen: FenAmount,
  shippingFen: FenAmount,
  /** 已优惠: promotions and coupons plus what flash prices take off the list prices. */
  savedFen: FenAmount,
  /** Its parts, as the quote labels them (秒杀 first). */
  savings: z.array(z.object({ label: Title, amountFen: FenAmount })),
  progress: z.array(CartPromotionProgress),
  shipping: ShippingInfo,
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
