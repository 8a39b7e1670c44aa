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

/**
 * The out_refund_no of one attempt at a refund. WeChat never reuses a number that ended CLOSED (and an ABNORMAL one
 * stays with its own resolution), so asking for the same refund again after such an end is a new attempt with a new
 * number: the first attempt is the deterministic base itself, later ones `<base>-R2`, `<base>-R3`… (≤ 64 characters,
 * the base cut to make room), still deterministic per attempt so a retried request is the same refund.
 */
export function refundAttemptNo(base: string, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new Error(`refund attempt must be >= 1, got ${attempt}`);
  if (attempt === 1) return base.slice(0, 64);
  const suffix = `-R${attempt}`;
  return `${base.slice(0, 64 - suffix.length)}${suffix}`;
}

/** The first attempt's out_refund_no of the refund that `no` is an attempt of. */
export function refundAttemptBase(no: string): string {
  return no.replace(/-R\d+$/, '');
}

/** Which attempt of `base` the number `no` is (1 for the base itself), or null when it is another refund. */
export function refundAttemptOf(base: string, no: string): number | null {
  if (no === base.slice(0, 64)) return 1;
  const m = /-R(\d+)$/.exec(no);
  if (!m) return null;
  const attempt = Number(m[1]);
  return attempt >= 2 && refundAttemptNo(base, attempt) === no ? attempt : null;
}

/** Units per SKU that went back on sale. */
export type StockCredit = Record<string, { productId: string; quantity: number }>;

/**
 * A refund that ends CLOSED or ABNORMAL gives its counted amount back to the order, but the units it put back on sale
 * stay on sale (they may be sold already): the order keeps them as a credit. The next refund that would restock them
 * uses the credit instead, so the same units never go back on sale twice.
 */
export function useStockCredit(
  moves: { productId: string; skuId: string; quantity: number }[],
  credit: StockCredit | undefined,
): { moves: { productId: string; skuId: string; quantity: number }[]; credit: StockCredit; used: boolean } {
  const left: StockCredit = copyCredit(credit);
  let used = false;
  const out = [];
  for (const m of moves) {
    const have = left[m.skuId]?.quantity ?? 0;
    const take = Math.min(have, m.quantity);
    if (take > 0) {
      used = true;
      const rest = have - take;
      if (rest > 0) left[m.skuId] = { productId: left[m.skuId].productId, quantity: rest };
      else delete left[m.skuId];
    }
    if (m.quantity - take > 0) out.push({ ...m, quantity: m.quantity - take });
  }
  return { moves: out, credit: left, used };
}

/** The credit after a released refund whose `restocked` units stay on sale. */
export function addStockCredit(credit: StockCredit | undefined, restocked: { productId: string; skuId: string; quantity: number }[]): StockCredit {
  const out = copyCredit(credit);
  for (const m of restocked) {
    if (m.quantity <= 0) continue;
    out[m.skuId] = { productId: m.productId, quantity: (out[m.skuId]?.quantity ?? 0) + m.quantity };
  }
  return out;
}

function copyCredit(credit: StockCredit | undefined): StockCredit {
  const out: StockCredit = {};
  for (const [sku, c] of Object.entries(credit ?? {})) out[sku] = { productId: c.productId, quantity: c.quantity };
  return out;
}

/** The per-line refunded units and fen after adding (sign 1) or releasing (sign -1) a refund's lines. */
export function moveRefundedLines(
  refundedLines: Record<string, { quantity: number; fen: number }> | undefined,
  lines: { skuId: string; quantity: number; amountFen: Fen }[],
  sign: 1 | -1,
): Record<string, { quantity: number; fen: number }> {
  const out: Record<string, { quantity: number; fen: number }> = {};
  for (const l of lines) {
    const seen = refundedLines?.[l.skuId] ?? { quantity: 0, fen: 0 };
    out[l.skuId] = { quantity: seen.quantity + sign * l.quantity, fen: seen.fen + sign * l.amountFen };
  }
  return out;
}

/**
 * Whether a refund can be counted on an order (again): the refunded total stays within what was paid and no line
 * gives back more units than were bought. A late SUCCESS of a refund released earlier does not fit when a newer
 * attempt already counted the same money or units: then the money went out twice.
 */
export function refundFits(
  order: { paidFen: Fen | null; refundedFen: Fen; lines: { skuId: string; quantity: number }[]; refundedLines?: Record<string, { quantity: number; fen: number }> },
  refund: { amountFen: Fen; lines: { skuId: string; quantity: number; amountFen: Fen }[] },
): boolean {
  if ((order.refundedFen ?? 0) + refund.amountFen > (order.paidFen ?? 0)) return false;
  return refund.lines.every((l) => {
    const line = order.lines.find((x) => x.skuId === l.skuId);
    return !!line && (order.refundedLines?.[l.skuId]?.quantity ?? 0) + l.quantity <= line.quantity;
  });
}
