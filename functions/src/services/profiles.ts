/**
 * Shopper profiles: updated from stored behaviour events (services/events.ts) and from paid orders (a stream
 * reaction), read as one summary for recommendations and as segment tags for campaign targeting. The rules are pure
 * (shared/src/profiles); this file reads, applies them with the caller's clock, and writes under the profile's revision.
 */
import { applyPaidOrder, summarizeProfile, type ProductFacts, type ProfileSummary, type RecentItem } from '@shop/shared';
import { logger } from '../lib/http';
import type { OrderItem } from '../domain/order';
import { catalogRepo } from '../repositories/catalog-repo';
import { profileRepo } from '../repositories/profile-repo';
import { profilesConfig } from '../providers/profiles-config';
import { shelf } from './catalog';
import { usable, withoutBehaviour } from './segments';

/** What a product says about taste, and what its card shows. */
export interface ProductCard extends ProductFacts {
  title: string;
  image: string;
  onShelf: boolean;
  stock: number;
}

/** Cards of these products: the cached shelf first, the product itself (consistent) for the rest; unknown ids absent. */
export async function productCards(productIds: string[], now: number): Promise<Map<string, ProductCard>> {
  const ids = [...new Set(productIds)];
  const out = new Map<string, ProductCard>();
  if (ids.length === 0) return out;
  const { summaries, keywords } = await shelf(now);
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const missing: string[] = [];
  for (const id of ids) {
    const s = byId.get(id);
    if (!s) {
      missing.push(id);
      continue;
    }
    // The shelf's keyword list starts with the title and subtitle; the attributes are the operator's keywords.
    out.set(id, { categoryId: s.categoryId, priceFen: s.priceFromFen, attributes: (keywords.get(id) ?? []).slice(2), title: s.title, image: s.image, onShelf: true, stock: s.stock });
  }
  await Promise.all(
    missing.map(async (id) => {
      const found = await catalogRepo.product(id);
      if (!found) return;
      const { product, skus } = found;
      out.set(id, {
        categoryId: product.categoryId,
        priceFen: skus.length ? Math.min(...skus.map((s) => s.priceFen)) : 0,
        attributes: product.keywords,
        title: product.title,
        image: product.images[0] ?? '',
        onShelf: product.onShelf && skus.length > 0,
        stock: skus.reduce((n, s) => n + Math.max(0, s.stock), 0),
      });
    }),
  );
  return out;
}

/** What recommendations need of a shopper, from ONE BatchGetItem (the user item and the profile item). */
export interface ShopperContext {
  userId: string | null;
  /** 个性化推荐: false → rank for everyone alike (recent is then empty and the summary has no interests). */
  personalizedRecs: boolean;
  behaviourData: boolean;
  /** Newest first, one entry per product and kind (view, click, cart, favorite, share, purchase). */
  recent: RecentItem[];
  /** Null for a visitor or an unknown id. */
  profile: ProfileSummary | null;
}

export async function shopperContext(userId: string | null, now: number): Promise<ShopperContext> {
  if (!userId) return { userId: null, personalizedRecs: false, behaviourData: false, recent: [], profile: null };
  const state = await profileRepo.read(userId);
  if (!state.exists) return { userId, personalizedRecs: false, behaviourData: false, recent: [], profile: null };
  const cfg = profilesConfig();
  const { personalizedRecs, behaviourData } = state.privacy;
  const profile = personalizedRecs ? usable(state) : withoutBehaviour(state.profile);
  return { userId, personalizedRecs, behaviourData, recent: profile.recent, profile: summarizeProfile(profile, now, cfg, state.createdAt) };
}

const PROFILE_WRITE_ATTEMPTS = 6;

/**
 * What a change of the table means for profiles (called once per stream record): an order that became PAID adds to
 * the payer's order stats (RFM, lifecycle) and, with 行为数据 on, to their interests and recent items. Idempotent: the
 * profile remembers the orders it counted, and the write is conditioned on the revision it read.
 */
export async function onChangeForProfiles(change: { next: Record<string, any> | null; previous: Record<string, any> | null }, now: number): Promise<string> {
  const { next, previous } = change;
  if (next?.type !== 'order' || next.status !== 'PAID' || previous?.status === 'PAID' || !next.paidAt) return 'none';
  const order = next as OrderItem;
  const lines = order.lines ?? [];
  const cards = await productCards(lines.map((l) => l.productId), now);
  for (let attempt = 0; attempt < PROFILE_WRITE_ATTEMPTS; attempt++) {
    const state = await profileRepo.read(order.userId);
    if (!state.exists) return 'none';
    const updated = applyPaidOrder(
      state.profile,
      { id: order.id, paidAt: order.paidAt!, paidFen: order.paidFen ?? order.payableFen, lines },
      cards,
      profilesConfig(),
      state.privacy.behaviourData,
    );
    if (!updated) return 'profile-already';
    if (await profileRepo.saveProfile(order.userId, { profile: updated, rev: state.rev })) return 'profile-updated';
  }
  logger.warn('profile kept moving while a paid order was applied; the stream delivers it again', { orderId: order.id });
  throw new Error(`profile of ${order.userId} kept moving`);
}
