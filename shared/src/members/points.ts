/**
 * The pure rules of points: how many an order or an activity earns, which lots a spend consumes, how a refund
 * reverses, when a lot expires, what a check-in streak gives. No I/O: the repository turns these plans into one
 * conditional transaction each.
 */
import { shanghaiParts } from '../campaigns/time';
import type { Campaign } from '../campaigns/schema';
import type { MembersConfig } from './config';

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Points a paid order earns: paid fen × rate (points per ¥1 / 100) × level multiplier × campaign multiplier, rounded
 * once at the end (floor by default). Computed in integers where it matters: the product is formed in hundredths of a
 * point so 0.1 + 0.2 style errors cannot move a rounding boundary.
 */
export function orderPoints(paidFen: number, cfg: MembersConfig['points']['order'], levelMultiplier: number, campaignMultiplier: number): number {
  if (paidFen <= 0) return 0;
  const exact = (paidFen / 100) * cfg.pointsPerYuan * levelMultiplier * campaignMultiplier;
  // Snap values within a rounding error of an integer (or .5) before rounding.
  const snapped = Math.round(exact * 1e6) / 1e6;
  return cfg.rounding === 'round' ? Math.round(snapped) : Math.floor(snapped);
}

/** The highest live points multiplier among the campaigns live for this shopper (1 when none). */
export function campaignPointsMultiplier(live: Campaign[]): number {
  return live.reduce((m, c) => (c.type === 'points_multiplier' ? Math.max(m, c.multiplier) : m), 1);
}

/** What a source may still credit today under its daily cap (null cap = all of it). */
export function cappedAward(requested: number, earnedToday: number, cap: number | null): number {
  if (cap === null) return requested;
  return Math.max(0, Math.min(requested, cap - earnedToday));
}

/** The Asia/Shanghai calendar day of a moment, `YYYY-MM-DD`. */
export function shanghaiDay(at: number): string {
  const p = shanghaiParts(at);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The Asia/Shanghai month of a moment, `YYYY-MM`: points earned in it form one lot. */
export function shanghaiMonth(at: number): string {
  return shanghaiDay(at).slice(0, 7);
}

/** The day before `day` (`YYYY-MM-DD`). */
export function previousDay(day: string): string {
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) - DAY_MS;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * When the points of a month's lot expire: 00:00 Asia/Shanghai on the first day of the month after
 * `month + expiryMonths` — points earned in March 2025 last until the end of March 2026.
 */
export function lotExpiresAt(month: string, expiryMonths: number): number {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + expiryMonths + 1;
  return Date.UTC(y, m, 1) - SHANGHAI_OFFSET_MS;
}

export interface LotState {
  /** The lot's id (its month for available lots). */
  id: string;
  remaining: number;
  expiresAt: number;
}

/**
 * First earned, first spent: the lots a spend of `points` consumes, oldest first, skipping lots already past their
 * expiry (the expiry job takes those). null when the lots cannot cover it.
 */
export function fifoPlan(lots: readonly LotState[], points: number, now: number): { id: string; take: number; remaining: number }[] | null {
  const usable = lots.filter((l) => l.remaining > 0 && l.expiresAt > now).sort((a, b) => a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : 1));
  const plan: { id: string; take: number; remaining: number }[] = [];
  let left = points;
  for (const lot of usable) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    plan.push({ id: lot.id, take, remaining: lot.remaining });
    left -= take;
  }
  return left === 0 ? plan : null;
}

/**
 * Points to reverse for a refund, exact over any number of partial refunds: the total reversed after the refund is
 * floor(earned × refunded / paid), so the refunds of a whole order reverse exactly what it earned.
 */
export function proportionalShare(points: number, paidFen: number, refundedBeforeFen: number, refundedAfterFen: number): number {
  if (points <= 0 || paidFen <= 0) return 0;
  const share = (fen: number) => Math.floor((points * Math.min(fen, paidFen)) / paidFen);
  return share(refundedAfterFen) - share(refundedBeforeFen);
}

/**
 * How a reversal of `points` is taken: from the order's own lot first, then the other lots oldest first, never more
 * than is there; what cannot be taken is the shortfall (recorded, the balance never goes negative).
 */
export function reversalPlan(
  lots: readonly LotState[],
  points: number,
  preferredId: string | null,
): { plan: { id: string; take: number; remaining: number }[]; shortfall: number } {
  const ordered = [...lots].filter((l) => l.remaining > 0).sort((a, b) => a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : 1));
  const preferred = ordered.findIndex((l) => l.id === preferredId);
  if (preferred > 0) ordered.unshift(...ordered.splice(preferred, 1));
  const plan: { id: string; take: number; remaining: number }[] = [];
  let left = points;
  for (const lot of ordered) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    plan.push({ id: lot.id, take, remaining: lot.remaining });
    left -= take;
  }
  return { plan, shortfall: left };
}

/** The streak after checking in on `today`, given the last check-in day and streak. */
export function nextStreak(today: string, last: { day: string; streak: number } | null): number {
  return last && last.day === previousDay(today) ? last.streak + 1 : 1;
}

/** Points a check-in on day `streak` of a streak gives: the daily points, plus the bonus every `every` days. */
export function checkInPoints(streak: number, cfg: MembersConfig['points']['checkIn']): { points: number; bonus: number } {
  const bonus = cfg.streakBonus.bonus > 0 && streak % cfg.streakBonus.every === 0 ? cfg.streakBonus.bonus : 0;
  return { points: cfg.points + bonus, bonus };
}

/** Every day of a month (`YYYY-MM`) as `YYYY-MM-DD`. */
export function daysOfMonth(month: string): string[] {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}
