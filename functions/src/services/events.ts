/**
 * Behaviour events (POST /v1/events), the shopper's consent (GET/PUT /v1/me/privacy) and 足迹 (browsing history).
 * A batch is stored once per event id, only with 行为数据 on, in one transaction with the profile it updates and the
 * 足迹 rows of the products viewed (repositories/event-repo.ts).
 */
import { decodeTime } from 'ulid';
import {
  DomainError,
  Slug,
  applyEvents,
  forgetRecent,
  type ClientEvent,
  type FootprintView,
  type FootprintsPage,
  type IngestEventsResponse,
  type PrivacySettings,
  type ProfileEvent,
} from '@shop/shared';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { dayOf, eventRepo, type StoredEvent } from '../repositories/event-repo';
import { keys } from '../repositories/keys';
import { profileRepo, type FootprintItem } from '../repositories/profile-repo';
import { profilesConfig } from '../providers/profiles-config';
import { productCards } from './profiles';

const DAY_MS = 24 * 3600 * 1000;
/** The client's clock only orders a batch: its events are spread back from the server's now by at most this. */
const MAX_BATCH_SPREAD_MS = 15 * 60 * 1000;
const STORE_ATTEMPTS = 6;

/**
 * The UTC day an event is keyed under: the day of the time in its ULID when that is within two days of the server's
 * clock (so a batch sent again — even across midnight — meets its own keys), else the server's day.
 */
function eventDay(id: string, now: number): string {
  let at = now;
  try {
    const t = decodeTime(id);
    if (t >= now - 2 * DAY_MS && t <= now + DAY_MS) at = t;
  } catch {
    // A malformed id never passes the contract; the server's day is the fallback all the same.
  }
  return dayOf(at);
}

/** Server times: the batch's latest event is now, the others keep their order and gaps (capped), never in the future. */
function serverTimes(events: ClientEvent[], now: number): number[] {
  const latest = Math.max(...events.map((e) => e.at));
  return events.map((e) => now - Math.min(MAX_BATCH_SPREAD_MS, Math.max(0, latest - e.at)));
}

function stored(userId: string, e: ClientEvent, at: number): StoredEvent {
  const { id, kind, placement, variant } = e;
  const base: StoredEvent = { id, userId, kind, at, ...(placement ? { placement } : {}), ...(variant ? { variant } : {}) };
  switch (e.kind) {
    case 'search':
      return { ...base, q: e.q };
    case 'exposure':
      return { ...base, productId: e.productId, ...(e.position !== undefined ? { position: e.position } : {}) };
    case 'view':
      return { ...base, productId: e.productId, dwellMs: e.dwellMs };
    case 'cart':
      return { ...base, productId: e.productId, ...(e.skuId ? { skuId: e.skuId } : {}), ...(e.quantity ? { quantity: e.quantity } : {}) };
    case 'purchase':
      return { ...base, productId: e.productId, ...(e.orderId ? { orderId: e.orderId } : {}) };
    default:
      return { ...base, productId: e.productId };
  }
}

/**
 * POST /v1/events. A visitor's events, and everything once 行为数据 is off, are answered and dropped (`stored: 0`,
 * `collecting: false`). Otherwise each event whose id was never stored is kept (raw, with a TTL), and the profile
 * (recent items, interests) and 足迹 move with them in the same transaction.
 */
export async function ingestEvents(userId: string | null, batch: ClientEvent[], now: number): Promise<IngestEventsResponse> {
  const received = batch.length;
  const dropped = { received, stored: 0, duplicates: 0, collecting: false };
  if (!userId) return dropped;

  // The same id twice in one batch is one event (the first).
  const seen = new Set<string>();
  const events = batch.filter((e) => !seen.has(e.id) && seen.add(e.id));
  const times = serverTimes(events, now);
  const cfg = profilesConfig();
  const all = events.map((e, i) => stored(userId, e, times[i]));
  const cards = await productCards(all.flatMap((e) => (e.productId ? [e.productId] : [])), now);
  const ttl = Math.floor(now / 1000) + cfg.events.retentionDays * 86_400;
  const footprintTtl = Math.floor(now / 1000) + cfg.events.footprintDays * 86_400;
  const known = new Set<string>();

  for (let attempt = 0; attempt < STORE_ATTEMPTS; attempt++) {
    const state = await profileRepo.read(userId);
    if (!state.exists || !state.privacy.behaviourData) return dropped;
    const fresh = all.filter((e) => !known.has(e.id));
    if (fresh.length === 0) return { received, stored: 0, duplicates: received, collecting: true };

    const profileEvents: ProfileEvent[] = fresh.map((e) => ({ kind: e.kind, productId: e.productId, at: e.at, dwellMs: e.dwellMs }));
    const profile = applyEvents(state.profile, profileEvents, cards, cfg);
    const footprints = new Map<string, FootprintItem>();
    for (const e of fresh) {
      const card = e.kind === 'view' && e.productId ? cards.get(e.productId) : undefined;
      if (!card || (footprints.get(e.productId!)?.viewedAt ?? -1) > e.at) continue;
      footprints.set(e.productId!, { userId, productId: e.productId!, title: card.title, image: card.image, viewedAt: e.at, ttl: footprintTtl });
    }

    const outcome = await eventRepo.store({
      userId,
      events: fresh.map((event) => ({ day: eventDay(event.id, now), event })),
      ttl,
      profile: { profile, rev: state.rev },
      footprints: [...footprints.values()],
    });
    switch (outcome.kind) {
      case 'stored':
        return { received, stored: fresh.length, duplicates: received - fresh.length, collecting: true };
      case 'consent_off':
        return dropped;
      case 'duplicates':
        for (const id of outcome.ids) known.add(id);
        break;
      default:
      // The profile moved (another batch of the same shopper) or the items were busy: read again and retry.
    }
  }
  throw new DomainError('RATE_LIMITED', '操作太频繁，请稍后再试');
}

// ───────────── consent ─────────────

export async function getPrivacy(userId: string): Promise<PrivacySettings> {
  const state = await profileRepo.read(userId);
  if (!state.exists) throw new DomainError('UNAUTHORIZED');
  return state.privacy;
}

/** PUT /v1/me/privacy: sets the switches given. Off takes effect for the next batch (its transaction checks it). */
export async function setPrivacy(userId: string, change: Partial<PrivacySettings>): Promise<PrivacySettings> {
  return profileRepo.setPrivacy(userId, change);
}

// ───────────── 足迹 ─────────────

/** A 足迹 cursor carries the last product shown and when it was viewed; the start key is rebuilt from both. */
const FootprintPosition = z.object({ p: Slug, a: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict();

export async function listFootprints(userId: string, q: { cursor?: string; limit: number }, now: number): Promise<FootprintsPage> {
  const scope = keys.userFootprintsPartition(userId);
  const after = decodeCursor(q.cursor, scope, FootprintPosition);
  const page = await profileRepo.footprintPage(userId, q.limit, after && { productId: after.p, viewedAt: after.a });
  const cards = await productCards(page.items.map((f) => f.productId), now);
  const items = page.items.map((f): FootprintView => {
    const card = cards.get(f.productId);
    if (!card) return { productId: f.productId, title: f.title, image: f.image, priceFromFen: null, stateLabel: '商品已失效', available: false, viewedAt: f.viewedAt };
    const stateLabel = !card.onShelf ? '已下架' : card.stock === 0 ? '已售罄' : '';
    return { productId: f.productId, title: card.title, image: card.image, priceFromFen: card.priceFen, stateLabel, available: stateLabel === '', viewedAt: f.viewedAt };
  });
  const last = page.items[page.items.length - 1];
  return { items, nextCursor: page.more && last ? encodeCursor(scope, { p: last.productId, a: last.viewedAt }) : null };
}

/** Forgets the product (or every product) in the recent items too, so a deleted 足迹 no longer steers recommendations. */
async function forget(userId: string, productId: string | null): Promise<void> {
  for (let attempt = 0; attempt < STORE_ATTEMPTS; attempt++) {
    const state = await profileRepo.read(userId);
    if (state.rev === 0) return;
    const profile = forgetRecent(state.profile, productId);
    if (profile.recent.length === state.profile.recent.length) return;
    if (await profileRepo.saveProfile(userId, { profile, rev: state.rev })) return;
  }
  throw new DomainError('RATE_LIMITED', '操作太频繁，请稍后再试');
}

export async function removeFootprint(userId: string, productId: string): Promise<{ removed: number }> {
  const removed = await profileRepo.removeFootprint(userId, productId);
  await forget(userId, productId);
  return { removed: removed ? 1 : 0 };
}

export async function clearFootprints(userId: string): Promise<{ removed: number }> {
  const removed = await profileRepo.clearFootprints(userId);
  await forget(userId, null);
  return { removed };
}
