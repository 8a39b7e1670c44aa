/**
 * The group-buy (拼团) data: statuses, seats, members, groups, events and effects. Types and labels only; the rules
 * (rules.ts) and the state machine (state.ts) both build on them.
 */
import type { Fen } from '../money';
import type { GroupDealCampaign } from '../campaigns/schema';

export const GROUP_STATUSES = ['OPEN', 'SUCCESS', 'FAILED'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** Also the three tabs of 我的拼团. */
export const GROUP_STATUS_LABEL: Record<GroupStatus, string> = {
  OPEN: '拼团中',
  SUCCESS: '拼团成功',
  FAILED: '拼团失败',
};

/**
 * A member's seat:
 * - HELD: paid and seated in an OPEN group. The order is paid but waits (拼团中): it must not ship yet.
 * - WON: the group succeeded. The order moves on to 待发货.
 * - REFUND_DUE: the group failed. The order is refunded in full; the refund's own progress lives on the order.
 */
const SEAT_STATES = ['HELD', 'WON', 'REFUND_DUE'] as const;
type SeatState = (typeof SEAT_STATES)[number];

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

