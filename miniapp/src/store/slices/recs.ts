import type { RecCard, RecPlacement } from '@shop/shared';
import { createTracker, type RecTag, type TrackInput } from '../../utils/tracker';
import type { Slice } from '../types';

const PAGE_SIZE = 10;
/** A list read again keeps (at most) this many more pages, so the page does not jump back up. */
const MAX_REFILL_PAGES = 4;
/** Events after which a feed shown earlier no longer follows the shopper. */
const CHANGES_FEED: ReadonlySet<string> = new Set(['view', 'cart', 'favorite', 'purchase']);

export interface RecList {
  items: RecCard[];
  nextCursor: string | null;
  /** loading = first page (the cards of an earlier load stay on screen meanwhile); loadingMore = a further page. */
  status: 'idle' | 'loading' | 'loadingMore' | 'ready' | 'error';
  done: boolean;
  /** The A/B variant the server ranked these for (events of these cards carry it). */
  variant: string;
  personalized: boolean;
  /** Counts the first-page loads: a card is reported as shown once per load. */
  loadId: number;
  /** The shopper, their switches and their behaviour as they were when the list was read. */
  stamp: string;
}

export const EMPTY_RECS: RecList = { items: [], nextCursor: null, status: 'idle', done: false, variant: '', personalized: false, loadId: 0, stamp: '' };

export function recsKey(placement: RecPlacement, productId?: string): string {
  return productId ? `${placement}:${productId}` : placement;
}

export interface RecsSlice {
  recs: Record<string, RecList>;
  /** Goes up with every view, add-to-cart, 收藏 and purchase: a feed read before is behind the shopper. */
  behaviourVersion: number;

  /**
   * `reset` reads the first page again; `more` the next one; `refresh` reads the list again only when the shopper
   * did something since (or logged in or out, or changed 个性化推荐), keeping the cards shown until the new ones come.
   */
  loadRecs(placement: RecPlacement, mode: 'reset' | 'more' | 'refresh', productId?: string): Promise<void>;
  /** 不感兴趣: the card leaves every list at once; on a refusal it comes back where it was, with a toast. */
  dislikeRec(productId: string): Promise<boolean>;
  /** Reports one behaviour event (batched; nothing for a visitor). */
  track(input: TrackInput): void;
  /** Remembers which recommendation a product page was opened from. */
  rememberRec(productId: string, tag: RecTag): void;
  /** Sends the waiting events now (the app is being hidden, or a feed is about to be read). */
  flushEvents(): Promise<void>;
  /** A product page came on screen. */
  startView(productId: string): void;
  /** A product page left the screen: its view is reported with how long it was shown (once). */
  endView(productId: string): void;
}

export const recsSlice: Slice<RecsSlice> = (set, get, deps) => {
  const seq: Record<string, number> = {};
  /** The stamp each list's latest first-page read was asked for. */
  const asked: Record<string, string> = {};
  const tracker = createTracker({
    send: (events) => deps.api.call('ingestEvents', { body: { events }, silent: true }),
    owner: () => (get().isLoggedIn() ? get().token : null),
    now: () => deps.now(),
    schedule: (fn, ms) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
  });
  let privacySeen: unknown;
  /** Product pages on screen or just left, with when they were shown. */
  const openViews = new Map<string, number>();
  /**
   * Ends the views of product pages other than `keep`: a feed shown now is on another page, and the product page
   * that was on top may report its own end a little later (H5 closes a page after its animation).
   */
  const endOtherViews = (keep?: string) => {
    for (const id of [...openViews.keys()]) if (id !== keep) get().endView(id);
  };

  const stamp = () => {
    const s = get();
    return `${s.token ?? ''}|${s.privacy?.personalizedRecs === false ? 'off' : 'on'}|${s.behaviourVersion}`;
  };
  const patch = (key: string, p: Partial<RecList>) => set((s) => ({ recs: { ...s.recs, [key]: { ...(s.recs[key] ?? EMPTY_RECS), ...p } } }));

  async function page(placement: RecPlacement, productId: string | undefined, cursor: string | null) {
    return deps.api.call('recommendations', {
      query: { placement, limit: PAGE_SIZE, ...(productId ? { productId } : {}), ...(cursor ? { cursor } : {}) },
      silent: true,
    });
  }

  return {
    recs: {},
    behaviourVersion: 0,

    async loadRecs(placement, mode, productId) {
      const key = recsKey(placement, productId);
      const cur = get().recs[key] ?? EMPTY_RECS;
      if (mode === 'more') {
        if (cur.done || !cur.nextCursor || cur.status === 'loading' || cur.status === 'loadingMore') return;
        const n = seq[key];
        patch(key, { status: 'loadingMore' });
        try {
          const res = await page(placement, productId, cur.nextCursor);
          if (seq[key] !== n) return;
          const have = new Set(get().recs[key]!.items.map((c) => c.product.id));
          patch(key, {
            items: [...get().recs[key]!.items, ...res.items.filter((c) => !have.has(c.product.id))],
            nextCursor: res.nextCursor,
            done: res.nextCursor === null,
            status: 'ready',
          });
        } catch {
          if (seq[key] === n) patch(key, { status: 'error' });
        }
        return;
      }
      endOtherViews(productId);
      if (mode === 'refresh') {
        const now = stamp();
        // Already read (or being read) for the shopper as they are now.
        if (cur.status === 'loading' ? asked[key] === now : cur.status !== 'idle' && cur.status !== 'error' && cur.stamp === now) return;
      }
      asked[key] = stamp();
      const n = (seq[key] = (seq[key] ?? 0) + 1);
      const keepCount = cur.items.length;
      patch(key, { status: 'loading' });
      // What the shopper just did reaches the server before the list is ranked from it.
      await get().flushEvents();
      const at = stamp();
      try {
        const res = await page(placement, productId, null);
        if (seq[key] !== n) return;
        let items = res.items;
        let next = res.nextCursor;
        // Read again, the list keeps about as many cards as it had, so the page stays where the shopper left it.
        for (let i = 0; i < MAX_REFILL_PAGES && next && items.length < keepCount; i++) {
          const more = await page(placement, productId, next);
          if (seq[key] !== n) return;
          const have = new Set(items.map((c) => c.product.id));
          items = [...items, ...more.items.filter((c) => !have.has(c.product.id))];
          next = more.nextCursor;
        }
        patch(key, {
          items,
          nextCursor: next,
          done: next === null,
          status: 'ready',
          variant: res.variant,
          personalized: res.personalized,
          loadId: cur.loadId + 1,
          stamp: at,
        });
      } catch {
        if (seq[key] === n) patch(key, { status: 'error' });
      }
    },

    async dislikeRec(productId) {
      const before = get().recs;
      const removed: Record<string, { index: number; card: RecCard; loadId: number }> = {};
      const after: Record<string, RecList> = {};
      for (const [key, list] of Object.entries(before)) {
        const index = list.items.findIndex((c) => c.product.id === productId);
        if (index < 0) {
          after[key] = list;
          continue;
        }
        removed[key] = { index, card: list.items[index]!, loadId: list.loadId };
        after[key] = { ...list, items: list.items.filter((c) => c.product.id !== productId) };
      }
      set({ recs: after });
      try {
        await deps.api.call('dislikeRec', { body: { productId }, silent: true });
        deps.toast('将减少此类推荐');
        return true;
      } catch {
        const recs = { ...get().recs };
        for (const [key, r] of Object.entries(removed)) {
          const list = recs[key];
          // A list read again meanwhile has the server's own answer.
          if (!list || list.loadId !== r.loadId || list.items.some((c) => c.product.id === productId)) continue;
          const items = [...list.items];
          items.splice(Math.min(r.index, items.length), 0, r.card);
          recs[key] = { ...list, items };
        }
        set({ recs });
        deps.toast('操作失败，请稍后再试');
        return false;
      }
    },

    track(input) {
      const privacy = get().privacy;
      if (privacy !== privacySeen) {
        privacySeen = privacy;
        if (privacy?.behaviourData) tracker.resume();
      }
      if (privacy?.behaviourData === false || !get().isLoggedIn()) return;
      tracker.track(input);
      if (CHANGES_FEED.has(input.kind)) set({ behaviourVersion: get().behaviourVersion + 1 });
    },

    rememberRec(productId, tag) {
      tracker.remember(productId, tag);
    },

    flushEvents: () => tracker.flush(),

    startView(productId) {
      openViews.set(productId, deps.now());
    },

    endView(productId) {
      const shownAt = openViews.get(productId);
      if (shownAt === undefined) return;
      openViews.delete(productId);
      get().track({ kind: 'view', productId, dwellMs: Math.min(Math.max(0, deps.now() - shownAt), 86_400_000) });
    },
  };
};
