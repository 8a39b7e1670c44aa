import {
  DomainError,
  inScope,
  liveCampaigns,
  yuan,
  type Campaign,
  type Category,
  type LivePrice,
  type ListProductsQuery,
  type ProductDetail,
  type ProductPage,
  type ProductPromotion,
  type ProductSort,
  type ProductSummary,
} from '@shop/shared';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { catalogRepo, type ProductItem, type SkuItem } from '../repositories/catalog-repo';
import { couponCenter } from './coupons';
import { livePrices, priceFromReads, readForPricing, shippingInfo } from './pricing';
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

/**
 * A product as this shopper sees it now (a visitor: the public price). Every SKU's price comes from the checkout's own
 * pricing (readForPricing → priceFromReads), one unit at a time, so the page shows what the quote will charge.
 */
export async function getProduct(productId: string, userId: string | null = null, now = Date.now()): Promise<ProductDetail> {
  const found = await catalogRepo.product(productId);
  if (!found || found.skus.length === 0) throw new DomainError('PRODUCT_NOT_FOUND');
  const { product, skus } = found;
  const order = (s: SkuItem) => product.specDimensions.map((d) => d.values.indexOf(s.specs[d.name])).join('.');
  const sorted = [...skus].sort((a, b) => order(a).localeCompare(order(b), undefined, { numeric: true }));

  const [reads, center] = await Promise.all([
    readForPricing(userId, sorted.map((s) => ({ productId, skuId: s.id })), { wantsCoupons: true, now }),
    couponCenter(userId, now),
  ]);
  const live = sorted.map((s): LivePrice => {
    const priced = priceFromReads(reads, [{ productId, skuId: s.id, quantity: 1 }], { refuse: false });
    const [price] = livePrices(priced, reads);
    const line = priced.quote.lines[0];
    return {
      priceFen: price.priceFen,
      label: price.label,
      crossedOutFen: price.crossedOutFen,
      flash: price.flash,
      note: price.note,
      memberPriceFen: price.memberPriceFen,
      bestPriceFen: line.payableFen,
      bestNote: priced.quote.discountFen > 0 ? priced.quote.discounts.map((d) => d.label).join('、') : null,
    };
  });

  // Before a spec is chosen the page shows the band of the SKUs one can buy.
  const band = live.filter((_, i) => sorted[i].stock > 0);
  const shown = band.length ? band : live;
  const minFen = Math.min(...shown.map((p) => p.priceFen));
  const maxFen = Math.max(...shown.map((p) => p.priceFen));
  const labels = new Set(shown.map((p) => p.label));
  const crossed = Math.max(0, ...shown.map((p) => p.crossedOutFen ?? 0));

  const line = { productId, categoryId: product.categoryId };
  const templates = new Map(reads.config.couponTemplates.map((t) => [t.id, t]));
  return {
    ...summarize(product, skus),
    images: product.images,
    description: product.description,
    detailImages: product.detailImages ?? [],
    guarantees: product.guarantees ?? [],
    specDimensions: product.specDimensions,
    skus: sorted.map((s, i) => ({
      id: s.id,
      specs: s.specs,
      specText: s.specText,
      priceFen: s.priceFen,
      originalPriceFen: s.originalPriceFen,
      stock: Math.max(0, s.stock),
      image: s.image,
      live: live[i],
    })),
    onShelf: product.onShelf,
    priceBand: { minFen, maxFen, label: labels.size === 1 ? [...labels][0] : null, crossedOutFen: crossed > maxFen ? crossed : null },
    promotions: liveCampaigns(reads.config, { at: now, user: reads.user }).flatMap((c) => promotionOf(c, line, skus)),
    coupons: center.items.filter((c) => {
      const t = templates.get(c.templateId);
      return t !== undefined && inScope(t.scope, line);
    }),
    shipping: shippingInfo(),
    now,
  };
}

const short = (fen: number) => yuan(fen).slice(1);

/** How a live campaign reads on the product page, when it applies to this product. */
function promotionOf(c: Campaign, line: { productId: string; categoryId: string }, skus: SkuItem[]): ProductPromotion[] {
  const base = { campaignId: c.id, endsAt: c.window.endAt };
  switch (c.type) {
    case 'spend_and_save':
      if (!inScope(c.scope, line)) return [];
      return [{ ...base, tag: '满减', text: c.description ?? c.tiers.map((t) => `满${short(t.thresholdFen)}减${short(t.offFen)}`).join('，') }];
    case 'gift_with_purchase':
      if (!inScope(c.scope, line)) return [];
      return [{ ...base, tag: '满赠', text: c.description ?? `${c.name}（满${short(c.thresholdFen)}送赠品）` }];
    case 'member_day':
      if (!inScope(c.scope, line)) return [];
      return [{ ...base, tag: '会员价', text: c.description ?? c.name }];
    case 'flash_sale': {
      const items = c.items.filter((i) => i.productId === line.productId && skus.some((s) => s.id === i.skuId));
      if (items.length === 0) return [];
      const limit = Math.min(...items.map((i) => i.perUserLimit));
      return [{ ...base, tag: '秒杀', text: `${c.name}，每人限购 ${limit} 件，秒杀价不与满减、优惠券同享` }];
    }
    default:
      return [];
  }
}
