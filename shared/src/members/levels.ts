/**
 * Member levels: a tier is reached by paid spend net of refunds OR by invited members who made a first paid order;
 * benefits are inherited upward (a tier has every benefit of the tiers below it unless it sets one again).
 */
import { MEMBER_LEVELS, type MemberLevel } from '../campaigns/schema';
import type { MembersConfig, TierBenefits, TierConfig } from './config';

export interface Growth {
  /** Paid spend net of refunds, fen. */
  spentFen: number;
  /** Invited members whose first order was paid. */
  invites: number;
}

type Tiers = MembersConfig['levels']['tiers'];

/** The highest tier the growth reaches. */
export function levelFor(growth: Growth, tiers: Tiers): MemberLevel {
  let level: MemberLevel = 'NORMAL';
  for (const t of tiers) if (growth.spentFen >= t.minSpendFen || growth.invites >= t.minInvites) level = t.level;
  return level;
}

export const levelRank = (level: MemberLevel) => MEMBER_LEVELS.indexOf(level);

/** A tier's benefits with everything inherited from the tiers below it. */
export function benefitsOf(level: MemberLevel, tiers: Tiers): TierBenefits {
  const out = {} as TierBenefits;
  for (const t of tiers.slice(0, levelRank(level) + 1)) Object.assign(out, t.benefits);
  return out;
}

export interface NextTier {
  level: MemberLevel;
  /** What is still missing by spend (fen) and by invites; either one is enough. */
  spendFenToGo: number;
  invitesToGo: number;
  /** 0–100: the better of the two progress ratios. */
  progressPercent: number;
}

/** The next tier above `level` and how far the growth is from it; null at the top. */
export function nextTier(level: MemberLevel, growth: Growth, tiers: Tiers): NextTier | null {
  const next: TierConfig | undefined = tiers[levelRank(level) + 1];
  if (!next) return null;
  const ratio = (have: number, need: number) => (need <= 0 ? 1 : Math.min(1, Math.max(0, have) / need));
  return {
    level: next.level,
    spendFenToGo: Math.max(0, next.minSpendFen - growth.spentFen),
    invitesToGo: Math.max(0, next.minInvites - growth.invites),
    progressPercent: Math.floor(100 * Math.max(ratio(growth.spentFen, next.minSpendFen), ratio(growth.invites, next.minInvites))),
  };
}

const BENEFIT_TEXT: Record<keyof TierBenefits, (v: never) => string | null> = {
  discountPercent: (v: number) => (v < 100 ? `会员价 ${v % 10 === 0 ? v / 10 : (v / 10).toFixed(1)} 折` : null),
  freeShipping: (v: boolean) => (v ? '包邮' : null),
  pointsMultiplier: (v: number) => (v > 1 ? `购物积分 ${v} 倍` : null),
  birthdayCoupon: (v: boolean) => (v ? '生日优惠券' : null),
  priorityService: (v: boolean) => (v ? '优先客服' : null),
  oneOnOneService: (v: boolean) => (v ? '一对一服务' : null),
  exclusiveGifts: (v: boolean) => (v ? '专属礼品' : null),
  dedicatedManager: (v: boolean) => (v ? '专属客户经理' : null),
};

/** The benefits in the shopper's words, in a stable order. */
export function benefitLabels(b: TierBenefits): string[] {
  return (Object.keys(BENEFIT_TEXT) as (keyof TierBenefits)[]).flatMap((k) => {
    const text = BENEFIT_TEXT[k](b[k] as never);
    return text ? [text] : [];
  });
}
