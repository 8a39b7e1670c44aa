import { z } from 'zod';
import { Cursor, FenAmount, Label, Limit, LongText, Slug, Title, Url, page } from './common';

export const Category = z.object({ id: Slug, name: Label, icon: Url, sortOrder: z.number().int() });
export type Category = z.infer<typeof Category>;
export const CategoriesResponse = z.object({ items: z.array(Category) });

const PRODUCT_SORTS = ['sales', 'price_asc', 'price_desc', 'newest'] as const;
export const ProductSort = z.enum(PRODUCT_SORTS);
export type ProductSort = z.infer<typeof ProductSort>;

export const ProductSummary = z.object({
  id: Slug,
  categoryId: Slug,
  title: Title,
  subtitle: Title,
  image: Url,
  /** Lowest price among on-shelf SKUs. */
  priceFromFen: FenAmount,
  /** Crossed-out reference price, when the product has one. */
  originalPriceFen: FenAmount.nullable(),
  sales: z.number().int().nonnegative(),
  /** Sum of available stock over all SKUs; 0 = sold out. */
  stock: z.number().int().nonnegative(),
  createdAt: z.number(),
});
export type ProductSummary = z.infer<typeof ProductSummary>;

export const ListProductsQuery = z.object({
  categoryId: Slug.optional(),
  sort: ProductSort.default('sales'),
  cursor: Cursor,
  limit: Limit,
});
export type ListProductsQuery = z.infer<typeof ListProductsQuery>;
export const ProductPage = page(ProductSummary);
export type ProductPage = z.infer<typeof ProductPage>;

export const SearchQuery = z.object({
  q: z.string().trim().min(1, '请输入搜索关键词').max(50, '关键词太长'),
  sort: ProductSort.default('sales'),
  cursor: Cursor,
  limit: Limit,
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SuggestQuery = z.object({ q: z.string().trim().max(50, '关键词太长').default('') });
export const SuggestResponse = z.object({ suggestions: z.array(Title) });

const SpecDimension = z.object({ name: Label, values: z.array(Label) });
export const Sku = z.object({
  id: Slug,
  /** Spec name → value, e.g. {颜色: '正红', 尺码: 'M'}. */
  specs: z.record(Label, Label),
  specText: Title,
  priceFen: FenAmount,
  originalPriceFen: FenAmount.nullable(),
  stock: z.number().int().nonnegative(),
  image: Url.nullable(),
});
export type Sku = z.infer<typeof Sku>;

export const ProductDetail = ProductSummary.extend({
  images: z.array(Url).min(1),
  description: LongText,
  specDimensions: z.array(SpecDimension),
  skus: z.array(Sku).min(1),
  onShelf: z.boolean(),
});
export type ProductDetail = z.infer<typeof ProductDetail>;
