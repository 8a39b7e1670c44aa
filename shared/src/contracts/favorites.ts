import { z } from 'zod';
import { Cursor, EpochMs, FenAmount, Label, Slug, Title, Url, page } from './common';

export const FavoritePath = z.object({ productId: Slug });

export const ListFavoritesQuery = z.object({
  cursor: Cursor,
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** One product in 我的收藏, newest first: today's catalog data, or the title and image kept when it was added. */
export const FavoriteView = z.object({
  productId: Slug,
  title: Title,
  image: Url,
  /** The product page's lowest price today; null when the product no longer exists. */
  priceFromFen: FenAmount.nullable(),
  /** '' when it can be bought; else 已售罄 / 已下架 / 商品已失效, shown as is. */
  stateLabel: Label,
  /** True when the product can be bought now (on shelf, in stock). */
  available: z.boolean(),
  favoritedAt: EpochMs,
});
export type FavoriteView = z.infer<typeof FavoriteView>;

export const FavoritesPage = page(FavoriteView).extend({ total: z.number().int().nonnegative() });
export type FavoritesPage = z.infer<typeof FavoritesPage>;

/** Whether this shopper keeps the product, after a read, a PUT or a DELETE. */
export const FavoriteState = z.object({ productId: Slug, favorited: z.boolean() });
export type FavoriteState = z.infer<typeof FavoriteState>;

/** Public shop information the client shows (客服): every value comes from the stage's configuration. */
export const ShopInfo = z.object({
  /** e.g. 每天 9:00–21:00; empty when the stage configures none. */
  serviceHours: Label,
  /** The customer-service phone number as dialled (digits and dashes); empty when the stage configures none. */
  servicePhone: z.string().max(32),
});
export type ShopInfo = z.infer<typeof ShopInfo>;
