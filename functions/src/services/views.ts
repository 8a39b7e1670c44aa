import type { QuoteLine, QuoteLineView } from '@shop/shared';

type StoredLine = QuoteLine & { flashSale?: QuoteLineView['flashSale'] };

/** A priced line as the API shows it (quotes and orders alike). */
export function quoteLineView(l: StoredLine): QuoteLineView {
  const { productId, skuId, title, specText, image, unitPriceFen, quantity, lineTotalFen, discountFen, payableFen, flashSale } = l;
  return { productId, skuId, title, specText, image, unitPriceFen, quantity, lineTotalFen, discountFen, payableFen, ...(flashSale ? { flashSale } : {}) };
}

/** The price breakdown both a quote and an order carry. */
export function priceBreakdown(p: {
  lines: StoredLine[];
  itemCount: number;
  subtotalFen: number;
  shippingFen: number;
  discountFen: number;
  discounts: { kind: string; label: string; amountFen: number }[];
  payableFen: number;
}) {
  return {
    lines: p.lines.map(quoteLineView),
    itemCount: p.itemCount,
    subtotalFen: p.subtotalFen,
    shippingFen: p.shippingFen,
    discountFen: p.discountFen,
    discounts: p.discounts,
    payableFen: p.payableFen,
  };
}
