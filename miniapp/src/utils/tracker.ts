import Taro from '@tarojs/taro';
import type { ClientEvent, IngestEventsResponse } from '@shop/shared';

/** An event as a page reports it: the tracker adds its id and time (and the recommendation it came from). */
type Omit2<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type TrackInput = Omit2<ClientEvent, 'id' | 'at'>;

/** Where a product was recommended: the placement and the A/B variant its card was shown under. */
export interface RecTag {
  placement: string;
  variant: string;
}

export const TRACKER_LIMITS = {
  /** A batch goes out as soon as this many events wait. */
  batchAt: 20,
  /** Waiting events go out this long after the first of them at the latest. */
  everyMs: 5000,
  /** The most events one request carries (the server's limit). */
  maxPerRequest: 50,
  /** Beyond this many waiting events the oldest are dropped. */
  maxQueue: 200,
  /** Products whose recommendation is remembered for the events that follow (view, cart, purchase…). */
  maxTags: 100,
} as const;

interface TrackerDeps {
  send(events: ClientEvent[]): Promise<IngestEventsResponse>;
  /** Whose events these are (the session's token); null for a visitor, whose behaviour is not reported. */
  owner(): string | null;
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel. */
  schedule(fn: () => void, ms: number): () => void;
  random?: (n: number) => Uint8Array;
}

export interface Tracker {
  /** Queues one event; never waits and never throws. */
  track(input: TrackInput): void;
  /** Sends what waits (one request at a time); a failed request keeps its events for the next try, same ids. */
  flush(): Promise<void>;
  /** Remembers that `productId` was opened from a recommendation, so its later events carry the tag. */
  remember(productId: string, tag: RecTag): void;
  /** Starts again for a shopper who turned 行为数据 back on. */
  resume(): void;
  /** Events waiting (for tests and diagnostics). */
  pending(): ClientEvent[];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(out);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

/** A ULID: 10 characters of the time (ms), 16 random ones, Crockford base 32 — sortable by time, unique enough. */
export function ulid(now: number, random: (n: number) => Uint8Array = randomBytes): string {
  let time = '';
  let t = Math.max(0, Math.floor(now));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let rest = '';
  for (const b of random(16)) rest += CROCKFORD[b % 32];
  return time + rest;
}

/** A client error that sending again cannot fix (the batch is dropped rather than retried for ever). */
function isPermanent(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Behaviour events (exposure, click, view with dwell, search, cart, favourite, share, purchase), batched: a batch goes
 * out at 20 waiting events, 5 s after the first, and when the app is hidden. A batch that fails is sent again with
 * the same ids (the server keeps each id once). Only a logged-in shopper's events are kept, and none once the server
 * says it is not collecting them (行为数据 off).
 */
export function createTracker(deps: TrackerDeps): Tracker {
  let queue: { owner: string; event: ClientEvent }[] = [];
  let inFlight: Promise<void> | null = null;
  let cancelTimer: (() => void) | null = null;
  /** The session the server said it keeps nothing of. */
  let stoppedFor: string | null = null;
  const tags = new Map<string, RecTag>();

  const arm = () => {
    if (cancelTimer || queue.length === 0) return;
    cancelTimer = deps.schedule(() => {
      cancelTimer = null;
      void flush();
    }, TRACKER_LIMITS.everyMs);
  };
  const disarm = () => {
    cancelTimer?.();
    cancelTimer = null;
  };

  function track(input: TrackInput): void {
    try {
      const owner = deps.owner();
      if (!owner || stoppedFor === owner) return;
      if (queue.length > 0 && queue[0]!.owner !== owner) queue = [];
      const tag = 'productId' in input && input.placement === undefined ? tags.get(input.productId) : undefined;
      const event = { ...input, ...(tag ? { placement: tag.placement, variant: tag.variant } : {}), id: ulid(deps.now(), deps.random), at: deps.now() } as ClientEvent;
      queue.push({ owner, event });
      if (queue.length > TRACKER_LIMITS.maxQueue) queue.splice(0, queue.length - TRACKER_LIMITS.maxQueue);
      if (queue.length >= TRACKER_LIMITS.batchAt) void flush();
      else arm();
    } catch {
      // Reporting behaviour never gets in the shopper's way.
    }
  }

  function flush(): Promise<void> {
    if (inFlight) return inFlight;
    disarm();
    const owner = deps.owner();
    queue = queue.filter((q) => q.owner === owner);
    if (!owner || queue.length === 0) return Promise.resolve();
    const batch = queue.slice(0, TRACKER_LIMITS.maxPerRequest);
    let sentOk = false;
    inFlight = (async () => {
      let done = false;
      try {
        const res = await deps.send(batch.map((q) => q.event));
        done = sentOk = true;
        if (!res.collecting) stoppedFor = owner;
      } catch (err) {
        done = isPermanent(err);
      }
      if (done) queue = stoppedFor === owner ? [] : queue.filter((q) => !batch.includes(q));
    })().finally(() => {
      inFlight = null;
      // A full batch waiting goes on at once; after a failure the timer tries again, not a tight loop.
      if (sentOk && queue.length >= TRACKER_LIMITS.batchAt) void flush();
      else arm();
    });
    return inFlight;
  }

  return {
    track,
    flush,
    remember(productId, tag) {
      tags.delete(productId);
      tags.set(productId, tag);
      if (tags.size > TRACKER_LIMITS.maxTags) tags.delete(tags.keys().next().value!);
    },
    resume() {
      stoppedFor = null;
    },
    pending: () => queue.map((q) => q.event),
  };
}

/**
 * Calls `onSeen` with a card's `data-*` values when at least half of it is on screen. One abstraction over the
 * mini-program's `createIntersectionObserver` (page-scoped selectors) and the browser's `IntersectionObserver`.
 * Returns a stop function.
 */
export function observeHalfVisible(selector: string, onSeen: (dataset: Record<string, string>) => void): () => void {
  if (process.env.TARO_ENV === 'h5') {
    if (typeof IntersectionObserver === 'undefined') return () => undefined;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) if (e.isIntersecting && e.intersectionRatio >= 0.5) onSeen({ ...(e.target as HTMLElement).dataset } as Record<string, string>);
      },
      { threshold: [0.5] },
    );
    document.querySelectorAll(selector).forEach((el) => io.observe(el));
    return () => io.disconnect();
  }
  const page = Taro.getCurrentInstance().page;
  if (!page) return () => undefined;
  let observer: Taro.IntersectionObserver | null = null;
  let stopped = false;
  // The cards just rendered reach the page's tree on the next tick.
  Taro.nextTick(() => {
    if (stopped) return;
    observer = Taro.createIntersectionObserver(page, { thresholds: [0.5], observeAll: true });
    observer.relativeToViewport().observe(selector, (res) => {
      if ((res.intersectionRatio ?? 0) >= 0.5) onSeen((res as unknown as { dataset?: Record<string, string> }).dataset ?? {});
    });
  });
  return () => {
    stopped = true;
    observer?.disconnect();
  };
}

/** The recommendation a product page was opened from (`from=<placement>&v=<variant>` in its address), if well formed. */
export function recTagFrom(params: Partial<Record<string, string>>): RecTag | undefined {
  const placement = params.from ?? '';
  const variant = params.v ?? '';
  if (!/^[a-z0-9][a-z0-9_:-]{0,39}$/.test(placement) || !/^[A-Za-z0-9_-]{1,20}$/.test(variant)) return undefined;
  return { placement, variant };
}
