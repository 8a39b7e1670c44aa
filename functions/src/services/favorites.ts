import { DomainError, Slug, type FavoriteState, type FavoriteView, type FavoritesPage } from '@shop/shared';
import { z } from 'zod';
import { config } from '../lib/config';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { favoriteRepo, type FavoriteItem } from '../repositories/favorite-repo';
import { keys } from '../repositories/keys';
import { getProduct } from './catalog';

/** A favourites cursor carries the last product shown and when it was added; the start key is rebuilt from both. */
const FavoritePosition = z.object({ p: Slug, a: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict();

async function productOrNull(productId: string) {
  try {
    return await getProduct(productId);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'PRODUCT_NOT_FOUND') return null;
    throw e;
  }
}

/** Today's catalog data of a favourite; the kept title and image when the product is gone. */
async function view(f: FavoriteItem): Promise<FavoriteView> {
  const product = await productOrNull(f.productId);
  if (!product) {
    return { productId: f.productId, title: f.title, image: f.image, priceFromFen: null, stateLabel: '商品已失效', available: false, favoritedAt: f.createdAt };
  }
  const stateLabel = !product.onShelf ? '已下架' : product.stock === 0 ? '已售罄' : '';
  return {
    productId: f.productId,
    title: product.title,
    image: product.image,
    priceFromFen: product.priceFromFen,
    stateLabel,
    available: stateLabel === '',
    favoritedAt: f.createdAt,
  };
}

export async function listFavorites(userId: string, q: { cursor?: string; limit: number }): Promise<FavoritesPage> {
  const scope = keys.userFavoritesPartition(userId);
  const after = decodeCursor(q.cursor, scope, FavoritePosition);
  const [page, total] = await Promise.all([
    favoriteRepo.page(userId, q.limit, after && { productId: after.p, createdAt: after.a }),
    favoriteRepo.count(userId),
  ]);
  const last = page.items[page.items.length - 1];
  return {
    items: await Promise.all(page.items.map(view)),
    nextCursor: page.more && last ? encodeCursor(scope, { p: last.productId, a: last.createdAt }) : null,
    total,
  };
}

export async function favoriteState(userId: string, productId: string): Promise<FavoriteState> {
  return { productId, favorited: (await favoriteRepo.get(userId, productId)) !== null };
}

const DEFAULT_FAVORITES_LIMIT = 500;

/** 收藏: idempotent; an unknown product is 404; past the stage's limit (500 unless configured) nothing is written. */
export async function addFavorite(userId: string, productId: string, now: number): Promise<FavoriteState> {
  const product = await getProduct(productId);
  const limit = config().favoritesLimit ?? DEFAULT_FAVORITES_LIMIT;
  const result = await favoriteRepo.add({ userId, productId, title: product.title, image: product.image, createdAt: now }, limit);
  if (result === 'no_product') throw new DomainError('PRODUCT_NOT_FOUND');
  if (result === 'busy') throw new DomainError('RATE_LIMITED', '收藏操作太频繁，请稍后再试');
  if (result === 'limit') throw new DomainError('FAVORITE_LIMIT', `收藏夹已满（最多 ${limit} 件），请先移除一些再收藏`);
  return { productId, favorited: true };
}

/** 取消收藏: idempotent, and only ever the caller's own (it lives in their partition). */
export async function removeFavorite(userId: string, productId: string): Promise<FavoriteState> {
  if ((await favoriteRepo.remove(userId, productId)) === 'busy') throw new DomainError('RATE_LIMITED', '收藏操作太频繁，请稍后再试');
  return { productId, favorited: false };
}
