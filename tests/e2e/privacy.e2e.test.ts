import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { stepShots } from './browser';
import { loginAsDemoShopper, shopInBrowser, untilLoaded, visible, watchPage } from './steps';

/**
 * 足迹 and 设置 in a real browser against the whole local shop: 老王 opens two products; 我的 → 足迹 lists them under
 * 今天; 删除 one in 编辑 (gone after a reload too); 设置 → 行为数据 off after its confirmation (still off after a
 * reload); a product opened now is not kept and 足迹 says recording is paused; 清空 after its confirmation empties it.
 * Screenshots per step land in artifacts/e2e/privacy/.
 */
const LAOWANG = { code: 'demo-laowang', nickname: '老王' };
const SEEN = ['p-lipstick-01', 'p-cream-01'];
const LATER = 'p-essence-01';

const shop = shopInBrowser();

const rows = (page: Page) => page.locator('.e2e-footprint:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')));

async function openProduct(page: Page, web: string, id: string) {
  await page.goto(`${web}/#/packageProduct/pages/detail/index?id=${id}`);
  await visible(page, '.e2e-product-title').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(2_000);
}

/** 我的 → 足迹, read again until `expected` holds (the app sends its events in batches, every few seconds). */
async function footprintsUntil(page: Page, web: string, expected: (ids: (string | null)[]) => boolean) {
  await expect
    .poll(
      async () => {
        await page.goto(`${web}/#/pages/mine/index`);
        await visible(page, '.e2e-mine-footprints').click();
        await page.waitForTimeout(1_500);
        return expected(await rows(page));
      },
      { timeout: 90_000, interval: 2_000 },
    )
    .toBe(true);
}

describe('足迹 and 设置 in the H5 app', () => {
  it('lists what was viewed by day, deletes one, stops keeping anything with 行为数据 off, and clears', async () => {
    const { page } = shop;
    const shot = stepShots('privacy');
    watchPage(page);
    const web = shop.stack.webUrl!;
    await untilLoaded(web, ['/v1/products?limit=1', `/v1/products/${SEEN[0]}`]);
    // Asked once without a session (401), so the shopper's first taps find them loaded.
    await untilLoaded(web, ['/v1/footprints', '/v1/me/privacy'], 401);
    await loginAsDemoShopper(page, web, LAOWANG);

    for (const id of SEEN) await openProduct(page, web, id);
    // Leaving the product page sends the view; 足迹 lists both, the latest first, under 今天.
    await footprintsUntil(page, web, (ids) => ids.length === 2);
    expect(await rows(page)).toEqual([...SEEN].reverse());
    expect(await visible(page, '.e2e-footprint-day').textContent()).toBe('今天');
    await shot(page, 'footprints');

    // 编辑 → 删除 the first row: gone now and after a reload.
    await visible(page, '.e2e-footprints-edit').click();
    await visible(page, `.e2e-footprint[data-product-id="${SEEN[1]}"] .e2e-footprint-delete`).click();
    await expect.poll(() => rows(page)).toEqual([SEEN[0]]);
    await page.reload();
    await expect.poll(() => rows(page), { timeout: 30_000 }).toEqual([SEEN[0]]);

    // 设置: 行为数据 off after the confirmation; it stays off when read again.
    await page.goto(`${web}/#/pages/mine/index`);
    await visible(page, '.e2e-mine-settings').click();
    const behaviour = visible(page, '.e2e-settings-behaviour');
    await behaviour.waitFor({ timeout: 60_000 });
    expect(await behaviour.getAttribute('data-checked')).toBe('true');
    const saved = page.waitForResponse((r) => r.url().includes('/v1/me/privacy') && r.request().method() === 'PUT', { timeout: 120_000 });
    await behaviour.click();
    await visible(page, '.taro-modal__content').waitFor();
    expect(await visible(page, '.taro-modal__content').textContent()).toContain('足迹');
    await shot(page, 'behaviour-off-confirm');
    await visible(page, '.taro-model__confirm').click();
    expect((await saved).status()).toBe(200);
    await page.reload();
    await expect.poll(() => visible(page, '.e2e-settings-behaviour').getAttribute('data-checked'), { timeout: 30_000 }).toBe('false');
    await shot(page, 'behaviour-off');

    // A product opened now is not kept: 足迹 says recording is paused and still holds only the one row.
    await openProduct(page, web, LATER);
    await page.goto(`${web}/#/pages/mine/index`);
    await page.waitForTimeout(6_000);
    await footprintsUntil(page, web, (ids) => ids.length === 1);
    expect(await rows(page)).toEqual([SEEN[0]]);
    await visible(page, '.e2e-footprints-paused').waitFor();
    await shot(page, 'footprints-paused');

    // 清空 after its confirmation.
    await visible(page, '.e2e-footprints-clear').click();
    await visible(page, '.taro-model__confirm').click();
    await expect.poll(() => rows(page), { timeout: 30_000 }).toEqual([]);
    await shot(page, 'footprints-cleared');
  }, 600_000);
});
