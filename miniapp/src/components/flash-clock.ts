const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A flash sale's clock: under a day, a ticking hh:mm:ss; further away, the date and time it starts or ends
 * (12月31日 结束), since a countdown of "3天 07:12:45" is harder to read than the day itself. An end at midnight
 * is the end of the day before (the window's end is exclusive).
 */
export function flashClock(phase: 'upcoming' | 'live', remainingMs: number, at: number): string {
  const verb = phase === 'upcoming' ? '开始' : '结束';
  if (remainingMs < 24 * 3600 * 1000) {
    const total = Math.max(0, Math.floor(remainingMs / 1000));
    return `距${verb} ${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  }
  const when = new Date(at + remainingMs);
  const midnight = when.getHours() === 0 && when.getMinutes() === 0;
  if (phase === 'live' && midnight) {
    const day = new Date(when.getTime() - 1);
    return `${day.getMonth() + 1}月${day.getDate()}日 ${verb}`;
  }
  return `${when.getMonth() + 1}月${when.getDate()}日 ${pad(when.getHours())}:${pad(when.getMinutes())} ${verb}`;
}
