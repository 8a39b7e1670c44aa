import {
  DomainError,
  MAX_CART_LINES,
  yuan,
  type AddCartLineRequest,
  type CartPromotionProgress,
  type CartLineState,
  type CartView,
  type SelectCartLinesRequest,
  type UpdateCartLineRequest,
} from '@shop/shared';
import { cartRepo, type CartLineItem } from '../repositories/cart-repo';
import { catalogRepo, type ProductItem, type SkuItem } from '../repositories/catalog-repo';
import { livePrices, priceFromReads, readForPricing, shippingInfo, type LineLivePrice, type PricedCheckout, type PricingReads } from './pricing';

function lineState(line: CartLineItem, sku: SkuItem | undefined, product: ProductItem | undefined): CartLineState {
  if (!product || !product.onShelf) return 'OFF_SHELF';
  if (!sku) return 'SPEC_GONE';
  if (sku.stock <= 0) return 'OUT_OF_STOCK';
  if (line.quantity > sku.stock) return 'INSUFFICIENT_STOCK';
  if (sku.priceFen !== line.addedPriceFen) return 'PRICE_CHANGED';
  return 'OK';
}

/**
 * The cart as the shopper should see it now: every line at the price checkout charges for it (read and computed by the
 * quote's own pricing), lines that went off-shelf, sold out or lost their spec marked, and for the selected lines the
 * quote's own totals: 合计 is what checkout charges (best coupons, shipping), 已优惠 what promotions and coupons take
 * off, and how far each 满减 is.
 */
export async function getCart(userId: string, now: number): Promise<CartView> {
  const lines = (await cartRepo.lines(userId)).sort((a, b) => b.addedAt - a.addedAt);
  const reads = await readForPricing(userId, lines, { wantsCoupons: true, now });
  const { skus, products } = reads.catalog;
  const states = lines.map((line) => lineState(line, skus.get(line.skuId), products.get(line.productId)));
  const purchasable = lines.filter((_, i) => states[i] === 'OK' || states[i] === 'PRICE_CHANGED');

  // Each line's own price (a flash price is per line), then the selected lines as the checkout quote prices them.
  const byLine = new Map<string, LineLivePrice>();
  if (purchasable.length) {
    const all = priceFromReads(reads, purchasable, { couponIds: [], refuse: false });
    livePrices(all, reads).forEach((p, i) => byLine.set(all.quote.lines[i].skuId, p));
  }
  const chosen = purchasable.filter((l) => l.selected);
  const selected = chosen.length ? priceFromReads(reads, chosen, { refuse: false }) : null;

  const views = lines.map((line, i) => {
    const sku = skus.get(line.skuId);
    const product = products.get(line.productId);
    const state = states[i];
    const live = byLine.get(line.skuId);
    return {
      productId: line.productId,
      skuId: line.skuId,
      title: product?.title ?? '商品已下架',
      specText: sku?.specText ?? '',
      image: sku?.image ?? product?.images[0] ?? '',
      quantity: line.quantity,
      selected: line.selected,
      unitPriceFen: live?.priceFen ?? sku?.priceFen ?? line.addedPriceFen,
      priceLabel: live?.label ?? null,
      memberPriceFen: live?.memberPriceFen ?? null,
      crossedOutFen: live?.crossedOutFen ?? null,
      priceNote: live?.note ?? null,
      flashEndsAt: live?.flash?.endsAt ?? null,
      addedPriceFen: line.addedPriceFen,
      stock: Math.max(0, sku?.stock ?? 0),
      state,
      purchasable: state === 'OK' || state === 'PRICE_CHANGED',
    };
  });

  const flashSaved = selected
    ? selected.pricing.flashSaleLines
        .filter((f) => f.applied)
        .reduce((sum, f) => sum + (f.originalPriceFen - f.flashPriceFen) * f.quantity, 0)
    : 0;
  const q = selected?.quote;
  return {
    lines: views,
    selectedCount: chosen.reduce((n, l) => n + l.quantity, 0),
    selectedTotalFen: q?.payableFen ?? 0,
    subtotalFen: q?.subtotalFen ?? 0,
    shippingFen: q?.shippingFen ?? 0,
    savedFen: (q?.discountFen ?? 0) + flashSaved,
    savings: [...(flashSaved > 0 ? [{ label: '限时秒杀', amountFen: flashSaved }] : []), ...(q?.discounts ?? [])].map((d) => ({
      label: d.label,
      amountFen: d.amountFen,
    })),
    progress: selected ? progressOf(selected, reads) : [],
    shipping: shippingInfo(),
  };
}

/** 满减 / 满赠 progress of the selected lines, from the quote's own discounts and 凑单 hints. */
function progressOf(selected: PricedCheckout, reads: PricingReads): CartPromotionProgress[] {
  const out: CartPromotionProgress[] = [];
  // Only promotions some selected line counts towards: the quote has a discount, a gift or a 凑单 hint for them.
  for (const c of reads.open) {
    if (c.type !== 'spend_and_save' && c.type !== 'gift_with_purchase') continue;
    const applied = selected.pricing.discountDetails.find((d) => d.campaignId === c.id);
    const gift = selected.pricing.gifts.find((g) => g.campaignId === c.id);
    const hint = selected.pricing.hints.find((h) => h.campaignId === c.id);
    if (!applied && !gift && !hint) continue;
    const done = applied ? `已减 ${yuan(applied.amountFen)}` : gift ? (gift.given ? '已得赠品' : '赠品已送完') : null;
    out.push({
      campaignId: c.id,
      name: c.name,
      text: [done, hint?.message].filter(Boolean).join('，'),
      reached: done !== null,
      categoryId: c.scope.type === 'categories' ? (c.scope.categoryIds[0] ?? null) : null,
    });
  }
  return out;
}
export async function addCartLine(userId: string, req: AddCartLineRequest, now: number): Promise<CartView> {
  const { skus, products } = await catalogRepo.skusWithProducts([req]);
  const sku = skus.get(req.skuId);
  const product = products.get(req.productId);
  if (!product || !sku || sku.productId !== req.productId) throw new DomainError('SKU_NOT_FOUND');
  if (!product.onShelf) throw new DomainError('OFF_SHELF');
  if (sku.stock < req.quantity) {
    throw new DomainError('OUT_OF_STOCK', sku.stock <= 0 ? `${product.title}（${sku.specText}）已售罄` : `库存不足，仅剩 ${sku.stock} 件`, { skuId: sku.id, stock: Math.max(0, sku.stock) });
  }
  const existing = await cartRepo.lines(userId);
  if (existing.length >= MAX_CART_LINES && !existing.some((l) => l.skuId === req.skuId)) throw new DomainError('CART_FULL');
  const result = await cartRepo.add(userId, { ...req, priceFen: sku.priceFen }, now);
  if (result === 'too_many') throw new DomainError('QUANTITY_LIMIT', '该商品在购物车中的数量已达上限 99 件');
  return getCart(userId, now);
}

export async function updateCartLine(userId: string, skuId: string, req: UpdateCartLineRequest, now: number): Promise<CartView> {
  if ((await cartRepo.update(userId, skuId, req, now)) === 'missing') throw new DomainError('CART_LINE_NOT_FOUND');
  return getCart(userId, now);
}

export async function removeCartLine(userId: string, skuId: string, now: number): Promise<CartView> {
  await cartRepo.remove(userId, skuId);
  return getCart(userId, now);
}

export async function selectCartLines(userId: string, req: SelectCartLinesRequest, now: number): Promise<CartView> {
  const lines = await cartRepo.lines(userId);
  const targets = req.skuIds ? lines.filter((l) => req.skuIds!.includes(l.skuId)) : lines;
  await Promise.all(targets.map((l) => cartRepo.update(userId, l.skuId, { selected: req.selected }, now)));
  return getCart(userId, now);
}
