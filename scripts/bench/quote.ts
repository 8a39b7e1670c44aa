/**
 * The checkout quote of a 20-line cart for a shopper holding 50 coupons, under 30 live campaigns of every type:
 * the service called in-process against DynamoDB Local, next to the floor — the same DynamoDB reads issued directly
 * (cart Query, then one BatchGet of SKUs, products and counters, the coupons Query and the paid-orders Query, in
 * parallel) — and the pure rules alone: best coupon selection, and the whole pricing without I/O.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTable, localClient, startDynamoLocal } from '../lib/dynamodb-local';
import { percentile } from './stats';

const LINES = 20;
const COUPONS_PER_TEMPLATE = 5;
const TEMPLATES = 10;
const ITERATIONS = Number(process.env.BENCH_QUOTES ?? 300);
const CATEGORIES = ['beauty', 'digital', 'home', 'food', 'sports'];
const WINDOW = '{ start: 2026-01-01 00:00, end: 2030-01-01 00:00 }';

const productId = (i: number) => `p-qb-${String(i).padStart(2, '0')}`;
const skuId = (i: number) => `sku-qb-${String(i).padStart(2, '0')}`;
const priceOf = (i: number) => 2990 + i * 1500;

/** 30 live campaigns (5 满减, 4 满赠, 3 flash sales, 2 member days, 3 points, 2 group deals, 11 coupon drops). */
function campaignYaml(weekday: number): string {
  const templates = Array.from({ length: TEMPLATES }, (_, t) => {
    const scope = t % 3 === 0 ? 'all' : `{ categoryIds: [${CATEGORIES[t % CATEGORIES.length]}] }`;
    const kind =
      t % 3 === 0
        ? `kind: fixed, thresholdFen: ${9900 + t * 1000}, offFen: ${1000 + t * 100}`
        : t % 3 === 1
          ? `kind: percent, percent: ${85 + t}, capFen: 5000`
          : `kind: no_threshold, offFen: ${300 + t * 50}`;
    return `  - { id: tpl-qb-${t}, name: 压测券${t}, ${kind}, scope: ${scope}, validity: { type: days_after_claim, days: 30 }, totalStock: 100000, perUserLimit: ${COUPONS_PER_TEMPLATE}, stackable: ${t % 2 === 0} }`;
  });
  const campaigns = [
    ...Array.from({ length: 5 }, (_, i) => `  - id: qb-manjian-${i}
    name: 压测满减${i}
    type: spend_and_save
    window: ${WINDOW}
    priority: ${10 + i}
    scope: ${i === 0 ? 'all' : `{ categoryIds: [${CATEGORIES[i]}] }`}
    tiers: [{ thresholdFen: 19900, offFen: 2000 }, { thresholdFen: 29900, offFen: 4000 }, { thresholdFen: 49900, offFen: 8000 }]`),
    ...Array.from({ length: 4 }, (_, i) => `  - id: qb-gift-${i}
    name: 压测满赠${i}
    type: gift_with_purchase
    window: ${WINDOW}
    thresholdFen: ${29900 + i * 10000}
    scope: { categoryIds: [${CATEGORIES[i]}] }
    gift: { productId: p-qb-gift, skuId: sku-qb-gift }
    quota: 100000`),
    ...Array.from({ length: 3 }, (_, i) => `  - id: qb-flash-${i}
    name: 压测秒杀${i}
    type: flash_sale
    window: ${WINDOW}
    items: [{ productId: ${productId(i)}, skuId: ${skuId(i)}, priceFen: ${Math.floor(priceOf(i) / 2)}, quota: 1000000, perUserLimit: 99 }]`),
    ...Array.from({ length: 2 }, (_, i) => `  - id: qb-member-day-${i}
    name: 压测会员日${i}
    type: member_day
    window: ${WINDOW}
    weekday: ${weekday}
    priority: ${i}
    percentByLevel: { NORMAL: ${95 - i}, SILVER: 90 }`),
    ...Array.from({ length: 3 }, (_, i) => `  - id: qb-points-${i}
    name: 压测积分${i}
    type: points_multiplier
    window: ${WINDOW}
    multiplier: ${2 + i}`),
    ...Array.from({ length: 2 }, (_, i) => `  - id: qb-group-${i}
    name: 压测拼团${i}
    type: group_deal
    window: ${WINDOW}
    productId: ${productId(10 + i)}
    skus: [{ skuId: ${skuId(10 + i)}, groupPriceFen: 990 }]
    groupSize: 3
    timeLimitMinutes: 1440
    stockQuota: 1000`),
    ...Array.from({ length: 11 }, (_, i) => `  - id: qb-drop-${i}
    name: 压测领券${i}
    type: coupon_drop
    trigger: claim_center
    window: ${WINDOW}
    templateIds: [tpl-qb-${i % TEMPLATES}]`),
  ];
  return `couponTemplates:\n${templates.join('\n')}\ncampaigns:\n${campaigns.join('\n')}\n`;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50Ms: r(percentile(sorted, 50)), p99Ms: r(percentile(sorted, 99)), meanMs: r(sorted.reduce((s, x) => s + x, 0) / sorted.length) };
}

async function timed(n: number, task: (i: number) => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await task(i);
    out.push(performance.now() - t0);
  }
  return out;
}

export async function benchQuote(): Promise<Record<string, unknown>> {
  const dynamo = await startDynamoLocal();
  const campaignsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-quote-'));
  try {
    const now = Date.now();
    const { shanghaiParts, bestSelection, priceCheckout, liveCampaigns, DEFAULT_COUPON_RULES } = await import('../../shared/src/index');
    fs.mkdirSync(path.join(campaignsDir, 'local'));
    fs.writeFileSync(path.join(campaignsDir, 'local', 'bench.yaml'), campaignYaml(shanghaiParts(now).weekday));
    const tableName = 'bench-quote';
    Object.assign(process.env, {
      STAGE: 'local',
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      WECHAT_APP_ID: 'wxbench',
      WECHAT_MCH_ID: '1900000000',
      WECHAT_NOTIFY_URL: 'http://127.0.0.1:9/v1/pay/notify',
      WEB_BASE_URL: 'http://no-web-server.invalid',
      AWS_REGION: 'local',
      LOG_LEVEL: 'SILENT',
      CAMPAIGNS_DIR: campaignsDir,
      CAMPAIGNS_RELOAD_MS: 'Infinity',
    });
    await ensureTable(localClient(dynamo.endpoint), tableName);

    const { putProduct } = await import('../seed/seed');
    const { cartRepo } = await import('../../functions/src/repositories/cart-repo');
    const { catalogRepo } = await import('../../functions/src/repositories/catalog-repo');
    const { couponRepo } = await import('../../functions/src/repositories/coupon-repo');
    const { orderRepo } = await import('../../functions/src/repositories/order-repo');
    const { campaignRepo } = await import('../../functions/src/repositories/campaign-repo');
    const { onDynamoCall } = await import('../../functions/src/lib/dynamo');
    const { campaignConfig } = await import('../../functions/src/providers/campaign-config');
    const { claimCoupon } = await import('../../functions/src/services/coupons');
    const { quoteCheckout } = await import('../../functions/src/services/checkout');

    const product = (id: string, sku: string, categoryId: string, priceFen: number) =>
      putProduct(
        {
          id, categoryId, title: `压测商品 ${id}`, subtitle: '', description: '', images: ['/catalog-images/x.svg'],
          specDimensions: [{ name: '规格', values: ['标准'] }],
          skus: [{ id: sku, specs: { 规格: '标准' }, priceFen, originalPriceFen: null, stock: 1_000_000, image: null }],
          sales: 0, listedDaysAgo: 1, onShelf: true, keywords: [],
        },
        now,
      );
    await Promise.all(Array.from({ length: LINES }, (_, i) => product(productId(i), skuId(i), CATEGORIES[i % CATEGORIES.length], priceOf(i))));
    await product('p-qb-gift', 'sku-qb-gift', 'beauty', 1990);

    const userId = 'bench-shopper';
    for (let i = 0; i < LINES; i++) await cartRepo.add(userId, { productId: productId(i), skuId: skuId(i), quantity: 1 + (i % 3), priceFen: priceOf(i) }, now);
    for (let t = 0; t < TEMPLATES; t++) for (let k = 0; k < COUPONS_PER_TEMPLATE; k++) await claimCoupon(userId, `tpl-qb-${t}`, now);

    const { config } = await campaignConfig();
    const live = liveCampaigns(config, { at: now, user: { id: userId, level: 'NORMAL', isNew: true, segments: [] } });
    const held = await couponRepo.listForUser(userId);
    if (live.length !== 30 || held.length !== 50) throw new Error(`bench setup: ${live.length} live campaigns, ${held.length} coupons`);

    const req = { source: { type: 'cart' as const } };
    for (let i = 0; i < 20; i++) await quoteCheckout(userId, req, now); // warm connections and caches
    let calls = 0;
    const off = onDynamoCall(() => calls++);
    const sample = await quoteCheckout(userId, req, now);
    off();

    // The floor: the same reads the quote needs, straight from the repositories' client, no rules applied.
    const flashRefs = [0, 1, 2].map((i) => ({ campaignId: `qb-flash-${i}`, skuId: skuId(i) }));
    const giftIds = [0, 1, 2, 3].map((i) => `qb-gift-${i}`);
    const readAll = async () => {
      const cart = await cartRepo.lines(userId);
      await Promise.all([
        catalogRepo.skusWithProducts([...cart, { productId: 'p-qb-gift', skuId: 'sku-qb-gift' }], campaignRepo.usageKeys(userId, flashRefs, giftIds)),
        couponRepo.listForUser(userId),
        orderRepo.hasPaidOrder(userId),
      ]);
    };
    for (let i = 0; i < 20; i++) await readAll();
    // Interleaved, so both see the same state of the JIT, the garbage collector and DynamoDB Local.
    const quoteMs: number[] = [];
    const floorMs: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      quoteMs.push(...(await timed(1, () => quoteCheckout(userId, req, now))));
      floorMs.push(...(await timed(1, readAll)));
    }

    // The pure rules on the same data.
    const cart = await cartRepo.lines(userId);
    const lines = cart.map((l, i) => ({
      productId: l.productId, skuId: l.skuId, categoryId: CATEGORIES[Number(l.skuId.slice(-2)) % CATEGORIES.length], title: l.skuId,
      specText: '', image: '', unitPriceFen: priceOf(Number(l.skuId.slice(-2))), quantity: l.quantity, index: i,
    }));
    const couponLines = lines.map((l) => ({ productId: l.productId, categoryId: l.categoryId, amountFen: l.unitPriceFen * l.quantity }));
    const user = { id: userId, level: 'NORMAL' as const, isNew: true, segments: [] };
    const bestMs = await timed(1000, () => bestSelection(couponLines, held, DEFAULT_COUPON_RULES, now));
    const stackMs = await timed(200, () => bestSelection(couponLines, held, { maxCouponsPerOrder: 3, stackableAllowed: true }, now));
    const pricingMs = await timed(1000, () => priceCheckout(lines, { campaigns: live, coupons: held, user, at: now }));

    const quote = stats(quoteMs);
    const floor = stats(floorMs);
    return {
      bench: 'quote',
      cartLines: LINES,
      liveCampaigns: live.length,
      heldCoupons: held.length,
      iterations: ITERATIONS,
      quote,
      floorReads: floor,
      ratioP50: Math.round((quote.p50Ms / floor.p50Ms) * 100) / 100,
      ratioP99: Math.round((quote.p99Ms / floor.p99Ms) * 100) / 100,
      bestSelection: stats(bestMs),
      bestSelectionStacking3: stats(stackMs),
      priceCheckoutPure: stats(pricingMs),
      dynamoCallsPerQuote: calls,
      sample: { payableFen: sample.payableFen, discountFen: sample.discountFen, discounts: sample.discounts.length, couponIds: sample.couponIds.length, gifts: sample.gifts.length },
    };
  } finally {
    fs.rmSync(campaignsDir, { recursive: true, force: true });
    await dynamo.stop();
  }
}
