/**
 * Behaviour events, consent and 足迹 on DynamoDB Local, through the handlers: a batch is validated as a whole, each
 * event id is stored once, nothing at all is stored with 行为数据 off (checked in the table), and 足迹 pages and deletes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { shopper, type Shopper } from '../../tests/support/shop';
import { putProduct } from '../../scripts/seed/seed';
import { db, table } from '../src/lib/dynamo';
import { newId } from '../src/lib/ids';
import { eventRepo, type StoredEvent } from '../src/repositories/event-repo';
import { profileRepo } from '../src/repositories/profile-repo';
import { shopperContext } from '../src/services/profiles';
import * as events from '../src/handlers/events';

beforeAll(async () => {
  await freshTable();
  for (let i = 0; i < 25; i++) await product(`p-ev-${String(i).padStart(2, '0')}`, i < 12 ? 'beauty' : 'digital', 1000 + i * 100);
});

async function product(id: string, categoryId: string, priceFen: number) {
  await putProduct(
    {
      id,
      categoryId,
      title: `商品 ${id}`,
      subtitle: '',
      description: '',
      images: [`/catalog-images/${id}.svg`],
      specDimensions: [{ name: '规格', values: ['标准'] }],
      skus: [{ id: `sku-${id.slice(2)}`, specs: { 规格: '标准' }, priceFen, originalPriceFen: null, stock: 5, image: null }],
      sales: 0,
      listedDaysAgo: 1,
      onShelf: true,
      keywords: [categoryId === 'beauty' ? '口红' : '耳机'],
    },
    Date.now(),
  );
}

const view = (productId: string, at = Date.now(), dwellMs = 5000) => ({ kind: 'view', id: newId(at), at, productId, dwellMs, placement: 'home_feed', variant: 'B' });
const send = (s: Shopper | null, batch: unknown[]) => call(events.ingestEvents, { token: s?.token, body: { events: batch } });

/** Every item of the table that belongs to this shopper's behaviour: raw events, 足迹 rows and the profile. */
async function behaviourItems(userId: string) {
  const out = await db().send(new ScanCommand({ TableName: table(), ConsistentRead: true }));
  const items = out.Items ?? [];
  return {
    events: items.filter((i) => String(i.PK).startsWith('EVT#') && i.u === userId),
    footprints: items.filter((i) => i.PK === `USER#${userId}` && String(i.SK).startsWith('FOOT#')),
    profile: items.find((i) => i.PK === `USER#${userId}` && i.SK === 'BEHAVIOUR'),
  };
}

async function readAll(from: number, to: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of eventRepo.readBetween(from, to)) out.push(e);
  return out;
}

describe('POST /v1/events', () => {
  it('refuses a malformed batch as a whole, in words, and writes nothing', async () => {
    const s = await shopper('ev-bad');
    const bad = await send(s, [view('p-ev-00'), { kind: 'view', id: 'not-a-ulid', at: Date.now(), productId: 'p-ev-01', dwellMs: 10 }]);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.issues).toEqual([expect.objectContaining({ message: '编号格式不正确' })]);
    const tooMany = await send(s, Array.from({ length: 51 }, () => view('p-ev-00')));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details.issues[0].message).toBe('一次最多上报 50 个事件');
    const unknownKind = await send(s, [{ kind: 'teleport', id: newId(), at: Date.now() }]);
    expect(unknownKind.status).toBe(400);
    expect(await behaviourItems(s.userId)).toEqual({ events: [], footprints: [], profile: undefined });
  });

  it("answers a visitor's batch and keeps nothing of it", async () => {
    const before = (await db().send(new ScanCommand({ TableName: table(), ConsistentRead: true }))).Count;
    const r = await send(null, [view('p-ev-00'), view('p-ev-01')]);
    expect(r).toEqual({ status: 200, body: { received: 2, stored: 0, duplicates: 0, collecting: false } });
    expect((await db().send(new ScanCommand({ TableName: table(), ConsistentRead: true }))).Count).toBe(before);
  });

  it('stores a batch sent twice once: same events, same profile, same 足迹', async () => {
    const s = await shopper('ev-dedup');
    const t = Date.now();
    const batch = [
      { kind: 'exposure', id: newId(t - 3000), at: t - 3000, productId: 'p-ev-02', placement: 'home_feed', variant: 'A', position: 3 },
      { kind: 'click', id: newId(t - 2000), at: t - 2000, productId: 'p-ev-02', placement: 'home_feed', variant: 'A' },
      view('p-ev-02', t - 1000, 12_000),
      { kind: 'search', id: newId(t - 500), at: t - 500, q: ' 口红 ' },
      { kind: 'cart', id: newId(t), at: t, productId: 'p-ev-02', skuId: 'sku-ev-02', quantity: 2 },
    ];
    const first = await send(s, batch);
    expect(first).toEqual({ status: 200, body: { received: 5, stored: 5, duplicates: 0, collecting: true } });
    const afterFirst = await behaviourItems(s.userId);
    expect(afterFirst.events).toHaveLength(5);
    expect(afterFirst.footprints).toHaveLength(1);

    const again = await send(s, batch);
    expect(again).toEqual({ status: 200, body: { received: 5, stored: 0, duplicates: 5, collecting: true } });
    // The same id twice within a batch is one event too.
    const doubled = await send(s, [batch[0], batch[0]]);
    expect(doubled.body).toEqual({ received: 2, stored: 0, duplicates: 2, collecting: true });
    const afterAgain = await behaviourItems(s.userId);
    expect(afterAgain.events).toHaveLength(5);
    expect(afterAgain.profile).toEqual(afterFirst.profile);
    expect(afterAgain.footprints).toEqual(afterFirst.footprints);

    // The trainer's reader gets them back, compact attributes expanded, with the server's times in the client's order.
    const mine = (await readAll(t - 86_400_000, Date.now() + 1)).filter((e) => e.userId === s.userId);
    expect(mine.map((e) => e.kind)).toEqual(['exposure', 'click', 'view', 'search', 'cart']);
    expect(mine[0]).toEqual({ id: batch[0].id, userId: s.userId, kind: 'exposure', at: expect.any(Number), productId: 'p-ev-02', placement: 'home_feed', variant: 'A', position: 3 });
    expect(mine[3].q).toBe('口红');
    expect(mine[4]).toMatchObject({ skuId: 'sku-ev-02', quantity: 2 });
    const ttl = afterFirst.events[0].ttl as number;
    expect(ttl * 1000 - mine[0].at).toBeGreaterThan(59 * 86_400_000);
  });

  it("keeps the server's clock: a client clock an hour ahead orders the batch but is not the time kept", async () => {
    const s = await shopper('ev-clock');
    const ahead = Date.now() + 3_600_000;
    const before = Date.now();
    const r = await send(s, [view('p-ev-03', ahead - 2000), view('p-ev-04', ahead)]);
    expect(r.body.stored).toBe(2);
    const mine = (await readAll(before - 86_400_000, Date.now() + 1)).filter((e) => e.userId === s.userId);
    expect(mine.map((e) => e.productId)).toEqual(['p-ev-03', 'p-ev-04']);
    for (const e of mine) {
      expect(e.at).toBeGreaterThanOrEqual(before - 2000);
      expect(e.at).toBeLessThanOrEqual(Date.now());
    }
    expect(mine[1].at - mine[0].at).toBe(2000);
  });
});

describe('consent: 个性化推荐 and 行为数据', () => {
  it('defaults both on, and with 行为数据 off stores nothing at all (checked in the table)', async () => {
    const s = await shopper('ev-consent');
    expect((await call(events.getPrivacy, { token: s.token })).body).toEqual({ personalizedRecs: true, behaviourData: true });
    await send(s, [view('p-ev-05')]);
    const before = await behaviourItems(s.userId);
    expect(before.events).toHaveLength(1);

    const off = await call(events.setPrivacy, { token: s.token, body: { behaviourData: false } });
    expect(off).toEqual({ status: 200, body: { personalizedRecs: true, behaviourData: false } });
    const r = await send(s, [view('p-ev-06'), view('p-ev-07'), { kind: 'purchase', id: newId(), at: Date.now(), productId: 'p-ev-06' }]);
    expect(r).toEqual({ status: 200, body: { received: 3, stored: 0, duplicates: 0, collecting: false } });
    const after = await behaviourItems(s.userId);
    expect(after.events).toEqual(before.events);
    expect(after.footprints).toEqual(before.footprints);
    expect(after.profile).toEqual(before.profile);
    // What was kept before no longer steers anything.
    expect((await shopperContext(s.userId, Date.now())).recent).toEqual([]);

    const empty = await call(events.setPrivacy, { token: s.token, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.details.issues[0].message).toBe('请选择要修改的设置');
    await call(events.setPrivacy, { token: s.token, body: { behaviourData: true } });
    expect((await send(s, [view('p-ev-06')])).body.stored).toBe(1);
  });

  it('with 个性化推荐 off the feed gets no recent items and no interests, while events are still kept', async () => {
    const s = await shopper('ev-recs-off');
    await send(s, [view('p-ev-08'), view('p-ev-09')]);
    const on = await shopperContext(s.userId, Date.now());
    expect(on.personalizedRecs).toBe(true);
    expect(on.recent.map((r) => r.productId)).toEqual(['p-ev-09', 'p-ev-08']);
    expect(on.profile?.categories).toEqual([{ id: 'beauty', share: 1 }]);

    await call(events.setPrivacy, { token: s.token, body: { personalizedRecs: false } });
    const off = await shopperContext(s.userId, Date.now());
    expect(off).toMatchObject({ personalizedRecs: false, behaviourData: true, recent: [] });
    expect(off.profile?.categories).toEqual([]);
    expect((await send(s, [view('p-ev-10')])).body.stored).toBe(1);
  });

  it('is only ever the caller’s own', async () => {
    expect((await call(events.getPrivacy, {})).status).toBe(401);
    expect((await call(events.listFootprints, {})).status).toBe(401);
  });
});

describe('足迹', () => {
  it('lists one row per product, latest view first, page by page, and deletes one or all', async () => {
    const s = await shopper('ev-foot');
    const t = Date.now();
    // 25 products viewed, the first one viewed again last: it leads, once.
    const batch1 = Array.from({ length: 25 }, (_, i) => view(`p-ev-${String(i).padStart(2, '0')}`, t - 100_000 + i * 1000));
    expect((await send(s, batch1)).body.stored).toBe(25);
    expect((await send(s, [view('p-ev-00', t)])).body.stored).toBe(1);

    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: any } = await call(events.listFootprints, { token: s.token, query: { limit: '10', ...(cursor ? { cursor } : {}) } });
      expect(r.status).toBe(200);
      ids.push(...r.body.items.map((i: { productId: string }) => i.productId));
      if (pages === 0) {
        expect(r.body.items[0]).toEqual({
          productId: 'p-ev-00',
          title: '商品 p-ev-00',
          image: '/catalog-images/p-ev-00.svg',
          priceFromFen: 1000,
          stateLabel: '',
          available: true,
          viewedAt: expect.any(Number),
        });
      }
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(ids).toEqual(['p-ev-00', ...Array.from({ length: 24 }, (_, i) => `p-ev-${String(24 - i).padStart(2, '0')}`)]);

    // Another shopper's cursor does not continue this list.
    const other = await shopper('ev-foot-other');
    const first = await call(events.listFootprints, { token: s.token, query: { limit: '10' } });
    const foreign = await call(events.listFootprints, { token: other.token, query: { cursor: first.body.nextCursor } });
    expect(foreign.status).toBe(400);

    expect((await call(events.removeFootprint, { token: s.token, params: { productId: 'p-ev-00' } })).body).toEqual({ removed: 1 });
    expect((await call(events.removeFootprint, { token: s.token, params: { productId: 'p-ev-00' } })).body).toEqual({ removed: 0 });
    const afterOne = await call(events.listFootprints, { token: s.token, query: { limit: '50' } });
    expect(afterOne.body.items.map((i: { productId: string }) => i.productId)).not.toContain('p-ev-00');
    expect(afterOne.body.items).toHaveLength(24);
    // The deleted product no longer steers recommendations either.
    expect((await shopperContext(s.userId, Date.now())).recent.map((r) => r.productId)).not.toContain('p-ev-00');

    expect((await call(events.clearFootprints, { token: s.token })).body).toEqual({ removed: 24 });
    expect((await call(events.listFootprints, { token: s.token })).body).toEqual({ items: [], nextCursor: null });
    expect((await behaviourItems(s.userId)).footprints).toEqual([]);
    expect((await shopperContext(s.userId, Date.now())).recent).toEqual([]);
    // The other shopper's 足迹 were never touched (they had none) and the raw events stay until they expire.
    expect((await behaviourItems(s.userId)).events).toHaveLength(26);
  });

  it('keeps a product viewed off the shelf, shown as 已下架 with its card', async () => {
    const s = await shopper('ev-foot-off');
    await putProduct(
      {
        id: 'p-ev-gone',
        categoryId: 'home',
        title: '商品 p-ev-gone',
        subtitle: '',
        description: '',
        images: ['/catalog-images/p-ev-gone.svg'],
        specDimensions: [{ name: '规格', values: ['标准'] }],
        skus: [{ id: 'sku-ev-gone', specs: { 规格: '标准' }, priceFen: 990, originalPriceFen: null, stock: 5, image: null }],
        sales: 0,
        listedDaysAgo: 1,
        onShelf: false,
        keywords: [],
      },
      Date.now(),
    );
    await send(s, [view('p-ev-gone')]);
    const r = await call(events.listFootprints, { token: s.token });
    expect(r.body.items).toEqual([expect.objectContaining({ productId: 'p-ev-gone', title: '商品 p-ev-gone', priceFromFen: 990, stateLabel: '已下架', available: false })]);
    expect((await profileRepo.read(s.userId)).profile.recent).toEqual([expect.objectContaining({ productId: 'p-ev-gone', kind: 'view' })]);
  });
});
