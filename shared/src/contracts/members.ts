import { z } from 'zod';
import { MEMBER_LEVELS } from '../campaigns/schema';
import { Cursor, EpochMs, FenAmount, Label, Ref, Title, page } from './common';

const Level = z.enum(MEMBER_LEVELS);
const Count = z.number().int().nonnegative();

/** One tier as the 会员中心 shows it: its threshold and every benefit it has (inherited ones included). */
const TierView = z.object({
  level: Level,
  /** 普通 / 银卡 / 金卡 / 白金 / 钻石 */
  name: Label,
  minSpendFen: FenAmount,
  minInvites: Count,
  /** e.g. 会员价 9.8 折, 包邮, 购物积分 2 倍 — shown as is. */
  benefits: z.array(Label).max(20),
  discountPercent: z.number().int().min(0).max(100),
  freeShipping: z.boolean(),
});

export const TiersResponse = z.object({ tiers: z.array(TierView).max(10) });
export type TiersResponse = z.infer<typeof TiersResponse>;

/** GET /v1/members/me: level, growth towards the next tier, benefits, points. */
export const MemberView = z.object({
  level: Level,
  levelName: Label,
  levelSince: EpochMs.nullable(),
  growth: z.object({ spentFen: z.number().int(), invites: Count }),
  next: z
    .object({ level: Level, name: Label, spendFenToGo: FenAmount, invitesToGo: Count, progressPercent: z.number().int().min(0).max(100), unlocks: z.array(Label).max(20) })
    .nullable(),
  benefits: z.array(Label).max(20),
  points: z.object({
    available: Count,
    pending: Count,
    /** Points that expire within the next `expiringSoon.days` days, and the first moment some do. */
    expiringSoon: z.object({ points: Count, days: Count, firstAt: EpochMs.nullable() }),
  }),
});
export type MemberView = z.infer<typeof MemberView>;

/** GET /v1/members/invite: the shopper's 邀请码, the link friends open, what an invite earns, the friends who joined. */
export const InviteView = z.object({
  code: z.string().max(32),
  /** The web shop's login page with the code (`…/#/packageUser/pages/login/index?invite=<code>`). */
  link: z.string().max(2048),
  /** The mini-program path a shared card opens (the login page with the code). */
  path: z.string().max(512),
  /** What the inviter gets, in words (from the members config). */
  rules: z.array(Label).max(10),
  friends: z
    .array(z.object({ nickname: Label, joinedAt: EpochMs, firstOrderPaid: z.boolean() }))
    .max(200),
  rewards: z.object({ points: Count, friendsRewarded: Count }),
});
export type InviteView = z.infer<typeof InviteView>;

export const PointsHistoryQuery = z.object({ cursor: Cursor, limit: z.coerce.number().int().min(1).max(50).default(20) });

/** One line of 积分明细: the change, its plain reason, when. */
const PointsEntryView = z.object({
  id: Ref,
  /** + for earned / returned, − for spent / expired / reversed (available and pending together). */
  points: z.number().int(),
  /** 到账中 while the points are pending; empty otherwise. */
  pendingLabel: Label,
  reason: Title,
  /** The order the change belongs to (the line links to it), when it belongs to one. */
  orderId: Ref.nullable(),
  at: EpochMs,
});
export const PointsHistoryPage = page(PointsEntryView);
export type PointsHistoryPage = z.infer<typeof PointsHistoryPage>;

export const CheckInQuery = z.object({ month: z.string().max(7).regex(/^\d{4}-\d{2}$/, '月份格式应为 YYYY-MM').optional() });

/** The 签到 calendar of a month, the streak, and what today's check-in gave (after a POST). */
export const CheckInView = z.object({
  today: z.string().max(10),
  checkedInToday: z.boolean(),
  /** Consecutive days up to today (or yesterday when today is not checked in yet); 0 when broken. */
  streak: Count,
  month: z.string().max(7),
  days: z.array(z.object({ day: z.string().max(10), checked: z.boolean() })).max(31),
  /** POST only: points credited by this check-in (0 when it was already done today), of which bonus. */
  awarded: Count.optional(),
  bonus: Count.optional(),
  /** e.g. 再签 3 天可额外获得 5 积分 */
  hint: Label,
  available: Count,
});
export type CheckInView = z.infer<typeof CheckInView>;

const MallItemView = z.object({
  id: Ref,
  name: Label,
  description: z.string().max(200),
  points: Count,
  kind: z.enum(['coupon', 'gift']),
  /** 优惠券 / 实物礼品 */
  kindLabel: Label,
  left: Count,
  /** Why this shopper cannot redeem it now (积分不足, 已兑完, 仅限金卡及以上会员…); empty when they can. */
  refusal: Label,
});
export const MallResponse = z.object({ items: z.array(MallItemView).max(200), available: Count });
export type MallResponse = z.infer<typeof MallResponse>;

export const MallItemPath = z.object({ itemId: z.string().regex(/^[a-z0-9-]{2,40}$/, '商品编号格式不正确') });
export const RedeemRequest = z.object({
  /** One per tap of 确认兑换: a retried request with the same key redeems once. */
  idempotencyKey: z.string().max(64).regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确'),
});
export const RedeemResponse = z.object({
  itemId: Ref,
  name: Label,
  points: Count,
  /** 兑换成功，优惠券已放入“我的优惠券” / 兑换成功，礼品将尽快寄出 */
  message: Label,
  couponId: Ref.nullable(),
  available: Count,
});
export type RedeemResponse = z.infer<typeof RedeemResponse>;
