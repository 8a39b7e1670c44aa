import { describe, expect, it } from 'vitest';
import { couponText, formatDate, formatPeriod, formatTime } from '../src/utils/format';

// Local time: the tests build their instants in local time too, so they hold in any time zone.
const at = (y: number, m: number, d: number, h = 0, min = 0, s = 0) => new Date(y, m - 1, d, h, min, s).getTime();

describe('the shop’s one date format', () => {
  it('writes a day as 2025-01-31 and a moment as 2025-01-31 08:05:09, zero-padded', () => {
    expect(formatDate(at(2025, 1, 31, 23, 59, 59))).toBe('2025-01-31');
    expect(formatDate(at(2026, 12, 1))).toBe('2026-12-01');
    expect(formatTime(at(2025, 1, 31, 8, 5, 9))).toBe('2025-01-31 08:05:09');
    expect(formatTime(at(2025, 3, 4, 0, 0, 0))).toBe('2025-03-04 00:00:00');
  });

  it('writes a validity window with the same days', () => {
    expect(formatPeriod(at(2025, 1, 1, 10), at(2025, 1, 31, 23, 59))).toBe('2025-01-01 至 2025-01-31');
  });
});

describe('one coupon label', () => {
  it('names a coupon as the order’s discount line does: name（label）, or the label alone', () => {
    expect(couponText({ name: '新人券', label: '满99减10' })).toBe('新人券（满99减10）');
    expect(couponText({ name: '满99减10', label: '满99减10' })).toBe('满99减10');
    expect(couponText({ label: '88折 最高减50' })).toBe('88折 最高减50');
  });
});
