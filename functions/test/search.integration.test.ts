import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { putProduct, seedDemoData } from '../../scripts/seed/seed';
import * as searchHandlers from '../src/handlers/search';

/** The search and suggest routes through their handlers, over the demo catalog on DynamoDB Local. */

const CJK = /[\u4e00-\u9fff]/;
interface Summary {
  id: string;
  categoryId: string;
  title: string;
  priceFromFen: number;
  sales: number;
  stock: number;
}

const search = (query: Record<string, string>) => call(searchHandlers.searchProducts, { query });
const ids = (r: { body: { items: Summary[] } }) => r.body.items.map((p) => p.id);

/** Every page of a search, following nextCursor. */
async function allPages(query: Record<string, string>): Promise<Summary[]> {
  const out: Summary[] = [];
  let cursor: string | undefined;
  do {
    const r = await search({ ...query, limit: '2', ...(cursor ? { cursor } : {}) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  await freshTable({
    CAMPAIGNS_DIR: campaignFolder({ 'search.yaml': '# 热门搜索\nhotSearches: [年货节, 蓝牙耳机]\n' }),
  });
  await seedDemoData();
  // A sold-out 螺蛳粉 of our own: found by name, listed after everything in stock, hidden by 有货.
  await putProduct(
    {
      id: 'p-noodles-soldout',
      categoryId: 'food',
      title: '柳州螺蛳粉 家庭装 12 袋',
      subtitle: '已售罄',
      description: '家庭装',
      images: ['/catalog-images/p-noodles-01-1.svg'],
      specDimensions: [{ name: '规格', values: ['12袋'] }],
      skus: [{ id: 'sku-noodles-soldout-12', specs: { 规格: '12袋' }, priceFen: 9900, originalPriceFen: null, stock: 0, image: null }],
      sales: 99_999,
      listedDaysAgo: 3,
      onShelf: true,
      keywords: ['螺蛳粉'],
    },
    Date.now(),
  );
});

describe('finding a product however its name is typed', () => {
  it('finds 螺蛳粉 first by its characters, a wrong character, full pinyin and initials', async () => {
    for (const q of ['螺蛳粉', '螺狮粉', 'luosifen', 'lsf', 'LuoSiFen', 'luosf', 'luoshifen']) {
      const r = await search({ q });
      expect(r.status, q).toBe(200);
      expect(ids(r)[0], q).toBe('p-noodles-01');
    }
  });

  it('finds a brand typed with a homophone, also run together with what is wanted', async () => {
    expect(ids(await search({ q: '星耀' }))).toEqual(expect.arrayContaining(['p-phone-01', 'p-watch-01']));
    expect(ids(await search({ q: '星耀手机' }))[0]).toBe('p-phone-01');
    expect(ids(await search({ q: '花样口红' }))[0]).toBe('p-lipstick-01');
  });

  it('ranks an exact keyword above a product that only mentions the word', async () => {
    // 耳机 is a keyword of the earbuds; nothing else is called just that.
    expect(ids(await search({ q: '耳机' }))[0]).toBe('p-earbuds-01');
  });

  it('does not match unrelated products by one shared character, and lists the sold-out one last', async () => {
    expect(ids(await search({ q: '螺狮粉' }))).toEqual(['p-noodles-01', 'p-noodles-soldout']);
  });
});

describe('sorting and filtering compose with the cursor', () => {
  const q = '简野';

  it('pages every sort without overlap, in the sort order', async () => {
    const all = await allPages({ q, sort: 'relevance' });
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    const asc = await allPages({ q, sort: 'price_asc' });
    expect(asc.map((p) => p.priceFromFen)).toEqual([...asc.map((p) => p.priceFromFen)].sort((a, b) => a - b));
    const desc = await allPages({ q, sort: 'price_desc' });
    expect(desc.map((p) => p.priceFromFen)).toEqual([...desc.map((p) => p.priceFromFen)].sort((a, b) => b - a));
    const sales = await allPages({ q, sort: 'sales' });
    expect(sales.map((p) => p.sales)).toEqual([...sales.map((p) => p.sales)].sort((a, b) => b - a));
    for (const list of [asc, desc, sales]) expect(new Set(list.map((p) => p.id))).toEqual(new Set(all.map((p) => p.id)));
  });

  it('filters by price band, category and 有货, and says how many match', async () => {
    const first = await search({ q: '星曜' });
    const cheapest = Math.min(...first.body.items.map((p: Summary) => p.priceFromFen));
    const band = await allPages({ q: '星曜', sort: 'price_asc', minPriceFen: String(cheapest + 1), maxPriceFen: '1000000' });
    expect(band.length).toBe(first.body.items.length - 1);
    for (const p of band) expect(p.priceFromFen).toBeGreaterThan(cheapest);

    const broad = await search({ q: '补水', limit: '50' });
    const categories = new Set(broad.body.items.map((p: Summary) => p.categoryId));
    expect(broad.body.categories.map((c: { id: string }) => c.id).sort()).toEqual([...categories].sort());
    const beauty = await allPages({ q: '补水', categoryId: 'beauty' });
    expect(beauty.length).toBeGreaterThan(0);
    for (const p of beauty) expect(p.categoryId).toBe('beauty');

    const inStock = await search({ q: 'lsf', inStock: 'true' });
    expect(ids(inStock)).toEqual(['p-noodles-01']);
    expect(inStock.body.total).toBe(1);
    expect((await search({ q: 'lsf' })).body.total).toBe(2);
  });

  it('offers price bands that split the hits, and a cursor only continues its own filters', async () => {
    const r = await search({ q: '简野', limit: '1' });
    expect(r.body.nextCursor).toBeTruthy();
    const other = await search({ q: '简野', limit: '1', inStock: 'true', cursor: r.body.nextCursor });
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(CJK);
    const bands = (await search({ q: '手机' })).body.priceBands as { minFen: number; maxFen: number | null }[];
    for (const [i, b] of bands.entries()) if (i > 0) expect(b.minFen).toBe(bands[i - 1].maxFen);
  });
});

describe('nothing found', () => {
  it('says so with top sellers in stock to look at instead', async () => {
    const r = await search({ q: '不存在的东西qqq' });
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([]);
    expect(r.body.total).toBe(0);
    const alternatives = r.body.alternatives as Summary[];
    expect(alternatives.length).toBeGreaterThanOrEqual(4);
    for (const p of alternatives) expect(p.stock).toBeGreaterThan(0);
    expect(alternatives.map((p) => p.sales)).toEqual([...alternatives.map((p) => p.sales)].sort((a, b) => b - a));
    // A search that finds something carries none.
    expect((await search({ q: '口红' })).body.alternatives).toEqual([]);
  });
});

describe('suggestions and 热门搜索', () => {
  it('suggests 螺蛳粉 for its pinyin and initials while typing', async () => {
    for (const q of ['lsf', 'luosi', '螺狮']) {
      const r = await call(searchHandlers.suggest, { query: { q } });
      expect(r.status).toBe(200);
      expect(r.body.suggestions[0], q).toBe('螺蛳粉');
    }
  });

  it('answers an empty text with the operators’ words first, then the top sellers', async () => {
    const r = await call(searchHandlers.suggest, { query: {} });
    expect(r.body.suggestions.slice(0, 2)).toEqual(['年货节', '蓝牙耳机']);
    expect(r.body.suggestions).toContain('螺蛳粉');
    expect(new Set(r.body.suggestions).size).toBe(r.body.suggestions.length);
  });
});

describe('bad input is a 400 with a Chinese message', () => {
  it('refuses a too long query, an unknown sort, a bad price band and a bad 有货 flag', async () => {
    for (const query of <Record<string, string>[]>[
      { q: '螺'.repeat(51) },
      { q: ' ' },
      { q: '口红', sort: 'cheapest' },
      { q: '口红', minPriceFen: 'abc' },
      { q: '口红', minPriceFen: '5000', maxPriceFen: '100' },
      { q: '口红', inStock: 'yes' },
    ]) {
      const r = await search(query);
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.message, JSON.stringify(query)).toMatch(CJK);
    }
    const long = await call(searchHandlers.suggest, { query: { q: 'a'.repeat(51) } });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(CJK);
  });
});
