import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser, stepShots } from './browser';
import { loginAsDemoShopper, visible, watchPage } from './steps';

/**
 * What the shopper sees is what they pay, in a real browser against the whole local shop:
 * - the flash item (campaigns/local/flash-sales.yaml: 声浪耳机 标准版 云白 at ¥129 instead of ¥199): the product page
 *   shows the flash price with its countdown and the list price crossed out, the cart line shows it as 秒杀价, and
 *   checkout charges exactly the cart's 合计;
 * - the group deal (campaigns/local/group-deals.yaml: 每日坚果 经典混合 15包 ¥39.90 / 团长 ¥34.90, 30包 ¥79.90): the
 *   sheet opened by 发起拼团 offers only the deal's specs at the group price, discloses the leader price, and has no
 *   立即购买 or 加入购物车.
 * Screenshots land in artifacts/e2e/prices/.
 */
const FLASH = { productId: 'p-earbuds-01', skuId: 'sku-earbuds-01-std-white', specs: { 版本: '标准版', 颜色: '云白' } };

let stack: Stack;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const shot = stepShots('prices');
const failedRequests: string[] = [];

beforeAll(async () => {
  stack = await startStack({ dataDir: null, web: true, rebuildH5: true, jobs: false });
  browser = await openBrowser();
  page = browser.page;
  watchPage(page);
  page.on('response', (r) => {
    if (r.url().includes('/v1/') && r.status() >= 400) failedRequests.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The same demo shopper's session on the API, for what the story sets up or reads outside the page. */
async function shopperApi(code: string) {
  const login = await fetch(`${stack.webUrl!}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  const { token } = (await login.json()) as { token: string };
  return async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${stack.webUrl!}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(r.status, `${method} ${path}`).toBeLessThan(300);
    return r.json();
  };
}

async function openProduct(productId: string): Promise<void> {
  await page.goto(`${stack.webUrl!}/#/packageProduct/pages/detail/index?id=${productId}`);
  await visible(page, '.e2e-product-title').waitFor({ timeout: 60_000 });
}

async function choose(specs: Record<string, string>): Promise<void> {
  for (const [dimension, value] of Object.entries(specs)) {
    const v = visible(page, `.e2e-spec-value[data-dimension="${dimension}"][data-value="${value}"]`);
    if (!(await v.getAttribute('class'))?.includes('spec-value--chosen')) await v.click();
  }
}

describe('prices in the browser', () => {
  it('a flash item: the page shows the flash price and countdown, the cart shows it, checkout charges the cart 合计', async () => {
    await loginAsDemoShopper(page, stack.webUrl!);
    await openProduct(FLASH.productId);
    await visible(page, '.e2e-flash-banner').waitFor();
    expect(await visible(page, '.e2e-flash-banner').textContent()).toContain('秒杀价 ¥129.00');
    expect(await visible(page, '.e2e-flash-countdown').textContent()).toMatch(/^距结束 \d\d:\d\d:\d\d$|^\d+月\d+日( \d\d:\d\d)? 结束$/);
    // Before a spec is chosen: the band of live prices, from the flash price up.
    expect(await visible(page, '.e2e-product-price').textContent()).toMatch(/^¥129\.00 - ¥399\.00$/);
    await shot(page, 'flash-product');

    await visible(page, '.e2e-open-spec').click();
    await choose(FLASH.specs);
    expect(await visible(page, '.e2e-spec-price').textContent()).toBe('¥129.00');
    expect(await visible(page, '.e2e-spec-price-label').textContent()).toBe('秒杀价');
    // The page itself now shows the chosen SKU's flash price with the list price crossed out (never below it).
    expect(await visible(page, '.e2e-product-price').textContent()).toBe('¥129.00');
    expect(await visible(page, '.e2e-product-crossed').textContent()).toBe('¥199.00');
    await shot(page, 'flash-spec');
    await visible(page, '.e2e-spec-add-to-cart').click();
    await page.waitForTimeout(800);

    await page.goto(`${stack.webUrl!}/#/pages/cart/index`);
    const line = visible(page, `.e2e-cart-line[data-sku-id="${FLASH.skuId}"]`);
    await line.waitFor({ timeout: 30_000 });
    expect(await line.locator('.e2e-cart-line-price').textContent()).toBe('¥129.00');
    expect(await line.locator('.e2e-cart-line-label').textContent()).toBe('秒杀价');
    const total = (await visible(page, '.e2e-cart-total').textContent())!;
    // ¥129 is over ¥99: no shipping; a flash price takes no coupon or 满减.
    expect(total).toBe('¥129.00');
    expect(await visible(page, '.e2e-cart-saved').textContent()).toContain('已优惠 ¥70.00');
    // A flash-priced line counts towards no 满减 or 满赠: no progress is offered for it.
    expect(await page.locator('.e2e-cart-progress:visible').count()).toBe(0);
    await shot(page, 'flash-cart');

    // 确认订单 shows the cart's 合计 as the amount to pay, and the order placed is charged exactly that.
    const api = await shopperApi('demo-xiaoming');
    await api('POST', '/v1/addresses', { name: '王小明', phone: '13800138000', province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 100 号', isDefault: true });
    await visible(page, '.e2e-checkout').click();
    await visible(page, '.e2e-payable').waitFor({ timeout: 30_000 });
    await expect.poll(() => visible(page, '.e2e-payable').textContent(), { timeout: 15_000 }).toBe(total);
    await shot(page, 'flash-checkout');
    await visible(page, '.e2e-submit-order').click();
    await visible(page, '.e2e-sandbox-pay').waitFor({ timeout: 30_000 });
    const orders = (await api('GET', '/v1/orders')) as { items: { payableFen: number; lines: { skuId: string; unitPriceFen: number }[] }[] };
    expect(orders.items[0]!.lines.map((l) => [l.skuId, l.unitPriceFen])).toEqual([[FLASH.skuId, 12900]]);
    expect(`¥${(orders.items[0]!.payableFen / 100).toFixed(2)}`).toBe(total);
  });

  it('a group deal: 发起拼团 opens a sheet of the deal specs only, at the group price, with the leader price disclosed', async () => {
    await openProduct('p-nuts-01');
    await visible(page, '.e2e-group-deal').waitFor({ timeout: 30_000 });
    expect(await visible(page, '.e2e-group-leader-price').textContent()).toContain('团长价 ¥34.90');
    // 发起拼团 costs the starter the leader price, and says so.
    expect(await visible(page, '.e2e-start-group-price').textContent()).toBe('¥34.90');

    await visible(page, '.e2e-start-group').click();
    await visible(page, '.e2e-spec-start-group').waitFor();
    const values = await page.locator('.e2e-spec-value:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
    expect(values.sort()).toEqual(['15包', '30包', '经典混合'].sort());
    expect(await page.locator('.e2e-spec-buy-now:visible').count()).toBe(0);
    expect(await page.locator('.e2e-spec-add-to-cart:visible').count()).toBe(0);
    expect(await visible(page, '.e2e-spec-price').textContent()).toBe('¥39.90 - ¥79.90');
    expect(await visible(page, '.e2e-spec-leader-price').textContent()).toContain('团长价 ¥34.90 - ¥79.90');
    await choose({ 口味: '经典混合', 规格: '15包' });
    expect(await visible(page, '.e2e-spec-price').textContent()).toBe('¥39.90');
    expect(await visible(page, '.e2e-spec-leader-price').textContent()).toContain('团长价 ¥34.90');
    await shot(page, 'group-sheet');

    expect(failedRequests).toEqual([]);
  });
});
