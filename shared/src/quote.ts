import { addFen, assertFen, lineTotalFen, type Fen } from './money';

/** Limits that keep one checkout inside one DynamoDB transaction (100 actions): stock + cart line per SKU, + order + key. */
export const MAX_CHECKOUT_SKUS = 40;
export const MAX_QUANTITY_PER_LINE = 99;

export interface QuoteInputLine {
  productId: string;
  skuId: string;
  title: string;
  specText: string;
  image: string;
  /** The server's current price for this SKU; the client never supplies it. */
  unitPriceFen: Fen;
  quantity: number;
}

interface ShippingRule {
  /** Flat fee when the subtotal is under the threshold. */
  feeFen: Fen;
  /** Subtotal from which shipping is free; null = never free. */
  freeFromFen: Fen | null;
}

const DEFAULT_SHIPPING_RULE: ShippingRule = { feeFen: 1000, freeFromFen: 9900 };

/** Hours from payment to dispatch the shop promises; the product page and the cart say it next to the fee. */
const DISPATCH_WITHIN_HOURS = 48;

/** The shipping rule quote() charges, as the product page and the cart state it (运费 ¥10，满 ¥99 包邮). */
export function shippingTerms(): ShippingRule & { dispatchWithinHours: number } {
  return { ...DEFAULT_SHIPPING_RULE, dispatchWithinHours: DISPATCH_WITHIN_HOURS };
}

export interface QuoteLine extends QuoteInputLine {
  lineTotalFen: Fen;
  /** Discount allocated to this line (sum over lines = discountFen); lets a partial refund be exact. */
  discountFen: Fen;
  payableFen: Fen;
}

export interface QuoteDiscount {
  kind: string;
  label: string;
  amountFen: Fen;
}

export interface Quote {
  lines: QuoteLine[];
  itemCount: number;
  subtotalFen: Fen;
  shippingFen: Fen;
  discountFen: Fen;
  discounts: QuoteDiscount[];
  payableFen: Fen;
}

/**
 * Merges lines of the same SKU (a cart and a buy-now may name one SKU twice; DynamoDB allows an item only once per
 * transaction, and two separate decrements of one SKU would each pass a stock check the sum fails).
 */
export function mergeSameSku<T extends { skuId: string; quantity: number }>(lines: T[]): T[] {
  const bySku = new Map<string, T>();
  for (const line of lines) {
    const seen = bySku.get(line.skuId);
    bySku.set(line.skuId, seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  return [...bySku.values()];
}

/** @internal exported for its unit test; quote() is the way in. */
export function shippingFor(subtotalFen: Fen, rule: ShippingRule = DEFAULT_SHIPPING_RULE): Fen {
  if (subtotalFen === 0) return 0;
  if (rule.freeFromFen !== null && subtotalFen >= rule.freeFromFen) return 0;
  return rule.feeFen;
}

/**
 * Splits a total discount over lines in proportion to their totals, largest remainder first, so the parts are whole
 * fen and add up exactly to the total.
 */
export function allocateDiscount(lineTotals: Fen[], discountFen: Fen): Fen[] {
  assertFen(discountFen, 'discountFen');
  const base = addFen(...lineTotals);
  if (discountFen === 0 || base === 0) return lineTotals.map(() => 0);
  if (discountFen > base) throw new RangeError('discount larger than the lines it applies to');
  const exact = lineTotals.map((t) => (t * discountFen) / base);
  const parts = exact.map(Math.floor);
  let rest = discountFen - addFen(...parts);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest === 0) break;
    parts[i] += 1;
    rest -= 1;
  }
  return parts;
}

export interface QuoteOptions {
  shipping?: ShippingRule;
  discounts?: QuoteDiscount[];
  /**
   * The discount of each (merged) line, when the caller knows where each discount came from (priceCheckout: a flash
   * sale line takes no coupon share, a category coupon only its own lines). Must add up to the capped total; without
   * it the total is spread over all lines in proportion to their totals.
   */
  lineDiscounts?: Fen[];
}

/**
 * The price of a checkout, computed from the server's own prices. Discounts are supplied by the promotion rules
 * and are capped so the payable amount never drops below 1 fen.
 */
export function quote(input: QuoteInputLine[], options: QuoteOptions = {}): Quote {
  const merged = mergeSameSku(input);
  for (const line of merged) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw new RangeError(`bad quantity for ${line.skuId}`);
    assertFen(line.unitPriceFen, `price of ${line.skuId}`);
    if (line.unitPriceFen < 0) throw new RangeError(`negative price for ${line.skuId}`);
  }
  const totals = merged.map((l) => lineTotalFen(l.unitPriceFen, l.quantity));
  const subtotalFen = addFen(...totals);
  const shippingFen = shippingFor(subtotalFen, options.shipping);
  const wanted = addFen(...(options.discounts ?? []).map((d) => d.amountFen));
  const discountFen = Math.max(0, Math.min(wanted, subtotalFen - 1));
  const perLine = options.lineDiscounts ? checkedLineDiscounts(options.lineDiscounts, totals, discountFen) : allocateDiscount(totals, discountFen);
  const lines = merged.map((l, i) => ({
    ...l,
    lineTotalFen: totals[i],
    discountFen: perLine[i],
    payableFen: totals[i] - perLine[i],
  }));
  return {
    lines,
    itemCount: merged.reduce((n, l) => n + l.quantity, 0),
    subtotalFen,
    shippingFen,
    discountFen,
    discounts: options.discounts ?? [],
    payableFen: subtotalFen - discountFen + shippingFen,
  };
}

/** A caller's per-line split, refused unless it is whole fen, within each line and adds up to the total exactly. */
function checkedLineDiscounts(parts: Fen[], totals: Fen[], discountFen: Fen): Fen[] {
  if (parts.length !== totals.length) throw new RangeError(`lineDiscounts has ${parts.length} parts for ${totals.length} lines`);
  parts.forEach((p, i) => {
    assertFen(p, `lineDiscounts[${i}]`);
    if (p < 0 || p > totals[i]) throw new RangeError(`lineDiscounts[${i}] = ${p} is outside 0…${totals[i]}`);
  });
  const sum = addFen(...parts);
  if (sum !== discountFen) throw new RangeError(`lineDiscounts add up to ${sum}, the discount is ${discountFen}`);
  return [...parts];
}
