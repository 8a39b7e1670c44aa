import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser, stepShots } from './browser';
import { loginAsDemoShopper, pickRegion, visible, watchPage } from './steps';

/**
 * The pages around paying, in a real browser against the local shop: an address added by pasting one line and picking
 * 省/市/区, checkout, 模拟支付 → 支付成功 with the amount the server charged → 查看订单 in words with a copyable order
 * number → 再次购买 fills the cart; a payment cancelled at the cashier shows 支付未完成 with its deadline, the order
 * cancelled says why in words; 我的 counts the orders per shortcut. Screenshots in artifacts/e2e/checkout-pages/.
 */
let stack: Stack;
let browser: Awaited<ReturnType<typeof openBrowser>>;

beforeAll(async () => {
  stack = await startStack({ dataDir: null, web: true, rebuildH5: false, jobs: false });
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const ENUM_CODE = /\b[A-Z][A-Z_]{3,}\b/;
const fen = (text: string | null) => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);

/** The visible page's text: what the shopper reads. */
const pageText = (page: Page) => page.evaluate(() => document.body.innerText);

async function addLipstickToCart(page: Page, webUrl: string): Promise<string> {
  await page.goto(`${webUrl}/#/packageProduct/pages/search/index`);
  await visible(page, '.e2e-search-input input').fill('口红');
  await visible(page, '.e2e-search-submit').click();
  await visible(page, '.e2e-product-card').click();
  const title = (await visible(page, '.e2e-product-title').textContent())!.trim();
  await visible(page, '.e2e-add-to-cart').click();
  await visible(page, '.e2e-spec-value').waitFor();
  const dimensions = await page.locator('.e2e-spec-value:visible').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-dimension')))]);
  for (const d of dimensions) await page.locator(`.e2e-spec-value:visible[data-dimension="${d}"]:not([data-disabled="true"])`).first().click();
  await visible(page, '.e2e-spec-add-to-cart').click();
  await page.getByText('已加入购物车').first().waitFor();
  return title;
}

/** 我的: the number each order shortcut shows (its badge; none shown reads as 0). */
async function expectShortcutCounts(page: Page, webUrl: string, expected: Record<string, number>): Promise<void> {
  await page.goto(`${webUrl}/#/pages/mine/index`);
  await visible(page, '.e2e-order-shortcut').waitFor();
  const shown = () =>
    page.locator('.e2e-order-shortcut:visible').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-key'), Number(e.querySelector('.e2e-order-shortcut-count')?.textContent ?? 0)])),
    );
  await expect.poll(shown, { timeout: 15_000 }).toEqual(expected);
}

describe('checkout, 支付结果 and order pages', () => {
  it('adds an address by pasting, pays, shows 支付成功, the order in words, 再次购买, a cancelled payment and the counts', async () => {
    const { page } = browser;
    const shot = stepShots('checkout-pages');
    watchPage(page);
    await loginAsDemoShopper(page, stack.webUrl!);
    const title = await addLipstickToCart(page, stack.webUrl!);

    // 结算 without an address → the form: paste one line, then correct the region with the picker.
    await page.goto(`${stack.webUrl}/#/pages/cart/index`);
    await visible(page, '.e2e-checkout').click();
    await visible(page, '.e2e-address-card').click();
    await visible(page, '.e2e-address-paste textarea').fill('张三 13800138000 广东省深圳市南山区科技园路1号');
    await visible(page, '.e2e-address-recognise').click();
    expect(await visible(page, '.e2e-address-name input').inputValue()).toBe('张三');
    expect(await visible(page, '.e2e-address-phone input').inputValue()).toBe('13800138000');
    expect(await visible(page, '.e2e-address-region-text').textContent()).toBe('广东省 深圳市 南山区');
    expect(await visible(page, '.e2e-address-detail textarea').inputValue()).toBe('科技园路1号');
    await shot(page, 'address-pasted');
    await pickRegion(page, ['浙江省', '杭州市', '西湖区']);
    await shot(page, 'address-picked');
    await visible(page, '.e2e-address-save').click();
    await expect.poll(() => visible(page, '.e2e-address-card').textContent()).toContain('浙江省 杭州市 西湖区 科技园路1号');

    // Checkout → 模拟支付 → 支付成功 with what the server says was paid.
    await visible(page, '.e2e-payable').waitFor();
    const payable = fen(await visible(page, '.e2e-payable').textContent());
    expect(payable).toBeGreaterThan(0);
    await shot(page, 'checkout');
    await visible(page, '.e2e-submit-order').click();
    await visible(page, '.e2e-sandbox-pay').click();
    await visible(page, '.e2e-pay-success').waitFor({ timeout: 30_000 });
    expect(fen(await visible(page, '.e2e-pay-result-amount').textContent())).toBe(payable);
    expect(await visible(page, '.e2e-pay-shop-more').textContent()).toBe('继续逛逛');
    await shot(page, 'pay-success');

    // 查看订单: the status in words, no enum code anywhere, a copyable order number.
    await visible(page, '.e2e-pay-view-order').click();
    const status = visible(page, '.e2e-order-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('待发货');
    expect(await pageText(page)).not.toMatch(ENUM_CODE);
    const orderId = (await visible(page, '.e2e-order-id').textContent())!.trim();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.webUrl! });
    await visible(page, '.e2e-copy-order-id').click();
    await page.getByText('订单号已复制').first().waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText().catch(() => null))).toBe(orderId);
    await shot(page, 'order-paid');

    // 我的: one order 待发货, none 待付款.
    await expectShortcutCounts(page, stack.webUrl!, { PENDING_PAYMENT: 0, PAID: 1, SHIPPED: 0, REFUNDING: 0 });
    await shot(page, 'mine-counts');

    // 再次购买 puts the line back in the (now empty) cart and opens it.
    await page.goto(`${stack.webUrl}/#/packageOrder/pages/detail/index?id=${orderId}`);
    await visible(page, '.e2e-buy-again').click();
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('/pages/cart/index');
    await expect.poll(() => visible(page, '.e2e-cart-line').textContent(), { timeout: 15_000 }).toContain(title);
    await shot(page, 'bought-again');

    // Check out again and cancel at the cashier: 支付未完成 with the deadline and 去支付.
    await visible(page, '.e2e-checkout').click();
    await visible(page, '.e2e-submit-order').click();
    await visible(page, '.e2e-sandbox-cancel').click();
    await visible(page, '.e2e-pay-unpaid').waitFor({ timeout: 30_000 });
    expect(await visible(page, '.e2e-pay-deadline').textContent()).toMatch(/请在 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 前完成支付/);
    await visible(page, '.e2e-pay-again').waitFor();
    await shot(page, 'pay-unpaid');
    await expectShortcutCounts(page, stack.webUrl!, { PENDING_PAYMENT: 1, PAID: 1, SHIPPED: 0, REFUNDING: 0 });

    // Cancel the unpaid order: it says why, in words.
    await page.goto(`${stack.webUrl}/#/packageOrder/pages/list/index?tab=PENDING_PAYMENT`);
    await visible(page, '.e2e-order-card').click();
    await visible(page, '.e2e-cancel-order').click();
    await visible(page, '.taro-model__confirm').click();
    await expect.poll(() => visible(page, '.e2e-order-status').textContent(), { timeout: 15_000 }).toBe('已取消');
    await page.getByText('你已取消订单').first().waitFor();
    expect(await pageText(page)).not.toMatch(ENUM_CODE);
    await shot(page, 'order-cancelled');
    await expectShortcutCounts(page, stack.webUrl!, { PENDING_PAYMENT: 0, PAID: 1, SHIPPED: 0, REFUNDING: 0 });
  });
});
