import { catalogRepo } from '../../functions/src/repositories/catalog-repo';
import { userRepo } from '../../functions/src/repositories/user-repo';
import { welcomeGifts } from '../../functions/src/services/auth';
import { giftPoints } from '../../functions/src/services/points';
import { newId } from '../../functions/src/lib/ids';
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

/** True when the table has no catalog yet. */
export async function isEmpty(): Promise<boolean> {
  return (await catalogRepo.categories()).length === 0;
}
