import { formatFen } from '@shop/shared/src/money';

export { formatFen };

/** ¥a 或 ¥a - ¥b. */
export function formatFenRange(minFen: number, maxFen: number): string {
  return minFen === maxFen ? formatFen(minFen) : `${formatFen(minFen)} - ${formatFen(maxFen)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The shop's one date format: 2025-01-31 in local time (coupons' validity, orders, deadlines). */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The same date with the time: 2025-01-31 08:05:09 in local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${formatDate(ms)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A validity window: 2025-01-01 至 2025-01-31. */
export function formatPeriod(fromMs: number, toMs: number): string {
  return `${formatDate(fromMs)} 至 ${formatDate(toMs)}`;
}

/**
 * A coupon in words, the way the order's discount line names it: 新人券（满99减10）, or just the label (满99减10) when
 * the coupon has no name of its own.
 */
export function couponText(c: { label: string; name?: string | null }): string {
  return c.name && c.name !== c.label ? `${c.name}（${c.label}）` : c.label;
}

/** Remaining time as mm:ss, or h:mm:ss past an hour; 00:00 once it is over. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** A countdown: mm:ss, h:mm:ss past an hour, N天 hh:mm:ss past a day; 00:00 once it is over. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  if (days === 0) return formatRemaining(total * 1000);
  const rest = total % 86400;
  return `${days}天 ${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
}

/** 1.2万 style sales counts. */
export function formatCount(n: number): string {
  if (n >= 10000) return `${(Math.floor(n / 1000) / 10).toFixed(1).replace(/\.0$/, '')}万`;
  return String(n);
}
