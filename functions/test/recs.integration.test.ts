import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { shopper, type Shopper } from '../../tests/support/shop';
import { putProduct, seedDemoData } from '../../scripts/seed/seed';
import { products } from '../../scripts/seed/catalog-data';
import { db, table } from '../src/lib/dynamo';
import { newId } from '../src/lib/ids';
import { keys } from '../src/repositories/keys';
import * as events from '../src/handlers/events';
import * as recs from '../src/handlers/recs';
import * as search from '../src/handlers/search';
import { trainAndPublish } from '../src/services/recs-training';

/**
 * Recommendations through the HTTP handlers on DynamoDB Local with the demo catalog: the shop's own ranking for a
 * visitor, a new shopper's feed that follows what they browse (each card with its reason), 不感兴趣 for good, the
 * 个性化推荐 switch, a trained model's 看了又看, pages that never repeat, and bad input refused in words.
 */
const categoryOf = new Map(products.map((p) => [p.id, p.categoryId]));
const beauty = products.filter((p) => p.categoryId === 'beauty').map((p) => p.id);

beforeAll(async () => {
  await freshTable();
  await seedDemoData();
  // Two products that match 旅行水杯 equally well, in two categories (the visitor's order: sales, so 运动户外 first).
  for (const [id, categoryId, sales] of [['p-cup-sports', 'sports', 500], ['p-cup-home', 'home', 100]] as const) {
    await putProduct(
      {
        id,
        categoryId,
        title: `旅行水杯 ${id.slice(6)}`,
        subtitle: '随身带',
        description: '水杯',
        images: ['/catalog-images/p-noodles-01-1.svg'],
        specDimensions: [{ name: '规格', values: ['500ml'] }],
        skus: [{ id: `sku-${id.slice(2)}`, specs: { 规格: '500ml' }, priceFen: 4900, originalPriceFen: null, stock: 50, image: null }],
        sales,
        listedDaysAgo: 30,
        onShelf: true,
        keywords: ['水杯'],
      },
      Date.now(),
    );
  }
});

const feed = (s: Shopper | null, query: Record<string, string> = {}) =>
  call(recs.recommendations, { ...(s ? { token: s.token } : {}), query: { placement: 'home_feed', limit: '20', ...query } });

async function views(s: Shopper, ids: string[], at = Date.now()) {
  const r = await call(events.ingestEvents, {
    token: s.token,
    body: { events: ids.map((productId, i) => ({ id: newId(at + i), kind: 'view', productId, at: at + i, dwellMs: 8000 })) },
  });
  expect(r.status).toBe(200);
  return r.body;
}

/** Every card of a placement, following nextCursor. */
async function all(s: Shopper | null, query: Record<string, string> = {}) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const r = await feed(s, { ...query, ...(cursor ? { cursor } : {}) });
    expect(r.status).toBe(200);
    ids.push(...r.body.items.map((c: any) => c.product.id));
    cursor = r.body.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe('recommendations', () => {
  it('gives a visitor the shop’s own ranking: popular and new products, each with a reason, pages that never repeat', async () => {
    const r = await feed(null);
    expect(r.status).toBe(200);
    expect(r.body.personalized).toBe(false);
    expect(r.body.items.length).toBe(20);
    for (const c of r.body.items) {
      expect(['popular', 'new', 'category_hot']).toContain(c.reason.kind);
      expect(c.reason.text).toMatch(/[\u4e00-\u9fa5]/);
      expect(c.product.stock).toBeGreaterThan(0);
    }
    const every = await all(null);
    expect(new Set(every).size).toBe(every.length);
    expect(every.length).toBeGreaterThan(20);
  });

  it('leads a new shopper’s feed with the category they browsed, saying why', async () => {
    const s = await shopper('recs-new');
    const before = await feed(s);
    expect(before.body.personalized).toBe(false);
    await views(s, beauty.slice(0, 3));
    const after = await feed(s);
    expect(after.status).toBe(200);
    expect(after.body.personalized).toBe(true);
    const first = after.body.items.slice(0, 2);
    for (const c of first) expect(categoryOf.get(c.product.id)).toBe('beauty');
    // What was just viewed is not offered back at the top, and the reasons name what the shopper did.
    expect(first.map((c: any) => c.product.id)).not.toContain(beauty[2]);
    expect(after.body.items.some((c: any) => /^因为你浏览了|同类热销/.test(c.reason.text))).toBe(true);
    expect(['A', 'B']).toContain(after.body.variant);
  });

  it('never shows a 不感兴趣 product again, on any page or placement; twice is once; an unknown product is refused', async () => {
    const s = await shopper('recs-dislike');
    await views(s, beauty.slice(0, 2));
    const top = (await feed(s)).body.items[0].product.id as string;
    const d = await call(recs.dislikeRec, { token: s.token, body: { productId: top } });
    expect(d.status).toBe(200);
    expect(d.body.dislikedCount).toBe(1);
    const again = await call(recs.dislikeRec, { token: s.token, body: { productId: top } });
    expect(again.body.dislikedCount).toBe(1);
    expect(await all(s)).not.toContain(top);
    for (const placement of ['cart', 'pay_result', 'search_empty']) expect(await all(s, { placement })).not.toContain(top);
    const pdp = await feed(s, { placement: 'pdp_also_viewed', productId: beauty[0]! });
    expect(pdp.body.items.map((c: any) => c.product.id)).not.toContain(top);

    const unknown = await call(recs.dislikeRec, { token: s.token, body: { productId: 'p-no-such-thing' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/商品/);
    const visitor = await call(recs.dislikeRec, { body: { productId: top } });
    expect(visitor.status).toBe(401);
  });

  it('with 个性化推荐 off, or 行为数据 off, the feed is the visitor’s ranking; on again it is personal', async () => {
    const s = await shopper('recs-switch');
    await views(s, beauty.slice(3, 6));
    expect((await feed(s)).body.personalized).toBe(true);
    expect((await call(events.setPrivacy, { token: s.token, body: { personalizedRecs: false } })).status).toBe(200);
    const off = await feed(s);
    expect(off.body.personalized).toBe(false);
    const visitor = await feed(null);
    expect(off.body.items.map((c: any) => c.product.id)).toEqual(visitor.body.items.map((c: any) => c.product.id));
    await call(events.setPrivacy, { token: s.token, body: { personalizedRecs: true } });
    expect((await feed(s)).body.personalized).toBe(true);
    // 行为数据 off: what was kept before no longer steers anything either.
    await call(events.setPrivacy, { token: s.token, body: { behaviourData: false } });
    const noData = await feed(s);
    expect(noData.body.personalized).toBe(false);
    expect(noData.body.items.map((c: any) => c.product.id)).toEqual(visitor.body.items.map((c: any) => c.product.id));
  });

  it('learns 看了又看 from what shoppers view next, and serves it from the published model', async () => {
    // Ten shoppers each view the lipstick and then the speaker (an odd pair no content rule would make).
    const t0 = Date.now() - 3600_000;
    for (let i = 0; i < 10; i++) await views(await shopper(`recs-pair-${i}`), ['p-lipstick-01', 'p-speaker-01'], t0 + i * 1000);
    const run = await trainAndPublish(Date.now());
    expect(run.lists).toBeGreaterThan(0);
    expect(run.events).toBeGreaterThanOrEqual(20);
    const head = await db().send(new GetCommand({ TableName: table(), Key: keys.recModelHead }));
    expect(head.Item?.version).toBe(run.version);
    const nb = await db().send(new GetCommand({ TableName: table(), Key: keys.recNeighbours('p-lipstick-01', run.version) }));
    expect((nb.Item?.n as [string, number, string][])[0]![0]).toBe('p-speaker-01');

    const pdp = await call(recs.recommendations, { query: { placement: 'pdp_also_viewed', productId: 'p-lipstick-01', limit: '6' } });
    expect(pdp.status).toBe(200);
    expect(pdp.body.items[0].product.id).toBe('p-speaker-01');
    expect(pdp.body.items.map((c: any) => c.product.id)).not.toContain('p-lipstick-01');
    expect(pdp.body.items[0].reason.anchorProductId).toBe('p-lipstick-01');

    // A second run replaces the head; the first version's lists are set to expire.
    const second = await trainAndPublish(Date.now() + 1000);
    const old = await db().send(new GetCommand({ TableName: table(), Key: keys.recNeighbours('p-lipstick-01', run.version) }));
    expect(old.Item?.ttl).toBeGreaterThan(0);
    const live = await db().send(new GetCommand({ TableName: table(), Key: keys.recModelHead }));
    expect(live.Item?.version).toBe(second.version);
  });

  it('re-ranks search results by the shopper’s interests within equally good matches, unless personalisation is off', async () => {
    const order = async (s: Shopper | null) =>
      (await call(search.searchProducts, { ...(s ? { token: s.token } : {}), query: { q: '旅行水杯' } })).body.items.map((p: any) => p.id);
    expect(await order(null)).toEqual(['p-cup-sports', 'p-cup-home']);
    const s = await shopper('recs-search');
    await views(s, products.filter((p) => p.categoryId === 'home').slice(0, 3).map((p) => p.id));
    expect(await order(s)).toEqual(['p-cup-home', 'p-cup-sports']);
    await call(events.setPrivacy, { token: s.token, body: { personalizedRecs: false } });
    expect(await order(s)).toEqual(['p-cup-sports', 'p-cup-home']);
  });

  it('refuses a bad placement, a product page without its product and a forged cursor, in words', async () => {
    const bad = await call(recs.recommendations, { query: { placement: 'everywhere' } });
    expect([bad.status, bad.body.message]).toEqual([400, '推荐位置无效']);
    const noProduct = await call(recs.recommendations, { query: { placement: 'pdp_also_viewed' } });
    expect([noProduct.status, noProduct.body.message]).toEqual([400, '缺少商品编号']);
    const forged = await call(recs.recommendations, { query: { placement: 'home_feed', cursor: 'not-a-cursor' } });
    expect(forged.status).toBe(400);
    expect(forged.body.message).toMatch(/分页/);
  });
});
