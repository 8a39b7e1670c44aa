import { z } from 'zod';
import { Cursor, EpochMs, FenAmount, Id, Label, Limit, Slug, Title, Url, page } from './common';

/**
 * Behaviour events the mini-app reports (POST /v1/events), in batches. Each carries the client's own id (a ULID, so a
 * re-sent batch is stored once), the client's clock (used only to order the events of one batch) and, when it came
 * from a recommendation, the placement and the A/B variant it was shown under.
 */
export const BEHAVIOUR_KINDS = ['exposure', 'view', 'click', 'search', 'cart', 'favorite', 'share', 'purchase'] as const;
export type BehaviourKind = (typeof BEHAVIOUR_KINDS)[number];

/** The most events one batch may carry. */
const MAX_EVENTS_PER_BATCH = 50;

/** Where a product was shown (home_feed, pdp_also_viewed, cart, pay_result, search…). */
const Placement = z.string().max(40, '位置标记格式不正确').regex(/^[a-z0-9][a-z0-9_:-]{0,39}$/, '位置标记格式不正确');
/** The A/B variant the shopper saw. */
const Variant = z.string().max(20, '实验分组格式不正确').regex(/^[A-Za-z0-9_-]{1,20}$/, '实验分组格式不正确');

const common = {
  /** The client's event id (ULID): the same id twice is stored once. */
  id: Id,
  /** The client's clock (epoch ms): only orders the events of one batch; the server's clock is the time kept. */
  at: EpochMs,
  placement: Placement.optional(),
  variant: Variant.optional(),
};
const onProduct = { ...common, productId: Slug };

export const ClientEvent = z.discriminatedUnion('kind', [
  /** A card was shown (position in its list, from 0). */
  z.object({ kind: z.literal('exposure'), ...onProduct, position: z.number().int().min(0).max(10_000).optional() }),
  /** A product page was viewed for `dwellMs`. */
  z.object({ kind: z.literal('view'), ...onProduct, dwellMs: z.number().int().min(0).max(86_400_000, '停留时长无效') }),
  z.object({ kind: z.literal('click'), ...onProduct }),
  z.object({ kind: z.literal('search'), ...common, q: z.string().trim().min(1, '搜索词不能为空').max(50, '搜索词最多 50 个字') }),
  z.object({ kind: z.literal('cart'), ...onProduct, skuId: Slug.optional(), quantity: z.number().int().min(1).max(99).optional() }),
  z.object({ kind: z.literal('favorite'), ...onProduct }),
  z.object({ kind: z.literal('share'), ...onProduct }),
  /** Bought (the paid order itself updates the profile; this event carries the placement and variant). */
  z.object({ kind: z.literal('purchase'), ...onProduct, orderId: Id.optional() }),
]);
export type ClientEvent = z.infer<typeof ClientEvent>;

export const IngestEventsRequest = z.object({
  events: z
    .array(ClientEvent)
    .min(1, '没有要上报的事件')
    .max(MAX_EVENTS_PER_BATCH, `一次最多上报 ${MAX_EVENTS_PER_BATCH} 个事件`),
});

/** What became of a batch: `stored` new events (0 for a visitor or with 行为数据 off), `duplicates` seen before. */
export const IngestEventsResponse = z.object({
  received: z.number().int().nonnegative(),
  stored: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** False when the server keeps nothing of this caller's behaviour (a visitor, or 行为数据 off): stop sending. */
  collecting: z.boolean(),
});
export type IngestEventsResponse = z.infer<typeof IngestEventsResponse>;

/** 我的 → 设置: 个性化推荐 and 行为数据 (both on unless the shopper turned them off). */
export const PrivacySettings = z.object({
  /** Recommendations chosen from the shopper's behaviour; off = the same non-personal ranking for everyone. */
  personalizedRecs: z.boolean(),
  /** Behaviour events, 足迹 and interests are kept; off = nothing of the shopper's behaviour is stored. */
  behaviourData: z.boolean(),
});
export type PrivacySettings = z.infer<typeof PrivacySettings>;

export const UpdatePrivacyRequest = PrivacySettings.partial().refine(
  (s) => s.personalizedRecs !== undefined || s.behaviourData !== undefined,
  '请选择要修改的设置',
);

export const ListFootprintsQuery = z.object({ cursor: Cursor, limit: Limit });
export const FootprintPath = z.object({ productId: Slug });

/** One product in 足迹 (browsing history), latest view first: today's card, or what it looked like when viewed. */
export const FootprintView = z.object({
  productId: Slug,
  title: Title,
  image: Url,
  /** The product's lowest price today; null when the product no longer exists. */
  priceFromFen: FenAmount.nullable(),
  /** '' when it can be bought; else 已售罄 / 已下架 / 商品已失效, shown as is. */
  stateLabel: Label,
  available: z.boolean(),
  viewedAt: EpochMs,
});
export type FootprintView = z.infer<typeof FootprintView>;

export const FootprintsPage = page(FootprintView);
export type FootprintsPage = z.infer<typeof FootprintsPage>;

/** How many 足迹 rows a delete removed (one product: 0 or 1). */
export const FootprintsRemoved = z.object({ removed: z.number().int().nonnegative() });
export type FootprintsRemoved = z.infer<typeof FootprintsRemoved>;
