/**
 * The member programme's configuration (points and levels), as a zod schema with every default. Operators write
 * `members/<stage>.yaml` (bundled with the functions like the campaign files); a key left out takes its default here,
 * an empty file is the defaults. docs/points-and-levels.md lists every key.
 */
import { z } from 'zod';
import { MEMBER_LEVELS, type MemberLevel } from '../campaigns/schema';

const NonNegInt = z.number().int().nonnegative();
const PosInt = z.number().int().positive();

/** What a tier gives (each key inherited by the tiers above it unless a higher tier sets it again). */
const BenefitsSchema = z
  .object({
    /** Member price as a percent of the list price (100 = no discount). */
    discountPercent: z.number().int().min(50, '会员折扣不能低于 5 折').max(100),
    freeShipping: z.boolean(),
    /** Multiplies points earned on orders. */
    pointsMultiplier: z.number().min(1).max(10),
    birthdayCoupon: z.boolean(),
    priorityService: z.boolean(),
    oneOnOneService: z.boolean(),
    exclusiveGifts: z.boolean(),
    dedicatedManager: z.boolean(),
  })
  .partial()
  .strict();
export type TierBenefits = Required<z.output<typeof BenefitsSchema>>;

const TierSchema = z
  .object({
    level: z.enum(MEMBER_LEVELS),
    /** Reached by paid spend net of refunds (fen) … */
    minSpendFen: NonNegInt,
    /** … or by invited members who made their first paid order. */
    minInvites: NonNegInt,
    benefits: BenefitsSchema.default({}),
  })
  .strict();
export type TierConfig = z.output<typeof TierSchema>;

const yuan = (n: number) => n * 100;

const DEFAULT_TIERS: z.input<typeof TierSchema>[] = [
  {
    level: 'NORMAL',
    minSpendFen: 0,
    minInvites: 0,
    benefits: {
      discountPercent: 100,
      freeShipping: false,
      pointsMultiplier: 1,
      birthdayCoupon: true,
      priorityService: true,
      oneOnOneService: false,
      exclusiveGifts: false,
      dedicatedManager: false,
    },
  },
  { level: 'SILVER', minSpendFen: yuan(1_000), minInvites: 3, benefits: { discountPercent: 98, freeShipping: true, pointsMultiplier: 2 } },
  { level: 'GOLD', minSpendFen: yuan(5_000), minInvites: 10, benefits: { discountPercent: 95, oneOnOneService: true } },
  { level: 'PLATINUM', minSpendFen: yuan(10_000), minInvites: 30, benefits: { discountPercent: 92, exclusiveGifts: true } },
  { level: 'DIAMOND', minSpendFen: yuan(30_000), minInvites: 100, benefits: { discountPercent: 90, dedicatedManager: true } },
];

/** Sources of points that earn (each has its own daily cap). */
const EARN_SOURCES = ['ORDER', 'CHECKIN', 'INVITE', 'REVIEW', 'FEEDBACK'] as const;
export type EarnSource = (typeof EARN_SOURCES)[number];

const MallItemSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{2,40}$/, '商品编号只能包含小写字母、数字和 -'),
    name: z.string().min(1).max(40),
    description: z.string().max(200).default(''),
    points: PosInt,
    /** A coupon (a template of the campaign files, granted at once) or a gift shipped later. */
    kind: z.enum(['coupon', 'gift']),
    couponTemplateId: z.string().optional(),
    /** Units on offer in total (the count redeemed is kept in the table). */
    stock: NonNegInt,
    perUserLimit: PosInt.default(1),
    /** Lowest level that may redeem it. */
    minLevel: z.enum(MEMBER_LEVELS).default('NORMAL'),
  })
  .strict()
  .refine((i) => (i.kind === 'coupon') === Boolean(i.couponTemplateId), { message: '优惠券类商品须填写 couponTemplateId（礼品不填）' });

export const MembersConfigSchema = z
  .object({
    points: z
      .object({
        order: z
          .object({
            /** Points per ¥1 paid (REFERENCE: 1 point per ¥100). */
            pointsPerYuan: z.number().positive().max(100).default(0.01),
            rounding: z.enum(['floor', 'round']).default('floor'),
            /** Order points stay pending this many days after payment (until fulfilment says when returns end). */
            pendingDays: z.number().int().min(0).max(180).default(15),
          })
          .strict()
          .default({}),
        checkIn: z
          .object({
            points: NonNegInt.default(1),
            /** Every `every`-th consecutive day (7, 14, …) also gives `bonus`. */
            streakBonus: z.object({ every: z.number().int().min(2).max(31), bonus: NonNegInt }).strict().default({ every: 7, bonus: 5 }),
          })
          .strict()
          .default({}),
        invite: z.object({ points: NonNegInt.default(10) }).strict().default({}),
        review: z.object({ points: NonNegInt.default(2) }).strict().default({}),
        feedback: z.object({ points: NonNegInt.default(1) }).strict().default({}),
        /** Most points one source may credit a member per day (Asia/Shanghai); null = no cap. */
        dailyCaps: z
          .object({
            ORDER: PosInt.nullable().default(null),
            CHECKIN: PosInt.nullable().default(null),
            INVITE: PosInt.nullable().default(100),
            REVIEW: PosInt.nullable().default(10),
            FEEDBACK: PosInt.nullable().default(5),
          })
          .strict()
          .default({}),
        /** Points earned in a month expire at the end of the same month this many months later. */
        expiryMonths: z.number().int().min(1).max(60).default(12),
        /** 即将过期: what the member page lists as expiring soon. */
        expiringSoonDays: z.number().int().min(1).max(90).default(30),
        /** Points spent on an order come back on refund; if their month has expired, they live at least this long. */
        returnMinDays: z.number().int().min(0).max(365).default(30),
        /** For checkout (a later step): N points = ¥1, at most X% of the payable. */
        redeem: z.object({ pointsPerYuan: PosInt.default(100), maxPercentOfPayable: z.number().int().min(0).max(100).default(50) }).strict().default({}),
      })
      .strict()
      .default({}),
    levels: z
      .object({
        tiers: z.array(TierSchema).default(DEFAULT_TIERS),
        /** A refund that takes spend below the tier's threshold lowers the level at once (else the level stays). */
        downgradeOnRefund: z.boolean().default(false),
        /** Once a year after reaching a tier, the level is recomputed from the last 12 months' growth (may go down). */
        yearlyReview: z.boolean().default(false),
      })
      .strict()
      .default({}),
    mall: z.object({ items: z.array(MallItemSchema).default([]) }).strict().default({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const levels = c.levels.tiers.map((t) => t.level);
    if (levels.join() !== MEMBER_LEVELS.join()) {
      ctx.addIssue({ code: 'custom', path: ['levels', 'tiers'], message: `等级须依次为 ${MEMBER_LEVELS.join(', ')}，每级一次` });
      return;
    }
    const first = c.levels.tiers[0];
    if (first.minSpendFen !== 0 || first.minInvites !== 0) ctx.addIssue({ code: 'custom', path: ['levels', 'tiers', 0], message: '普通会员的门槛须为 0' });
    const missing = (Object.keys(DEFAULT_TIERS[0].benefits!) as (keyof TierBenefits)[]).filter((k) => first.benefits[k] === undefined);
    if (missing.length) ctx.addIssue({ code: 'custom', path: ['levels', 'tiers', 0, 'benefits'], message: `普通会员须写明全部权益：${missing.join(', ')}` });
    c.levels.tiers.forEach((t, i) => {
      const below = c.levels.tiers[i - 1];
      if (i > 0 && (t.minSpendFen <= below.minSpendFen || t.minInvites <= below.minInvites)) {
        ctx.addIssue({ code: 'custom', path: ['levels', 'tiers', i], message: '每一级的门槛须高于下一级' });
      }
    });
    const ids = c.mall.items.map((i) => i.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['mall', 'items'], message: '积分商城商品编号重复' });
  });
export type MembersConfig = z.output<typeof MembersConfigSchema>;

/** Every default (an empty configuration file). */
export const DEFAULT_MEMBERS_CONFIG: MembersConfig = MembersConfigSchema.parse({});

export type { MemberLevel };
