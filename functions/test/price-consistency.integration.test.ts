/**
 * What the shopper sees is what they pay: for every demo product and every demo shopper (and a visitor), the price the
 * product page and the cart show equals the checkout quote's line price for the same SKU and quantity at the same
 * moment, and the cart's 合计 equals what the checkout quote charges. The demo catalog and the local stage's campaigns
 * run at a fixed moment inside the flash sale, so flash prices, 满减, 满赠, coupons and shipping are all exercised.
 */
import path from 'node:path';
import { abVariant } from '@shop/shared';
import { campaignConfig } from '../src/providers/campaign-config';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call } from '../../tests/support/http';
import { freshTable } from '../../tests/support/table';
import { shopper, buyNow, type Shopper } from '../../tests/support/shop';
import { seedDemoData } from '../../scripts/seed/seed';
import { products } from '../../scripts/seed/catalog-data';
import * as catalog from '../src/handlers/catalog';
import * as cart from '../src/handlers/cart';
import * as checkout from '../src/handlers/orders';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../src/lib/dynamo';
import { keys } from '../src/repositories/keys';

/** 2026-12-01 12:00 in Shanghai: inside every local campaign's window, including 每日限时秒杀. */
const MOMENT = Date.UTC(2026, 11, 1, 4, 0);
const FLASH = { productId: 'p-earbuds-01', skuId: 'sku-earbuds-01-std-white', priceFen: 12900 };

let viewers: { name: string; s: Shopper }[];

beforeAll(async () => {
  // One fixed moment for every call: the server's clock is Date.now().
  vi.useFakeTimers({ toFake: ['Date'], now: MOMENT });
  await freshTable({ CAMPAIGNS_DIR: path.resolve(import.meta.dirname, '../../campaigns') });
  await seedDemoData(MOMENT);
  viewers = [];
  for (const name of ['xiaoming', 'xiaohong', 'laowang']) viewers.push({ name, s: await shopper(name) });
  // A 金卡 member (growth past the 金卡 threshold): member price (9.5 折) and free shipping price every page too.
  const gold = await shopper('price-gold');
  await db().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.member(gold.userId), type: 'member', userId: gold.userId, level: 'GOLD', spentFen: 600_000, invites: 0, growthRev: 1 },
    }),
  );
  viewers.push({ name: 'gold', s: gold });
});

afterAll(() => {
  vi.useRealTimers();
});

/** Every A/B experiment of the local campaigns puts this user id where it puts a visitor. */
async function sameVariants(userId: string): Promise<boolean> {
  const { config } = await campaignConfig();
  const experiments = config.campaigns.flatMap((c) => ('targeting' in c && c.targeting.ab ? [c.targeting.ab] : []));
  return experiments.every((ab) => abVariant(ab, userId) === abVariant(ab, 'visitor'));
}

async function detail(productId: string, token?: string) {
  const r = await call(catalog.getProduct, { token, params: { productId } });
  expect(r.status).toBe(200);
  return r.body;
}

async function quoteBuyNow(s: Shopper, productId: string, skuId: string, quantity: number, couponIds?: string[]) {
  const r = await call(checkout.quote, {
    token: s.token,
    body: { source: { type: 'buyNow', productId, skuId, quantity }, addressId: s.addressId, ...(couponIds ? { couponIds } : {}) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function quoteCart(s: Shopper) {
  const r = await call(checkout.quote, { token: s.token, body: { source: { type: 'cart' }, addressId: s.addressId } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function emptyCart(s: Shopper) {
  const c = await call(cart.getCart, { token: s.token });
  for (const l of c.body.lines) await call(cart.removeCartLine, { token: s.token, params: { skuId: l.skuId } });
}

describe('product page prices', () => {
  it('the flash SKU shows its flash price, the list price crossed out and the sale ending', async () => {
    const p = await detail(FLASH.productId);
    const sku = p.skus.find((s: { id: string }) => s.id === FLASH.skuId);
    expect(sku.live).toMatchObject({ priceFen: FLASH.priceFen, label: '秒杀价', crossedOutFen: sku.priceFen });
    expect(sku.live.flash.endsAt).toBeGreaterThan(MOMENT);
    expect(p.priceBand.minFen).toBe(FLASH.priceFen);
    expect(p.promotions.map((x: { tag: string }) => x.tag)).toContain('秒杀');
    expect(p.shipping.text).toBe('运费 ¥10，满 ¥99 包邮');
  });

  it('every SKU of every on-shelf demo product, for every demo shopper and a visitor, is priced as the quote prices one unit', async () => {
    let compared = 0;
    // A visitor's price is a new shopper's who uses no coupon — and who is in the visitor's A/B variants (a variant
    // is decided by the user id; the visitor's id is 'visitor').
    let fresh = await shopper('price-visitor');
    for (let i = 0; !(await sameVariants(fresh.userId)) && i < 50; i++) fresh = await shopper(`price-visitor-${i}`);
    expect(await sameVariants(fresh.userId)).toBe(true);
    for (const product of products.filter((p) => p.onShelf)) {
      const asVisitor = await detail(product.id);
      for (const sku of asVisitor.skus.filter((s: { stock: number }) => s.stock > 0)) {
        const q = await quoteBuyNow(fresh, product.id, sku.id, 1, []);
        expect(sku.live.priceFen, `${sku.id} (visitor)`).toBe(q.lines[0].unitPriceFen);
        expect(sku.live.bestPriceFen, `${sku.id} (visitor)`).toBe(q.lines[0].payableFen);
        if (sku.live.crossedOutFen !== null) expect(sku.live.crossedOutFen).toBeGreaterThan(sku.live.priceFen);
        compared++;
      }
      expect(asVisitor.priceBand.crossedOutFen === null || asVisitor.priceBand.crossedOutFen > asVisitor.priceBand.maxFen).toBe(true);
      for (const { name, s } of viewers) {
        const seen = await detail(product.id, s.token);
        for (const sku of seen.skus.filter((x: { stock: number }) => x.stock > 0)) {
          const q = await quoteBuyNow(s, product.id, sku.id, 1);
          expect(sku.live.priceFen, `${sku.id} (${name})`).toBe(q.lines[0].unitPriceFen);
          expect(sku.live.bestPriceFen, `${sku.id} (${name})`).toBe(q.lines[0].payableFen);
          expect(sku.live.label, `${sku.id} (${name})`).toBe(q.lines[0].flashSale ? '秒杀价' : null);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(products.length * 4);
  }, 600_000);

  it('a 金卡 member sees the member price on the product page, and the quote shows it and free shipping as labelled lines', async () => {
    const { s } = viewers.find((v) => v.name === 'gold')!;
    const productId = 'p-nuts-01';
    const sku = (await detail(productId, s.token)).skus.find((x: { stock: number }) => x.stock > 0);
    const q = await quoteBuyNow(s, productId, sku.id, 1, []);
    // 9.5 折 of the unit price, rounded down in fen, before the member day and 满减.
    expect(sku.live.memberPriceFen).toBe(sku.priceFen - Math.floor((sku.priceFen * 5) / 100));
    expect(q.discounts[0]).toMatchObject({ kind: 'member_price', label: '金卡会员价 95折', amountFen: sku.priceFen - sku.live.memberPriceFen });
    expect(q.shippingFen).toBe(0);
    expect(q.member.levelName).toBe('金卡');
    expect(q.member.benefits.map((b: { label: string }) => b.label)).toEqual(expect.arrayContaining(['金卡会员价 95折', '金卡会员包邮', '金卡会员购物积分 2 倍']));
    // The cart shows the same 会员价 for the line.
    await emptyCart(s);
    await call(cart.addCartLine, { token: s.token, body: { productId, skuId: sku.id, quantity: 1 } });
    const c = (await call(cart.getCart, { token: s.token })).body;
    expect(c.lines[0].memberPriceFen).toBe(sku.live.memberPriceFen);
    await emptyCart(s);
    // The same SKU as a 普通 shopper: no member line, shipping charged under ¥99.
    const plain = await quoteBuyNow(viewers[0].s, productId, sku.id, 1, []);
    expect(plain.discounts.some((d: { kind: string }) => d.kind === 'member_price')).toBe(false);
    if (plain.subtotalFen < 9900) expect(plain.shippingFen).toBe(1000);
  });

  it('a shopper who used up the flash limit sees the list price with the reason, as the quote charges it', async () => {
    const { s } = viewers[2];
    await buyNow(s, FLASH.productId, FLASH.skuId, 1);
    const sku = (await detail(FLASH.productId, s.token)).skus.find((x: { id: string }) => x.id === FLASH.skuId);
    const q = await quoteBuyNow(s, FLASH.productId, FLASH.skuId, 1);
    expect(q.lines[0].flashSale).toBeUndefined();
    expect(sku.live).toMatchObject({ priceFen: q.lines[0].unitPriceFen, label: null, flash: null });
    expect(sku.live.priceFen).toBeGreaterThan(FLASH.priceFen);
    expect(sku.live.note).toContain('每人限购 1 件');
  });
});

describe('cart prices', () => {
  /** Every purchasable line at the quote's unit price for its SKU and quantity, and 合计 = the cart quote's payable. */
  async function expectCartAsQuoted(s: Shopper, label: string) {
    const c = (await call(cart.getCart, { token: s.token })).body;
    for (const line of c.lines.filter((l: { purchasable: boolean }) => l.purchasable)) {
      const q = await quoteBuyNow(s, line.productId, line.skuId, line.quantity, []);
      expect(line.unitPriceFen, `${label}: ${line.skuId} x${line.quantity}`).toBe(q.lines[0].unitPriceFen);
    }
    if (c.selectedCount === 0) {
      expect(c.selectedTotalFen).toBe(0);
      return c;
    }
    const q = await quoteCart(s);
    expect(c.selectedTotalFen, label).toBe(q.payableFen);
    expect(c.shippingFen, label).toBe(q.shippingFen);
    expect(c.subtotalFen, label).toBe(q.subtotalFen);
    const flashSaved = q.lines.reduce(
      (n: number, l: { flashSale?: { listPriceFen: number }; unitPriceFen: number; quantity: number }) =>
        n + (l.flashSale ? (l.flashSale.listPriceFen - l.unitPriceFen) * l.quantity : 0),
      0,
    );
    expect(c.savedFen, label).toBe(q.discountFen + flashSaved);
    return c;
  }

  it('for every demo shopper: a flash line, 满减 lines and the whole catalog in the cart cost what checkout charges', async () => {
    for (const { name, s } of viewers) {
      await emptyCart(s);
      // The flash item with a few others: the flash price, 满减 on the rest, the best coupon, shipping.
      const picks = [FLASH.productId, 'p-nuts-01', 'p-powerbank-01'];
      for (const id of picks) {
        const p = products.find((x) => x.id === id)!;
        const sku = p.skus.find((k) => k.stock > 0)!;
        const add = await call(cart.addCartLine, { token: s.token, body: { productId: id, skuId: id === FLASH.productId ? FLASH.skuId : sku.id, quantity: 1 } });
        expect(add.status).toBe(200);
      }
      const first = await expectCartAsQuoted(s, `${name}: flash + two`);
      if (name !== 'laowang') {
        const flashLine = first.lines.find((l: { skuId: string }) => l.skuId === FLASH.skuId);
        expect(flashLine).toMatchObject({ unitPriceFen: FLASH.priceFen, priceLabel: '秒杀价' });
      }

      // Over the flash limit: the line goes back to the list price, in the cart as at checkout.
      await call(cart.updateCartLine, { token: s.token, params: { skuId: FLASH.skuId }, body: { quantity: 2 } });
      await expectCartAsQuoted(s, `${name}: flash over the limit`);

      // The whole on-shelf catalog, one of each first in-stock SKU, then only some of it selected.
      await emptyCart(s);
      for (const p of products.filter((x) => x.onShelf).slice(0, 40)) {
        const sku = p.skus.find((k) => k.stock > 0);
        if (sku) expect((await call(cart.addCartLine, { token: s.token, body: { productId: p.id, skuId: sku.id, quantity: 1 } })).status).toBe(200);
      }
      await expectCartAsQuoted(s, `${name}: whole catalog`);
      const lines = (await call(cart.getCart, { token: s.token })).body.lines as { skuId: string }[];
      await call(cart.selectCartLines, { token: s.token, body: { selected: false, skuIds: lines.filter((_, i) => i % 3 !== 0).map((l) => l.skuId) } });
      const some = await expectCartAsQuoted(s, `${name}: a third selected`);
      expect(some.selectedCount).toBeGreaterThan(0);
    }
  }, 600_000);

  it('shows 满减 progress from the quote and groups nothing purchasable as invalid', async () => {
    const { s } = viewers[0];
    await emptyCart(s);
    // ¥59.90 of nuts: short of the first 满减 tier (满199减20).
    await call(cart.addCartLine, { token: s.token, body: { productId: 'p-nuts-01', skuId: 'sku-nuts-01-classic-15', quantity: 1 } });
    const c = (await call(cart.getCart, { token: s.token })).body;
    const q = await quoteCart(s);
    const progress = c.progress.find((p: { campaignId: string }) => p.campaignId === 'year-end-manjian');
    expect(progress.reached).toBe(false);
    // ¥199 − ¥59.90 to the first tier, as the quote's 凑单 hint says it.
    expect(progress.text).toContain('¥139.10');
    expect(q.hints.some((h: string) => h.includes('¥139.10'))).toBe(true);
    expect(c.lines.every((l: { purchasable: boolean }) => l.purchasable)).toBe(true);
  });
});
