import { formatFen, type Fen } from '../money';

/** ¥99 / ¥99.50: the short price form used on coupons and in operator messages (whole yuan drop the ".00"). */
export function yuan(fen: Fen): string {
  const full = formatFen(fen);
  return full.endsWith('.00') ? full.slice(0, -3) : full;
}

/** 95 → "95折", 88 → "88折", 90 → "9折", 50 → "5折": how a Chinese shop names "pay 95 % of the price". */
export function zheLabel(percent: number): string {
  return `${percent % 10 === 0 ? percent / 10 : percent}折`;
}
