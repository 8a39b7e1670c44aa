/**
 * Money is always an integer number of fen (1 yuan = 100 fen). Floating point never touches a price:
 * every function here rejects non-integers instead of rounding them silently.
 */
export type Fen = number;

export function assertFen(value: number, what = 'amount'): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of fen, got ${value}`);
  return value;
}

export function addFen(...values: Fen[]): Fen {
  return values.reduce((sum, v) => sum + assertFen(v), 0);
}

/** Unit price × quantity, both integers. */
export function lineTotalFen(unitPriceFen: Fen, quantity: number): Fen {
  assertFen(unitPriceFen, 'unitPriceFen');
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError(`quantity must be a non-negative integer, got ${quantity}`);
  return assertFen(unitPriceFen * quantity, 'line total');
}

/** ¥12.30 style, for display only. Negative amounts keep their sign in front of the currency symbol. */
export function formatFen(fen: Fen, symbol = '¥'): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}${symbol}${yuan}.${cents}`;
}
