import { catalogRepo } from '../../functions/src/repositories/catalog-repo';
import { userRepo } from '../../functions/src/repositories/user-repo';
import { welcomeGifts } from '../../functions/src/services/auth';
import { giftPoints } from '../../functions/src/services/points';
import { ingestEvents } from '../../functions/src/services/events';
import { trainAndPublish } from '../../functions/src/services/recs-training';
import { newId } from '../../functions/src/lib/ids';
import type { ClientEvent } from '@shop/shared';
import { categories, demoUsers, products, type SeedProduct } from './catalog-data';

const DAY_MS = 24 * 3600 * 1000;
/** Points each demo shopper starts with: two 满99减10 coupons' worth in the demo 积分商城. */
const DEMO_POINTS = 200;

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

function specText(specs: Record<string, string>): string {
  return Object.values(specs).join(' / ');
}

/** Writes one product and its SKUs (used by the seeder and by tests that need a product of their own). */
export async function putProduct(p: SeedProduct, now: number): Promise<void> {
  await catalogRepo.putProduct({
    type: 'product',
    id: p.id,
    categoryId: p.categoryId,
    title: p.title,
    subtitle: p.subtitle,
    description: p.description,
    images: p.images,
    ...(p.detailImages ? { detailImages: p.detailImages } : {}),
    ...(p.guarantees ? { guarantees: p.guarantees } : {}),
    specDimensions: p.specDimensions,
    keywords: p.keywords,
    onShelf: p.onShelf,
    createdAt: now - p.listedDaysAgo * DAY_MS,
  });
  // Historic sales are spread over the SKUs so listings can sort by them; new orders add to them.
  const perSku = Math.floor(p.sales / p.skus.length);
  await inBatches(p.skus, 10, (s) =>
    catalogRepo.putSku({
      type: 'sku',
      id: s.id,
      productId: p.id,
      categoryId: p.categoryId,
      specs: s.specs,
      specText: specText(s.specs),
      priceFen: s.priceFen,
      originalPriceFen: s.originalPriceFen,
      stock: s.stock,
      sold: perSku,
      image: s.image,
    }),
  );
}

/** The demo catalog, the demo shoppers and their accounts. Safe to run twice (puts are overwrites). */
export async function seedDemoData(now = Date.now()): Promise<{ categories: number; products: number; skus: number; users: number }> {
  await inBatches(categories, 10, (c) => catalogRepo.putCategory(c));
  await inBatches(products, 8, (p) => putProduct(p, now));
  await inBatches(demoUsers, 5, async (u) => {
    await userRepo.putDemoUser({ code: u.code, nickname: u.nickname, avatar: u.avatar, sortOrder: demoUsers.indexOf(u) });
    if (!(await userRepo.userIdForOpenid(u.openid))) {
      const id = newId(now);
      const created = await userRepo.create({
        id,
        openid: u.openid,
        unionid: null,
        nickname: u.nickname,
        avatar: u.avatar,
        createdAt: now,
        lastLoginAt: now,
        defaultAddressId: null,
      });
      // Their accounts are made here rather than at a first login, so the 新人礼包 is handed out here too.
      if (created) await welcomeGifts(id, now);
    }
    // Starting points, so 积分商城 can be tried at once; through the ledger, once per shopper.
    const userId = await userRepo.userIdForOpenid(u.openid);
    if (userId) await giftPoints(userId, 'demo-start', DEMO_POINTS, '演示账户赠送积分', now);
  });
  return {
    categories: categories.length,
    products: products.length,
    skus: products.reduce((n, p) => n + p.skus.length, 0),
    users: demoUsers.length,
  };
}

/** Browsing accounts of the demo shop (no login code): their history is what 看了又看 learns from at first. */
const DEMO_BROWSERS = 24;

/**
 * A few days of browsing by demo accounts, then one training run, so the local shop's 看了又看 / 买了又买 and 猜你喜欢
 * have a model from the first minute. Each account mostly browses one category (sometimes a neighbour's), adds one
 * product to the cart and now and then buys; the sequence is deterministic, so every fresh shop learns the same.
 */
export async function seedDemoBehaviour(now = Date.now()): Promise<{ browsers: number; events: number; lists: number }> {
  const byCategory = new Map<string, string[]>();
  for (const p of products) if (p.onShelf) byCategory.set(p.categoryId, [...(byCategory.get(p.categoryId) ?? []), p.id]);
  const cats = [...byCategory.keys()];
  let events = 0;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  await inBatches(Array.from({ length: DEMO_BROWSERS }, (_, i) => i), 4, async (i) => {
    const openid = `sandbox-openid-browser-${i}`;
    let userId = await userRepo.userIdForOpenid(openid);
    if (!userId) {
      const id = newId(now - 3 * DAY_MS);
      await userRepo.create({ id, openid, unionid: null, nickname: `逛逛${i + 1}`, avatar: '', createdAt: now - 3 * DAY_MS, lastLoginAt: now - 3 * DAY_MS, defaultAddressId: null });
      userId = (await userRepo.userIdForOpenid(openid))!;
    }
    const home = byCategory.get(cats[i % cats.length]!)!;
    const next = byCategory.get(cats[(i + 1) % cats.length]!)!;
    const start = now - (1 + (i % 3)) * DAY_MS;
    const path = Array.from({ length: 8 }, (_, k) => (k === 6 ? next[(i + k) % next.length]! : home[Math.floor(rand() * home.length)]!));
    const batch: ClientEvent[] = path.map((productId, k) => ({ id: newId(start + k * 60_000), kind: 'view', productId, at: start + k * 60_000, dwellMs: 4000 + k * 500 }));
    batch.push({ id: newId(start + 9 * 60_000), kind: 'cart', productId: path[3]!, at: start + 9 * 60_000 });
    const r = await ingestEvents(userId, batch, start + 10 * 60_000);
    events += r.stored;
  });
  const { lists } = await trainAndPublish(now, 7);
  return { browsers: DEMO_BROWSERS, events, lists };
}

/** True when the table has no catalog yet. */
export async function isEmpty(): Promise<boolean> {
  return (await catalogRepo.categories()).length === 0;
}
