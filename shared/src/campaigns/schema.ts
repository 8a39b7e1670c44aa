/**
 * The campaign file operators edit (campaigns/<stage>/*.yaml), as a zod schema. Messages are Chinese because the
 * people who read them are operators; every message names what is wrong and what would be right, so a failed
 * `campaigns:check` can be fixed without opening the code.
 *
 * Input is what the YAML says (times as Asia/Shanghai text); output is what the rules use (times as UTC epoch ms,
 * scopes normalised, defaults filled in).
 */
import { z } from 'zod';
import { formatShanghaiTime, parseShanghaiTime } from './time';
import { yuan } from './format';

export const MEMBER_LEVELS = ['NORMAL', 'SILVER', 'GOLD', 'PLATINUM', 'DIAMOND'] as const;
export type MemberLevel = (typeof MEMBER_LEVELS)[number];
export const MEMBER_LEVEL_NAMES: Record<MemberLevel, string> = {
  NORMAL: '普通',
  SILVER: '银卡',
  GOLD: '金卡',
  PLATINUM: '白金',
  DIAMOND: '钻石',
};

const CAMPAIGN_TYPES = [
  'coupon_drop',
  'spend_and_save',
  'gift_with_purchase',
  'flash_sale',
  'member_day',
  'points_multiplier',
  'group_deal',
] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

export const CAMPAIGN_TYPE_NAMES: Record<CampaignType, string> = {
  coupon_drop: '发券',
  spend_and_save: '满减',
  gift_with_purchase: '满赠',
  flash_sale: '限时抢购',
  member_day: '会员日',
  points_multiplier: '积分加倍',
  group_deal: '拼团',
};

const DROP_TRIGGERS = ['new_user_gift', 'share_reward', 'birthday', 'win_back', 'claim_center'] as const;
export type DropTrigger = (typeof DROP_TRIGGERS)[number];

const COUPON_KINDS = ['fixed', 'percent', 'no_threshold'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

// ───────────── messages shared by the schema and its tests ─────────────
const CAMPAIGN_MESSAGES = {
  required: '必填',
  slug: '应为小写字母、数字和连字符（2–48 位），例如 double11-manjian',
  segment: '标签应为小写字母、数字、连字符、下划线或冒号，例如 beauty-lover',
  chineseName: '应为中文名称（会展示给顾客）',
  fenInteger: '应为整数（单位：分，¥99 写作 9900）',
  positive: '应大于 0',
  time: '时间格式应为 YYYY-MM-DD HH:mm（北京时间），例如 2026-11-11 00:00',
  percent: '应在 1–99 之间（88 表示 88折，即按原价的 88% 付款）',
  groupSize: '成团人数应在 2–10 之间',
  weekday: '应在 1–7 之间（1 表示周一，7 表示周日）',
  dayOfMonth: '应在 1–28 之间（保证每个月都有这一天）',
  scope: '应为 all、{categoryIds: [...]} 或 {productIds: [...]}',
  flashPrice: '秒杀价应大于 0',
  multiplierMin: '倍数应大于 1',
  multiplierMax: '倍数不能超过 10',
  memberDayDay: 'weekday 与 dayOfMonth 须且只能填写一个',
  memberDayLevels: '至少为一个会员等级设置折扣',
  audienceEmpty: 'newUsers 与 returning 不能同时为 false（没有顾客能参加）',
  abWeights: '分组权重之和应大于 0',
  leaderFreeAndPrice: '团长免单（leaderFree: true）时不能再设置 leaderPriceFen',
  target: '应为 coupon_center、flash_list、{productId: ...}、{categoryId: ...}（全部类目写 all）或 {groupDeal: 拼团活动 id}',
  targetWithoutBanner: '只有领券中心（trigger: claim_center）的发券活动在首页有横幅，其他发券活动不能设置 target',
} as const;

const SLUG = /^[a-z0-9][a-z0-9-]{1,47}$/;
const SEGMENT = /^[a-z0-9][a-z0-9:_-]{0,63}$/;

const slug = z.string().regex(SLUG, CAMPAIGN_MESSAGES.slug);
/** Product, SKU and category ids are checked against the catalog (when one is given), not by pattern. */
const refId = z.string().min(1, '不能为空');
const chineseName = z.string().min(1, '不能为空').max(30, '最多 30 个字符').regex(/\p{Script=Han}/u, CAMPAIGN_MESSAGES.chineseName);
const fen = z.number().int(CAMPAIGN_MESSAGES.fenInteger);
const positiveFen = fen.positive(CAMPAIGN_MESSAGES.positive);
const wholeNumber = (min: number, max?: number) => {
  const s = z.number().int('应为整数').min(min, `应 ≥ ${min}`);
  return max === undefined ? s : s.max(max, `应 ≤ ${max}`);
};
const percent = z.number().int(CAMPAIGN_MESSAGES.percent).min(1, CAMPAIGN_MESSAGES.percent).max(99, CAMPAIGN_MESSAGES.percent);
const LevelSchema = z.enum(MEMBER_LEVELS);

/** Local Asia/Shanghai text → UTC epoch ms. */
const LocalTime = z.string().transform((text, ctx) => {
  const at = parseShanghaiTime(text);
  if (at === null) {
    ctx.addIssue({ code: 'custom', message: CAMPAIGN_MESSAGES.time });
    return z.NEVER;
  }
  return at;
});

/** Cross-checks run even when a field failed its own check (to report every mistake at once), so they guard types. */
const isInt = (x: unknown): x is number => Number.isSafeInteger(x);

/**
 * A window is [start, end): it opens at `start` and is over at `end`, so `end: 2026-11-12 00:00` covers all of the
 * 11th. Its cross-checks and the rename to startAt/endAt happen on the whole campaign: a transform here would stop
 * zod at the first bad time and hide the campaign's other mistakes from the operator.
 */
const WindowSchema = z.object({ start: LocalTime, end: LocalTime }).strict();

/** A window as the rules use it: UTC epoch ms, start inclusive, end exclusive. */
interface TimeWindow {
  startAt: number;
  endAt: number;
}

function checkWindow(w: { start: unknown; end: unknown }, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (isInt(w.start) && isInt(w.end) && w.end <= w.start)
    ctx.addIssue({ code: 'custom', path, message: `结束时间应晚于开始时间（${formatShanghaiTime(w.start)}）` });
}

type WithWindow<T> = T extends { window: unknown } ? Omit<T, 'window' | 'target'> & { window: TimeWindow; target: CampaignTarget } : never;

export type PromotionScope =
  | { type: 'all' }
  | { type: 'categories'; categoryIds: string[] }
  | { type: 'products'; productIds: string[] };

/** `all`, `{categoryIds: [...]}` or `{productIds: [...]}`: the three ways operators say what a rule covers. */
const ScopeSchema = z
  .preprocess(
    (v) => (v === 'all' ? { all: true } : v),
    z
      .object({
        all: z.literal(true).optional(),
        categoryIds: z.array(refId).min(1, '至少填写 1 个类目 id').optional(),
        productIds: z.array(refId).min(1, '至少填写 1 个商品 id').optional(),
      })
      .strict(),
  )
  .superRefine((s, ctx) => {
    const given = [s.all, s.categoryIds, s.productIds].filter((x) => x !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', message: CAMPAIGN_MESSAGES.scope });
  })
  .transform((s): PromotionScope => {
    if (s.categoryIds) return { type: 'categories', categoryIds: s.categoryIds };
    if (s.productIds) return { type: 'products', productIds: s.productIds };
    return { type: 'all' };
  });

const AbSchema = z
  .object({
    experiment: slug,
    variants: z
      .array(z.object({ name: z.string().min(1, '不能为空'), weight: wholeNumber(0) }).strict())
      .min(2, '至少 2 个分组'),
    show: z.array(z.string()).min(1, '至少展示给 1 个分组'),
  })
  .strict()
  .superRefine((ab, ctx) => {
    const names = new Set<string>();
    ab.variants.forEach((v, i) => {
      if (names.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'name'], message: `分组名 "${v.name}" 重复` });
      names.add(v.name);
    });
    if (ab.variants.reduce((s, v) => s + (isInt(v.weight) ? v.weight : 0), 0) <= 0)
      ctx.addIssue({ code: 'custom', path: ['variants'], message: CAMPAIGN_MESSAGES.abWeights });
    ab.show.forEach((name, i) => {
      if (!names.has(name))
        ctx.addIssue({ code: 'custom', path: ['show', i], message: `分组 "${name}" 未在 variants 中定义` });
    });
  });

const TargetingSchema = z
  .object({
    /** Omitted = every level. */
    levels: z.array(LevelSchema).min(1, '至少 1 个会员等级（不限等级请删除 levels）').optional(),
    newUsers: z.boolean().default(true),
    returning: z.boolean().default(true),
    /** Any-of: the shopper needs at least one of these tags. Empty = no tag needed. */
    segments: z.array(z.string().regex(SEGMENT, CAMPAIGN_MESSAGES.segment)).default([]),
    ab: AbSchema.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.newUsers === false && t.returning === false) ctx.addIssue({ code: 'custom', message: CAMPAIGN_MESSAGES.audienceEmpty });
  });

/**
 * Where a campaign's 首页 banner goes when tapped. Written as `coupon_center`, `flash_list`, `{productId: …}`,
 * `{categoryId: …}` (`{categoryId: all}` = the whole 分类 page) or `{groupDeal: <group_deal campaign id>}`.
 */
type CampaignTarget =
  | { type: 'coupon_center' }
  | { type: 'flash_list' }
  | { type: 'product'; productId: string }
  | { type: 'category'; categoryId: string | null }
  | { type: 'group_deal'; campaignId: string };

const BannerTargetSchema = z
  .preprocess(
    (v) => (v === 'coupon_center' || v === 'flash_list' ? { [v]: true } : v),
    z
      .object({
        coupon_center: z.literal(true).optional(),
        flash_list: z.literal(true).optional(),
        productId: refId.optional(),
        categoryId: refId.optional(),
        groupDeal: slug.optional(),
      })
      .strict(),
  )
  .superRefine((t, ctx) => {
    if (Object.values(t).filter((x) => x !== undefined).length !== 1)
      ctx.addIssue({ code: 'custom', message: CAMPAIGN_MESSAGES.target });
  })
  .transform((t): CampaignTarget => {
    if (t.productId) return { type: 'product', productId: t.productId };
    if (t.categoryId) return { type: 'category', categoryId: t.categoryId === 'all' ? null : t.categoryId };
    if (t.groupDeal) return { type: 'group_deal', campaignId: t.groupDeal };
    if (t.flash_list) return { type: 'flash_list' };
    return { type: 'coupon_center' };
  });

const base = {
  id: slug,
  name: chineseName,
  /** Shopper-facing copy for banners and the campaign page. */
  description: z.string().max(200, '最多 200 个字符').optional(),
  window: WindowSchema,
  targeting: TargetingSchema.default({}),
  /** Higher wins where two campaigns compete for the same thing, and is shown first. */
  priority: wholeNumber(0, 1000).default(0),
  enabled: z.boolean().default(true),
  /** Where the 首页 banner goes; omitted = the type's natural place (see `bannerTarget`). */
  target: BannerTargetSchema.optional(),
};

const CouponDropSchema = z
  .object({
    ...base,
    type: z.literal('coupon_drop'),
    /** One drop may hand out a pack (新人礼包) of several templates. */
    templateIds: z.array(slug).min(1, '至少 1 个券模板').max(10, '最多 10 个券模板'),
    trigger: z.enum(DROP_TRIGGERS),
  })
  .strict();

const SpendAndSaveSchema = z
  .object({
    ...base,
    type: z.literal('spend_and_save'),
    tiers: z
      .array(z.object({ thresholdFen: positiveFen, offFen: positiveFen }).strict())
      .min(1, '至少 1 档')
      .max(5, '最多 5 档'),
    scope: ScopeSchema.default('all'),
  })
  .strict();

const GiftWithPurchaseSchema = z
  .object({
    ...base,
    type: z.literal('gift_with_purchase'),
    thresholdFen: positiveFen,
    scope: ScopeSchema.default('all'),
    gift: z.object({ productId: refId, skuId: refId, quantity: wholeNumber(1, 10).default(1) }).strict(),
    /** Gifts available in total; omitted = limited only by the gift SKU's stock. */
    quota: wholeNumber(1).optional(),
  })
  .strict();

const FlashSaleSchema = z
  .object({
    ...base,
    type: z.literal('flash_sale'),
    items: z
      .array(
        z
          .object({
            productId: refId,
            skuId: refId,
            priceFen: fen.positive(CAMPAIGN_MESSAGES.flashPrice),
            quota: wholeNumber(1),
            perUserLimit: wholeNumber(1),
          })
          .strict(),
      )
      .min(1, '至少 1 个秒杀商品')
      .max(50, '最多 50 个秒杀商品'),
    showCountdown: z.boolean().default(true),
  })
  .strict();

const MemberDaySchema = z
  .object({
    ...base,
    type: z.literal('member_day'),
    weekday: z.number().int(CAMPAIGN_MESSAGES.weekday).min(1, CAMPAIGN_MESSAGES.weekday).max(7, CAMPAIGN_MESSAGES.weekday).optional(),
    dayOfMonth: z.number().int(CAMPAIGN_MESSAGES.dayOfMonth).min(1, CAMPAIGN_MESSAGES.dayOfMonth).max(28, CAMPAIGN_MESSAGES.dayOfMonth).optional(),
    /** Levels left out get no member-day price. */
    percentByLevel: z
      .object({
        NORMAL: percent.optional(),
        SILVER: percent.optional(),
        GOLD: percent.optional(),
        PLATINUM: percent.optional(),
        DIAMOND: percent.optional(),
      })
      .strict(),
    scope: ScopeSchema.default('all'),
  })
  .strict();

const PointsMultiplierSchema = z
  .object({
    ...base,
    type: z.literal('points_multiplier'),
    multiplier: z.number().gt(1, CAMPAIGN_MESSAGES.multiplierMin).max(10, CAMPAIGN_MESSAGES.multiplierMax),
    /** Omitted = every level. */
    levels: z.array(LevelSchema).min(1, '至少 1 个会员等级（不限等级请删除 levels）').optional(),
  })
  .strict();

const GroupDealSchema = z
  .object({
    ...base,
    type: z.literal('group_deal'),
    productId: refId,
    skus: z
      .array(z.object({ skuId: refId, groupPriceFen: positiveFen, leaderPriceFen: fen.min(0, '应 ≥ 0').optional() }).strict())
      .min(1, '至少 1 个 SKU'),
    groupSize: z.number().int(CAMPAIGN_MESSAGES.groupSize).min(2, CAMPAIGN_MESSAGES.groupSize).max(10, CAMPAIGN_MESSAGES.groupSize),
    /** Each group's own deadline runs from its opening, not from the campaign start (litemall #159). */
    timeLimitMinutes: wholeNumber(5),
    stockQuota: wholeNumber(1),
    perUserLimit: wholeNumber(1).default(1),
    leaderFree: z.boolean().default(false),
    robotFill: z.boolean().default(false),
    /** A paid joiner arriving at a full group: open a new group with them as leader, or refund them. */
    onFull: z.enum(['new_group', 'refund']).default('new_group'),
  })
  .strict();

function checkCampaign(c: z.output<typeof CampaignObjectSchema>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  checkWindow(c.window, ['window', 'end'], ctx);
  if (c.target !== undefined && c.type === 'coupon_drop' && c.trigger !== 'claim_center') issue(['target'], CAMPAIGN_MESSAGES.targetWithoutBanner);
  switch (c.type) {
    case 'spend_and_save':
      c.tiers.forEach((t, i) => {
        if (!isInt(t.thresholdFen) || !isInt(t.offFen)) return;
        const prev = c.tiers[i - 1];
        if (prev && isInt(prev.thresholdFen) && t.thresholdFen <= prev.thresholdFen)
          issue(['tiers', i, 'thresholdFen'], `门槛应高于上一档（${yuan(prev.thresholdFen)}）`);
        if (t.offFen >= t.thresholdFen) issue(['tiers', i, 'offFen'], `减免金额应小于门槛（${yuan(t.thresholdFen)}）`);
        else if (prev && isInt(prev.offFen) && t.offFen <= prev.offFen)
          issue(['tiers', i, 'offFen'], `减免金额应高于上一档（${yuan(prev.offFen)}）`);
      });
      break;
    case 'flash_sale': {
      const seen = new Set<string>();
      c.items.forEach((item, i) => {
        if (seen.has(item.skuId)) issue(['items', i, 'skuId'], `SKU "${item.skuId}" 在本活动中重复`);
        seen.add(item.skuId);
        if (isInt(item.perUserLimit) && isInt(item.quota) && item.perUserLimit > item.quota)
          issue(['items', i, 'perUserLimit'], `每人限购（${item.perUserLimit}）不能超过活动库存（${item.quota}）`);
      });
      break;
    }
    case 'member_day':
      if ((c.weekday === undefined) === (c.dayOfMonth === undefined)) issue(['weekday'], CAMPAIGN_MESSAGES.memberDayDay);
      if (Object.values(c.percentByLevel).every((p) => p === undefined)) issue(['percentByLevel'], CAMPAIGN_MESSAGES.memberDayLevels);
      break;
    case 'group_deal': {
      const seen = new Set<string>();
      c.skus.forEach((s, i) => {
        if (seen.has(s.skuId)) issue(['skus', i, 'skuId'], `SKU "${s.skuId}" 在本活动中重复`);
        seen.add(s.skuId);
        if (s.leaderPriceFen === undefined) return;
        if (c.leaderFree) issue(['skus', i, 'leaderPriceFen'], CAMPAIGN_MESSAGES.leaderFreeAndPrice);
        else if (isInt(s.groupPriceFen) && s.leaderPriceFen > s.groupPriceFen)
          issue(['skus', i, 'leaderPriceFen'], `团长价不能高于拼团价（${yuan(s.groupPriceFen)}）`);
      });
      if (isInt(c.perUserLimit) && isInt(c.stockQuota) && c.perUserLimit > c.stockQuota)
        issue(['perUserLimit'], `每人限购（${c.perUserLimit}）不能超过活动库存（${c.stockQuota}）`);
      const w = c.window;
      if (isInt(w.start) && isInt(w.end) && isInt(c.timeLimitMinutes)) {
        const lengthMinutes = Math.floor((w.end - w.start) / 60_000);
        if (c.timeLimitMinutes > lengthMinutes)
          issue(['timeLimitMinutes'], `成团时限（${c.timeLimitMinutes} 分钟）不能超过活动时长（${lengthMinutes} 分钟）`);
      }
      break;
    }
    default:
      break;
  }
}

const CampaignObjectSchema = z.discriminatedUnion('type', [
  CouponDropSchema,
  SpendAndSaveSchema,
  GiftWithPurchaseSchema,
  FlashSaleSchema,
  MemberDaySchema,
  PointsMultiplierSchema,
  GroupDealSchema,
]);

/**
 * Where a banner goes when the operator did not say: flash sales to the flash list, a group deal to its product,
 * the claim centre's drop to the coupon centre, a promotion scoped to one category or product there, anything
 * else (全场 promotions, member days, points) to the whole 分类 page.
 */
function defaultTarget(c: z.output<typeof CampaignObjectSchema>): CampaignTarget {
  switch (c.type) {
    case 'flash_sale':
      return { type: 'flash_list' };
    case 'group_deal':
      return { type: 'group_deal', campaignId: c.id };
    case 'coupon_drop':
      return { type: 'coupon_center' };
    case 'spend_and_save':
    case 'gift_with_purchase':
    case 'member_day':
      if (c.scope.type === 'categories' && c.scope.categoryIds.length === 1) return { type: 'category', categoryId: c.scope.categoryIds[0]! };
      if (c.scope.type === 'products' && c.scope.productIds.length === 1) return { type: 'product', productId: c.scope.productIds[0]! };
      return { type: 'category', categoryId: null };
    default:
      return { type: 'category', categoryId: null };
  }
}

export const CampaignSchema = CampaignObjectSchema.superRefine(checkCampaign).transform(
  (c) => ({ ...c, window: { startAt: c.window.start, endAt: c.window.end }, target: c.target ?? defaultTarget(c) }) as WithWindow<typeof c>,
);

export type Campaign = z.output<typeof CampaignSchema>;
export type CampaignOf<T extends CampaignType> = Extract<Campaign, { type: T }>;
export type CouponDropCampaign = CampaignOf<'coupon_drop'>;
export type SpendAndSaveCampaign = CampaignOf<'spend_and_save'>;
export type FlashSaleCampaign = CampaignOf<'flash_sale'>;
export type GroupDealCampaign = CampaignOf<'group_deal'>;

// ───────────── coupon templates ─────────────

const ValiditySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('window'), start: LocalTime, end: LocalTime }).strict(),
  /** "领取后 N 天内有效": N × 24 h from the moment of claiming. */
  z.object({ type: z.literal('days_after_claim'), days: wholeNumber(1, 365) }).strict(),
]);

type CouponValidity = ({ type: 'window' } & TimeWindow) | { type: 'days_after_claim'; days: number };
type WithValidity<T> = T extends { validity: unknown } ? Omit<T, 'validity'> & { validity: CouponValidity } : never;

const templateBase = {
  id: slug,
  name: chineseName,
  description: z.string().max(200, '最多 200 个字符').optional(),
  scope: ScopeSchema.default('all'),
  validity: ValiditySchema,
  totalStock: wholeNumber(1),
  perUserLimit: wholeNumber(1).default(1),
  /** May be combined with other stackable coupons when the order rules allow more than one coupon. */
  stackable: z.boolean().default(false),
};

const CouponTemplateObjectSchema = z.discriminatedUnion('kind', [
  /** 满减券: ¥offFen off once the in-scope amount reaches thresholdFen. */
  z.object({ ...templateBase, kind: z.literal('fixed'), thresholdFen: positiveFen, offFen: positiveFen }).strict(),
  /** 折扣券: pay `percent` % of the in-scope amount, saving at most capFen. */
  z
    .object({
      ...templateBase,
      kind: z.literal('percent'),
      percent,
      capFen: positiveFen,
      thresholdFen: fen.min(0, '应 ≥ 0').default(0),
    })
    .strict(),
  /** 无门槛券. */
  z.object({ ...templateBase, kind: z.literal('no_threshold'), offFen: positiveFen }).strict(),
]);

export const CouponTemplateSchema = CouponTemplateObjectSchema.superRefine((t, ctx) => {
  if (t.validity.type === 'window') checkWindow(t.validity, ['validity', 'end'], ctx);
  if (t.kind === 'fixed' && isInt(t.offFen) && isInt(t.thresholdFen) && t.offFen >= t.thresholdFen)
    ctx.addIssue({ code: 'custom', path: ['offFen'], message: `减免金额应小于使用门槛（${yuan(t.thresholdFen)}）` });
  if (isInt(t.perUserLimit) && isInt(t.totalStock) && t.perUserLimit > t.totalStock)
    ctx.addIssue({
      code: 'custom',
      path: ['perUserLimit'],
      message: `每人限领（${t.perUserLimit}）不能超过总库存（${t.totalStock}）`,
    });
}).transform((t) => {
  const validity: CouponValidity =
    t.validity.type === 'window' ? { type: 'window', startAt: t.validity.start, endAt: t.validity.end } : t.validity;
  return { ...t, validity } as WithValidity<typeof t>;
});

export type CouponTemplate = z.output<typeof CouponTemplateSchema>;

/** One file of a stage. Either list may be left out, so coupons and promotions can live in separate files. */
const CampaignFileSchema = z
  .object({
    campaigns: z.array(CampaignSchema).default([]),
    couponTemplates: z.array(CouponTemplateSchema).default([]),
  })
  .strict();

/** Everything one stage runs on: the union of its files, checked as a whole. */
export interface CampaignConfig {
  stage?: string;
  campaigns: Campaign[];
  couponTemplates: CouponTemplate[];
  /** 热门搜索 words chosen by operators (any campaign file's `hotSearches` list, in file order). */
  hotSearches?: string[];
}

// ───────────── Chinese messages for zod's built-in checks ─────────────

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  integer: '整数',
  float: '小数',
  boolean: 'true 或 false',
  array: '列表',
  object: '对象',
  null: '空值',
  undefined: '空',
  nan: 'NaN',
  date: '日期',
};

function optionLabel(option: unknown): string {
  const level = MEMBER_LEVEL_NAMES[option as MemberLevel];
  return level ? `${String(option)}(${level})` : String(option);
}

/**
 * zod's own messages are English; this map says the same things in Chinese. Messages written on a check
 * (`.min(1, '…')`) never reach it: zod uses them as they are.
 */
export const campaignErrorMap: z.ZodErrorMap = (issue, ctx) => {
  const last = issue.path[issue.path.length - 1];
  const isFenField = typeof last === 'string' && last.endsWith('Fen');
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.received === 'undefined') return { message: CAMPAIGN_MESSAGES.required };
      if (last === 'scope') return { message: CAMPAIGN_MESSAGES.scope };
      if (isFenField) return { message: CAMPAIGN_MESSAGES.fenInteger };
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      const received = TYPE_NAMES[issue.received] ?? issue.received;
      return { message: `应为${expected}，实际为${received}` };
    }
    case 'invalid_enum_value':
      return {
        message: `应为 ${issue.options.map(optionLabel).join(' | ')} 之一，实际为 "${String(issue.received)}"`,
      };
    case 'invalid_union_discriminator':
      return { message: `应为 ${issue.options.map(String).join(' | ')} 之一` };
    case 'invalid_literal':
      return { message: `应为 ${String(issue.expected)}` };
    case 'unrecognized_keys':
      return { message: `未知字段: ${issue.keys.join(', ')}` };
    case 'too_small':
      if (issue.type === 'array') return { message: `至少 ${issue.minimum} 项` };
      if (issue.type === 'string') return { message: Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${issue.minimum} 个字符` };
      return { message: `应${issue.inclusive ? ' ≥' : ' >'} ${issue.minimum}` };
    case 'too_big':
      if (issue.type === 'array') return { message: `最多 ${issue.maximum} 项` };
      if (issue.type === 'string') return { message: `最多 ${issue.maximum} 个字符` };
      return { message: `应${issue.inclusive ? ' ≤' : ' <'} ${issue.maximum}` };
    case 'invalid_union':
      return { message: '格式不正确' };
    default:
      return { message: ctx.defaultError };
  }
};

// ───────────── field names, for "did you mean" on typos ─────────────

function collectKeys(schema: z.ZodTypeAny, into: Set<string>, seen = new Set<z.ZodTypeAny>()): Set<string> {
  if (seen.has(schema)) return into;
  seen.add(schema);
  const def = schema._def as Record<string, unknown>;
  if (schema instanceof z.ZodObject) {
    for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodTypeAny>)) {
      into.add(key);
      collectKeys(child, into, seen);
    }
  } else if (schema instanceof z.ZodDiscriminatedUnion) {
    for (const option of schema.options as z.ZodTypeAny[]) collectKeys(option, into, seen);
  } else {
    for (const inner of [def.schema, def.innerType, def.type, def.out, def.in]) {
      if (inner instanceof z.ZodType) collectKeys(inner, into, seen);
    }
  }
  return into;
}

/** Every field name the file format knows. */
export const KNOWN_FIELDS: ReadonlySet<string> = collectKeys(CampaignFileSchema, new Set());
