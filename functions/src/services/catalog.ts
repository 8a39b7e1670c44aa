import {
  DomainError,
  type Category,
  type ListProductsQuery,
  type ProductDetail,
  type ProductPage,
  type ProductSort,
  type ProductSummary,
} from '@shop/shared';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { catalogRepo, type ProductItem, type SkuItem } from '../repositories/catalog-repo';
import { tagProducts } from './campaigns';

/**
 * Listing, search and suggestions read the whole shelf index once and keep it for a few seconds per container.
 * A shop of a few thousand SKUs is a handful of 1 MB pages; docs/data-model.md says when to move to a search service.
 */
const SHELF_TTL_MS = 5_000;
let shelfCache: { at: number; summaries: ProductSummary[]; keywords: Map<string, string[]> } | undefined;

function summarize(product: ProductItem, skus: SkuItem[]): ProductSummary {
  const prices = skus.map((s) => s.priceFen);
  const cheapest = skus.reduce<SkuItem | undefined>((m, s) => (!m || s.priceFen < m.priceFen ? s : m), undefined);
  return {
    id: product.id,
    categoryId: product.categoryId,
    title: product.title,
    subtitle: product.subtitle,
    image: product.images[0],
    priceFromFen: prices.length ? Math.min(...prices) : 0,
    originalPriceFen: cheapest?.originalPriceFen ?? null,
    sales: skus.reduce((n, s) => n + s.sold, 0),
    stock: skus.reduce((n, s) => n + Math.max(0, s.stock), 0),
    createdAt: product.createdAt,
    tags: [],
  };
}

/** The cached shelf: summaries and, per product, `[title, subtitle, ...keywords]` (services/search.ts indexes them). */
export async function shelf(now = Date.now()) {
  if (shelfCache && now - shelfCache.at < SHELF_TTL_MS) return shelfCache;
  const { products, skus } = await catalogRepo.shelf();
  const byProduct = new Map<string, SkuItem[]>();
  for (const s of skus) byProduct.set(s.productId, [...(byProduct.get(s.productId) ?? []), s]);
  const onShelf = products.filter((p) => p.onShelf && byProduct.has(p.id));
  shelfCache = {
    at: now,
    summaries: await tagProducts(onShelf.map((p) => summarize(p, byProduct.get(p.id)!)), now),
    keywords: new Map(onShelf.map((p) => [p.id, [p.title, p.subtitle, ...p.keywords]])),
  };
  return shelfCache;
}

const COMPARATORS: Record<ProductSort, (a: ProductSummary, b: ProductSummary) => number> = {
  sales: (a, b) => b.sales - a.sales,
  price_asc: (a, b) => a.priceFromFen - b.priceFromFen,
  price_desc: (a, b) => b.priceFromFen - a.priceFromFen,
  newest: (a, b) => b.createdAt - a.createdAt,
};

/** Catalog cursors carry the offset into the sorted list; the scope names the list (listing or search, sort, filter). */
const CatalogPosition = z.object({ o: z.number().int().min(0).max(100_000) }).strict();

function paginate(
  items: ProductSummary[],
  scope: string,
  sort: ProductSort,
  cursor: string | undefined,
  limit: number,
): ProductPage {
  // Sold-out products sink to the end; ties keep a stable order by id so pages never overlap.
  const sorted = [...items].sort(
    (a, b) => Number(a.stock === 0) - Number(b.stock === 0) || COMPARATORS[sort](a, b) || a.id.localeCompare(b.id),
  );
  const offset = decodeCursor(cursor, scope, CatalogPosition)?.o ?? 0;
  const page = sorted.slice(offset, offset + limit);
  return { items: page, nextCursor: offset + limit < sorted.length ? encodeCursor(scope, { o: offset + limit }) : null };
}

export async function listCategories(): Promise<{ items: Category[] }> {
  return { items: await catalogRepo.categories() };
}

export async function listProducts(q: ListProductsQuery): Promise<ProductPage> {
  const { summaries } = await shelf();
  const items = q.categoryId ? summaries.filter((s) => s.categoryId === q.categoryId) : summaries;
  return paginate(items, `products:${q.categoryId ?? ''}:${q.sort}`, q.sort, q.cursor, q.limit);
}

export async function getProduct(productId: string): Promise<ProductDetail> {
  const found = await catalogRepo.product(productId);
  if (!found || found.skus.length === 0) throw new DomainError('PRODUCT_NOT_FOUND');
  const { product, skus } = found;
  const order = (s: SkuItem) => product.specDimensions.map((d) => d.values.indexOf(s.specs[d.name])).join('.');
  return {
    ...summarize(product, skus),
    images: product.images,
    description: product.description,
    detailImages: product.detailImages ?? [],
    guarantees: product.guarantees ?? [],
    specDimensions: product.specDimensions,
    skus: [...skus]
      .sort((a, b) => order(a).localeCompare(order(b), undefined, { numeric: true }))
      .map((s) => ({
        id: s.id,
        specs: s.specs,
        specText: s.specText,
        priceFen: s.priceFen,
        originalPriceFen: s.originalPriceFen,
        stock: Math.max(0, s.stock),
        image: s.image,
      })),
    onShelf: product.onShelf,
  };
}
