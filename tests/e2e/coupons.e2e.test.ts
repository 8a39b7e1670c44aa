import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser, stepShots } from './browser';
import { addAddressAtCheckout, loginAsDemoShopper, payInSandboxAndSeePaid, visible, watchPage } from './steps';

/**
 * Coupons in a real browser against the whole local shop: demo login → 领券中心 (from 首页) → claim 美妆护肤88折券
 * (tpl-beauty-88 of the claim-center campaign in campaigns/local/coupons.yaml: 88折, at most ¥50 off, beauty only)
 * → a lipstick (p-lipstick-01, category beauty) in the cart → checkout picks that coupon by itself → the payable
 * is the server's discounted amount → 模拟支付 → 待发货. A screenshot per step lands in artifacts/e2e/coupons/.
 *
 * The lipstick 正红 正装 costs ¥129.00: 12% off is ¥15.48, more than any other coupon a new shopper can hold
 * (新人礼包: ¥5 无门槛, 满99减10), and below every 满减 threshold, so the claimed coupon is the server's best pick.
 */
const TEMPLATE_ID = 'tpl-beauty-88';
const PRODUCT_ID = 'p-lipstick-01';
const SKU = { 色号: '正红', 规格: '正装3.5g' };
const COUPON_OFF = '15.48';

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

const yuan = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, ''));

describe('coupons in the H5 app', () => {
  it('claims a coupon in 领券中心, and checkout applies it by itself to a product in its scope', async () => {
    const { page } = browser;
    const shot = stepShots('coupons');
    watchPage(page);

    // Log in first (我的 → 登录 → 选择演示用户).
    await loginAsDemoShopper(page, stack.webUrl!);
    await shot(page, 'logged-in');

    // 首页 (campaign banners and 限时抢购 when the campaigns answer) → 领券中心
    await page.getByText('首页', { exact: true }).last().click();
    await visible(page, '.e2e-entry-coupon-center').waitFor();
    await visible(page, '.e2e-flash-item').waitFor({ timeout: 5_000 }).catch(() => undefined);
    await shot(page, 'home-campaigns');
    await visible(page, '.e2e-entry-coupon-center').click();
    const item = visible(page, `.e2e-coupon-center-item[data-template-id="${TEMPLATE_ID}"]`);
    await item.waitFor({ timeout: 30_000 }).catch(async (e) => {
      await shot(page, 'FAILED-no-coupon-center-item');
      throw e;
    });
    expect(await item.textContent()).toContain('88折');
    await shot(page, 'coupon-center');

    const claimed = page.waitForResponse((r) => r.url().includes('/v1/coupons/claim') && r.request().method() === 'POST');
    await item.locator('.e2e-claim-coupon').click();
    const claim = await claimed;
    expect(claim.ok(), `claim answered ${claim.status()}`).toBe(true);
    const coupon = (await claim.json()) as { id: string; templateId: string; status: string };
    expect(coupon).toMatchObject({ templateId: TEMPLATE_ID, status: 'UNUSED' });
    await page.getByText('领取成功').first().waitFor();
    await expect.poll(() => item.locator('.e2e-claim-coupon').textContent()).not.toBe('立即领取'); // per user: 1
    await shot(page, 'claimed');

    // 我的优惠券 shows it under 未使用.
    await page.goto(`${stack.webUrl}/#/packageCoupon/pages/list/index`);
    await visible(page, `.e2e-my-coupon[data-coupon-id="${coupon.id}"]`).waitFor();
    await shot(page, 'my-coupons');

    // A product in the coupon's scope, into the cart.
    await page.goto(`${stack.webUrl}/#/packageProduct/pages/detail/index?id=${PRODUCT_ID}`);
    await visible(page, '.e2e-product-title').waitFor();
    await visible(page, '.e2e-add-to-cart').click();
    for (const [dimension, value] of Object.entries(SKU)) {
      await visible(page, `.e2e-spec-value[data-dimension="${dimension}"][data-value="${value}"]`).click();
    }
    await expect.poll(() => visible(page, '.e2e-spec-price').textContent()).toContain('129.00');
    await visible(page, '.e2e-spec-add-to-cart').click();
    await page.getByText('已加入购物车').first().waitFor();

    await page.goto(`${stack.webUrl}/#/pages/cart/index`);
    await visible(page, '.e2e-cart-line').waitFor();
    await shot(page, 'cart');
    await visible(page, '.e2e-checkout').click();

    // Checkout: add an address, then the quote is there with the coupon chosen by the server.
    await addAddressAtCheckout(page);

    const row = visible(page, '.e2e-coupon-row');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('chosen');
    expect(await row.textContent()).toContain('88折');
    expect(await visible(page, '.e2e-coupon-amount').textContent()).toContain(COUPON_OFF);
    const couponLine = page.locator('.e2e-discount-line:visible').filter({ hasText: COUPON_OFF });
    await expect.poll(() => couponLine.count()).toBe(1);

    const subtotal = yuan(await visible(page, '.e2e-subtotal').textContent());
    const shipping = yuan(await visible(page, '.e2e-shipping').textContent()); // 免运费 reads 0
    const discount = yuan(await visible(page, '.e2e-discount').textContent());
    const payableText = await visible(page, '.e2e-payable').textContent();
    const payable = yuan(payableText);
    expect(subtotal).toBe(129);
    expect(discount).toBeGreaterThanOrEqual(Number(COUPON_OFF));
    expect(payable).toBeCloseTo(subtotal + shipping - discount, 2);
    await shot(page, 'checkout-coupon-applied');

    // The picker: the claimed coupon is the chosen one.
    await row.click();
    const option = visible(page, `.e2e-coupon-option[data-coupon-id="${coupon.id}"]`);
    await option.waitFor();
    await page.waitForTimeout(400); // the sheet slides in
    expect(await option.getAttribute('data-chosen')).toBe('true');
    expect(await option.getAttribute('data-usable')).toBe('true');
    await shot(page, 'coupon-sheet');
    await option.click(); // already chosen: just closes the sheet
    await option.waitFor({ state: 'hidden' });

    // Submit: the order is created with the coupon the shopper saw.
    const created = page.waitForRequest((r) => r.url().endsWith('/v1/orders') && r.method() === 'POST');
    await visible(page, '.e2e-submit-order').click();
    expect((await created).postDataJSON()).toMatchObject({ couponIds: [coupon.id] });

    await visible(page, '.e2e-sandbox-pay').waitFor({ timeout: 30_000 }).catch(async (e) => {
      await shot(page, 'FAILED-no-sandbox-sheet');
      throw e;
    });
    expect(yuan(await visible(page, '.e2e-sandbox-amount').textContent())).toBeCloseTo(payable, 2);
    await shot(page, 'sandbox-pay');
    await payInSandboxAndSeePaid(page);
    expect(await visible(page, '.e2e-payable').textContent()).toBe(payableText);
    await shot(page, 'order-paid');

    // The coupon is now 已使用.
    await page.goto(`${stack.webUrl}/#/packageCoupon/pages/list/index`);
    await visible(page, '.e2e-my-coupon-tab[data-status="USED"]').click();
    await visible(page, `.e2e-my-coupon[data-coupon-id="${coupon.id}"][data-status="USED"]`).waitFor();
    await shot(page, 'coupon-used');
  });
});
