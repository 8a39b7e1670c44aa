import type { Fen } from './money';

/** What one line of a paid order has already given back. */
export interface LineRefundState {
  skuId: string;
  quantity: number;
  /** The line's share of the payable amount (after its allocated discount). */
  payableFen: Fen;
  refundedQuantity: number;
  refundedFen: Fen;
}

export interface LineRefundRequest {
  skuId: string;
  quantity: number;
}

export type RefundPlan =
  | { ok: true; amountFen: Fen; lines: { skuId: string; quantity: number; amountFen: Fen }[] }
  | { ok: false; reason: string };

/**
 * The amount to give back for some units of some lines. Each unit is worth its line's payable amount (discounts
 * already prorated onto lines) divided by the line's quantity, rounded down; the last units of a line take whatever
 * is left, so refunding a line piece by piece adds up exactly to what was paid for it, never a fen more.
 * Shipping is only returned by a full refund.
 */
export function planLineRefund(lines: LineRefundState[], request: LineRefundRequest[]): RefundPlan {
  if (request.length === 0) return { ok: false, reason: '请选择要退款的商品' };
  const out: { skuId: string; quantity: number; amountFen: Fen }[] = [];
  for (const r of request) {
    const line = lines.find((l) => l.skuId === r.skuId);
    if (!line) return { ok: false, reason: `订单中没有该商品：${r.skuId}` };
    if (!Number.isSafeInteger(r.quantity) || r.quantity < 1) return { ok: false, reason: '退款数量至少为 1' };
    if (out.some((o) => o.skuId === r.skuId)) return { ok: false, reason: `重复的退款商品：${r.skuId}` };
    const remaining = line.quantity - line.refundedQuantity;
    if (r.quantity > remaining) return { ok: false, reason: `退款数量超过可退数量（还可退 ${remaining} 件）` };
    const amountFen =
      r.quantity === remaining
        ? line.payableFen - line.refundedFen
        : Math.floor((line.payableFen * r.quantity) / line.quantity);
    out.push({ skuId: r.skuId, quantity: r.quantity, amountFen });
  }
  return { ok: true, amountFen: out.reduce((s, l) => s + l.amountFen, 0), lines: out };
}

/** out_refund_no: deterministic per order and reason, so a retried refund is the same refund at WeChat. */
export function outRefundNo(orderId: string, reason: string, sequence = 0): string {
  const code = reason.replace(/[^A-Za-z0-9]/g, '').slice(0, 24) || 'R';
  return `${orderId}-${code}${sequence ? `-${sequence}` : ''}`.slice(0, 64);
}
