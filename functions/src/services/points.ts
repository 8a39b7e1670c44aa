/**
 * Points: earned on paid orders (pending, then available), by 签到, invites, reviews and feedback; spent in the
 * 积分商城 (and, later, at checkout); reversed and returned on refunds; expired a year on. Every change is one
 * transaction keyed by its business id (points-repo), so the stream's redeliveries, the jobs' overlaps and a
 * shopper's double taps change nothing twice. Reactions arrive from the table's stream (services/reactions.ts).
 */
import {
  DomainError,
  MEMBER_LEVEL_NAMES,
  cappedAward,
  campaignPointsMultiplier,
  checkInPoints,
  couponFromTemplate,
  daysOfMonth,
  levelRank,
  liveCampaigns,
  lotExpiresAt,
  maskNickname,
  nextStreak,
  orderPoints,
  previousDay,
  proportionalShare,
  reversalPlan,
  shanghaiDay,
  shanghaiMonth,
  type CheckInView,
  type EarnSource,
  type MallResponse,
  type PointsHistoryPage,
  type RedeemResponse,
} from '@shop/shared';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { logger } from '../lib/http';
import { newId } from '../lib/ids';
import { campaignConfig } from '../providers/campaign-config';
import { membersConfig } from '../providers/members-config';
import type { OrderItem } from '../domain/order';
import { inviterOf } from './invites';
import { keys } from '../repositories/keys';
import { orderRepo } from '../repositories/order-repo';
import { pointsRepo, type LedgerEntry, type PointsLot } from '../repositories/points-repo';
import type { RefundItem } from '../repositories/refund-repo';
import { userRepo } from '../repositories/user-repo';
import { growthChange, levelOf, levelPointsMultiplier } from './members';

const DAY_MS = 24 * 3600 * 1000;
/** Plans made on a read are tried again this often when a concurrent change moved what they were made on. */
const MAX_PLANS = 25;
function expiresAt(month: string): number {
  return lotExpiresAt(month, membersConfig().points.expiryMonths);
}

// ───────────── earning ─────────────

/**
 * Credits `points` from one source (签到 aside): into this month's lot, within the source's daily cap, with the
 * ledger entry — once per business id. Returns the points credited (0 for a replay or a spent cap).
 */
async function award(args: {
  userId: string;
  businessId: string;
  source: EarnSource;
  points: number;
  note: string;
  now: number;
  growth?: { invites: number };
}): Promise<number> {
  const cfg = membersConfig();
  const day = shanghaiDay(args.now);
  const month = shanghaiMonth(args.now);
  for (let attempt = 0; attempt < MAX_PLANS; attempt++) {
    const cap = cfg.points.dailyCaps[args.source];
    const seen = cap === null ? 0 : await pointsRepo.dayEarned(args.userId, day, args.source);
    const points = cappedAward(args.points, seen, cap);
    const member = args.growth ? await pointsRepo.member(args.userId) : null;
    const result = await pointsRepo.credit({
      userId: args.userId,
      entry: {
        businessId: args.businessId,
        source: args.source,
        delta: points,
        pendingDelta: 0,
        at: args.now,
        note: points < args.points ? `${args.note}（今日该类积分已达上限）` : args.note,
      },
      lot: { kind: 'month', month, expiresAt: expiresAt(month) },
      cap: { day, source: args.source, cap, seen },
      growth: args.growth ? { seen: member, change: growthChange(member, args.growth, args.now, args.note) } : undefined,
    });
    if (result === 'applied') return points;
    if (result === 'replayed') return 0;
  }
  throw new DomainError('RATE_LIMITED', '积分处理繁忙，请稍后再试');
}

/**
 * A paid order earns paid fen × rate × level multiplier × live campaign multiplier, pending until `pendingDays` after
 * payment (a job then makes it available); the order's spend counts towards the level at once. Once per order.
 */
async function earnForOrder(order: OrderItem): Promise<'earned' | 'replayed' | 'not-paid'> {
  if (!order.paidAt || !order.paidFen) return 'not-paid';
  // A payment that came after the order closed and found nothing to buy is recorded on the cancelled order and owed
  // back (PAY_LATE_UNAVAILABLE → REFUND_LATE): the order never became PAID, so it earns nothing.
  if (order.status === 'CANCELLED' || (order.status === 'REFUNDING' || order.status === 'REFUNDED') && order.refundFrom === 'CANCELLED') return 'not-paid';
  const businessId = `ORDER#${order.id}`;
  if (await pointsRepo.entry(order.userId, businessId)) return 'replayed';
  const cfg = membersConfig();
  const { config: campaigns } = await campaignConfig();
  const month = shanghaiMonth(order.paidAt);
  const day = shanghaiDay(order.paidAt);
  for (let attempt = 0; attempt < MAX_PLANS; attempt++) {
    const member = await pointsRepo.member(order.userId);
    const level = levelOf(member);
    const live = liveCampaigns(campaigns, { at: order.paidAt, user: { id: order.userId, level, isNew: false, segments: [] } });
    const full = orderPoints(order.paidFen, cfg.points.order, levelPointsMultiplier(level, cfg), campaignPointsMultiplier(live));
    const cap = cfg.points.dailyCaps.ORDER;
    const seen = cap === null ? 0 : await pointsRepo.dayEarned(order.userId, day, 'ORDER');
    const points = cappedAward(full, seen, cap);
    const pendingDays = cfg.points.order.pendingDays;
    const result = await pointsRepo.credit({
      userId: order.userId,
      entry: {
        businessId,
        source: 'ORDER',
        delta: pendingDays === 0 ? points : 0,
        pendingDelta: pendingDays === 0 ? 0 : points,
        at: order.paidAt,
        note: orderNote(full, points, pendingDays),
        orderId: order.id,
        earned: points,
        paidFen: order.paidFen,
        accountedFen: 0,
      },
      lot:
        pendingDays === 0
          ? { kind: 'month', month, expiresAt: expiresAt(month) }
          : { kind: 'pending', orderId: order.id, availableAt: order.paidAt + pendingDays * DAY_MS, month, expiresAt: expiresAt(month) },
      cap: { day, source: 'ORDER', cap, seen },
      growth: { seen: member, change: growthChange(member, { spentFen: order.paidFen }, order.paidAt, `订单 ${order.id} 消费`, cfg) },
    });
    if (result === 'applied') return 'earned';
    if (result === 'replayed') return 'replayed';
  }
  throw new Error(`order ${order.id}: points could not be credited (kept conflicting)`);
}

/** 积分明细's words for an order's points: what it earned and when, or why it earned nothing. */
function orderNote(full: number, points: number, pendingDays: number): string {
  if (full === 0) return '本单金额未满积分门槛，未获得积分';
  if (points === 0) return '购物积分今日已达上限，本单未获得积分';
  return `购物获得积分${pendingDays ? `（${pendingDays} 天后到账）` : ''}${points < full ? '（今日该类积分已达上限）' : ''}`;
}

/**
 * An invited friend's first paid order rewards the inviter once per friend (INVITE#<friend>), and counts as one invited
 * member towards the inviter's level. The inviter is who the friend's account was opened by (`invitedBy`, 邀请好友),
 * else the group-buy share the order came through; it must be another registered shopper.
 */
async function rewardInviter(order: OrderItem, now: number): Promise<'rewarded' | 'none'> {
  if (!order.paidAt) return 'none';
  const inviter = await inviterOf(order);
  if (!inviter || inviter === order.userId || !order.paidAt) return 'none';
  if (await pointsRepo.entry(inviter, `INVITE#${order.userId}`)) return 'none';
  const paid = await pointsRepo.paidOrders(order.userId);
  const earlier = paid.some((o) => o.id !== order.id && (o.paidAt < order.paidAt! || (o.paidAt === order.paidAt && o.id < order.id)));
  if (earlier) return 'none';
  const [inviterAccount, friend] = await Promise.all([userRepo.get(inviter), userRepo.get(order.userId)]);
  if (!inviterAccount) return 'none';
  await award({
    userId: inviter,
    businessId: `INVITE#${order.userId}`,
    source: 'INVITE',
    points: membersConfig().points.invite.points,
    note: `邀请的好友${friend ? ` ${maskNickname(friend.nickname)} ` : ''}完成首单`,
    now,
    growth: { invites: 1 },
  });
  return 'rewarded';
}

/** A published review (called by the reviews feature): points once per review. */
export function awardReview(userId: string, reviewId: string, now: number): Promise<number> {
  return award({ userId, businessId: `REVIEW#${reviewId}`, source: 'REVIEW', points: membersConfig().points.review.points, note: '发表评价', now });
}

/** Accepted feedback (called by the feedback feature): points once per feedback. */
export function awardFeedback(userId: string, feedbackId: string, now: number): Promise<number> {
  return award({ userId, businessId: `FEEDBACK#${feedbackId}`, source: 'FEEDBACK', points: membersConfig().points.feedback.points, note: '意见反馈被采纳', now });
}

/**
 * Points given outright by the shop (the demo shoppers' starting points): once per gift id (`GIFT#<giftId>`), into
 * this month's lot like any earning, outside the daily caps. Returns the points credited (0 for a replay).
 */
export async function giftPoints(userId: string, giftId: string, points: number, note: string, now: number): Promise<number> {
  const month = shanghaiMonth(now);
  const result = await pointsRepo.credit({
    userId,
    entry: { businessId: `GIFT#${giftId}`, source: 'GIFT', delta: points, pendingDelta: 0, at: now, note },
    lot: { kind: 'month', month, expiresAt: expiresAt(month) },
  });
  return result === 'applied' ? points : 0;
}

// ───────────── refunds ─────────────

/**
 * A refund paid (REFUNDED) reverses the order's points in proportion (exact over several partial refunds), from the
 * order's pending lot while pending, else its month's lot first and then the oldest; what was spent already is the
 * shortfall (recorded; the balance never goes below 0). Spend net of refunds moves the growth. Points spent on the
 * order come back in the same proportion. Once per refund (REVERSAL#<no>, RETURN#<no>).
 */
async function reverseForRefund(refund: RefundItem, now: number): Promise<'reversed' | 'replayed' | 'none'> {
  if (refund.paymentTransactionId || refund.paidTwice) return 'none';
  const order = await orderRepo.get(refund.orderId);
  if (!order || !order.paidFen) return 'none';
  // The earning may not have been handled yet (records of different items arrive in any order): it comes first.
  await earnForOrder(order);
  const reversal = await reversePoints(order, refund, now);
  await returnSpent(order, refund, now);
  return reversal;
}

async function reversePoints(order: OrderItem, refund: RefundItem, now: number): Promise<'reversed' | 'replayed' | 'none'> {
  const cfg = membersConfig();
  const userId = order.userId;
  const businessId = `REVERSAL#${refund.outRefundNo}`;
  for (let attempt = 0; attempt < MAX_PLANS; attempt++) {
    if (await pointsRepo.entry(userId, businessId)) return 'replayed';
    const earned = await pointsRepo.entry(userId, `ORDER#${order.id}`);
    if (!earned) return 'none';
    const seenFen = earned.accountedFen ?? 0;
    const newFen = Math.min(order.paidFen!, seenFen + refund.amountFen);
    const points = proportionalShare(earned.earned ?? 0, order.paidFen!, seenFen, newFen);
    const lots = await pointsRepo.lots(userId);
    const takes: { lot: PointsLot; take: number }[] = [];
    let left = points;
    const pending = lots.find((l) => l.lotId === pointsRepo.pendingLotId(order.id) && l.status === 'PENDING');
    if (pending && pending.remaining > 0 && left > 0) {
      const take = Math.min(left, pending.remaining);
      takes.push({ lot: pending, take });
      left -= take;
    }
    const available = lots.filter((l) => l.status === 'AVAILABLE');
    const plan = reversalPlan(
      available.map((l) => ({ id: l.lotId, remaining: l.remaining, expiresAt: l.expiresAt })),
      left,
      pointsRepo.monthLotId(shanghaiMonth(order.paidAt!)),
    );
    for (const p of plan.plan) takes.push({ lot: available.find((l) => l.lotId === p.id)!, take: p.take });
    const member = await pointsRepo.member(userId);
    const spentBack = newFen - seenFen;
    const entry: LedgerEntry = {
      businessId,
      source: 'REVERSAL',
      delta: -takes.filter((t) => t.lot.status === 'AVAILABLE').reduce((n, t) => n + t.take, 0),
      pendingDelta: -takes.filter((t) => t.lot.status === 'PENDING').reduce((n, t) => n + t.take, 0),
      at: now,
      note: plan.shortfall ? `订单退款，扣回积分（${plan.shortfall} 积分已使用，无法扣回）` : '订单退款，扣回积分',
      orderId: order.id,
      lots: takes.map((t) => ({ lot: t.lot.lotId, points: t.take })),
      ...(plan.shortfall ? { shortfall: plan.shortfall } : {}),
    };
    const result = await pointsRepo.reverse({
      userId,
      entry,
      orderEntry: { businessId: earned.businessId, seenFen, newFen },
      takes,
      growth: spentBack ? { seen: member, change: growthChange(member, { spentFen: -spentBack }, now, `订单 ${order.id} 退款`, cfg) } : null,
    });
    if (result === 'applied') {
      if (plan.shortfall) logger.warn('points reversal short', { userId, orderId: order.id, shortfall: plan.shortfall });
      return 'reversed';
    }
    if (result === 'replayed') return 'replayed';
  }
  throw new Error(`refund ${refund.outRefundNo}: points could not be reversed (kept conflicting)`);
}

/** Points spent on the order (checkout) come back in proportion to the refund. */
async function returnSpent(order: OrderItem, refund: RefundItem, now: number): Promise<void> {
  const cfg = membersConfig();
  const userId = order.userId;
  const businessId = `RETURN#${refund.outRefundNo}`;
  for (let attempt = 0; attempt < MAX_PLANS; attempt++) {
    if (await pointsRepo.entry(userId, businessId)) return;
    const spend = await pointsRepo.entry(userId, `SPEND#${order.id}`);
    if (!spend || !spend.spent) return;
    const seenFen = spend.accountedFen ?? 0;
    const newFen = Math.min(order.paidFen!, seenFen + refund.amountFen);
    const back = proportionalShare(spend.spent, order.paidFen!, seenFen, newFen);
    // Back into the oldest month they came from while it lives long enough; else into this month.
    const from = spend.lots?.[0]?.lot;
    const fromLot = from ? await pointsRepo.lot(userId, from) : null;
    const keep = fromLot && fromLot.status !== 'EXPIRED' && fromLot.expiresAt > now + cfg.points.returnMinDays * DAY_MS;
    const month = keep ? fromLot.month! : shanghaiMonth(now);
    const result = await pointsRepo.returnSpent({
      userId,
      entry: { businessId, source: 'RETURN', delta: back, pendingDelta: 0, at: now, note: '订单退款，退回抵扣的积分', orderId: order.id, lots: [{ lot: pointsRepo.monthLotId(month), points: back }] },
      spendEntry: { businessId: spend.businessId, seenFen, newFen },
      month,
      expiresAt: expiresAt(month),
    });
    if (result === 'applied' || result === 'replayed') return;
  }
  throw new Error(`refund ${refund.outRefundNo}: spent points could not be returned (kept conflicting)`);
}

// ───────────── the table's stream ─────────────

/**
 * What a change of the table means for points and levels (called once per stream record by services/reactions.ts):
 * an order that became PAID earns (and may reward the inviter); a refund paid (REFUNDED) reverses and returns.
 */
export async function onChangeForMembers(
  change: { next: Record<string, any> | null; previous: Record<string, any> | null },
  now: number,
): Promise<string> {
  const { next, previous } = change;
  if (next?.type === 'order') {
    const order = next as OrderItem;
    if (order.status !== 'PAID' || previous?.status === 'PAID' || !order.paidAt) return 'none';
    const earned = await earnForOrder(order);
    const invite = await rewardInviter(order, now);
    return `points-${earned}${invite === 'rewarded' ? '-invite' : ''}`;
  }
  if (next?.type === 'refund') {
    if (next.status !== 'REFUNDED' || previous?.status === 'REFUNDED') return 'none';
    return `points-${await reverseForRefund(next as RefundItem, now)}`;
  }
  return 'none';
}

// ───────────── jobs ─────────────

/**
 * The scheduled job: pending lots whose day has come become available; month lots past their expiry expire; the
 * yearly level review when on. Each lot moves once (its status and remaining are the write's condition).
 */
export async function runPointsJobs(now: number): Promise<{ released: number; expired: number }> {
  let released = 0;
  let expired = 0;
  for (const kind of ['pending', 'expiry'] as const) {
    const done = new Set<string>();
    for (let round = 0; round < 50; round++) {
      const due = (await pointsRepo.due(kind, now)).filter((d) => !done.has(`${d.userId}#${d.lotId}`));
      if (due.length === 0) break;
      for (const d of due) {
        done.add(`${d.userId}#${d.lotId}`);
        const outcome = kind === 'pending' ? await releaseLot(d.userId, d.lotId!, now) : await expireLot(d.userId, d.lotId!, now);
        if (outcome) kind === 'pending' ? released++ : expired++;
      }
    }
  }
  return { released, expired };
}

async function releaseLot(userId: string, lotId: string, now: number): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_PLANS; attempt++) {
    const lot = await pointsRepo.lot(userId, lotId);
    if (!lot || lot.status !== 'PENDING' || (lot.availableAt ?? Infinity) > now) return false;
    const result = await pointsRepo.release(lot, expiresAt(lot.month!), now);
    if (result === 'applied') return true;
    if (result === 'replayed') return false;
  }
  return false;
}

async function expireLot(userId: string, lotId: string, now: number): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_PLANS; attempt++) {
    const lot = await pointsRepo.lot(userId, lotId);
    if (!lot || lot.status !== 'AVAILABLE' || lot.expiresAt > now) return false;
    const result = await pointsRepo.expire(lot, now);
    if (result === 'applied') return true;
    if (result === 'replayed') return false;
  }
  return false;
}

// ───────────── 签到 ─────────────

async function calendar(userId: string, month: string, now: number, extra: Partial<CheckInView> = {}): Promise<CheckInView> {
  const cfg = membersConfig().points.checkIn;
  const today = shanghaiDay(now);
  const [entries, state, balance] = await Promise.all([pointsRepo.entries(userId, `CHECKIN#${month}`), pointsRepo.checkInState(userId), pointsRepo.balance(userId)]);
  const checked = new Set(entries.map((e) => e.businessId.slice('CHECKIN#'.length)));
  const checkedInToday = state?.day === today;
  const streak = state && (state.day === today || state.day === previousDay(today)) ? state.streak : 0;
  const every = cfg.streakBonus.every;
  const toBonus = every - (streak % every);
  const hint = cfg.streakBonus.bonus > 0 ? `再签 ${toBonus} 天可额外获得 ${cfg.streakBonus.bonus} 积分` : `每日签到得 ${cfg.points} 积分`;
  return {
    today,
    checkedInToday,
    streak,
    month,
    days: daysOfMonth(month).map((day) => ({ day, checked: checked.has(day) })),
    hint,
    available: balance.available,
    ...extra,
  };
}

/** GET /v1/points/check-in */
export function checkInCalendar(userId: string, month: string | undefined, now: number): Promise<CheckInView> {
  return calendar(userId, month ?? shanghaiMonth(now), now);
}

/**
 * POST /v1/points/check-in: once per Asia/Shanghai day (the CHECKIN#<day> entry fails a second time by itself); the
 * streak continues from yesterday's check-in, every `every`-th day adds the bonus.
 */
export async function checkIn(userId: string, now: number): Promise<CheckInView> {
  const cfg = membersConfig();
  const day = shanghaiDay(now);
  const month = shanghaiMonth(now);
  for (let attempt = 0; attempt < MAX_PLANS; attempt++) {
    const state = await pointsRepo.checkInState(userId);
    if (state?.day === day) return calendar(userId, month, now, { awarded: 0, bonus: 0 });
    const streak = nextStreak(day, state);
    const { points: full, bonus } = checkInPoints(streak, cfg.points.checkIn);
    const cap = cfg.points.dailyCaps.CHECKIN;
    const seen = cap === null ? 0 : await pointsRepo.dayEarned(userId, day, 'CHECKIN');
    const points = cappedAward(full, seen, cap);
    const result = await pointsRepo.checkIn({
      userId,
      day,
      streak,
      seenDay: state?.day ?? null,
      month,
      expiresAt: expiresAt(month),
      entry: {
        businessId: `CHECKIN#${day}`,
        source: 'CHECKIN',
        delta: points,
        pendingDelta: 0,
        at: now,
        note: bonus ? `签到（连续 ${streak} 天，额外奖励 ${bonus} 积分）` : `签到（连续 ${streak} 天）`,
      },
      cap: { day, source: 'CHECKIN', cap, seen },
    });
    if (result === 'applied') return calendar(userId, month, now, { awarded: points, bonus: Math.min(bonus, points) });
    if (result === 'replayed') return calendar(userId, month, now, { awarded: 0, bonus: 0 });
  }
  throw new DomainError('RATE_LIMITED', '签到人数较多，请稍后再试');
}

// ───────────── history ─────────────

const HistoryPosition = z.object({ k: z.string().regex(/^\d{15}#[A-Za-z0-9#_:-]{1,120}$/) }).strict();

/** GET /v1/points/history: newest first. */
export async function history(userId: string, q: { cursor?: string; limit: number }): Promise<PointsHistoryPage> {
  const scope = keys.pointsHistoryPartition(userId);
  const after = decodeCursor(q.cursor, scope, HistoryPosition);
  const page = await pointsRepo.history(userId, q.limit, after?.k);
  return {
    items: page.items.map((e) => ({
      id: e.businessId.slice(0, 64),
      points: e.delta + e.pendingDelta,
      pendingLabel: e.source === 'ORDER' && e.pendingDelta > 0 ? '待到账' : '',
      reason: e.note,
      orderId: e.orderId ?? null,
      at: e.at,
    })),
    nextCursor: page.last ? encodeCursor(scope, { k: page.last }) : null,
  };
}

// ───────────── 积分商城 ─────────────

/** GET /v1/points/mall: every item with what is left and why this shopper cannot redeem it, if so. */
export async function mall(userId: string | null): Promise<MallResponse> {
  const cfg = membersConfig();
  const items = cfg.mall.items;
  const [{ redeemed, mine }, balance, member] = await Promise.all([
    pointsRepo.mallCounts(
      items.map((i) => i.id),
      userId,
    ),
    userId ? pointsRepo.balance(userId) : Promise.resolve(null),
    userId ? pointsRepo.member(userId) : Promise.resolve(null),
  ]);
  return {
    available: balance?.available ?? 0,
    items: items.map((i) => {
      const left = Math.max(0, i.stock - (redeemed.get(i.id) ?? 0));
      const refusal =
        left === 0
          ? '已兑完'
          : !userId
            ? ''
            : levelRank(levelOf(member)) < levelRank(i.minLevel)
              ? `仅限${MEMBER_LEVEL_NAMES[i.minLevel]}及以上会员`
              : (mine.get(i.id) ?? 0) >= i.perUserLimit
                ? '已达兑换上限'
                : (balance?.available ?? 0) < i.points
                  ? '积分不足'
                  : '';
      return { id: i.id, name: i.name, description: i.description, points: i.points, kind: i.kind, kindLabel: i.kind === 'coupon' ? '优惠券' : '实物礼品', left, refusal };
    }),
  };
}

/**
 * POST /v1/points/mall/{itemId}/redeem: ONE transaction of the points spent (first earned first spent, `available >=
 * :n`), the item's stock and the shopper's limit, and what is granted (the coupon, or the gift to ship). A retry with
 * the same idempotency key redeems once.
 */
export async function redeem(userId: string, itemId: string, idempotencyKey: string, now: number): Promise<RedeemResponse> {
  const cfg = membersConfig();
  const item = cfg.mall.items.find((i) => i.id === itemId);
  if (!item) throw new DomainError('NOT_FOUND', '积分商城没有该商品');
  const businessId = `REDEEM#${idempotencyKey}`;
  const answer = async (couponId: string | null): Promise<RedeemResponse> => ({
    itemId: item.id,
    name: item.name,
    points: item.points,
    message: item.kind === 'coupon' ? '兑换成功，优惠券已放入“我的优惠券”' : '兑换成功，礼品将尽快寄出',
    couponId,
    available: (await pointsRepo.balance(userId)).available,
  });
  const done = await pointsRepo.entry(userId, businessId);
  if (done) {
    if (done.mallItemId !== itemId) throw new DomainError('IDEMPOTENCY_KEY_REUSED', '重复提交的兑换内容不一致，请刷新后重试');
    return answer(done.couponId ?? null);
  }
  const member = await pointsRepo.member(userId);
  if (levelRank(levelOf(member)) < levelRank(item.minLevel)) throw new DomainError('FORBIDDEN', `仅限${MEMBER_LEVEL_NAMES[item.minLevel]}及以上会员兑换`);
  const extra = pointsRepo.mallItems(userId, item.id, { stock: item.stock, perUserLimit: item.perUserLimit });
  let couponId: string | null = null;
  if (item.kind === 'coupon') {
    const { config } = await campaignConfig();
    const template = config.couponTemplates.find((t) => t.id === item.couponTemplateId);
    if (!template) throw new DomainError('POINTS_ITEM_SOLD_OUT', '该优惠券已停止兑换');
    couponId = newId(now);
    extra.push(
      pointsRepo.couponGrantItem({
        ...couponFromTemplate(template, { id: couponId, claimedAt: now }),
        userId,
        claimedAt: now,
        trigger: 'points_mall',
        campaignId: `mall:${item.id}`,
        orderId: null,
        lockedAt: null,
        usedAt: null,
      }),
    );
  }
  const result = await pointsRepo.spend(
    {
      userId,
      businessId,
      source: 'REDEEM',
      points: item.points,
      at: now,
      note: `积分商城兑换：${item.name}`,
      extra: { mallItemId: item.id, ...(couponId ? { couponId } : { giftStatus: 'TO_SHIP' as const }) },
    },
    extra,
  );
  switch (result) {
    case 'applied':
      return answer(couponId);
    case 'replayed':
      return redeem(userId, itemId, idempotencyKey, now);
    case 'insufficient':
      throw new DomainError('POINTS_INSUFFICIENT');
    case 'sold_out':
      throw new DomainError('POINTS_ITEM_SOLD_OUT');
    case 'limit':
      throw new DomainError('POINTS_ITEM_LIMIT', `每人限兑 ${item.perUserLimit} 次`);
    default:
      throw new DomainError('RATE_LIMITED', '兑换人数较多，请稍后再试');
  }
}
