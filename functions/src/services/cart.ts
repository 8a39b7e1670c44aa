import {
  DomainError,
  MAX_CART_LINES,
  lineTotalFen,
  type AddCartLineRequest,
  type CartLineState,
  type CartView,
  type SelectCartLinesRequest,
  type UpdateCartLineRequest,
} from '@shop/shared';
import { cartRepo, type CartLineItem } from '../repositories/cart-repo';
import { catalogRepo, type ProductItem, type SkuItem } from '../repositories/catalog-repo';

function lineState(line: CartLineItem, sku: SkuItem | undefined, product: ProductItem | undefined): CartLineState {
  if (!sku || !product || !product.onShelf) return 'OFF_SHELF';
  if (sku.stock <= 0) return 'OUT_OF_STOCK';
  if (line.quantity > sku.stock) return 'INSUFFICIENT_STOCK';
  if (sku.priceFen !== line.addedPriceFen) return 'PRICE_CHANGED';
  return 'OK';
}

/** The cart as the shopper should see it today: current prices, and lines that went off-shelf or out of stock marked. */
export async function getCart(userId: string): Promise<CartView> {
  const lines = (await cartRepo.lines(userId)).sort((a, b) => b.addedAt - a.addedAt);
  const { skus, products } = lines.length ? await catalogRepo.skusWithProducts(lines) : { skus: new Map(), products: new Map() };
  const views = lines.map((line) => {
    const sku = skus.get(line.skuId) as SkuItem | undefined;
    const product = products.get(line.productId) as ProductItem | undefined;
    const state = lineState(line, sku, product);
    return {
      productId: line.productId,
      skuId: line.skuId,
      title: product?.title ?? '商品已下架',
      specText: sku?.specText ?? '',
      image: sku?.image ?? product?.images[0] ?? '',
      quantity: line.quantity,
      selected: line.selected,
      unitPriceFen: sku?.priceFen ?? line.addedPriceFen,
      addedPriceFen: line.addedPriceFen,
      stock: Math.max(0, sku?.stock ?? 0),
      state,
      purchasable: state === 'OK' || state === 'PRICE_CHANGED',
    };
  });
  const chosen = views.filter((v) => v.selected && v.purchasable);
  return {
    lines: views,
    selectedCount: chosen.reduce((n, v) => n + v.quantity, 0),
    selectedTotalFen: chosen.reduce((sum, v) => sum + lineTotalFen(v.unitPriceFen, v.quantity), 0),
  };
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
  return getCart(userId);
}

export async function updateCartLine(userId: string, skuId: string, req: UpdateCartLineRequest, now: number): Promise<CartView> {
  if ((await cartRepo.update(userId, skuId, req, now)) === 'missing') throw new DomainError('CART_LINE_NOT_FOUND');
  return getCart(userId);
}

export async function removeCartLine(userId: string, skuId: string): Promise<CartView> {
  await cartRepo.remove(userId, skuId);
  return getCart(userId);
}

export async function selectCartLines(userId: string, req: SelectCartLinesRequest, now: number): Promise<CartView> {
  const lines = await cartRepo.lines(userId);
  const targets = req.skuIds ? lines.filter((l) => req.skuIds!.includes(l.skuId)) : lines;
  await Promise.all(targets.map((l) => cartRepo.update(userId, l.skuId, { selected: req.selected }, now)));
  return getCart(userId);
}
