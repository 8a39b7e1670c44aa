import { describe, expect, it } from 'vitest';
import type { ClientEvent, IngestEventsResponse } from '@shop/shared';
import { ClientEvent as ClientEventSchema } from '@shop/shared';
import { TRACKER_LIMITS, createTracker, recTagFrom, ulid } from '../src/utils/tracker';

/** A tracker on a hand-driven clock and timer, sending to a scripted server. */
function rig(answer: (events: ClientEvent[]) => Promise<IngestEventsResponse> = async (e) => ({ received: e.length, stored: e.length, duplicates: 0, collecting: true })) {
  const sent: ClientEvent[][] = [];
  const timers: { fn: () => void; ms: number; live: boolean }[] = [];
  const state = { owner: 'token-a' as string | null, now: 1_700_000_000_000 };
  const tracker = createTracker({
    send: (events) => {
      sent.push(events);
      return answer(events);
    },
    owner: () => state.owner,
    now: () => state.now,
    schedule: (fn, ms) => {
      const t = { fn, ms, live: true };
      timers.push(t);
      return () => {
        t.live = false;
      };
    },
  });
  const fire = async () => {
    const live = timers.filter((t) => t.live);
    for (const t of live) {
      t.live = false;
      t.fn();
    }
    await tracker.flush();
  };
  return { tracker, sent, timers, state, fire };
}

const view = (productId: string) => ({ kind: 'view', productId, dwellMs: 1200 }) as const;

describe('behaviour tracker', () => {
  it('makes ids the server accepts (ULID), ordered by time', () => {
    const a = ulid(1_700_000_000_000);
    const b = ulid(1_700_000_000_001);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
    expect(ulid(1_700_000_000_000)).not.toBe(a);
  });

  it('waits for a batch: nothing goes out before 20 events or the 5 s timer, and every event passes the contract', async () => {
    const r = rig();
    r.tracker.track(view('p-a'));
    r.tracker.track({ kind: 'search', q: '口红' });
    expect(r.sent).toHaveLength(0);
    expect(r.timers.filter((t) => t.live).map((t) => t.ms)).toEqual([TRACKER_LIMITS.everyMs]);
    await r.fire();
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.map((e) => e.kind)).toEqual(['view', 'search']);
    for (const e of r.sent[0]!) expect(ClientEventSchema.safeParse(e).success).toBe(true);
    expect(r.tracker.pending()).toHaveLength(0);

    for (let i = 0; i < TRACKER_LIMITS.batchAt - 1; i++) r.tracker.track(view(`p-${i}`));
    expect(r.sent).toHaveLength(1);
    r.tracker.track(view('p-last'));
    await r.tracker.flush();
    expect(r.sent).toHaveLength(2);
    expect(r.sent[1]).toHaveLength(TRACKER_LIMITS.batchAt);
  });

  it('sends a failed batch again with the same ids, and drops one the server refuses as malformed', async () => {
    let down = true;
    const r = rig(async (e) => {
      if (down) throw Object.assign(new Error('network'), { status: 0 });
      return { received: e.length, stored: e.length, duplicates: 0, collecting: true };
    });
    r.tracker.track(view('p-a'));
    r.tracker.track(view('p-b'));
    await r.tracker.flush();
    const firstIds = r.sent[0]!.map((e) => e.id);
    expect(r.tracker.pending().map((e) => e.id)).toEqual(firstIds);
    down = false;
    await r.fire();
    expect(r.sent[1]!.map((e) => e.id)).toEqual(firstIds);
    expect(r.tracker.pending()).toHaveLength(0);

    const bad = rig(async () => {
      throw Object.assign(new Error('bad'), { status: 400 });
    });
    bad.tracker.track(view('p-a'));
    await bad.tracker.flush();
    expect(bad.tracker.pending()).toHaveLength(0);
  });

  it('keeps nothing for a visitor, stops when the server is not collecting, and starts again for another session', async () => {
    const r = rig(async (e) => ({ received: e.length, stored: 0, duplicates: 0, collecting: false }));
    r.state.owner = null;
    r.tracker.track(view('p-a'));
    expect(r.tracker.pending()).toHaveLength(0);

    r.state.owner = 'token-a';
    r.tracker.track(view('p-a'));
    await r.tracker.flush();
    expect(r.sent).toHaveLength(1);
    r.tracker.track(view('p-b'));
    await r.tracker.flush();
    expect(r.sent).toHaveLength(1);
    expect(r.tracker.pending()).toHaveLength(0);

    r.state.owner = 'token-b';
    r.tracker.track(view('p-c'));
    expect(r.tracker.pending()).toHaveLength(1);
  });

  it("never sends one shopper's events with another's session", async () => {
    const r = rig();
    r.tracker.track(view('p-a'));
    r.state.owner = 'token-b';
    await r.tracker.flush();
    expect(r.sent).toHaveLength(0);
    expect(r.tracker.pending()).toHaveLength(0);
  });

  it('keeps at most 200 waiting events, dropping the oldest', async () => {
    const r = rig(async () => {
      throw Object.assign(new Error('network'), { status: 0 });
    });
    // Each batch of 20 fails and stays; the queue is cut from the front.
    for (let i = 0; i < TRACKER_LIMITS.maxQueue + 30; i++) r.tracker.track(view(`p-${i}`));
    await r.tracker.flush();
    const pending = r.tracker.pending();
    expect(pending).toHaveLength(TRACKER_LIMITS.maxQueue);
    expect(pending[0]).toMatchObject({ productId: 'p-30' });
    expect(pending.at(-1)).toMatchObject({ productId: `p-${TRACKER_LIMITS.maxQueue + 29}` });
    expect(Math.max(...r.sent.map((b) => b.length))).toBeLessThanOrEqual(TRACKER_LIMITS.maxPerRequest);
  });

  it('tags the later events of a product opened from a recommendation with its placement and variant', async () => {
    const r = rig();
    r.tracker.remember('p-rec', { placement: 'home_feed', variant: 'B' });
    r.tracker.track(view('p-rec'));
    r.tracker.track({ kind: 'cart', productId: 'p-rec', quantity: 1 });
    r.tracker.track(view('p-other'));
    r.tracker.track({ kind: 'click', productId: 'p-rec', placement: 'cart', variant: 'A' });
    await r.tracker.flush();
    expect(r.sent[0]!.map((e) => ['productId' in e ? e.productId : '', e.placement, e.variant])).toEqual([
      ['p-rec', 'home_feed', 'B'],
      ['p-rec', 'home_feed', 'B'],
      ['p-other', undefined, undefined],
      ['p-rec', 'cart', 'A'],
    ]);
  });

  it('reads a recommendation tag from a page address only when well formed', () => {
    expect(recTagFrom({ id: 'p-a', from: 'home_feed', v: 'A' })).toEqual({ placement: 'home_feed', variant: 'A' });
    expect(recTagFrom({ id: 'p-a' })).toBeUndefined();
    expect(recTagFrom({ from: 'Home Feed', v: 'A' })).toBeUndefined();
    expect(recTagFrom({ from: 'home_feed', v: 'A/B' })).toBeUndefined();
  });
});
