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
  /** What the card says about the product's live deals (秒杀, 拼团, 券, 包邮), decided by the server. */
  tags: z.array(z.object({ kind: z.enum(['flash', 'group', 'coupon', 'free_shipping']), label: Label })),
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

/** 综合 (relevance: exact > prefix > contains > pinyin > fuzzy, then sales) and the listing's sorts. */
export const SearchSort = z.enum(['relevance', ...PRODUCT_SORTS], { errorMap: () => ({ message: '排序方式无效' }) });
export type SearchSort = z.infer<typeof SearchSort>;
const PriceFilter = z.coerce
  .number({ invalid_type_error: '价格区间无效' })
  .int('价格区间无效')
  .min(0, '价格区间无效')
  .max(100_000_000, '价格区间无效')
  .optional();

export const SearchQuery = z
  .object({
    q: z.string().trim().min(1, '请输入搜索关键词').max(50, '关键词太长，最多 50 个字'),
    sort: SearchSort.default('relevance'),
    categoryId: Slug.optional(),
    /** Price band on the lowest SKU price, both ends inclusive (fen). */
    minPriceFen: PriceFilter,
    maxPriceFen: PriceFilter,
    /** `true` = 仅看有货. */
    inStock: z.enum(['true', 'false'], { errorMap: () => ({ message: '有货筛选参数无效' }) }).optional(),
    cursor: Cursor,
    limit: Limit,
  })
  .refine((q) => q.minPriceFen === undefined || q.maxPriceFen === undefined || q.minPriceFen <= q.maxPriceFen, {
    message: '最低价不能高于最高价',
    path: ['minPriceFen'],
  });
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchPage = page(ProductSummary).extend({
  /** Products matching the words and the filters. */
  total: z.number().int().nonnegative(),
  /** Categories among the products matching the words (before filters), most hits first. */
  categories: z.array(z.object({ id: Slug, count: z.number().int().positive() })),
  /** Up to three price bands over the products matching the words (fen; maxFen null = and above). */
  priceBands: z.array(z.object({ minFen: FenAmount, maxFen: FenAmount.nullable() })),
  /** When nothing matches: other products to look at (top sellers in stock); else empty. */
  alternatives: z.array(ProductSummary),
});
export type SearchPage = z.infer<typeof SearchPage>;

export const SuggestQuery = z.object({ q: z.string().trim().max(50, '关键词太长，最多 50 个字').default('') });
/** Typed text: names that match it (characters, pinyin, initials, one wrong character); empty: 热门搜索. */
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
  /** 商品详情 pictures, shown after the description's paragraphs (which are separated by blank lines). */
  detailImages: z.array(Url).max(20).optional(),
  /** 服务保障 from the product's attributes (7天无理由退货, 正品保障…), each with what it promises. */
  guarantees: z.array(z.object({ title: Label, note: Title })).max(10).optional(),
  specDimensions: z.array(SpecDimension),
  skus: z.array(Sku).min(1),
  onShelf: z.boolean(),
});
export type ProductDetail = z.infer<typeof ProductDetail>;
