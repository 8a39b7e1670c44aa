import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser, stepShots } from './browser';
import { loginAsDemoShopper, visible, watchPage } from './steps';

/**
 * The product page's extras and 我的收藏 in a real browser against the whole local shop: demo login → a lipstick's
 * page (服务保障, 商品详情 paragraphs and pictures) → 客服 sheet with the stage's hours and phone → 复制链接 copies a link
 * that opens the product → 收藏 → 我的 → 我的收藏 lists it → 取消收藏 → empty state; a page opened straight from a link
 * offers a way home. Screenshots per step land in artifacts/e2e/favorites/.
 */
const PRODUCT_ID = 'p-lipstick-01';
/** The local stage's 客服 (serverless.yml params serviceHours / servicePhone). */
const SERVICE_HOURS = '每天 9:00-21:00';
const SERVICE_PHONE = '400-000-8888';

let stack: Stack;
let browser: Awaited<ReturnType<typeof openBrowser>>;

beforeAll(async () => {
  stack = await startStack({ dataDir: null, web: true, rebuildH5: false, jobs: false });
  browser = await openBrowser();
  // Builds the H5 app first when no build exists, which takes minutes on a busy machine.
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('product extras and 我的收藏 in the H5 app', () => {
  it('keeps a product in 我的收藏 on the server, shows 客服, copies the product link, and removes it again', async () => {
    const { page, context } = browser;
    const shot = stepShots('favorites');
    watchPage(page);
    const web = stack.webUrl!;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(web).origin });

    // The local API bundles each function on its first call: on a busy machine the first answers take a while.
    for (const path of ['/v1/products?limit=1', `/v1/products/${PRODUCT_ID}`, '/v1/shop-info']) {
      await expect.poll(async () => (await fetch(`${web}${path}`).catch(() => null))?.status, { timeout: 240_000, interval: 2_000 }).toBe(200);
    }
    await loginAsDemoShopper(page, web);
    await page.goto(`${web}/#/packageProduct/pages/detail/index?id=${PRODUCT_ID}`);
    await visible(page, '.e2e-product-title').waitFor({ timeout: 90_000 });

    // 服务保障 from the product's attributes, and a 商品详情 of several paragraphs and pictures.
    const guarantees = visible(page, '.e2e-guarantees');
    await guarantees.waitFor();
    for (const title of ['正品保障', '7天无理由退货', '极速退款']) expect(await guarantees.textContent()).toContain(title);
    await guarantees.click();
    await expect.poll(() => visible(page, '.e2e-guarantees-sheet').textContent()).toContain('签收后 7 天内');
    await shot(page, 'guarantees-sheet');
    await page.keyboard.press('Escape');
    await page.locator('.nut-overlay:visible').first().click({ position: { x: 10, y: 10 } }).catch(() => undefined);
    await expect.poll(() => page.locator('.e2e-guarantees-sheet:visible').count()).toBe(0);
    const description = visible(page, '.e2e-description');
    expect(await description.locator('.description__paragraph').count()).toBeGreaterThanOrEqual(3);
    expect(await description.textContent()).toContain('【规格参数】色号：正红、豆沙、枫叶棕');
    expect(await description.locator('.e2e-description-image').count()).toBeGreaterThanOrEqual(2);

    // 客服 in H5: the stage's service hours and phone, read from the server.
    await visible(page, '.e2e-service').click();
    const sheet = visible(page, '.e2e-service-sheet');
    await expect.poll(() => sheet.locator('.e2e-service-hours').textContent(), { timeout: 60_000 }).toBe(SERVICE_HOURS);
    expect(await sheet.locator('.e2e-service-phone').textContent()).toBe(SERVICE_PHONE);
    await shot(page, 'service-sheet');
    await page.locator('.nut-overlay:visible').first().click({ position: { x: 10, y: 10 } });
    await expect.poll(() => page.locator('.e2e-service-sheet:visible').count()).toBe(0);

    // 复制链接: the product page's address at this origin, on the clipboard; it opens the product in a fresh tab.
    const expected = `${new URL(web).origin}/#/packageProduct/pages/detail/index?id=${PRODUCT_ID}`;
    await visible(page, '.e2e-copy-product-link').click();
    await page.getByText('链接已复制').first().waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    const title = await visible(page, '.e2e-product-title').textContent();
    const friend = await context.newPage();
    await friend.goto(expected);
    await expect.poll(() => visible(friend, '.e2e-product-title').textContent(), { timeout: 90_000 }).toBe(title);
    // Opened straight from the link: nothing to go back to, so the corner button goes home.
    await visible(friend, '.e2e-home').click();
    await visible(friend, '.e2e-product-card').waitFor({ timeout: 90_000 });
    await friend.close();

    // 收藏: kept on the server (the answer of PUT /v1/favorites/{id}).
    const favorite = visible(page, '.e2e-favorite');
    expect(await favorite.getAttribute('data-favorited')).toBe('false');
    const put = page.waitForResponse((r) => r.url().includes(`/v1/favorites/${PRODUCT_ID}`) && r.request().method() === 'PUT');
    await favorite.click();
    expect((await put).status()).toBe(200);
    await expect.poll(() => favorite.getAttribute('data-favorited')).toBe('true');
    expect(await favorite.textContent()).toContain('已收藏');
    await shot(page, 'favorited');

    // 我的 → 我的收藏 lists it; the back button returns to 我的.
    await page.goto(`${web}/#/pages/mine/index`);
    await visible(page, '.e2e-entry-favorites').click();
    const item = visible(page, `.e2e-favorite-item[data-product-id="${PRODUCT_ID}"]`);
    await item.waitFor({ timeout: 90_000 });
    expect(await item.textContent()).toContain(title!);
    expect(await page.locator('.e2e-favorite-item:visible').count()).toBe(1);
    await shot(page, 'my-favorites');

    // 取消收藏 (confirmed) → the empty state, and the server agrees after a reload.
    const del = page.waitForResponse((r) => r.url().includes(`/v1/favorites/${PRODUCT_ID}`) && r.request().method() === 'DELETE');
    await item.locator('.e2e-favorite-remove').click();
    await page.getByText('确定', { exact: true }).last().click();
    expect((await del).status()).toBe(200);
    await page.getByText('还没有收藏的商品').first().waitFor();
    await shot(page, 'favorites-empty');
    await visible(page, '.e2e-back').click();
    await visible(page, '.e2e-entry-favorites').waitFor();
    await visible(page, '.e2e-entry-favorites').click();
    await page.getByText('还没有收藏的商品').first().waitFor({ timeout: 90_000 });
    expect(await page.locator('.e2e-favorite-item:visible').count()).toBe(0);
  }, 600_000);
});
