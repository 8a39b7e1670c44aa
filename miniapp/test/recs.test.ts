import { describe, expect, it } from 'vitest';
import type { RecCard, RecsPage } from '@shop/shared';
import { recsKey } from '../src/store/slices/recs';
import { LOGIN, fail, makeStore, ok, product } from './support/fakes';

const card = (id: string): RecCard => ({ product: product(id, { categoryId: 'beauty' }), reason: { kind: 'category_hot', text: '同类热销' } });
const ids = (cards: RecCard[] | undefined) => (cards ?? []).map((c) => c.product.id);

/** A server with `total` recommendations paged 10 at a time (cursor = offset). */
function recsServer(total: () => string[]) {
  return (req: { url: string }) => {
    const q = new URL(req.url).searchParams;
    const offset = Number(q.get('cursor') ?? 0);
    const all = total();
    const items = all.slice(offset, offset + Number(q.get('limit'))).map(card);
    const next = offset + items.length;
    const page: RecsPage = { items, nextCursor: next < all.length ? String(next) : null, placement: 'home_feed', variant: 'B', personalized: true };
    return ok(page);
  };
}

const many = (n: number, prefix = 'p') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('recommendations slice', () => {
  it('reads 猜你喜欢 again only after the shopper did something, sending that first, and keeps as many cards as were shown', async () => {
    let list = many(40);
    const s = makeStore({
      login: () => ok(LOGIN),
      recommendations: recsServer(() => list),
      ingestEvents: (req) => ok({ received: (req.body as { events: unknown[] }).events.length, stored: 1, duplicates: 0, collecting: true }),
    });
    await s.store.getState().loginWithCode('c');
    const { loadRecs, track } = s.store.getState();
    await loadRecs('home_feed', 'refresh');
    await loadRecs('home_feed', 'more');
    await loadRecs('home_feed', 'more');
    expect(ids(s.store.getState().recs.home_feed?.items)).toEqual(many(30));
    const firstLoad = s.store.getState().recs.home_feed!.loadId;

    // Shown again with nothing new: no request.
    const before = s.requests.length;
    await loadRecs('home_feed', 'refresh');
    expect(s.requests.length).toBe(before);

    // After a product page was viewed: the view goes out, then the list is read again from the top, 30 cards deep.
    track({ kind: 'view', productId: 'p-0', dwellMs: 3000 });
    list = many(40, 'q');
    await loadRecs('home_feed', 'refresh');
    const after = s.requests.slice(before).map((r) => r.name);
    expect(after[0]).toBe('ingestEvents');
    expect(after.slice(1)).toEqual(['recommendations', 'recommendations', 'recommendations']);
    const feed = s.store.getState().recs.home_feed!;
    expect(ids(feed.items)).toEqual(many(30, 'q'));
    expect(feed.loadId).toBe(firstLoad + 1);
    expect(feed.variant).toBe('B');
    expect(feed.done).toBe(false);
  });

  it('reports the view of the product page just left before the feed is read, with how long it was shown, once', async () => {
    let now = 1_700_000_000_000;
    const s = makeStore(
      {
        login: () => ok(LOGIN),
        recommendations: recsServer(() => many(3)),
        ingestEvents: (req) => ok({ received: (req.body as { events: unknown[] }).events.length, stored: 1, duplicates: 0, collecting: true }),
      },
      { now: () => now },
    );
    await s.store.getState().loginWithCode('c');
    const { startView, endView, loadRecs } = s.store.getState();
    startView('p-seen');
    now += 4_000;
    // The product page's own lists leave its view open; 首页 shown again ends it before asking.
    await loadRecs('pdp_also_viewed', 'refresh', 'p-seen');
    expect(s.requests.filter((r) => r.name === 'ingestEvents')).toHaveLength(0);
    await loadRecs('home_feed', 'refresh');
    const names = s.requests.map((r) => r.name);
    expect(names.indexOf('ingestEvents')).toBeLessThan(names.lastIndexOf('recommendations'));
    const events = (s.requests.find((r) => r.name === 'ingestEvents')!.body as { events: { kind: string; productId: string; dwellMs: number }[] }).events;
    expect(events).toMatchObject([{ kind: 'view', productId: 'p-seen', dwellMs: 4_000 }]);
    endView('p-seen');
    await s.store.getState().flushEvents();
    expect(s.requests.filter((r) => r.name === 'ingestEvents')).toHaveLength(1);
  });

  it('不感兴趣 takes the card out of every list at once, and puts it back where it was when the server refuses', async () => {
    let refuse = false;
    const s = makeStore({
      login: () => ok(LOGIN),
      recommendations: recsServer(() => many(5)),
      dislikeRec: () => (refuse ? fail(503, 'INTERNAL', '服务繁忙') : ok({ ok: true, dislikedCount: 1 })),
    });
    await s.store.getState().loginWithCode('c');
    const { loadRecs, dislikeRec } = s.store.getState();
    await loadRecs('home_feed', 'reset');
    await loadRecs('cart', 'reset');

    refuse = true;
    const pending = dislikeRec('p-2');
    // Gone before the server answers.
    expect(ids(s.store.getState().recs.home_feed?.items)).not.toContain('p-2');
    expect(ids(s.store.getState().recs[recsKey('cart')]?.items)).not.toContain('p-2');
    expect(await pending).toBe(false);
    expect(ids(s.store.getState().recs.home_feed?.items)).toEqual(many(5));
    expect(ids(s.store.getState().recs.cart?.items)).toEqual(many(5));
    expect(s.toasts.at(-1)).toMatch(/失败/);

    refuse = false;
    expect(await dislikeRec('p-2')).toBe(true);
    expect(ids(s.store.getState().recs.home_feed?.items)).toEqual(['p-0', 'p-1', 'p-3', 'p-4']);
    expect(s.requests.filter((r) => r.name === 'dislikeRec').map((r) => r.body)).toEqual([{ productId: 'p-2' }, { productId: 'p-2' }]);
  });

  it('keeps no events of a visitor, and an error leaves the list in an error state a retry can leave', async () => {
    let down = true;
    const s = makeStore({ recommendations: (req) => (down ? fail(503, 'INTERNAL', '服务繁忙') : recsServer(() => many(3))(req)) });
    const { loadRecs, track, flushEvents } = s.store.getState();
    track({ kind: 'view', productId: 'p-0', dwellMs: 10 });
    await flushEvents();
    expect(s.requests.some((r) => r.name === 'ingestEvents')).toBe(false);
    expect(s.store.getState().behaviourVersion).toBe(0);

    await loadRecs('search_empty', 'refresh');
    expect(s.store.getState().recs.search_empty?.status).toBe('error');
    down = false;
    await loadRecs('search_empty', 'refresh');
    expect(s.store.getState().recs.search_empty?.status).toBe('ready');
    expect(ids(s.store.getState().recs.search_empty?.items)).toEqual(many(3));
    // A feed that fails says so in its own state, not in a toast.
    expect(s.toasts).toEqual([]);
  });
});
