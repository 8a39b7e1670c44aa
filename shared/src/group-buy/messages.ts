/**
 * Why a group-buy step was refused, in one table: a stable code for programs and the Chinese line a shopper reads.
 * Kept apart from the state machine so the rules and the transition function can both use it without importing
 * each other.
 */
export const GROUP_REFUSALS = {
  /** The group failed (or was otherwise closed): nobody can join it any more. */
  GROUP_ENDED: '拼团已结束',
  /** Every seat is taken (the group succeeded, or its last seat was just claimed). */
  GROUP_FULL: '拼团已满',
  /** The group's own deadline has passed. */
  GROUP_EXPIRED: '已超过拼团时间',
  /** The payer already holds a seat in this group with another order. */
  ALREADY_MEMBER: '你已在团中',
  /** A leader paid after the campaign ended, so no group can open any more. */
  CAMPAIGN_ENDED: '拼团活动已结束',
  /** A deadline check arrived early (a schedule fired early or a sweeper ran ahead): nothing happens yet. */
  NOT_DUE: '拼团尚未到截止时间',
  /** FILL was asked for while seats are still free. */
  NOT_FULL: '拼团人数未满',
} as const;

export type GroupRefusalCode = keyof typeof GROUP_REFUSALS;

/** What a payer who did not get a seat is told. Both end in what happens to their money, so nobody is left guessing. */
export const PAYER_NOTICES = {
  NEW_GROUP: '拼团已满，已为你发起新团，邀请好友一起拼吧',
  refund: (reason: string) => `${reason}，支付的款项将原路退回`,
} as const;
