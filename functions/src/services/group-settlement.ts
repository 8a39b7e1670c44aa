/**
 * What happens to group orders after their payment is confirmed, driven by the table's stream (never inline in the
 * payment notification): a paid leader opens the group, a paid member takes a seat, moves to lead a new group or is
 * refused and refunded; a full group succeeds; a group past its deadline is robot-filled or fails with every member
 * refunded. The decisions are the pure rules' (`openGroup`, `applyGroupEvent` in shared/src/group-buy); the writes
 * are conditional and every step is repeatable, so a redelivered stream record or the sweeper finishes what a crash
 * left.
 */
import { randomBytes } from 'node:crypto';
import {
  DomainError,
  GROUP_REFUSALS,
  applyGroupEvent,
  newShareToken,
  openGroup,
  type GroupDealCampaign,
  type GroupEffect,
  type GroupRefusalCode,
  type Joiner,
} from '@shop/shared';
import { logger } from '../lib/http';
import { campaignConfig } from '../providers/campaign-config';
import { groupRepo, type GroupItem, type MemberItem } from '../repositories/group-repo';
import { orderRepo } from '../repositories/order-repo';
import type { OrderItem } from '../domain/order';
import { userRepo } from '../repositories/user-repo';
import { sendGroupNotice, sendGroupNotices } from './group-notices';
import { requestRefund, type RefundReason } from './refunds';

async function deal(campaignId: string): Promise<GroupDealCampaign | null> {
  const { config: cfg } = await campaignConfig();
  const c = cfg.campaigns.find((x) => x.id === campaignId);
  return c && c.type === 'group_deal' ? c : null;
}

async function profile(userId: string): Promise<{ nickname: string | null; avatarUrl: string | null }> {
  const u = await userRepo.get(userId);
  return { nickname: u?.nickname || null, avatarUrl: u?.avatar || null };
}

const REFUND_FOR: Record<string, RefundReason> = {
  GROUP_FULL: 'GROUP_FULL',
  GROUP_ENDED: 'GROUP_CLOSED',
  GROUP_EXPIRED: 'GROUP_CLOSED',
  ALREADY_MEMBER: 'GROUP_DUP',
  CAMPAIGN_ENDED: 'GROUP_CLOSED',
};

/**
 * A payer who got no seat: the refund's event is the table's SEAT_REFUSED, which moves the membership PENDING → FAILED
 * in the refund's ONE transaction (stock and quota back), so a payer is never marked refused without the refund.
 */
async function refuseSeat(order: OrderItem, code: GroupRefusalCode | string, now: number): Promise<'refunded'> {
  await requestRefund(order.id, { reason: REFUND_FOR[code] ?? 'GROUP_CLOSED', restock: true }, now);
  const g = order.group;
  await sendGroupNotice(
    { groupId: g?.groupId ?? `o${order.id}`, token: g?.token ?? null, userId: order.userId, orderId: order.id, outcome: 'REFUSED', reason: GROUP_REFUSALS[code as GroupRefusalCode] },
    now,
  );
  return 'refunded';
}

export type GroupPaidOutcome = 'opened' | 'seated' | 'refunded' | 'noop';

/**
 * A group order's payment is confirmed (the order is PAID, membership PENDING). A leader opens the group; a member
 * claims a seat or, per the rules, leads a new group or is refunded. Safe to run again for the same order.
 */
export async function onGroupOrderPaid(orderId: string, now: number): Promise<GroupPaidOutcome> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const order = await orderRepo.get(orderId);
    if (!order?.group || order.status !== 'PAID' || order.group.status !== 'PENDING') return 'noop';
    const g = order.group;
    const joiner: Joiner = { userId: order.userId, orderId: order.id, skuId: order.lines[0].skuId, paidFen: order.paidFen ?? order.payableFen, inviterId: g.inviter };
    if (g.role === 'leader' || !g.groupId) {
      const d = await deal(g.campaignId);
      if (!d) return refuseSeat(order, 'CAMPAIGN_ENDED', now);
      if (!d.skus.some((s) => s.skuId === joiner.skuId)) return refuseSeat(order, 'CAMPAIGN_ENDED', now);
      // One group per leader order: a replay finds the same id already taken. Its deadline runs from the payment; a
      // leader-free rebate is on the goods paid for, not shipping.
      const opened = openGroup({ groupId: `g${order.id}`, deal: d, leader: { ...joiner, paidFen: Math.min(joiner.paidFen, order.lines[0].payableFen) }, now: order.paidAt ?? now });
      if (!opened.ok) return refuseSeat(order, opened.code, now);
      if (opened.group.deadline <= now) return refuseSeat(order, 'CAMPAIGN_ENDED', now);
      const { group } = opened;
      const item: GroupItem = {
        id: group.id,
        campaignId: group.campaignId,
        productId: group.productId,
        skuId: joiner.skuId,
        status: 'OPEN',
        leaderUserId: group.leaderUserId,
        openedAt: group.openedAt,
        deadline: group.deadline,
        closedAt: null,
        terms: group.terms,
        size: group.terms.size,
        memberCount: 1,
        token: newShareToken((n) => randomBytes(n)),
      };
      const leader: MemberItem = { ...group.members[0], groupId: group.id, ...(await profile(order.userId)) };
      if ((await groupRepo.open(item, leader, order, now)) === 'exists') continue;
      return 'opened';
    }
    const stored = await groupRepo.get(g.groupId);
    if (!stored) return refuseSeat(order, 'GROUP_ENDED', now);
    const t = applyGroupEvent(stored.group, { type: 'JOIN_PAID', joiner }, now);
    if (t.ok && !t.changed) {
      // Already seated by this order (a crash after the seat): the membership follows the group.
      await groupRepo.markMembership(order, stored.item.status === 'SUCCESS' ? 'GROUP_SUCCEEDED' : 'SEATED', now);
      continue;
    }
    if (t.ok) {
      const seat = t.group.members[t.group.members.length - 1];
      const member: MemberItem = { ...seat, groupId: stored.item.id, ...(await profile(order.userId)) };
      if ((await groupRepo.seat(member, order, stored.item.size, now)) === 'refused') continue;
      // The last seat (the rules say FILL): close the group; its orders are settled from the stream when it closes.
      // Decided on the group as read, a seat taken at the same moment by another payer can make this one the last
      // without the rules seeing it: the close is conditional on every seat being taken, so it is always tried.
      await groupRepo.close(stored.item.id, 'SUCCESS', { now, seen: stored.item.size, size: stored.item.size });
      return 'seated';
    }
    if (t.payer?.then === 'NEW_GROUP') {
      // Moved to lead a new group with the money already paid; its deadline runs from this payment.
      await groupRepo.markMembership(order, 'SEAT_MOVED', now, { role: 'leader', groupId: null, token: null });
      await sendGroupNotice({ groupId: stored.item.id, token: null, userId: order.userId, orderId: order.id, outcome: 'MOVED' }, now);
      continue;
    }
    return refuseSeat(order, t.code, now);
  }
  throw new DomainError('RATE_LIMITED', '当前参团人数较多，请稍后再试');
}

/**
 * Brings a group to its end: full → SUCCESS (FILL); past the deadline → robot fill or FAILED (DEADLINE), as the
 * rules decide; then carries out the rules' effects for every real member — ORDER_READY (membership SUCCESS, the
 * order ships), REFUND (the leader-free rebate, or every member's full refund with the membership FAILED in the same
 * transaction), NOTIFY (one message per member and outcome). Each step is conditional and repeatable; the group leaves
 * the due index only when every order has its outcome.
 */
export async function settleGroup(groupId: string, now: number): Promise<'success' | 'failed' | 'not_due' | 'noop'> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const stored = await groupRepo.get(groupId);
    if (!stored) return 'noop';
    const { item } = stored;
    if (item.status === 'OPEN') {
      const full = item.memberCount >= item.size;
      const t = applyGroupEvent(stored.group, { type: full ? 'FILL' : 'DEADLINE' }, now);
      if (!t.ok) return t.code === 'NOT_DUE' ? 'not_due' : 'noop';
      // Only the robots this step adds: robots seated by an earlier step are members already (a full group's FILL
      // lists them again), and adding them twice would be refused for ever.
      const robots = t.group.members.filter((m) => m.robot && !stored.members.some((s) => s.userId === m.userId));
      if (robots.length > 0) {
        await groupRepo.addRobots(groupId, robots.map((r) => ({ ...r, groupId, nickname: null, avatarUrl: null })), item.size, now);
        continue;
      }
      await groupRepo.close(groupId, t.group.status === 'SUCCESS' ? 'SUCCESS' : 'FAILED', { now, seen: item.memberCount, size: item.size });
      continue;
    }
    if (item.settled) return item.status === 'SUCCESS' ? 'success' : 'failed';
    // Closed: the rules' effects of that outcome, for the members as they are now.
    const reopened = { ...stored.group, status: 'OPEN' as const };
    const t = applyGroupEvent(reopened, { type: item.status === 'SUCCESS' ? 'FILL' : 'DEADLINE' }, Math.max(now, item.deadline));
    const effects: GroupEffect[] = t.ok ? t.effects : [];
    for (const e of effects) await carryOut(e, groupId, now);
    for (const m of stored.members) {
      const seat = item.status === 'SUCCESS' ? 'WON' : 'REFUND_DUE';
      if (!m.robot && m.seat !== seat) await groupRepo.setSeat(groupId, m.userId, seat);
    }
    await groupRepo.settled(groupId);
    await sendGroupNotices(
      effects.flatMap((e) => (e.kind === 'NOTIFY' ? [{ groupId, token: item.token, userId: e.userId, orderId: stored.members.find((m) => m.userId === e.userId)?.orderId ?? '', outcome: e.status }] : [])),
      now,
    );
    return item.status === 'SUCCESS' ? 'success' : 'failed';
  }
  logger.warn('group did not settle this round; the sweeper tries again', { groupId });
  return 'noop';
}

async function carryOut(e: GroupEffect, groupId: string, now: number): Promise<void> {
  switch (e.kind) {
    case 'ORDER_READY': {
      const order = await orderRepo.get(e.orderId);
      if (order?.group && order.group.status !== 'SUCCESS' && order.status === 'PAID') await groupRepo.markMembership(order, 'GROUP_SUCCEEDED', now);
      return;
    }
    case 'REFUND': {
      const order = await orderRepo.get(e.orderId);
      if (!order) return;
      if (e.reason === 'GROUPLEADER') {
        // 团长免单: an amount refund of an order that still ships; the same out_refund_no when asked again.
        if (!['PAID', 'SHIPPED', 'COMPLETED'].includes(order.status) || order.paidFen === null) {
          logger.warn('leader rebate skipped: the order is no longer payable back', { orderId: order.id, status: order.status, groupId });
          return;
        }
        await requestRefund(order.id, { reason: 'GROUP_LEADER', amountFen: Math.min(e.amountFen, order.paidFen), restock: false }, now);
        return;
      }
      // GROUP_FAILED (the table moves the membership OPEN → FAILED with the refund, once: a refunded order is not PAID).
      if (order.status === 'PAID') await requestRefund(order.id, { reason: 'GROUP_FAILED', restock: true }, now);
      return;
    }
    default:
      return;
  }
}

/** A seat reaction that never finished (its stream retries ran out) is picked up after this long. */
const SEAT_QUIET_MS = 2 * 60 * 1000;

/**
 * Every minute: each group whose deadline has passed (or that closed but is not settled yet), and each paid group
 * order whose seat is still undecided well after its payment (the stream's reaction normally decides it at once).
 */
export async function sweepDueGroups(now: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = { success: 0, failed: 0, not_due: 0, noop: 0, error: 0, seated: 0, opened: 0, refunded: 0 };
  for (const orderId of await orderRepo.seatsDue(now - SEAT_QUIET_MS, 100)) {
    try {
      counts[await onGroupOrderPaid(orderId, now)] += 1;
    } catch (e) {
      counts.error += 1;
      logger.error('seat of a paid group order failed', { orderId, error: e as Error });
    }
  }
  const due = await groupRepo.due(now, 100);
  const results = await Promise.allSettled(due.map((id) => settleGroup(id, now)));
  for (const r of results) {
    counts[r.status === 'fulfilled' ? r.value : 'error'] += 1;
    if (r.status === 'rejected') logger.error('group deadline failed', { error: r.reason as Error });
  }
  return counts;
}
