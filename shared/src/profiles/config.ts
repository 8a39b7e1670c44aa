/**
 * The configuration of behaviour events and shopper profiles, as a zod schema with every default. Operators write
 * `profiles/<stage>.yaml` (bundled with the functions like the member and campaign files); a key left out takes its
 * default here, an empty or missing file is the defaults. docs/recommendations.md lists every key.
 */
import { z } from 'zod';
import { BEHAVIOUR_KINDS } from '../contracts/events';

const PosInt = z.number().int().positive();
const NonNegInt = z.number().int().nonnegative();
const Weight = z.number().min(0).max(100);

const LIFECYCLE_STAGES = ['new', 'active', 'dormant', 'churn_risk'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
/** How the stages read to operators and shoppers. */
export const LIFECYCLE_NAMES: Record<LifecycleStage, string> = { new: '新客', active: '活跃', dormant: '沉睡', churn_risk: '流失风险' };

/** Four ascending thresholds cut a measure into the scores 1–5. */
const Thresholds = z
  .tuple([NonNegInt, NonNegInt, NonNegInt, NonNegInt])
  .refine((t) => t.every((v, i) => i === 0 || v > t[i - 1]), '阈值需从小到大排列');

const RfmMin = z.object({ r: z.number().int().min(1).max(5), f: z.number().int().min(1).max(5), m: z.number().int().min(1).max(5) }).partial().strict();

/** A segment's rule: every condition given must hold (an empty rule matches nobody). */
const SegmentRule = z
  .object({
    lifecycle: z.array(z.enum(LIFECYCLE_STAGES)).min(1),
    /** A category id whose share of the shopper's (decayed) category interest is at least `minShare`. */
    category: z.string().min(1).max(64),
    /** An attribute (a product keyword) whose share of the attribute interest is at least `minShare`. */
    attribute: z.string().min(1).max(64),
    minShare: z.number().min(0).max(1),
    minRfm: RfmMin,
    /** Days since the shopper was last active (an event or a paid order), at least. */
    inactiveDays: PosInt,
    minOrders: NonNegInt,
    maxOrders: NonNegInt,
    /** The middle of the shopper's price band (fen), at most / at least. */
    priceBandMaxFen: NonNegInt,
    priceBandMinFen: NonNegInt,
  })
  .partial()
  .strict();
export type SegmentRule = z.output<typeof SegmentRule>;

const SegmentSchema = z
  .object({
    /** The tag campaign files name in `targeting.segments` (same characters as the campaign schema allows). */
    id: z.string().regex(/^[a-z0-9][a-z0-9:_-]{0,63}$/, '标签只能包含小写字母、数字、:、_ 和 -'),
    name: z.string().min(1).max(40),
    when: SegmentRule,
  })
  .strict();

const DEFAULT_SEGMENTS: z.input<typeof SegmentSchema>[] = [
  { id: 'new-shopper', name: '新客', when: { lifecycle: ['new'] } },
  { id: 'churn-risk', name: '流失风险', when: { lifecycle: ['churn_risk'] } },
  { id: 'dormant-90d', name: '90 天未活跃', when: { inactiveDays: 90 } },
  { id: 'high-value', name: '高价值', when: { minRfm: { f: 3, m: 4 } } },
  { id: 'beauty-lover', name: '美妆爱好者', when: { category: 'beauty', minShare: 0.3 } },
];

export const ProfilesConfigSchema = z
  .object({
    events: z
      .object({
        /** Raw events expire this many days after they happened (the table's TTL). */
        retentionDays: z.number().int().min(1).max(400).default(60),
        /** Recent items kept per shopper for online scoring (newest first). */
        recentLimit: z.number().int().min(1).max(200).default(50),
        /** A product stays in 足迹 this many days after it was last viewed. */
        footprintDays: z.number().int().min(1).max(400).default(90),
      })
      .strict()
      .default({}),
    interests: z
      .object({
        /** Interests lose half their weight every this many days. */
        halfLifeDays: z.number().min(0.5).max(365).default(14),
        /** Weight of one event of each kind (exposure and search teach nothing about a product's appeal by default). */
        weights: z
          .object(Object.fromEntries(BEHAVIOUR_KINDS.map((k) => [k, Weight])) as Record<(typeof BEHAVIOUR_KINDS)[number], typeof Weight>)
          .partial()
          .strict()
          .default({}),
        /** A view counts in full from this dwell on (ms); shorter views count from half up. */
        fullDwellMs: PosInt.default(30_000),
        maxCategories: z.number().int().min(1).max(100).default(20),
        maxAttributes: z.number().int().min(1).max(200).default(40),
      })
      .strict()
      .default({}),
    rfm: z
      .object({
        /** Days since the last paid order: ≤ t1 → R 5, ≤ t2 → 4, ≤ t3 → 3, ≤ t4 → 2, else 1 (0: never paid). */
        recencyDays: Thresholds.default([7, 30, 90, 180]),
        /** Paid orders: ≥ t1 → F 2 … ≥ t4 → 5 (1 order: 1). */
        frequencyOrders: Thresholds.default([2, 3, 5, 10]),
        /** Spend in fen: ≥ t1 → M 2 … ≥ t4 → 5 (any spend: 1). */
        monetaryFen: Thresholds.default([10_000, 30_000, 100_000, 300_000]),
      })
      .strict()
      .default({}),
    lifecycle: z
      .object({
        /** No paid order yet and first seen at most this many days ago: 新客. */
        newDays: PosInt.default(30),
        /** A buyer whose last paid order is older than this, still active: 流失风险. */
        churnRiskDays: PosInt.default(60),
        /** Nothing at all (no event, no paid order) for this long: 沉睡. */
        dormantDays: PosInt.default(90),
      })
      .strict()
      .default({}),
    segments: z.array(SegmentSchema).max(100).default(DEFAULT_SEGMENTS),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.segments.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['segments', i, 'id'], message: `标签重复: ${s.id}` });
      seen.add(s.id);
    });
  });

export type ProfilesConfig = z.output<typeof ProfilesConfigSchema>;

export const DEFAULT_EVENT_WEIGHTS: Record<(typeof BEHAVIOUR_KINDS)[number], number> = {
  exposure: 0,
  view: 1,
  click: 0.5,
  search: 0,
  cart: 3,
  favorite: 2,
  share: 2,
  purchase: 5,
};

export const DEFAULT_PROFILES_CONFIG: ProfilesConfig = ProfilesConfigSchema.parse({});
