import type { MemberView } from '@shop/shared';
import { formatFen } from './format';

/** A change of points with its sign: +5, −100, 0. */
export function signedPoints(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${-n}`;
  return '0';
}

/** What is left to reach the next tier, by either road: 再消费 ¥800.00 或再邀请 2 位好友，即可升级为银卡. */
export function growthHint(next: MemberView['next']): string {
  if (!next) return '已是最高等级，尊享全部会员权益';
  const roads: string[] = [];
  if (next.spendFenToGo > 0) roads.push(`再消费 ${formatFen(next.spendFenToGo)}`);
  if (next.invitesToGo > 0) roads.push(`再邀请 ${next.invitesToGo} 位好友`);
  return roads.length ? `${roads.join(' 或 ')}，即可升级为${next.name}` : `即将升级为${next.name}`;
}

/** 即将过期: 30 天内将过期 12 积分, or that none do. */
export function expiringText(soon: MemberView['points']['expiringSoon']): string {
  return soon.points > 0 ? `${soon.days} 天内将过期 ${soon.points} 积分` : `${soon.days} 天内没有积分过期`;
}

/** One square of the 签到 calendar: a day of the month, or a blank before the 1st. */
export interface CalendarCell {
  day: string | null;
  date: number | null;
  checked: boolean;
  today: boolean;
}

/** The month (YYYY-MM) as weeks starting on Sunday: blanks up to the 1st's weekday, then every day with its check. */
export function calendarCells(month: string, days: { day: string; checked: boolean }[], today: string): CalendarCell[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const length = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const checked = new Set(days.filter((d) => d.checked).map((d) => d.day));
  const cells: CalendarCell[] = Array.from({ length: first }, () => ({ day: null, date: null, checked: false, today: false }));
  for (let d = 1; d <= length; d++) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    cells.push({ day, date: d, checked: checked.has(day), today: day === today });
  }
  return cells;
}

/** YYYY-MM shifted by whole months. */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** 2026年11月 */
export function monthTitle(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}年${m}月`;
}

/** How a tier is reached: 注册即享, or 累计消费满 ¥1000 或邀请 3 位好友. */
export function tierThreshold(t: { minSpendFen: number; minInvites: number }): string {
  if (t.minSpendFen === 0 && t.minInvites === 0) return '注册即享';
  const spend = t.minSpendFen % 100 === 0 ? `¥${t.minSpendFen / 100}` : formatFen(t.minSpendFen);
  const roads: string[] = [];
  if (t.minSpendFen > 0) roads.push(`累计消费满 ${spend}`);
  if (t.minInvites > 0) roads.push(`邀请 ${t.minInvites} 位好友`);
  return roads.join(' 或 ');
}
