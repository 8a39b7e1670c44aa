/**
 * The group-buy rules: deadlines, prices, who gets a seat, and what a deadline does. Pure functions over plain data;
 * the clock is a parameter (epoch ms), so the server, the mini-app and the tests agree without fake timers.
 */
import type { Fen } from '../money';
import type { GroupDealCampaign } from '../campaigns/schema';
import { DEFAULT_PAYMENT_WINDOW_MS } from '../order-lifecycle';
import { outRefundNo } from '../refund';
import { GROUP_REFUSALS, PAYER_NOTICES, type GroupRefusalCode } from './messages';
import type {
  Group,
  GroupEffect,
  GroupMember,
  GroupRefund,
  GroupRefundReason,
  GroupStatus,
  GroupTerms,
  Joiner,
} from './types';

const MINUTE_MS = 60_000;

type DealSku = GroupDealCampaign['skus'][number];

/**
 * A group's own deadline: the leader's payment time plus the deal's time limit, but never past the campaign's end.
 * Per GROUP, not per campaign (litemall #159): a group opened an hour before the campaign ends gets one hour, one
 * opened on the first day gets the full limit.
 */
export function groupDeadline(
  leaderPaidAt: number,
  deal: Pick<GroupDealCampaign, 'timeLimitMinutes'>,
  campaignEndAt: number,
): number {
  return Math.min(leaderPaidAt + deal.timeLimitMinutes * MINUTE_MS, campaignEndAt);
}

/** The terms a group copies from its deal when it opens. */
export function groupTerms(deal: Pick<GroupDealCampaign, 'groupSize' | 'onFull' | 'robotFill' | 'timeLimitMinutes' | 'window'>): GroupTerms {
  return {
    size: deal.groupSize,
    onFull: deal.onFull,
    robotFill: deal.robotFill,
    timeLimitMinutes: deal.timeLimitMinutes,
    campaignEndAt: deal.window.endAt,
  };
}

function dealSku(deal: Pick<GroupDealCampaign, 'skus'>, skuId: string): DealSku | undefined {
  return deal.skus.find((s) => s.skuId === skuId);
}

function requireSku(deal: Pick<GroupDealCampaign, 'skus'>, skuId: string): DealSku {
  const sku = dealSku(deal, skuId);
  if (!sku) throw new RangeError(`SKU ${skuId} is not part of this group deal`);
  return sku;
}

/**
 * 团长免单. A leader price of 0 counts too: WeChat Pay cannot charge 0 fen, so a free leader is handled one way only
 * (pay the group price, get it back when the group succeeds) whichever way the operator wrote it.
 */
function isLeaderFree(deal: Pick<GroupDealCampaign, 'skus' | 'leaderFree'>, skuId: string): boolean {
  return deal.leaderFree || requireSku(deal, skuId).leaderPriceFen === 0;
}

/**
 * What an order is CHARGED at payment. Members pay the group price. A leader pays the leader price when there is
 * one; a free leader pays the group price too and gets it back on success (see leaderRefundOnSuccessFen), because
 * WeChat Pay cannot take a 0-fen payment and because a free seat paid for by nobody would let anyone open groups at
 * no risk. Never 0.
 */
export function groupPrice(
  deal: Pick<GroupDealCampaign, 'skus' | 'leaderFree'>,
  skuId: string,
  role: 'leader' | 'member',
): Fen {
  const sku = requireSku(deal, skuId);
  if (role === 'member' || isLeaderFree(deal, skuId)) return sku.groupPriceFen;
  return sku.leaderPriceFen ?? sku.groupPriceFen;
}

/** What the leader finally pays once the group succeeds: 0 when leader-free. */
function leaderNetPriceFen(deal: Pick<GroupDealCampaign, 'skus' | 'leaderFree'>, skuId: string): Fen {
  if (isLeaderFree(deal, skuId)) return 0;
  const sku = requireSku(deal, skuId);
  return sku.leaderPriceFen ?? sku.groupPriceFen;
}

/**
 * Given back to a group's leader when it succeeds: what they paid minus what a leader finally pays. For a free
 * leader that is the whole group price; for a leader who paid the leader price it is 0. A payer moved to a new group
 * as its leader (onFull: new_group) paid the member price, so they get the difference to the leader's price back.
 * Never more than was paid.
 */
export function leaderRefundOnSuccessFen(
  deal: Pick<GroupDealCampaign, 'skus' | 'leaderFree'>,
  skuId: string,
  paidFen: Fen = groupPrice(deal, skuId, 'leader'),
): Fen {
  return Math.max(0, paidFen - leaderNetPriceFen(deal, skuId));
}

/**
 * The order's time_expire for a joiner: the usual payment window, but never past the group's deadline, so WeChat
 * itself stops a payment that could no longer take a seat. (A payment confirmed late is still handled: refunded.)
 */
export function joinOrderExpiresAt(group: Pick<Group, 'deadline'>, now: number, windowMs = DEFAULT_PAYMENT_WINDOW_MS): number {
  return Math.min(now + windowMs, group.deadline);
}

/** The order's time_expire for a leader: the usual window, never past the campaign's end (no group opens after it). */
export function leaderOrderExpiresAt(deal: Pick<GroupDealCampaign, 'window'>, now: number, windowMs = DEFAULT_PAYMENT_WINDOW_MS): number {
  return Math.min(now + windowMs, deal.window.endAt);
}

function assertPaid(joiner: Joiner): void {
  if (!Number.isSafeInteger(joiner.paidFen) || joiner.paidFen <= 0)
    throw new RangeError(`a confirmed payment is a positive number of fen, got ${joiner.paidFen}`);
}

function realMember(group: Group, userId: string): GroupMember | undefined {
  return group.members.find((m) => !m.robot && m.userId === userId);
}

/**
 * Why this shopper cannot take a seat right now, or null. Used before an order is created (to grey out 去参团 and
 * refuse early) and again, binding, when the payment is confirmed: between the two the group may have filled or
 * expired, which is why the payment-time decision also says what happens to the money.
 */
export function joinBlocker(group: Group, userId: string, now: number): GroupRefusalCode | null {
  if (realMember(group, userId)) return 'ALREADY_MEMBER';
  if (group.status === 'FAILED') return 'GROUP_ENDED';
  if (group.members.length >= group.terms.size) return 'GROUP_FULL';
  if (now >= group.deadline) return 'GROUP_EXPIRED';
  return null;
}

export type SeatDecision =
  /** Take the next seat; `fills` when it is the last one (apply FILL right after). */
  | { kind: 'SEAT'; fills: boolean }
  /** This very order already holds a seat (a repeated notification): nothing to do, nothing to refund. */
  | { kind: 'SEATED_ALREADY' }
  | { kind: 'FULL'; code: 'GROUP_FULL'; then: 'NEW_GROUP' | 'REFUND'; notice: string }
  | { kind: 'CLOSED'; code: 'GROUP_ENDED' | 'GROUP_EXPIRED'; then: 'REFUND'; notice: string }
  | { kind: 'DUPLICATE'; code: 'ALREADY_MEMBER'; then: 'REFUND'; notice: string };

/**
 * Can this payer take a seat now? Only while the group is OPEN, before its deadline, below its size, and not with a
 * second order of someone already seated. Order of the checks:
 * 1. the same order already seated → nothing (idempotent replay);
 * 2. the same shopper seated with another order → refund the new one (你已在团中);
 * 3. FAILED → refund (拼团已结束);
 * 4. every seat taken (also a SUCCESS group) → per onFull: lead a new group, or refund (拼团已满); a new group needs
 *    the campaign to be still running, otherwise refund;
 * 5. at or after the deadline → refund (已超过拼团时间);
 * 6. otherwise: seat.
 * Fullness comes before the deadline because a full group is about to succeed: the payer lost a race for a seat,
 * which onFull is meant for, rather than arriving at a dead group.
 */
export function seatDecision(group: Group, joiner: Joiner, now: number): SeatDecision {
  assertPaid(joiner);
  if (group.members.some((m) => m.orderId === joiner.orderId)) return { kind: 'SEATED_ALREADY' };
  const blocker = joinBlocker(group, joiner.userId, now);
  switch (blocker) {
    case null:
      return { kind: 'SEAT', fills: group.members.length + 1 === group.terms.size };
    case 'ALREADY_MEMBER':
      return { kind: 'DUPLICATE', code: blocker, then: 'REFUND', notice: PAYER_NOTICES.refund(GROUP_REFUSALS[blocker]) };
    case 'GROUP_FULL': {
      const canLead = group.terms.onFull === 'new_group' && groupDeadline(now, group.terms, group.terms.campaignEndAt) > now;
      return canLead
        ? { kind: 'FULL', code: blocker, then: 'NEW_GROUP', notice: PAYER_NOTICES.NEW_GROUP }
        : { kind: 'FULL', code: blocker, then: 'REFUND', notice: PAYER_NOTICES.refund(GROUP_REFUSALS[blocker]) };
    }
    case 'GROUP_ENDED':
    case 'GROUP_EXPIRED':
      return { kind: 'CLOSED', code: blocker, then: 'REFUND', notice: PAYER_NOTICES.refund(GROUP_REFUSALS[blocker]) };
    default:
      throw new RangeError(`unexpected join blocker ${blocker}`);
  }
}

/** The seat a joiner takes in an existing group. Members never get a success rebate. */
export function seatMember(joiner: Joiner, now: number): GroupMember {
  return {
    userId: joiner.userId,
    orderId: joiner.orderId,
    skuId: joiner.skuId,
    role: 'member',
    robot: false,
    seatedAt: now,
    paidFen: joiner.paidFen,
    refundOnSuccessFen: 0,
    inviterId: joiner.inviterId ?? null,
    seat: 'HELD',
  };
}

function groupRefund(orderId: string, userId: string, amountFen: Fen, reason: GroupRefundReason, releaseStock: boolean): GroupRefund {
  return { orderId, userId, amountFen, outRefundNo: outRefundNo(orderId, reason), reason, releaseStock };
}

/** The full refund of a payer who got no seat (and no new group): everything they paid goes back. */
export function payerRefund(joiner: Joiner, reason: Exclude<GroupRefundReason, 'GROUPFAILED' | 'GROUPLEADER'>): GroupRefund {
  assertPaid(joiner);
  return groupRefund(joiner.orderId, joiner.userId, joiner.paidFen, reason, true);
}

/** Robot ids are derived from the group, so a replayed deadline adds the same robots, never more. */
function robotMember(groupId: string, index: number, now: number): GroupMember {
  return {
    userId: `robot:${groupId}:${index}`,
    orderId: null,
    skuId: null,
    role: 'member',
    robot: true,
    seatedAt: now,
    paidFen: 0,
    refundOnSuccessFen: 0,
    inviterId: null,
    seat: 'WON',
  };
}

export interface GroupClose {
  group: Group;
  refunds: GroupRefund[];
  effects: GroupEffect[];
}

function succeed(group: Group, now: number, robots: GroupMember[]): GroupClose {
  const members = [...group.members.map((m): GroupMember => ({ ...m, seat: 'WON' })), ...robots];
  const real = members.filter((m): m is GroupMember & { orderId: string } => !m.robot && m.orderId !== null);
  // Only the leader-free rebate: a successful group keeps everyone else's money.
  const refunds = real
    .filter((m) => m.refundOnSuccessFen > 0)
    .map((m) => groupRefund(m.orderId, m.userId, Math.min(m.refundOnSuccessFen, m.paidFen), 'GROUPLEADER', false));
  const effects: GroupEffect[] = [
    ...real.map((m): GroupEffect => ({ kind: 'ORDER_READY', orderId: m.orderId })),
    ...refunds.map((r): GroupEffect => ({ kind: 'REFUND', ...r })),
    ...real.map((m): GroupEffect => ({ kind: 'NOTIFY', userId: m.userId, groupId: group.id, status: 'SUCCESS' })),
  ];
  return { group: { ...group, status: 'SUCCESS', closedAt: now, members }, refunds, effects };
}

function fail(group: Group, now: number): GroupClose {
  const members = group.members.map((m): GroupMember => ({ ...m, seat: 'REFUND_DUE' }));
  const real = members.filter((m): m is GroupMember & { orderId: string } => !m.robot && m.orderId !== null);
  // EVERY member with an order, the leader included, exactly once: their whole payment back and the unit restocked.
  const refunds = real.map((m) => groupRefund(m.orderId, m.userId, m.paidFen, 'GROUPFAILED', true));
  const effects: GroupEffect[] = [
    ...refunds.map((r): GroupEffect => ({ kind: 'REFUND', ...r })),
    ...real.map((m): GroupEffect => ({ kind: 'NOTIFY', userId: m.userId, groupId: group.id, status: 'FAILED' })),
  ];
  return { group: { ...group, status: 'FAILED', closedAt: now, members }, refunds, effects };
}

/**
 * FILL: an OPEN group whose every seat is taken succeeds. Not bound by the deadline: the seats were claimed before
 * it, only the bookkeeping came late. Null when seats are still free.
 */
export function fillOutcome(group: Group, now: number): GroupClose | null {
  if (group.status !== 'OPEN' || group.members.length < group.terms.size) return null;
  return succeed(group, now, []);
}

export type DeadlineOutcome =
  /** Before the deadline: nothing happens. */
  | { kind: 'NOT_DUE'; dueAt: number }
  /** Already SUCCESS or FAILED: nothing happens (the schedule and the sweeper may both fire). */
  | { kind: 'CLOSED'; status: GroupStatus }
  | ({ kind: 'SUCCESS'; robots: GroupMember[] } & GroupClose)
  | ({ kind: 'FAILED' } & GroupClose);

/**
 * What the deadline does to a group, at or after it (the deadline instant itself counts as reached):
 * - every seat already taken (FILL not yet applied) → SUCCESS, no robots;
 * - robot fill enabled → the free seats (at most size − 1, since the leader holds one) get virtual members flagged
 *   `robot: true`, and the group succeeds;
 * - otherwise FAILED, with one full refund for every member who paid, the leader included.
 * `deal` is normally the group's own terms (group.terms): a group keeps the rules it opened with.
 */
export function deadlineOutcome(group: Group, deal: Pick<GroupDealCampaign, 'robotFill'>, now: number): DeadlineOutcome {
  if (group.status !== 'OPEN') return { kind: 'CLOSED', status: group.status };
  if (now < group.deadline) return { kind: 'NOT_DUE', dueAt: group.deadline };
  const free = group.terms.size - group.members.length;
  if (free <= 0) return { kind: 'SUCCESS', robots: [], ...succeed(group, now, []) };
  if (deal.robotFill) {
    const robots = Array.from({ length: free }, (_, i) => robotMember(group.id, group.members.length + i, now));
    return { kind: 'SUCCESS', robots, ...succeed(group, now, robots) };
  }
  return { kind: 'FAILED', ...fail(group, now) };
}
