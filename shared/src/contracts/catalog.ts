import { z } from 'zod';
import { Cursor, EpochMs, FenAmount, Label, Limit, LongText, Slug, Title, Url, page } from './common';
import { ClaimableCoupon } from './coupons';

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

/**
 * One SKU's price for this shopper now, from the same pricing the checkout quote uses (one unit): what it costs and
 * what that price is.
 */
export const LivePrice = z.object({
  /** What the quote charges per unit now (the flash price during a flash sale, else the list price). */
  priceFen: FenAmount,
  /** What the price is (秒杀价), null for the list price. */
  label: Label.nullable(),
  /** The crossed-out reference price: never below `priceFen`; null when there is none above it. */
  crossedOutFen: FenAmount.nullable(),
  /** The flash sale pricing this SKU now (for its countdown). */
  flash: z.object({ name: Label, endsAt: EpochMs, perUserLimit: z.number().int().positive(), showCountdown: z.boolean() }).nullable(),
  /** Why a promotion price does not apply to this shopper (每人限购 1 件，您已购买 1 件). */
  note: Title.nullable(),
  /** One unit after this shopper's 会员日 discount, when one applies. */
  memberPriceFen: FenAmount.nullable(),
  /** 到手价 of one unit: after every promotion and the best coupons this shopper holds, before shipping. */
  bestPriceFen: FenAmount,
  /** What takes it down to bestPriceFen (the quote's discount labels), null when nothing does. */
  bestNote: Title.nullable(),
});
export type LivePrice = z.infer<typeof LivePrice>;

/** 运费: the rule quote() charges and when an order ships. */
export const ShippingInfo = z.object({
  feeFen: FenAmount,
  freeFromFen: FenAmount.nullable(),
  /** 运费 ¥10，满 ¥99 包邮. */
  text: Title,
  /** 付款后 48 小时内发货. */
  estimate: Title,
});
export type ShippingInfo = z.infer<typeof ShippingInfo>;

/** A promotion that applies to this product for this shopper (满减, 满赠, 会员日, 秒杀). */
export const ProductPromotion = z.object({ campaignId: Slug, tag: Label, text: Title, endsAt: EpochMs });
export type ProductPromotion = z.infer<typeof ProductPromotion>;

export const ProductDetail = ProductSummary.extend({
  images: z.array(Url).min(1),
  description: LongText,
  /** 商品详情 pictures, shown after the description's paragraphs (which are separated by blank lines). */
  detailImages: z.array(Url).max(20).optional(),
  /** 服务保障 from the product's attributes (7天无理由退货, 正品保障…), each with what it promises. */
  guarantees: z.array(z.object({ title: Label, note: Title })).max(10).optional(),
  specDimensions: z.array(SpecDimension),
  skus: z.array(Sku.extend({ live: LivePrice })).min(1),
  onShelf: z.boolean(),
  /** The live prices of the SKUs in stock (all SKUs when none is): the headline before a spec is chosen. */
  priceBand: z.object({ minFen: FenAmount, maxFen: FenAmount, label: Label.nullable(), crossedOutFen: FenAmount.nullable() }),
  promotions: z.array(ProductPromotion),
  /** 领券中心 coupons usable on this product, claimable in place. */
  coupons: z.array(ClaimableCoupon),
  shipping: ShippingInfo,
  /** The server clock, for countdowns. */
  now: EpochMs,
});
export type ProductDetail = z.infer<typeof ProductDetail>;
