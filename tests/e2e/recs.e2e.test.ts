import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { stepShots } from './browser';
import { loginAsDemoShopper, shopInBrowser, untilLoaded, visible, watchPage } from './steps';

/**
 * 猜你喜欢 in a real browser against the whole local shop: a shopper with no history (测试员) opens three products of
 * 美妆护肤, a few seconds each; back on 首页 the feed under 热销推荐 now leads with that category, every card says why it
 * is there in Chinese, and 不感兴趣 takes a card away at once and for good (it is not in the feed after a reload, down
 * to the feed's end line). Screenshots per step land in artifacts/e2e/recs/.
 */
const BEAUTY = ['p-lipstick-01', 'p-essence-01', 'p-cream-01'];
const TESTER = { code: 'demo-tester', nickname: '测试员' };
const HOME_FEED = '.e2e-rec-feed[data-placement="home_feed"]';

const shop = shopInBrowser();

/** The cards of 猜你喜欢 on screen now: product id, category and reason line. */
async function feedCards(page: Page) {
  return page.locator(`${HOME_FEED}:visible .e2e-rec-card`).evaluateAll((els) =>
    els.map((e) => ({
      id: e.getAttribute('data-product-id') ?? '',
      category: e.getAttribute('data-category') ?? '',
      reason: e.querySelector('.e2e-rec-reason')?.textContent ?? '',
    })),
  );
}

/** Scrolls 首页 down page by page until 猜你喜欢 shows its end line; returns every card it listed. */
async function scrollToFeedEnd(page: Page) {
  const end = page.locator(`${HOME_FEED}:visible .e2e-feed-end`);
  await expect
    .poll(
      async () => {
        // As a thumb does, in steps: Taro asks for the next page when a scroll comes near the end after one that
        // was not (a single jump to the bottom would not count as arriving there again).
        await page.mouse.move(195, 400);
        await page.mouse.wheel(0, -400);
        await page.waitForTimeout(150);
        for (let i = 0; i < 12; i++) {
          await page.mouse.wheel(0, 500);
          await page.waitForTimeout(80);
        }
        return end.count();
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe(1);
  return feedCards(page);
}

describe('猜你喜欢 in the H5 app', () => {
  it('follows what a new shopper browsed, says why, and 不感兴趣 removes a card for good', async () => {
    const { page } = shop;
    const shot = stepShots('recs');
    watchPage(page);
    const web = shop.stack.webUrl!;

    // The local API bundles each function on its first call: on a busy machine the first answers take a while.
    await untilLoaded(web, ['/v1/products?limit=1', '/v1/recs?placement=home_feed', `/v1/products/${BEAUTY[0]}`]);
    const event = { id: '01JAAAAAAAAAAAAAAAAAAAAAAA', at: Date.now(), kind: 'view', productId: BEAUTY[0], dwellMs: 1 };
    const post = (path: string, body: unknown) =>
      fetch(`${web}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }).catch(() => null);
    // A visitor's events are answered and dropped; 不感兴趣 needs a session.
    await expect.poll(async () => (await post('/v1/events', { events: [event] }))?.status, { timeout: 240_000, interval: 2_000 }).toBe(200);
    await expect.poll(async () => (await post('/v1/recs/dislikes', { productId: BEAUTY[0] }))?.status, { timeout: 240_000, interval: 2_000 }).toBe(401);

    await loginAsDemoShopper(page, web, TESTER);

    // Three products of 美妆护肤, a few seconds on each.
    for (const id of BEAUTY) {
      await page.goto(`${web}/#/packageProduct/pages/detail/index?id=${id}`);
      await visible(page, '.e2e-product-title').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(3_000);
    }
    await shot(page, 'product-with-also-viewed');

    // 首页: 猜你喜欢 now leads with 美妆护肤, none of the three just seen, each card with its reason in Chinese.
    await page.goto(`${web}/#/pages/index/index`);
    await visible(page, `${HOME_FEED} .e2e-rec-card`).waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await feedCards(page))[0]?.category, { timeout: 30_000 }).toBe('beauty');
    const cards = await feedCards(page);
    expect(cards.length).toBeGreaterThanOrEqual(4);
    expect(cards.map((c) => c.id)).not.toContain(BEAUTY[2]);
    for (const c of cards) {
      expect(c.reason).toMatch(/[\u4e00-\u9fa5]/);
      expect(c.reason).not.toMatch(/[a-z]+_[a-z]+|\b[A-Z][A-Z_]{3,}\b/);
    }
    expect(cards.some((c) => /^因为你浏览了|同类热销/.test(c.reason))).toBe(true);
    await visible(page, `${HOME_FEED} .e2e-rec-card`).scrollIntoViewIfNeeded();
    await shot(page, 'home-feed-follows-browsing');

    // 不感兴趣 on the first card: gone at once.
    const gone = cards[0]!.id;
    const answered = page.waitForResponse((r) => r.url().includes('/v1/recs/dislikes') && r.request().method() === 'POST', { timeout: 60_000 });
    await visible(page, `${HOME_FEED} .e2e-rec-card[data-product-id="${gone}"] .e2e-rec-dislike`).click();
    await expect.poll(async () => (await feedCards(page)).map((c) => c.id)).not.toContain(gone);
    // The server has it (the card stays gone: a refusal would have put it back).
    expect((await answered).status()).toBe(200);
    expect((await feedCards(page)).map((c) => c.id)).not.toContain(gone);
    await shot(page, 'disliked-card-removed');

    // …and for good: read afresh after a reload, down to the end of the feed, it is not there.
    await page.reload();
    await visible(page, `${HOME_FEED} .e2e-rec-card`).waitFor({ timeout: 60_000 });
    const all = await scrollToFeedEnd(page);
    expect(all.length).toBeGreaterThan(10);
    expect(all.map((c) => c.id)).not.toContain(gone);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    await shot(page, 'feed-end');
  });
});
