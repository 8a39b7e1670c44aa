import type { ProductDetail, Sku } from '@shop/shared';

/** What the spec rules need of a product: its SKUs (with or without their live prices) and its dimensions. */
type Specs = { skus: Sku[]; specDimensions: ProductDetail['specDimensions'] };
import { MAX_QUANTITY_PER_LINE } from '@shop/shared/src/quote';

/** Spec name → chosen value; a dimension not chosen yet is absent. */
export type SpecSelection = Record<string, string>;

function matches(sku: Sku, selection: SpecSelection): boolean {
  return Object.entries(selection).every(([name, value]) => sku.specs[name] === value);
}

/** The SKU the selection names, once every dimension has a value (products without dimensions have one SKU). */
export function findSku<S extends Sku>(product: { skus: S[]; specDimensions: Specs['specDimensions'] }, selection: SpecSelection): S | undefined {
  if (product.specDimensions.length === 0) return product.skus[0];
  if (!product.specDimensions.every((d) => selection[d.name] !== undefined)) return undefined;
  return product.skus.find((s) => matches(s, selection));
}

/**
 * Whether choosing `value` for `dimension` (keeping the other choices) can still lead to an in-stock SKU.
 * Values for which this is false are shown disabled.
 */
export function isValueAvailable(
  product: Pick<Specs, 'skus'>,
  selection: SpecSelection,
  dimension: string,
  value: string,
): boolean {
  const next = { ...selection, [dimension]: value };
  return product.skus.some((s) => s.stock > 0 && matches(s, next));
}

/**
 * Chooses `value` for `dimension`, or clears it when it was already chosen. Choices in other dimensions that
 * no longer lead to an in-stock SKU together with the new one are dropped.
 */
export function toggleValue(
  product: Pick<Specs, 'skus'>,
  selection: SpecSelection,
  dimension: string,
  value: string,
): SpecSelection {
  if (selection[dimension] === value) {
    const { [dimension]: _removed, ...rest } = selection;
    return rest;
  }
  const next: SpecSelection = { ...selection, [dimension]: value };
  for (const name of Object.keys(next)) {
    if (name === dimension) continue;
    if (!isValueAvailable(product, { [dimension]: value }, name, next[name]!)) delete next[name];
  }
  return next;
}

/** Dimensions with a single value (and that value leading to stock) start chosen. */
export function initialSelection(product: Specs): SpecSelection {
  const sel: SpecSelection = {};
  for (const d of product.specDimensions) {
    if (d.values.length === 1 && isValueAvailable(product, {}, d.name, d.values[0]!)) sel[d.name] = d.values[0]!;
  }
  return sel;
}

/** Upper bound of the quantity stepper for a SKU: its stock, capped by the per-line limit. */
export function maxQuantity(sku: Pick<Sku, 'stock'> | undefined): number {
  if (!sku) return 1;
  return Math.max(0, Math.min(sku.stock, MAX_QUANTITY_PER_LINE));
}

/** Keeps a quantity inside 1..max (max 0 = nothing to buy, quantity stays 1). */
export function clampQuantity(q: number, max: number): number {
  if (!Number.isFinite(q)) return 1;
  return Math.min(Math.max(1, Math.floor(q)), Math.max(1, max));
}

/** 请选择 颜色 / 尺码, or the chosen values joined. */
export function selectionText(product: Pick<ProductDetail, 'specDimensions'>, selection: SpecSelection): string {
  const missing = product.specDimensions.filter((d) => selection[d.name] === undefined).map((d) => d.name);
  if (missing.length) return `请选择 ${missing.join(' / ')}`;
  return product.specDimensions.map((d) => selection[d.name]).join(' / ');
}
