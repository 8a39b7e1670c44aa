import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser, stepShots } from './browser';
import { visible, watchPage } from './steps';

/**
 * Searching in the H5 app against the whole local shop: the input is focused on arrival, 热门搜索 is offered, pinyin
 * finds 螺蛳粉, results sort by price and filter to 有货; a word that finds nothing offers other products.
 * Screenshots per step in artifacts/e2e/search/.
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

const cardTitles = (page: Awaited<ReturnType<typeof openBrowser>>['page']) =>
  page.locator('.e2e-product-card:visible').evaluateAll((els) => els.map((e) => e.textContent ?? ''));

describe('search in the H5 app', () => {
  it('finds 螺蛳粉 by its pinyin, sorts by price, filters to 有货, and offers other products when nothing matches', async () => {
    const { page } = browser;
    const shot = stepShots('search');
    watchPage(page);

    // 首页 → the search box → the search page, typing straight away.
    await page.goto(`${stack.webUrl}/#/pages/index/index`);
    // The first load of the app can be slow on a busy machine.
    await visible(page, '.e2e-home-search').waitFor({ timeout: 60_000 });
    await visible(page, '.e2e-home-search').click();
    const input = visible(page, '.e2e-search-input input');
    await input.waitFor();
    await expect.poll(() => input.evaluate((el) => el === document.activeElement), { timeout: 10_000 }).toBe(true);
    await visible(page, '.e2e-hot-search').waitFor();
    expect(await page.locator('.e2e-hot-search:visible').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('螺蛳粉')]));
    await shot(page, 'arrived');

    // Pinyin: the suggestion and then the results name 螺蛳粉.
    await page.keyboard.type('luosifen');
    await expect.poll(() => page.locator('.e2e-suggestion:visible').allTextContents(), { timeout: 15_000 }).toContain('螺蛳粉');
    await shot(page, 'suggestions');
    await visible(page, '.e2e-search-submit').click();
    await expect.poll(() => cardTitles(page), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringContaining('螺蛳粉')]));
    expect((await cardTitles(page))[0]).toContain('螺蛳粉');
    await shot(page, 'results');

    // A broader word to sort and filter: 价格 ↑ orders by the card prices.
    await input.fill('简野');
    await visible(page, '.e2e-search-submit').click();
    await expect.poll(async () => (await cardTitles(page)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await visible(page, '.e2e-sort-tab[data-sort="price"]').click();
    await expect.poll(() => visible(page, '.e2e-sort-tab[data-sort="price"]').getAttribute('data-active')).toBe('true');
    const prices = async () =>
      (await page.locator('.e2e-product-card:visible .e2e-price').allTextContents()).map((t) => Number(/([\d.]+)/.exec(t)?.[1]));
    await expect.poll(async () => {
      const p = await prices();
      return p.length >= 3 && p.every((v, i) => i === 0 || p[i - 1] <= v);
    }, { timeout: 15_000 }).toBe(true);
    await shot(page, 'sorted-by-price');

    // 仅看有货: the filter is on and every card left is in stock (none says 已售罄).
    const total = Number(await visible(page, '.e2e-search-total').getAttribute('data-total'));
    await visible(page, '.e2e-filter-instock').click();
    await expect.poll(() => visible(page, '.e2e-filter-instock').getAttribute('data-active')).toBe('true');
    await expect.poll(async () => Number(await visible(page, '.e2e-search-total').getAttribute('data-total')), { timeout: 15_000 }).toBeLessThanOrEqual(total);
    for (const t of await cardTitles(page)) expect(t).not.toContain('售罄');
    await shot(page, 'in-stock-only');

    // Nothing found: says what was searched and offers top sellers.
    await input.fill('完全不存在的商品');
    await visible(page, '.e2e-search-submit').click();
    await visible(page, '.e2e-search-alternatives').waitFor({ timeout: 15_000 });
    expect(await visible(page, '.e2e-empty').textContent()).toContain('完全不存在的商品');
    expect(await page.locator('.e2e-search-alternatives .e2e-product-card:visible').count()).toBeGreaterThanOrEqual(4);
    await shot(page, 'nothing-found');
  });
});
