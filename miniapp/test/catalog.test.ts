import { describe, expect, it, vi } from 'vitest';
import { feedKey } from '../src/store/slices/catalog';
import { makeStore, ok, product } from './support/fakes';

describe('catalog slice', () => {
  it('loads a feed page by page with the cursor and stops at the end', async () => {
    const s = makeStore({
      listProducts: (req) =>
        ok(
          req.url.includes('cursor=n1')
            ? { items: [product('p-2'), product('p-1')], nextCursor: null }
            : { items: [product('p-1')], nextCursor: 'n1' },
        ),
    });
    const q = { kind: 'list' as const, categoryId: 'c-food', sort: 'price_desc' as const };
    await s.store.getState().loadFeed(q, 'reset');
    await s.store.getState().loadFeed(q, 'more');
    await s.store.getState().loadFeed(q, 'more');
    expect(s.requests.map((r) => r.url)).toEqual([
      'https://api.test/v1/products?categoryId=c-food&sort=price_desc&limit=20',
      'https://api.test/v1/products?categoryId=c-food&sort=price_desc&cursor=n1&limit=20',
    ]);
    const feed = s.store.getState().feeds[feedKey(q)]!;
    expect(feed.items.map((p) => p.id)).toEqual(['p-1', 'p-2']);
    expect(feed).toMatchObject({ done: true, status: 'ready' });
  });

  it('drops the answer of a search that a newer reset replaced', async () => {
    const pending: ((v: { statusCode: number; data: unknown }) => void)[] = [];
    const s = makeStore({ searchProducts: () => new Promise((r) => pending.push(r)) });
    const q = { kind: 'search' as const, q: '口红', sort: 'sales' as const };
    const first = s.store.getState().loadFeed(q, 'reset');
    const second = s.store.getState().loadFeed(q, 'reset');
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    pending[1]!(ok({ items: [product('new')], nextCursor: null }));
    pending[0]!(ok({ items: [product('old')], nextCursor: null }));
    await Promise.all([first, second]);
    expect(s.store.getState().feeds[feedKey(q)]!.items.map((p) => p.id)).toEqual(['new']);
  });

  it('marks a failed first page as error (the client already toasted)', async () => {
    const s = makeStore({ listProducts: () => ({ statusCode: 500, data: { code: 'INTERNAL', message: '系统繁忙，请稍后再试' } }) });
    const q = { kind: 'list' as const, sort: 'sales' as const };
    await s.store.getState().loadFeed(q, 'reset');
    expect(s.store.getState().feeds[feedKey(q)]!.status).toBe('error');
    expect(s.toasts).toEqual(['系统繁忙，请稍后再试']);
  });

  it('shows only the suggestions for the latest keystroke', async () => {
    const pending: Record<string, (v: { statusCode: number; data: unknown }) => void> = {};
    const s = makeStore({
      suggest: (req) => new Promise((r) => (pending[new URL(req.url).searchParams.get('q')!] = r)),
    });
    const a = s.store.getState().loadSuggestions('口');
    const b = s.store.getState().loadSuggestions('口红');
    await vi.waitFor(() => expect(Object.keys(pending)).toHaveLength(2));
    pending['口红']!(ok({ suggestions: ['口红 正红'] }));
    pending['口']!(ok({ suggestions: ['口罩'] }));
    await Promise.all([a, b]);
    expect(s.store.getState()).toMatchObject({ suggestions: ['口红 正红'], suggestionsFor: '口红' });
    expect(s.toasts).toEqual([]);
  });

  it('sorts categories by sortOrder', async () => {
    const s = makeStore({
      categories: () =>
        ok({ items: [{ id: 'b', name: 'B', icon: '', sortOrder: 2 }, { id: 'a', name: 'A', icon: '', sortOrder: 1 }] }),
    });
    await s.store.getState().loadCategories();
    expect(s.store.getState().categories.map((c) => c.id)).toEqual(['a', 'b']);
  });
});
