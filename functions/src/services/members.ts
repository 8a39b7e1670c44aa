/**
 * Member levels: growth (paid spend net of refunds, invited members' first paid orders) moves the level on the event
 * that crosses a threshold, in that event's own transaction (points-repo `growthItems`, guarded by `growthRev`). A
 * refund lowers the level only when `levels.downgradeOnRefund` says so; the optional yearly review
 * (`levels.yearlyReview`) recomputes the level from the last 12 months' growth.
 */
import {
  MEMBER_LEVEL_NAMES,
  benefitLabels,
  benefitsOf,
  levelFor,
  levelRank,
  nextTier,
  shanghaiMonth,
  type MemberLevel,
  type MemberView,
  type MembersConfig,
  type TiersResponse,
} from '@shop/shared';
import { logger } from '../lib/http';
import { membersConfig } from '../providers/members-config';
import { pointsRepo, type GrowthChange, type MemberItem } from '../repositories/points-repo';

const YEAR_MS = 365 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export const levelOf = (m: MemberItem | null): MemberLevel => m?.level ?? 'NORMAL';

/**
 * The growth change of an event and the level after it: growth up never lowers the level; growth down (a refund)
 * lowers it only with `downgradeOnRefund`. The yearly review falls due a year after the level was reached.
 */
export function growthChange(
  seen: MemberItem | null,
  delta: { spentFen?: number; invites?: number },
  at: number,
  reason: string,
  cfg: MembersConfig = membersConfig(),
): GrowthChange {
  const current = levelOf(seen);
  const after = { spentFen: (seen?.spentFen ?? 0) + (delta.spentFen ?? 0), invites: (seen?.invites ?? 0) + (delta.invites ?? 0) };
  const reached = levelFor(after, cfg.levels.tiers);
  const goingDown = (delta.spentFen ?? 0) < 0 || (delta.invites ?? 0) < 0;
  const level = levelRank(reached) > levelRank(current) || (goingDown && cfg.levels.downgradeOnRefund) ? reached : current;
  return { ...delta, month: shanghaiMonth(at), level, reason, at, reviewAt: reviewAt(seen, level, at, cfg) };
}

function reviewAt(seen: MemberItem | null, level: MemberLevel, at: number, cfg: MembersConfig): number | null {
  if (!cfg.levels.yearlyReview || level === 'NORMAL') return null;
  if (level !== levelOf(seen) || !seen?.reviewAt) return at + YEAR_MS;
  return seen.reviewAt;
}

/** Growth of the 12 months up to `at` (the month of `at` included), from the member's monthly buckets. */
function lastYearGrowth(m: MemberItem, at: number): { spentFen: number; invites: number } {
  let spentFen = 0;
  let invites = 0;
  const current = shanghaiMonth(at);
  let year = Number(current.slice(0, 4));
  let month = Number(current.slice(5, 7));
  for (let i = 0; i < 12; i++) {
    const key = `${year}${String(month).padStart(2, '0')}`;
    spentFen += Number(m[`gs_${key}`] ?? 0);
    invites += Number(m[`gi_${key}`] ?? 0);
    if (--month === 0) [year, month] = [year - 1, 12];
  }
  return { spentFen, invites };
}

/**
 * The yearly review of the members due now: each one's level becomes what the last 12 months' growth reaches (never
 * above the level held), recorded in the level history; next review a year on. Exactly once per due date: the write
 * is guarded by the revision it was read at.
 */
export async function reviewLevels(now: number): Promise<{ reviewed: number; lowered: number }> {
  const cfg = membersConfig();
  let reviewed = 0;
  let lowered = 0;
  if (!cfg.levels.yearlyReview) return { reviewed, lowered };
  for (const { userId } of await pointsRepo.due('review', now)) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const m = await pointsRepo.member(userId);
      if (!m?.reviewAt || m.reviewAt > now) break;
      const held = levelOf(m);
      const reached = levelFor(lastYearGrowth(m, now), cfg.levels.tiers);
      const level = levelRank(reached) < levelRank(held) ? reached : held;
      const change: GrowthChange = { month: shanghaiMonth(now), level, reason: '年度等级复核', at: now, reviewAt: level === 'NORMAL' ? null : now + YEAR_MS };
      const result = await pointsRepo.growth(userId, m, change);
      if (result === 'applied') {
        reviewed++;
        if (level !== held) lowered++;
        break;
      }
    }
  }
  if (reviewed) logger.info('level review', { reviewed, lowered });
  return { reviewed, lowered };
}

/** The multiplier a level's benefits give order points. */
export function levelPointsMultiplier(level: MemberLevel, cfg: MembersConfig = membersConfig()): number {
  return benefitsOf(level, cfg.levels.tiers).pointsMultiplier;
}

export function tiers(): TiersResponse {
  const cfg = membersConfig();
  return {
    tiers: cfg.levels.tiers.map((t) => {
      const b = benefitsOf(t.level, cfg.levels.tiers);
      return {
        level: t.level,
        name: MEMBER_LEVEL_NAMES[t.level],
        minSpendFen: t.minSpendFen,
        minInvites: t.minInvites,
        benefits: benefitLabels(b),
        discountPercent: b.discountPercent,
        freeShipping: b.freeShipping,
      };
    }),
  };
}

/** GET /v1/members/me */
export async function memberView(userId: string, now: number): Promise<MemberView> {
  const cfg = membersConfig();
  const [m, balance, lots] = await Promise.all([pointsRepo.member(userId), pointsRepo.balance(userId), pointsRepo.lots(userId)]);
  const level = levelOf(m);
  const growth = { spentFen: m?.spentFen ?? 0, invites: m?.invites ?? 0 };
  const next = nextTier(level, growth, cfg.levels.tiers);
  const have = new Set(benefitLabels(benefitsOf(level, cfg.levels.tiers)));
  const soonUntil = now + cfg.points.expiringSoonDays * DAY_MS;
  const soon = lots.filter((l) => l.status === 'AVAILABLE' && l.remaining > 0 && l.expiresAt <= soonUntil);
  return {
    level,
    levelName: MEMBER_LEVEL_NAMES[level],
    levelSince: m?.levelSince ?? null,
    growth,
    next: next && {
      level: next.level,
      name: MEMBER_LEVEL_NAMES[next.level],
      spendFenToGo: next.spendFenToGo,
      invitesToGo: next.invitesToGo,
      progressPercent: next.progressPercent,
      unlocks: benefitLabels(benefitsOf(next.level, cfg.levels.tiers)).filter((b) => !have.has(b)),
    },
    benefits: [...have],
    points: {
      available: balance.available,
      pending: balance.pending,
      expiringSoon: {
        points: soon.reduce((n, l) => n + l.remaining, 0),
        days: cfg.points.expiringSoonDays,
        firstAt: soon.length ? Math.min(...soon.map((l) => l.expiresAt)) : null,
      },
    },
  };
}
