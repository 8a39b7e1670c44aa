import { describe, expect, it } from 'vitest';
import type { FootprintView, PrivacySettings } from '@shop/shared';
import type { TransportResponse } from '../src/api/client';
import { footprintDayLabel, footprintDays } from '../src/store/slices/privacy';
import { LOGIN, fail, makeStore, ok } from './support/fakes';

/** Local wall-clock time (the phone's), so the cases read the same in every time zone. */
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();

function footprint(productId: string, viewedAt: number, over: Partial<FootprintView> = {}): FootprintView {
  return {
    productId,
    title: `商品 ${productId}`,
    image: `/catalog-images/${productId}.svg`,
    priceFromFen: 1990,
    stateLabel: '',
    available: true,
    viewedAt,
    ...over,
  };
}

const ON: PrivacySettings = { personalizedRecs: true, behaviourData: true };

/** A server answer that arrives when the test says so. */
function later() {
  let answer!: (r: TransportResponse) => void;
  const promise = new Promise<TransportResponse>((resolve) => (answer = resolve));
  return { promise, answer };
}

async function loggedIn(handlers: Parameters<typeof makeStore>[0]) {
  const s = makeStore({ login: () => ok(LOGIN), ...handlers });
  await s.store.getState().loginWithCode('demo-1');
  return s;
}

describe('足迹 by day', () => {
  const now = at(2025, 11, 27, 9, 30);

  it('names today, yesterday and earlier days by the phone’s calendar, not by 24-hour spans', () => {
    expect(footprintDayLabel(at(2025, 11, 27, 0, 0), now)).toBe('今天');
    expect(footprintDayLabel(at(2025, 11, 26, 23, 59), now)).toBe('昨天');
    expect(footprintDayLabel(at(2025, 11, 26, 0, 1), now)).toBe('昨天');
    expect(footprintDayLabel(at(2025, 11, 25, 23, 59), now)).toBe('11月25日');
    expect(footprintDayLabel(at(2025, 1, 3), now)).toBe('1月3日');
    expect(footprintDayLabel(at(2024, 12, 31), now)).toBe('2024年12月31日');
  });

  it('crosses month and year ends for 昨天, and reads a view stamped after the phone’s clock as today', () => {
    expect(footprintDayLabel(at(2025, 11, 30, 22), at(2025, 12, 1, 1))).toBe('昨天');
    expect(footprintDayLabel(at(2024, 12, 31, 23), at(2025, 1, 1, 0, 5))).toBe('昨天');
    expect(footprintDayLabel(at(2024, 12, 30, 23), at(2025, 1, 1, 0, 5))).toBe('2024年12月30日');
    expect(footprintDayLabel(at(2025, 11, 28, 0, 1), now)).toBe('今天');
  });

  it('groups the server’s order into days, keeping the order within each day', () => {
    const items = [
      footprint('p-a', at(2025, 11, 27, 9)),
      footprint('p-b', at(2025, 11, 27, 1)),
      footprint('p-c', at(2025, 11, 26, 20)),
      footprint('p-d', at(2025, 11, 25, 8)),
      footprint('p-e', at(2025, 11, 25, 7)),
      footprint('p-f', at(2024, 11, 25, 7)),
    ];
    const days = footprintDays(items, now);
    expect(days.map((d) => [d.label, d.items.map((i) => i.productId)])).toEqual([
      ['今天', ['p-a', 'p-b']],
      ['昨天', ['p-c']],
      ['11月25日', ['p-d', 'p-e']],
      ['2024年11月25日', ['p-f']],
    ]);
    expect(footprintDays([], now)).toEqual([]);
  });
});

describe('privacy slice: 设置', () => {
  it('reads the switches only with a session', async () => {
    const visitor = makeStore({});
    await visitor.store.getState().loadPrivacy();
    expect(visitor.requests).toEqual([]);
    expect(visitor.store.getState().privacy).toBeNull();

    const s = await loggedIn({ getPrivacy: () => ok({ personalizedRecs: false, behaviourData: true }) });
    await s.store.getState().loadPrivacy();
    expect(s.store.getState().privacy).toEqual({ personalizedRecs: false, behaviourData: true });
    expect(s.store.getState().privacyStatus).toBe('ready');
  });

  it('shows a change at once, sends only that switch, then keeps what the server says', async () => {
    const answer = later();
    const s = await loggedIn({ getPrivacy: () => ok(ON), setPrivacy: () => answer.promise });
    await s.store.getState().loadPrivacy();
    const done = s.store.getState().setPrivacy('behaviourData', false);
    expect(s.store.getState().privacy).toEqual({ personalizedRecs: true, behaviourData: false });
    expect(s.store.getState().privacyBusy.behaviourData).toBe(true);
    // A second tap while the first is on its way changes nothing.
    expect(await s.store.getState().setPrivacy('behaviourData', true)).toBe(false);
    expect(s.requests.filter((r) => r.name === 'setPrivacy')).toHaveLength(1);

    answer.answer(ok({ personalizedRecs: true, behaviourData: false }));
    expect(await done).toBe(true);
    const put = s.requests.find((r) => r.name === 'setPrivacy')!;
    expect(put.method).toBe('PUT');
    expect(put.body).toEqual({ behaviourData: false });
    expect(s.store.getState().privacy).toEqual({ personalizedRecs: true, behaviourData: false });
    expect(s.store.getState().privacyBusy.behaviourData).toBe(false);
    expect(s.toasts).toContain('已关闭');
  });

  it('puts the switch back and shows the server’s message when the change is refused', async () => {
    const s = await loggedIn({ getPrivacy: () => ok(ON), setPrivacy: () => fail(503, 'RATE_LIMITED', '操作太频繁，请稍后再试') });
    await s.store.getState().loadPrivacy();
    expect(await s.store.getState().setPrivacy('personalizedRecs', false)).toBe(false);
    expect(s.store.getState().privacy).toEqual(ON);
    expect(s.store.getState().privacyBusy.personalizedRecs).toBe(false);
    expect(s.toasts).toEqual(['操作太频繁，请稍后再试']);
  });

  it('keeps the other switch as the shopper set it while its own change is under way', async () => {
    const recs = later();
    const data = later();
    const s = await loggedIn({
      getPrivacy: () => ok(ON),
      setPrivacy: (r) => ((r.body as Partial<PrivacySettings>).personalizedRecs !== undefined ? recs.promise : data.promise),
    });
    await s.store.getState().loadPrivacy();
    const first = s.store.getState().setPrivacy('personalizedRecs', false);
    const second = s.store.getState().setPrivacy('behaviourData', false);
    // The first answer was computed before the second change reached the server.
    recs.answer(ok({ personalizedRecs: false, behaviourData: true }));
    await first;
    expect(s.store.getState().privacy).toEqual({ personalizedRecs: false, behaviourData: false });
    // The second is refused: only its own switch goes back.
    data.answer(fail(500, 'INTERNAL', '系统繁忙，请稍后再试'));
    expect(await second).toBe(false);
    expect(s.store.getState().privacy).toEqual({ personalizedRecs: false, behaviourData: true });
  });

  it('forgets the switches and 足迹 when the shopper logs out', async () => {
    const s = await loggedIn({
      getPrivacy: () => ok(ON),
      listFootprints: () => ok({ items: [footprint('p-a', 1)], nextCursor: null }),
    });
    await s.store.getState().loadPrivacy();
    await s.store.getState().loadFootprints(true);
    s.store.getState().logout();
    expect(s.store.getState().privacy).toBeNull();
    expect(s.store.getState().footprints).toEqual([]);
    expect(s.store.getState().footprintsStatus).toBe('idle');
  });
});

describe('privacy slice: 足迹', () => {
  it('reads page after page with the server’s cursor, each product once, and stops at the end', async () => {
    const pages: Record<string, unknown> = {
      first: { items: [footprint('p-a', 3), footprint('p-b', 2)], nextCursor: 'c1' },
      c1: { items: [footprint('p-b', 2), footprint('p-c', 1)], nextCursor: null },
    };
    const s = await loggedIn({
      listFootprints: (r) => ok(pages[new URL(r.url).searchParams.get('cursor') ?? 'first']),
    });
    await s.store.getState().loadFootprints(true);
    await s.store.getState().loadFootprints(false);
    await s.store.getState().loadFootprints(false);
    expect(s.store.getState().footprints.map((f) => f.productId)).toEqual(['p-a', 'p-b', 'p-c']);
    expect(s.requests.filter((r) => r.name === 'listFootprints').map((r) => new URL(r.url).search)).toEqual(['?limit=20', '?limit=20&cursor=c1']);
    expect(s.store.getState().footprintsCursor).toBeNull();

    await s.store.getState().loadFootprints(true);
    expect(s.store.getState().footprints.map((f) => f.productId)).toEqual(['p-a', 'p-b']);
  });

  it('shows a failed first page as an error, and keeps what is shown when a later page fails', async () => {
    let down = true;
    const s = await loggedIn({
      listFootprints: (r) =>
        down ? fail(500, 'INTERNAL', '系统繁忙，请稍后再试') : ok({ items: [footprint(r.url.includes('cursor') ? 'p-b' : 'p-a', 1)], nextCursor: 'c1' }),
    });
    await s.store.getState().loadFootprints(true);
    expect(s.store.getState().footprintsStatus).toBe('error');
    down = false;
    await s.store.getState().loadFootprints(true);
    down = true;
    await s.store.getState().loadFootprints(false);
    expect(s.store.getState().footprintsStatus).toBe('ready');
    expect(s.store.getState().footprints.map((f) => f.productId)).toEqual(['p-a']);
    expect(s.store.getState().footprintsCursor).toBe('c1');
  });

  it('deletes one product, and keeps it when the server refuses', async () => {
    let refuse = false;
    const s = await loggedIn({
      listFootprints: () => ok({ items: [footprint('p-a', 2), footprint('p-b', 1)], nextCursor: null }),
      removeFootprint: () => (refuse ? fail(500, 'INTERNAL', '系统繁忙，请稍后再试') : ok({ removed: 1 })),
    });
    await s.store.getState().loadFootprints(true);
    expect(await s.store.getState().removeFootprint('p-a')).toBe(true);
    const del = s.requests.find((r) => r.name === 'removeFootprint')!;
    expect([del.method, new URL(del.url).pathname]).toEqual(['DELETE', '/v1/footprints/p-a']);
    expect(s.store.getState().footprints.map((f) => f.productId)).toEqual(['p-b']);
    expect(s.toasts).toContain('已删除');

    refuse = true;
    expect(await s.store.getState().removeFootprint('p-b')).toBe(false);
    expect(s.store.getState().footprints.map((f) => f.productId)).toEqual(['p-b']);
    expect(s.store.getState().footprintBusy['p-b']).toBe(false);
  });

  it('clears every 足迹 only when the server has', async () => {
    let refuse = true;
    const s = await loggedIn({
      listFootprints: () => ok({ items: [footprint('p-a', 2)], nextCursor: 'c1' }),
      clearFootprints: () => (refuse ? fail(500, 'INTERNAL', '系统繁忙，请稍后再试') : ok({ removed: 7 })),
    });
    await s.store.getState().loadFootprints(true);
    expect(await s.store.getState().clearFootprints()).toBe(false);
    expect(s.store.getState().footprints).toHaveLength(1);
    refuse = false;
    expect(await s.store.getState().clearFootprints()).toBe(true);
    const del = s.requests.filter((r) => r.name === 'clearFootprints').at(-1)!;
    expect([del.method, new URL(del.url).pathname]).toEqual(['DELETE', '/v1/footprints']);
    expect(s.store.getState().footprints).toEqual([]);
    expect(s.store.getState().footprintsCursor).toBeNull();
    expect(s.store.getState().footprintsClearing).toBe(false);
  });
});
