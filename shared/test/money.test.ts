import { describe, expect, it } from 'vitest';
import { addFen, formatFen, lineTotalFen } from '../src/money';

describe('money in integer fen', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(12900)).toBe('¥129.00');
    expect(formatFen(-1999)).toBe('-¥19.99');
  });
  it('refuses fractional fen instead of rounding silently', () => {
    expect(() => addFen(1, 0.5)).toThrow(RangeError);
    expect(() => lineTotalFen(1.5, 2)).toThrow(RangeError);
    expect(() => lineTotalFen(100, -1)).toThrow(RangeError);
    expect(lineTotalFen(1999, 3)).toBe(5997);
  });
});
