/**
 * The group-buy (拼团) state machine.
 *
 *   OPEN ──JOIN_PAID──▶ OPEN            (a paid joiner takes a free seat)
 *   OPEN ──FILL───────▶ SUCCESS         (every seat is taken)
 *   OPEN ──DEADLINE───▶ SUCCESS         (full but FILL not yet recorded, or robot fill)
 *   OPEN ──DEADLINE───▶ FAILED          (seats left, no robot fill: every member is refunded)
 *
 * SUCCESS and FAILED are terminal. Every function here is pure: the group, the event and the clock (epoch ms) come
 * in, the next group and the side effects the group service must carry out come out. The service applies the same
 * rules as conditional writes, so a retried or duplicated event can never apply twice.
 *
 * Edge cases, and why they go the way they do:
 * - Seats are claimed at PAYMENT time, never at order time: an unpaid order holds no seat, so unpaid joiners can
 *   neither overfill a group nor block paying ones (the litemall overfill).
 * - Each group has its own deadline: the leader's payment time plus the deal's time limit, capped by the campaign's
 *   end (litemall #159 used one deadline per campaign).
 * - A payment processed exactly at the deadline is too late: the deadline instant belongs to "after", matching the
 *   service's write condition `deadline > :now`.
 * - The same payment notification twice (WeChat retries and duplicates): the order already holds its seat, so the
 *   second JOIN_PAID changes nothing and refunds nothing.
 * - A repeated notification of a payment that was REFUSED (refunded or moved to a new group) is not recognised by
 *   the group, which keeps only seated orders: the service's notification idempotency record (keyed by the WeChat
 *   transaction id) answers it, so the decision is made once per payment.
 * - The same shopper paying a second order for a group they are in: the second order is refunded (你已在团中); one
 *   person, one seat.
 * - A payer who finds the group full (last seat raced away, or already SUCCESS): per the deal's `onFull`, they lead a
 *   new group with the money they paid, or they are refunded. If the campaign is over, a new group cannot open, so
 *   they are refunded either way.
 * - A payer who arrives after the deadline or after the group FAILED is refunded. No payer is ever left charged
 *   without a seat: every refusal of a JOIN_PAID carries the refund to make.
 * - The last seat taken just before the deadline but FILL processed after it: FILL still applies (the seats were
 *   claimed in time), and a DEADLINE that gets there first treats the full group as SUCCESS, never FAILED.
 * - A DEADLINE that arrives early changes nothing (NOT_DUE); a DEADLINE or FILL on a finished group changes nothing,
 *   so the per-group schedule and the sweeper may both fire.
 * - On FAILED every member with an order is refunded, the leader included, each exactly once (CRMEB refunded only
 *   the leader; litemall #283 refunded by hand).
 * - On SUCCESS nobody is refunded, except the leader's rebate when the deal is leader-free (团长免单): WeChat Pay cannot
 *   charge 0, so the leader pays the group price and gets it back once the group succeeds.
 */
import type { GroupDealCampaign } from '../campaigns/schema';
import type { Group, GroupEffect, GroupEvent, GroupMember, GroupRefund, Joiner } from './types';
import { GROUP_REFUSALS, PAYER_NOTICES, type GroupRefusalCode } from './messages';
import {
  deadlineOutcome,
  fillOutcome,
  groupDeadline,
  groupTerms,
  leaderRefundOnSuccessFen,
  payerRefund,
  seatDecision,
  seatMember,
} from './rules';

/** What becomes of a payer who did not get a seat. */
type PayerOutcome =
  | { then: 'NEW_GROUP'; notice: string }
  | { then: 'REFUND'; notice: string; refund: GroupRefund };

interface GroupRefusal {
  ok: false;
  code: GroupRefusalCode;
  message: string;
  /** Present when the refused event was a payment: the payer is never left charged without a seat. */
  payer?: PayerOutcome;
}

export type GroupTransition =
  | {
      ok: true;
      group: Group;
      /** False for an event that was already applied (a duplicate notification, a second deadline firing). */
      changed: boolean;
      effects: GroupEffect[];
    }
  | GroupRefusal;

function refusal(code: GroupRefusalCode, payer?: PayerOutcome): GroupRefusal {
  return payer ? { ok: false, code, message: GROUP_REFUSALS[code], payer } : { ok: false, code, message: GROUP_REFUSALS[code] };
}

export function seatsLeft(group: Group): number {
  return Math.max(0, group.terms.size - group.members.length);
}

export interface OpenGroupInput {
  groupId: string;
  deal: GroupDealCampaign;
  /** The leader's confirmed payment; `now` is its payment time, from which the group's deadline runs. */
  leader: Joiner;
  now: number;
}

/**
 * ∅ → OPEN: the leader's payment opens the group, with its own deadline. Used for a new leader and for a payer who
 * found a group full under onFull: new_group. A leader whose payment is confirmed only after the campaign ended
 * (a late notification, or a late payment after the order timed out) cannot open a group any more: refunded.
 */
export function openGroup({ groupId, deal, leader, now }: OpenGroupInput): GroupTransition {
  const terms = groupTerms(deal);
  const deadline = groupDeadline(now, deal, terms.campaignEndAt);
  if (deadline <= now) {
    const refund = payerRefund(leader, 'GROUPCLOSED');
    return refusal('CAMPAIGN_ENDED', { then: 'REFUND', notice: PAYER_NOTICES.refund(GROUP_REFUSALS.CAMPAIGN_ENDED), refund });
  }
  const seat: GroupMember = {
    ...seatMember(leader, now),
    role: 'leader',
    refundOnSuccessFen: leaderRefundOnSuccessFen(deal, leader.skuId, leader.paidFen),
  };
  const group: Group = {
    id: groupId,
    campaignId: deal.id,
    productId: deal.productId,
    status: 'OPEN',
    leaderUserId: leader.userId,
    openedAt: now,
    deadline,
    closedAt: null,
    terms,
    members: [seat],
  };
  return { ok: true, group, changed: true, effects: [{ kind: 'SCHEDULE_DEADLINE', groupId, at: deadline }] };
}

const unchanged = (group: Group): GroupTransition => ({ ok: true, group, changed: false, effects: [] });

/** The one transition function. `now` is when the service processes the event (epoch ms). */
export function applyGroupEvent(group: Group, event: GroupEvent, now: number): GroupTransition {
  switch (event.type) {
    case 'JOIN_PAID': {
      const decision = seatDecision(group, event.joiner, now);
      switch (decision.kind) {
        case 'SEATED_ALREADY':
          return unchanged(group);
        case 'SEAT': {
          const next: Group = { ...group, members: [...group.members, seatMember(event.joiner, now)] };
          return { ok: true, group: next, changed: true, effects: decision.fills ? [{ kind: 'FILL', groupId: group.id }] : [] };
        }
        case 'FULL':
          return refusal(
            decision.code,
            decision.then === 'NEW_GROUP'
              ? { then: 'NEW_GROUP', notice: decision.notice }
              : { then: 'REFUND', notice: decision.notice, refund: payerRefund(event.joiner, 'GROUPFULL') },
          );
        case 'CLOSED':
          return refusal(decision.code, { then: 'REFUND', notice: decision.notice, refund: payerRefund(event.joiner, 'GROUPCLOSED') });
        case 'DUPLICATE':
          return refusal(decision.code, { then: 'REFUND', notice: decision.notice, refund: payerRefund(event.joiner, 'GROUPDUP') });
      }
      break;
    }
    case 'FILL': {
      if (group.status === 'SUCCESS') return unchanged(group);
      if (group.status === 'FAILED') return refusal('GROUP_ENDED');
      const outcome = fillOutcome(group, now);
      if (!outcome) return refusal('NOT_FULL');
      return { ok: true, group: outcome.group, changed: true, effects: outcome.effects };
    }
    case 'DEADLINE': {
      const outcome = deadlineOutcome(group, group.terms, now);
      if (outcome.kind === 'NOT_DUE') return refusal('NOT_DUE');
      if (outcome.kind === 'CLOSED') return unchanged(group);
      return { ok: true, group: outcome.group, changed: true, effects: outcome.effects };
    }
  }
  throw new RangeError(`unknown group event ${(event as { type: string }).type}`);
}
