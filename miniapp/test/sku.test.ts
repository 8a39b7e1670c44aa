import { describe, expect, it } from 'vitest';
import type { ProductDetail, Sku } from '@shop/shared';
import { resolveAsset } from '../src/api/assets';
import { formatRemaining } from '../src/utils/format';
import { newIdempotencyKey } from '../src/utils/id';
import {
  clampQuantity,
  findSku,
  initialSelection,
  isValueAvailable,
  maxQuantity,
  selectionText,
  toggleValue,
} from '../src/utils/sku';

const sku = (id: string, specs: Record<string, string>, stock: number, priceFen = 1000): Sku => ({
  id,
  specs,
  specText: Object.values(specs).join(' / '),
  priceFen,
  originalPriceFen: null,
  stock,
  image: null,
});

const shirt: { skus: Sku[]; specDimensions: ProductDetail['specDimensions'] } = {
  specDimensions: [
    { name: '颜色', values: ['红', '蓝'] },
    { name: '尺码', values: ['S', 'M'] },
  ],
  skus: [
    sku('red-s', { 颜色: '红', 尺码: 'S' }, 3, 1000),
    sku('red-m', { 颜色: '红', 尺码: 'M' }, 0, 1200),
    sku('blue-s', { 颜色: '蓝', 尺码: 'S' }, 0, 1100),
    sku('blue-m', { 颜色: '蓝', 尺码: 'M' }, 150, 1500),
  ],
};

describe('spec selection', () => {
  it('disables values that cannot lead to an in-stock SKU with the other choices', () => {
    expect(isValueAvailable(shirt, {}, '颜色', '红')).toBe(true);
    expect(isValueAvailable(shirt, { 颜色: '红' }, '尺码', 'M')).toBe(false);
    expect(isValueAvailable(shirt, { 颜色: '红' }, '尺码', 'S')).toBe(true);
    expect(isValueAvailable(shirt, { 尺码: 'S' }, '颜色', '蓝')).toBe(false);
  });

  it('finds the SKU only once every dimension is chosen', () => {
    expect(findSku(shirt, { 颜色: '蓝' })).toBeUndefined();
    expect(findSku(shirt, { 颜色: '蓝', 尺码: 'M' })?.id).toBe('blue-m');
    expect(findSku({ specDimensions: [], skus: [sku('only', {}, 1)] }, {})?.id).toBe('only');
  });

  it('toggles a value and drops other choices it conflicts with', () => {
    expect(toggleValue(shirt, { 颜色: '红', 尺码: 'S' }, '颜色', '蓝')).toEqual({ 颜色: '蓝' });
    expect(toggleValue(shirt, { 颜色: '蓝' }, '尺码', 'M')).toEqual({ 颜色: '蓝', 尺码: 'M' });
    expect(toggleValue(shirt, { 颜色: '蓝', 尺码: 'M' }, '颜色', '蓝')).toEqual({ 尺码: 'M' });
  });

  it('bounds the quantity by stock and the per-line limit', () => {
    expect(maxQuantity(shirt.skus[0])).toBe(3);
    expect(maxQuantity(shirt.skus[3])).toBe(99);
    expect(maxQuantity(shirt.skus[1])).toBe(0);
    expect(clampQuantity(5, 3)).toBe(3);
    expect(clampQuantity(0, 3)).toBe(1);
    expect(clampQuantity(2, 0)).toBe(1);
  });

  it('preselects single-value dimensions and describes what is missing', () => {
    const one = { specDimensions: [{ name: '容量', values: ['500ml'] }, { name: '口味', values: ['原味', '辣'] }], skus: [sku('a', { 容量: '500ml', 口味: '原味' }, 1)] };
    expect(initialSelection(one)).toEqual({ 容量: '500ml' });
    expect(selectionText(one, { 容量: '500ml' })).toBe('请选择 口味');
    expect(selectionText(shirt, { 颜色: '蓝', 尺码: 'M' })).toBe('蓝 / M');
  });
});

describe('helpers', () => {
  it('makes idempotency keys of [A-Za-z0-9] that differ', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newIdempotencyKey()).not.toBe(a);
    // Bytes >= 248 are skipped so that every character is equally likely.
    let calls = 0;
    const key = newIdempotencyKey(4, (n) => new Uint8Array(n).fill(calls++ === 0 ? 255 : 0));
    expect(key).toBe('AAAA');
  });

  it('resolves catalog image paths against the asset base', () => {
    expect(resolveAsset('/catalog-images/a.svg', 'http://localhost:10086/')).toBe('http://localhost:10086/catalog-images/a.svg');
    expect(resolveAsset('/catalog-images/a.svg', '')).toBe('/catalog-images/a.svg');
    expect(resolveAsset('https://x.test/a.png', 'http://b')).toBe('https://x.test/a.png');
    expect(resolveAsset('/a.svg')).toBe('https://cdn.test/a.svg');
    expect(resolveAsset(null)).toBe('');
  });

  it('formats the remaining payment time', () => {
    expect(formatRemaining(15 * 60 * 1000)).toBe('15:00');
    expect(formatRemaining(61_999)).toBe('01:01');
    expect(formatRemaining(3_723_000)).toBe('1:02:03');
    expect(formatRemaining(-5)).toBe('00:00');
  });
});
