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
import type { Fen } from '../money';
import type { GroupDealCampaign } from '../campaigns/schema';
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

export const GROUP_STATUSES = ['OPEN', 'SUCCESS', 'FAILED'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** Also the three tabs of 我的拼团. */
export const GROUP_STATUS_LABEL: Record<GroupStatus, string> = {
  OPEN: '拼团中',
  SUCCESS: '拼团成功',
  FAILED: '拼团失败',
};

export function isGroupTerminal(status: GroupStatus): boolean {
  return status !== 'OPEN';
}

/**
 * A member's seat:
 * - HELD: paid and seated in an OPEN group. The order is paid but waits (拼团中): it must not ship yet.
 * - WON: the group succeeded. The order moves on to 待发货.
 * - REFUND_DUE: the group failed. The order is refunded in full; the refund's own progress lives on the order.
 */
export const SEAT_STATES = ['HELD', 'WON', 'REFUND_DUE'] as const;
export type SeatState = (typeof SEAT_STATES)[number];

/** The deal's terms a group keeps for its whole life, copied when it opens: editing the campaign later does not
 *  change the size or the rules of groups already running. */
export interface GroupTerms {
  size: GroupDealCampaign['groupSize'];
  onFull: GroupDealCampaign['onFull'];
  robotFill: GroupDealCampaign['robotFill'];
  timeLimitMinutes: GroupDealCampaign['timeLimitMinutes'];
  /** The campaign's end (exclusive, epoch ms): no group's deadline runs past it and no group opens at or after it. */
  campaignEndAt: number;
}

/** Someone whose payment for a group order has just been confirmed (verified notification or order query). */
export interface Joiner {
  userId: string;
  orderId: string;
  skuId: string;
  /** What WeChat confirmed as paid for this order (amount.total), in fen: the most that can ever be refunded. */
  paidFen: Fen;
  /** Who shared the link they came from; recorded for invite rewards and member levels. */
  inviterId?: string | null;
}

export interface GroupMember {
  userId: string;
  /** Null only for a robot. */
  orderId: string | null;
  skuId: string | null;
  role: 'leader' | 'member';
  /** A virtual member added by robot fill at the deadline; it has no order and pays nothing. */
  robot: boolean;
  seatedAt: number;
  paidFen: Fen;
  /** Given back when the group succeeds (the leader-free rebate); 0 for everyone else. Fixed when the seat is taken. */
  refundOnSuccessFen: Fen;
  inviterId: string | null;
  seat: SeatState;
}

export interface Group {
  id: string;
  campaignId: string;
  productId: string;
  status: GroupStatus;
  leaderUserId: string;
  /** The leader's payment time: the group exists from here. */
  openedAt: number;
  /** This group's own deadline (exclusive). */
  deadline: number;
  closedAt: number | null;
  terms: GroupTerms;
  /** In seat order; the leader first. */
  members: GroupMember[];
}

export type GroupEvent =
  /** A joiner's payment is confirmed: they claim a seat now, or are moved to a new group, or refunded. */
  | { type: 'JOIN_PAID'; joiner: Joiner }
  /** The last seat was taken: the group succeeds and its orders go ahead. */
  | { type: 'FILL' }
  /** The group's deadline schedule (or the sweeper) fired: robot fill or fail, unless already full. */
  | { type: 'DEADLINE' };

/** Why a group refund is made; it is also the suffix of the refund's out_refund_no (`<orderId>-<reason>`). */
export type GroupRefundReason = 'GROUPFAILED' | 'GROUPLEADER' | 'GROUPFULL' | 'GROUPCLOSED' | 'GROUPDUP';

export interface GroupRefund {
  orderId: string;
  userId: string;
  amountFen: Fen;
  /** Deterministic per order and reason: retrying the refund is the same refund at WeChat. */
  outRefundNo: string;
  reason: GroupRefundReason;
  /** The unit goes back to stock and to the campaign quota (false for the leader's rebate: that order ships). */
  releaseStock: boolean;
}

export type GroupEffect =
  /** Create the group's one-off deadline schedule. */
  | { kind: 'SCHEDULE_DEADLINE'; groupId: string; at: number }
  /** The last seat was just taken: apply FILL now. */
  | { kind: 'FILL'; groupId: string }
  /** The order may ship: it moves to 待发货. */
  | { kind: 'ORDER_READY'; orderId: string }
  | ({ kind: 'REFUND' } & GroupRefund)
  /** Tell a member how their group ended. */
  | { kind: 'NOTIFY'; userId: string; groupId: string; status: 'SUCCESS' | 'FAILED' };

/** What becomes of a payer who did not get a seat. */
export type PayerOutcome =
  | { then: 'NEW_GROUP'; notice: string }
  | { then: 'REFUND'; notice: string; refund: GroupRefund };

export interface GroupRefusal {
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

export function refusal(code: GroupRefusalCode, payer?: PayerOutcome): GroupRefusal {
  return payer ? { ok: false, code, message: GROUP_REFUSALS[code], payer } : { ok: false, code, message: GROUP_REFUSALS[code] };
}

export function memberCount(group: Group): number {
  return group.members.length;
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
