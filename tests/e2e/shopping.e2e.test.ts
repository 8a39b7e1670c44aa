import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser, stepShots } from './browser';
import { addAddressAtCheckout, loginAsDemoShopper, payInSandboxAndSeePaid, visible, watchPage } from './steps';

/**
 * A shopper's story in a real browser against the whole local shop (its own in-memory DynamoDB Local, the functions
 * behind osls offline, the H5 build): demo login → search → pick a spec → add to cart → check out → 模拟支付 →
 * the order shows 待发货. A screenshot per step lands in artifacts/e2e/shopping/.
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


describe('shopping in the H5 app', () => {
  it('logs in as a demo shopper, finds a lipstick, buys it and sees the order paid', async () => {
    const { page } = browser;
    const shot = stepShots('shopping');
    watchPage(page);

    await page.goto(`${stack.webUrl}/#/pages/index/index`);
    await visible(page, '.e2e-product-card').waitFor({ timeout: 60_000 });
    await shot(page, 'home');

    // 我的 → 登录 → 选择演示用户
    await loginAsDemoShopper(page, stack.webUrl!);
    await shot(page, 'logged-in');

    // Search with a suggestion-backed keyword.
    await page.goto(`${stack.webUrl}/#/packageProduct/pages/search/index`);
    const input = visible(page, '.e2e-search-input input');
    await input.waitFor();
    await input.fill('口红');
    await visible(page, '.e2e-search-submit').click();
    const card = visible(page, '.e2e-product-card');
    await card.waitFor();
    await shot(page, 'search-results');
    await card.click();

    // Product detail: choose an in-stock value of every dimension, then add to cart.
    await visible(page, '.e2e-product-title').waitFor();
    await shot(page, 'product-detail');
    await visible(page, '.e2e-add-to-cart').click();
    await visible(page, '.e2e-spec-value').waitFor();
    const dimensions = await page.locator('.e2e-spec-value:visible').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-dimension')))]);
    for (const d of dimensions) {
      await page.locator(`.e2e-spec-value:visible[data-dimension="${d}"]:not([data-disabled="true"])`).first().click();
    }
    await expect.poll(() => visible(page, '.e2e-spec-stock').textContent()).toMatch(/库存/);
    await shot(page, 'spec-chosen');
    await visible(page, '.e2e-spec-add-to-cart').click();
    await page.getByText('已加入购物车').first().waitFor();

    // Cart (a tab page; the product page, a subpackage, has no tab bar) → 去结算
    await page.goto(`${stack.webUrl}/#/pages/cart/index`);
    await visible(page, '.e2e-cart-line').waitFor();
    await shot(page, 'cart');
    await visible(page, '.e2e-checkout').click();

    // Checkout: no address yet → add one, then submit.
    await addAddressAtCheckout(page);
    const payable = await visible(page, '.e2e-payable').textContent();
    expect(payable).toMatch(/¥\d+\.\d{2}/);
    await shot(page, 'checkout');
    await visible(page, '.e2e-submit-order').click();

    // 模拟支付: the sandbox delivers a signed, encrypted v3 notification to the real notify endpoint.
    await visible(page, '.e2e-sandbox-pay').waitFor({ timeout: 30_000 }).catch(async (e) => {
      await shot(page, 'FAILED-no-sandbox-sheet');
      throw e;
    });
    expect(await visible(page, '.e2e-sandbox-amount').textContent()).toContain(payable!.replace(/[^0-9.]/g, ''));
    await shot(page, 'sandbox-pay');
    // The order page reads the server's state.
    await payInSandboxAndSeePaid(page);
    await shot(page, 'order-paid');
  });
});
