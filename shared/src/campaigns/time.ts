/**
 * Campaign windows are written in Asia/Shanghai wall-clock time because that is how operators and shoppers read them
 * ("双11 零点开抢"), and stored as UTC epoch milliseconds. China has not observed daylight saving time since 1991, so
 * the offset is a constant +08:00 and no time-zone database is needed (the mini-app's JS engine may not ship one).
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `2026-11-11 00:00` (or with `:ss`) in Asia/Shanghai → epoch ms; null if malformed or not a real calendar time. */
export function parseShanghaiTime(text: string): number | null {
  const m = LOCAL_TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2026-02-30 over into March; a rolled-over date is a typo, not a time.
  if (new Date(utc).getUTCDate() !== day) return null;
  return utc - SHANGHAI_OFFSET_MS;
}

export interface ShanghaiParts {
  year: number;
  month: number;
  day: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday (周一 … 周日). */
  weekday: number;
  hour: number;
  minute: number;
}

export function shanghaiParts(epochMs: number): ShanghaiParts {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** epoch ms → `2026-11-11 00:00` in Asia/Shanghai, the form operators write. */
export function formatShanghaiTime(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}
