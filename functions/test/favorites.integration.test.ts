import { beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { shopper, testProduct, type Shopper } from '../../tests/support/shop';
import { putProduct } from '../../scripts/seed/seed';
import { db, table } from '../src/lib/dynamo';
import { keys } from '../src/repositories/keys';
import * as favorites from '../src/handlers/favorites';
import * as shop from '../src/handlers/shop-info';

/** The stage's cap, low here so the test reaches it through the API (production's default is 500). */
const LIMIT = 12;

beforeAll(async () => {
  await freshTable({ SERVICE_HOURS: '每天 9:00-21:00', SERVICE_PHONE: '400-000-8888', FAVORITES_LIMIT: String(LIMIT) });
});

/** Everything the shopper's partition holds about favourites (the items and the counter), read straight from the table. */
async function favoriteRows(userId: string): Promise<Record<string, unknown>[]> {
  const out = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :fav)',
      ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':fav': 'FAV' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

const add = (s: Shopper, productId: string) => call(favorites.addFavorite, { token: s.token, params: { productId } });
const remove = (s: Shopper, productId: string) => call(favorites.removeFavorite, { token: s.token, params: { productId } });
const state = (s: Shopper, productId: string) => call(favorites.getFavorite, { token: s.token, params: { productId } });
const list = (s: Shopper, query: Record<string, string> = {}) => call(favorites.listFavorites, { token: s.token, query });

/** Every product of the shopper's list, following nextCursor page by page. */
async function listAll(s: Shopper, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r = await list(s, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(r.status).toBe(200);
    pages++;
    ids.push(...r.body.items.map((i: { productId: string }) => i.productId));
    cursor = r.body.nextCursor;
  } while (cursor);
  return { ids, pages };
}

describe('favourites (我的收藏)', () => {
  it('adds and removes idempotently, and the product page can tell', async () => {
    const s = await shopper('fav-idem');
    await testProduct('p-fav-idem', 10, 3900);

    expect((await state(s, 'p-fav-idem')).body).toEqual({ productId: 'p-fav-idem', favorited: false });
    const first = await add(s, 'p-fav-idem');
    expect(first).toEqual({ status: 200, body: { productId: 'p-fav-idem', favorited: true } });
    const again = await add(s, 'p-fav-idem');
    expect(again).toEqual({ status: 200, body: { productId: 'p-fav-idem', favorited: true } });
    expect((await state(s, 'p-fav-idem')).body.favorited).toBe(true);

    const page = await list(s);
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(1);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.items).toEqual([
      expect.objectContaining({ productId: 'p-fav-idem', title: '测试商品 p-fav-idem', priceFromFen: 3900, available: true, stateLabel: '' }),
    ]);

    expect(await remove(s, 'p-fav-idem')).toEqual({ status: 200, body: { productId: 'p-fav-idem', favorited: false } });
    expect(await remove(s, 'p-fav-idem')).toEqual({ status: 200, body: { productId: 'p-fav-idem', favorited: false } });
    expect((await state(s, 'p-fav-idem')).body.favorited).toBe(false);
    expect((await list(s)).body).toEqual({ items: [], nextCursor: null, total: 0 });
    // Twice added and twice removed: the counter moved once each way.
    expect(await favoriteRows(s.userId)).toEqual([expect.objectContaining({ SK: 'FAVCOUNT', count: 0 })]);
  });

  it('lists newest first, page by page with a cursor, and refuses a cursor of another list', async () => {
    const s = await shopper('fav-pages');
    const ids = Array.from({ length: 7 }, (_, i) => `p-fav-page-${i}`);
    for (const id of ids) await testProduct(id, 5);
    // One at a time, so each is added at a later moment than the one before.
    for (const id of ids) {
      expect((await add(s, id)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 3));
    }

    const { ids: seen, pages } = await listAll(s, 3);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    // A page size that divides the list ends without an empty page.
    const exact = await listAll(s, 7);
    expect(exact).toEqual({ ids: [...ids].reverse(), pages: 1 });

    const firstPage = await list(s, { limit: '3' });
    const other = await shopper('fav-pages-other');
    const foreign = await list(other, { cursor: firstPage.body.nextCursor });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ code: 'VALIDATION_FAILED', message: '分页参数无效，请刷新后重试' });
    expect((await list(s, { cursor: 'not-a-cursor!' })).status).toBe(400);
  });

  it('keeps each shopper’s favourites to themselves', async () => {
    const [a, b] = [await shopper('fav-a'), await shopper('fav-b')];
    await testProduct('p-fav-private', 5);
    expect((await add(a, 'p-fav-private')).status).toBe(200);

    expect((await list(b)).body).toEqual({ items: [], nextCursor: null, total: 0 });
    expect((await state(b, 'p-fav-private')).body.favorited).toBe(false);
    // B's removal removes nothing of A's.
    expect((await remove(b, 'p-fav-private')).status).toBe(200);
    expect((await state(a, 'p-fav-private')).body.favorited).toBe(true);
    expect((await list(a)).body.items.map((i: { productId: string }) => i.productId)).toEqual(['p-fav-private']);
    expect(await favoriteRows(b.userId)).toEqual([]);

    // Without a session there is nothing to read or write.
    expect((await call(favorites.listFavorites)).status).toBe(401);
    expect((await call(favorites.addFavorite, { params: { productId: 'p-fav-private' } })).status).toBe(401);
  });

  it('answers 404 in Chinese for an unknown product and writes nothing on bad input', async () => {
    const s = await shopper('fav-bad');
    const unknown = await add(s, 'p-no-such-product');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'PRODUCT_NOT_FOUND', message: '商品不存在' });

    for (const productId of ['P-UPPER', 'x'.repeat(65), '../p-fav', '']) {
      const r = await add(s, productId);
      expect(r.status, productId).toBe(400);
      expect(r.body.code, productId).toBe('VALIDATION_FAILED');
      expect(r.body.message, productId).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await list(s, { limit: '0' })).status).toBe(400);
    expect((await list(s, { limit: '51' })).status).toBe(400);
    expect(await favoriteRows(s.userId)).toEqual([]);
  });

  it('shows a product that went off shelf or away with what it was', async () => {
    const s = await shopper('fav-gone');
    await testProduct('p-fav-off', 5, 2500);
    await testProduct('p-fav-soldout', 0, 2500);
    expect((await add(s, 'p-fav-off')).status).toBe(200);
    expect((await add(s, 'p-fav-soldout')).status).toBe(200);
    await putProduct(
      {
        id: 'p-fav-off',
        categoryId: 'home',
        title: '测试商品 p-fav-off',
        subtitle: '',
        description: '',
        images: ['/catalog-images/x.svg'],
        specDimensions: [{ name: '颜色', values: ['色0'] }],
        skus: [{ id: 'sku-fav-off-sku0', specs: { 颜色: '色0' }, priceFen: 2500, originalPriceFen: null, stock: 5, image: null }],
        sales: 0,
        listedDaysAgo: 1,
        onShelf: false,
        keywords: [],
      },
      Date.now(),
    );
    const items = (await list(s)).body.items as { productId: string; stateLabel: string; available: boolean }[];
    expect(items.find((i) => i.productId === 'p-fav-off')).toMatchObject({ stateLabel: '已下架', available: false });
    expect(items.find((i) => i.productId === 'p-fav-soldout')).toMatchObject({ stateLabel: '已售罄', available: false });
  });

  it(`stops at the stage's cap (${LIMIT} here) of favourites with a Chinese message, and writes nothing past the cap`, async () => {
    const s = await shopper('fav-cap');
    const ids = Array.from({ length: LIMIT + 1 }, (_, i) => `p-fav-cap-${i}`);
    await Promise.all(ids.map((id) => testProduct(id, 5)));
    // All at once, one more than the cap: the counter moves in each favourite's own transaction, so exactly one is refused.
    const rs = await Promise.all(ids.map((id) => add(s, id)));
    expect(rs.filter((r) => r.status === 200)).toHaveLength(LIMIT);
    const refused = rs.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(1);
    const over = refused[0]!;
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: 'FAVORITE_LIMIT', message: `收藏夹已满（最多 ${LIMIT} 件），请先移除一些再收藏` });
    const kept = (await listAll(s, 50)).ids;
    expect(kept).toHaveLength(LIMIT);
    const left = ids.find((id) => !kept.includes(id))!;
    expect((await state(s, left)).body.favorited).toBe(false);
    // One already kept is still answered as kept at the cap (idempotent), and removing one makes room.
    expect((await add(s, kept[0]!)).status).toBe(200);
    const rows = await favoriteRows(s.userId);
    expect(rows.filter((r) => r.SK !== 'FAVCOUNT')).toHaveLength(LIMIT);
    expect(rows.find((r) => r.SK === 'FAVCOUNT')).toMatchObject({ count: LIMIT });
    expect((await add(s, left)).status).toBe(400);
    expect((await remove(s, kept[0]!)).status).toBe(200);
    expect((await add(s, left)).status).toBe(200);
    expect((await list(s, { limit: '1' })).body).toMatchObject({ total: LIMIT, items: [{ productId: left }] });
  });
});

describe('shop info (客服)', () => {
  it('answers the stage’s service hours and phone without a session', async () => {
    const r = await call(shop.shopInfo);
    expect(r).toEqual({ status: 200, body: { serviceHours: '每天 9:00-21:00', servicePhone: '400-000-8888' } });
  });
});
