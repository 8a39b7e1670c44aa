import { beforeAll, describe, expect, it } from 'vitest';
import { flashClock } from '../src/components/flash-clock';

const HOUR = 3600 * 1000;

describe('flash sale clock on 首页', () => {
  beforeAll(() => {
    process.env.TZ = 'Asia/Shanghai';
  });
  const at = Date.parse('2026-12-29T10:00:00+08:00');

  it('ticks hh:mm:ss under a day', () => {
    expect(flashClock('live', 2 * HOUR + 3 * 60_000 + 4_000, at)).toBe('距结束 02:03:04');
    expect(flashClock('upcoming', 23 * HOUR + 59 * 60_000 + 59_000, at)).toBe('距开始 23:59:59');
    expect(flashClock('live', 0, at)).toBe('距结束 00:00:00');
  });

  it('names the day past a day; an end at midnight is the day before', () => {
    expect(flashClock('live', Date.parse('2027-01-01T00:00:00+08:00') - at, at)).toBe('12月31日 结束');
    expect(flashClock('live', Date.parse('2026-12-31T20:00:00+08:00') - at, at)).toBe('12月31日 20:00 结束');
    expect(flashClock('upcoming', Date.parse('2026-12-31T10:00:00+08:00') - at, at)).toBe('12月31日 10:00 开始');
  });
});
