import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { categories, demoUsers, products } from './catalog-data';

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const IMAGE_DIR = fileURLToPath(new URL('../../assets/catalog-images/', import.meta.url));
const allSkus = products.flatMap((p) => p.skus);

function imageFile(publicPath: string): string {
  expect(publicPath).toMatch(/^\/catalog-images\/[a-z0-9-]+\.svg$/);
  return join(IMAGE_DIR, publicPath.slice('/catalog-images/'.length));
}

describe('seed catalog', () => {
  it('has enough categories and products, spread over every category', () => {
    expect(categories.length).toBeGreaterThanOrEqual(6);
    expect(products.length).toBeGreaterThanOrEqual(40);
    for (const c of categories) {
      expect(products.filter((p) => p.categoryId === c.id).length, c.id).toBeGreaterThanOrEqual(5);
    }
  });

  it('uses valid, unique slug ids of at most 48 characters', () => {
    const ids = [...categories.map((c) => c.id), ...products.map((p) => p.id), ...allSkus.map((s) => s.id)];
    for (const id of ids) {
      expect(id, id).toMatch(SLUG);
      expect(id.length, id).toBeLessThanOrEqual(48);
    }
    expect(new Set(categories.map((c) => c.id)).size).toBe(categories.length);
    expect(new Set(products.map((p) => p.id)).size).toBe(products.length);
    expect(new Set(allSkus.map((s) => s.id)).size).toBe(allSkus.length);
  });

  it('has unique category sort orders and names', () => {
    expect(new Set(categories.map((c) => c.sortOrder)).size).toBe(categories.length);
    expect(new Set(categories.map((c) => c.name)).size).toBe(categories.length);
  });

  it('links every product to an existing category', () => {
    const ids = new Set(categories.map((c) => c.id));
    for (const p of products) expect(ids.has(p.categoryId), p.id).toBe(true);
  });

  it('fills in the descriptive fields of every product', () => {
    for (const p of products) {
      expect(p.title.trim(), p.id).not.toBe('');
      expect(p.subtitle.trim(), p.id).not.toBe('');
      expect(p.description.trim(), p.id).not.toBe('');
      expect(p.keywords.length, p.id).toBeGreaterThan(0);
      expect(p.images.length, p.id).toBeGreaterThanOrEqual(1);
      expect(p.images.length, p.id).toBeLessThanOrEqual(3);
      expect(Number.isInteger(p.sales) && p.sales >= 0, p.id).toBe(true);
      expect(Number.isInteger(p.listedDaysAgo) && p.listedDaysAgo >= 0, p.id).toBe(true);
    }
  });

  it('gives every SKU specs that match the product spec dimensions, with unique combinations', () => {
    for (const p of products) {
      expect(p.skus.length, p.id).toBeGreaterThanOrEqual(1);
      expect(p.specDimensions.length, p.id).toBeGreaterThanOrEqual(1);
      const names = p.specDimensions.map((d) => d.name);
      expect(new Set(names).size, p.id).toBe(names.length);
      const combos = new Set<string>();
      for (const s of p.skus) {
        expect(Object.keys(s.specs).sort(), s.id).toEqual([...names].sort());
        for (const d of p.specDimensions) {
          expect(d.values, `${s.id} ${d.name}`).toContain(s.specs[d.name]);
        }
        combos.add(names.map((n) => s.specs[n]).join('\u0000'));
      }
      expect(combos.size, p.id).toBe(p.skus.length);
      for (const d of p.specDimensions) {
        expect(new Set(d.values).size, `${p.id} ${d.name}`).toBe(d.values.length);
        for (const v of d.values) {
          expect(p.skus.some((s) => s.specs[d.name] === v), `${p.id} ${d.name}=${v} unused`).toBe(true);
        }
      }
    }
  });

  it('uses positive integer fen prices and non-negative integer stock', () => {
    for (const s of allSkus) {
      expect(Number.isInteger(s.priceFen) && s.priceFen > 0, s.id).toBe(true);
      if (s.originalPriceFen !== null) {
        expect(Number.isInteger(s.originalPriceFen), s.id).toBe(true);
        expect(s.originalPriceFen, s.id).toBeGreaterThan(s.priceFen);
      }
      expect(Number.isInteger(s.stock) && s.stock >= 0, s.id).toBe(true);
    }
  });

  it('covers the interesting cart and checkout states', () => {
    expect(allSkus.some((s) => s.stock === 0)).toBe(true);
    expect(allSkus.some((s) => s.stock >= 1 && s.stock <= 5)).toBe(true);
    const minPrices = products.map((p) => Math.min(...p.skus.map((s) => s.priceFen)));
    expect(minPrices.some((f) => f < 9900)).toBe(true);
    expect(minPrices.some((f) => f >= 9900)).toBe(true);
  });

  it('has exactly one off-shelf product', () => {
    expect(products.filter((p) => !p.onShelf)).toHaveLength(1);
  });

  it('has the flash-sale test product with a single SKU of stock 20', () => {
    const p = products.find((x) => x.id === 'p-test-flash-01');
    expect(p).toBeDefined();
    expect(p!.title).toBe('限量款保温杯');
    expect(p!.onShelf).toBe(true);
    expect(p!.skus).toHaveLength(1);
    expect(p!.skus[0]).toMatchObject({ id: 'sku-test-flash-01', stock: 20, priceFen: 5900 });
  });

  it('has at least three demo users with unique codes and openids', () => {
    expect(demoUsers.length).toBeGreaterThanOrEqual(3);
    for (const u of demoUsers) {
      expect(u.code).toMatch(/^demo-[a-z0-9-]+$/);
      expect(u.openid.trim()).not.toBe('');
      expect(u.nickname.trim()).not.toBe('');
    }
    expect(new Set(demoUsers.map((u) => u.code)).size).toBe(demoUsers.length);
    expect(new Set(demoUsers.map((u) => u.openid)).size).toBe(demoUsers.length);
  });

  it('references only images that exist on disk', () => {
    const paths = [
      ...categories.map((c) => c.icon),
      ...products.flatMap((p) => p.images),
      ...allSkus.flatMap((s) => (s.image ? [s.image] : [])),
      ...demoUsers.map((u) => u.avatar),
    ];
    for (const path of paths) expect(existsSync(imageFile(path)), path).toBe(true);
  });

  it('gives every product a description of several paragraphs, detail pictures and its 服务保障', () => {
    for (const p of products) {
      expect(p.description.split('\n\n').length, p.id).toBeGreaterThanOrEqual(3);
      expect(p.detailImages?.length ?? 0, p.id).toBeGreaterThanOrEqual(2);
      for (const img of p.detailImages ?? []) expect(existsSync(imageFile(img)), img).toBe(true);
      const titles = (p.guarantees ?? []).map((g) => g.title);
      expect(titles.length, p.id).toBeGreaterThanOrEqual(2);
      expect(new Set(titles).size, p.id).toBe(titles.length);
      for (const g of p.guarantees ?? []) expect(g.note.length, `${p.id} ${g.title}`).toBeGreaterThan(10);
    }
    // Perishables promise to make damage good instead of 7天无理由; everything else offers 7天无理由退货.
    for (const id of ['p-orange-01', 'p-beef-01']) {
      const titles = products.find((p) => p.id === id)!.guarantees!.map((g) => g.title);
      expect(titles).toContain('坏单包赔');
      expect(titles).not.toContain('7天无理由退货');
    }
    expect(products.filter((p) => p.guarantees!.some((g) => g.title === '7天无理由退货')).length).toBe(products.length - 2);
  });

  it('keeps the generated images small', () => {
    const files = readdirSync(IMAGE_DIR).filter((f) => f.endsWith('.svg'));
    let total = 0;
    for (const f of files) {
      const size = statSync(join(IMAGE_DIR, f)).size;
      expect(size, f).toBeLessThan(3 * 1024);
      total += size;
    }
    expect(total).toBeLessThan(500 * 1024);
  });
});
