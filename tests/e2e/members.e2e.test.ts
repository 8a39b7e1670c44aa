import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser, stepShots } from './browser';
import { addAddressAtCheckout, loginAsDemoShopper, payInSandboxAndSeePaid, visible, watchPage } from './steps';

/**
 * 会员中心 in a real browser against the whole local shop: demo login → 我的 shows 小明's level and points (the seed's
 * starting points, through the ledger) → 会员中心 (level card, every tier side by side) → 签到 (the button turns
 * 今日已签到, today is ticked, the points go up by what the server gave) → 积分明细 names the check-in in words →
 * 积分商城: exchange a coupon after the confirmation → the balance drops by its price and the coupon is in 我的优惠券.
 * Then 小明 spends points at checkout on an order that takes his paid spend past ¥1000: the points switch takes the
 * points off the payable, and once paid 我的 and 会员中心 show 银卡, and the next checkout carries 银卡's discount and
 * free shipping. Screenshots per step land in artifacts/e2e/members/.
 */
/** scripts/seed: every demo shopper starts with these points. */
const START_POINTS = 200;
/** members/local.yaml: 满99减10 for 100 points; the canvas bag only for 银卡 and up. */
const COUPON_ITEM = 'coupon-full-99-10';
const COUPON_POINTS = 100;
const GIFT_ITEM = 'gift-canvas-bag';
const ENUM_LIKE = /\b[A-Z][A-Z_]{3,}\b/;
/** ¥459 × 3 = ¥1377 crosses 银卡's ¥1000 of paid spend (shared/src/members/config.ts) even after the points. */
const BIG_PRODUCT = 'p-dumbbell-01';
const BIG_SPEC = '30kg×2';
const fen = (text: string | null) => Math.round(Number(text!.replace(/[^0-9.]/g, '')) * 100);

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

describe('会员中心 in the H5 app', () => {
  it('shows level and points, checks in once, words the history, and exchanges points for a coupon', async () => {
    const { page } = browser;
    const shot = stepShots('members');
    watchPage(page);
    const web = stack.webUrl!;

    // The local API bundles each function on its first call: on a busy machine the first answers take a while.
    for (const path of ['/v1/products?limit=1', '/v1/members/tiers', '/v1/points/mall']) {
      await expect.poll(async () => (await fetch(`${web}${path}`).catch(() => null))?.status, { timeout: 240_000, interval: 2_000 }).toBe(200);
    }
    // The writes the story makes, asked once without a session (401) so they are loaded before the shopper taps.
    for (const path of ['/v1/points/check-in', `/v1/points/mall/${COUPON_ITEM}/redeem`, '/v1/orders']) {
      const post = () => fetch(`${web}${path}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).catch(() => null);
      await expect.poll(async () => (await post())?.status, { timeout: 240_000, interval: 2_000 }).toBe(401);
    }
    await loginAsDemoShopper(page, web);

    // 我的: the member card with the level, the points and the growth bar.
    await page.goto(`${web}/#/pages/mine/index`);
    const card = visible(page, '.e2e-member-card');
    await card.waitFor({ timeout: 90_000 });
    expect(await card.locator('.e2e-member-level').textContent()).toBe('普通会员');
    expect(await card.locator('.e2e-member-points').textContent()).toBe(String(START_POINTS));
    expect(await card.textContent()).toContain('即可升级为银卡');
    await shot(page, 'mine-member-card');

    // 会员中心: the level card and all five tiers with their benefits.
    await card.click();
    await visible(page, '.e2e-level-card').waitFor({ timeout: 90_000 });
    expect(await visible(page, '.e2e-center-level').textContent()).toBe('普通会员');
    expect(await visible(page, '.e2e-center-points').textContent()).toBe(String(START_POINTS));
    await expect.poll(() => page.locator('.e2e-tier:visible').count(), { timeout: 30_000 }).toBe(5);
    const tierNames = await page.locator('.e2e-tier:visible .member-tier__name').allTextContents();
    expect(tierNames.map((n) => n.replace('当前', ''))).toEqual(['普通', '银卡', '金卡', '白金', '钻石']);
    expect(await page.locator('.e2e-tier:visible').nth(1).textContent()).toContain('包邮');
    // Let the page's slide-in finish before the picture.
    await page.waitForTimeout(500);
    await shot(page, 'member-center');

    // 签到: once; the server's answer turns the button off and ticks today.
    await visible(page, '.e2e-entry-check-in').click();
    const button = visible(page, '.e2e-check-in');
    await button.waitFor({ timeout: 90_000 });
    expect(await button.textContent()).toContain('立即签到');
    const post = page.waitForResponse((r) => r.url().includes('/v1/points/check-in') && r.request().method() === 'POST', { timeout: 120_000 });
    await button.click();
    const answer = (await (await post).json()) as { awarded: number; available: number; today: string };
    expect(answer.awarded).toBeGreaterThan(0);
    expect(answer.available).toBe(START_POINTS + answer.awarded);
    await expect.poll(() => visible(page, '.e2e-check-in-result').textContent()).toContain(`获得 ${answer.awarded} 积分`);
    expect(await button.textContent()).toContain('今日已签到');
    expect(await button.getAttribute('class')).toContain('btn--disabled');
    expect(await visible(page, '.e2e-check-in-points').textContent()).toBe(String(answer.available));
    expect(await visible(page, '.e2e-streak').textContent()).toBe('1');
    await visible(page, `.e2e-day-checked[data-day="${answer.today}"]`).waitFor();
    await shot(page, 'checked-in');

    // Back in 会员中心 the points went up; 积分明细 says what the check-in was, in words.
    await visible(page, '.e2e-back').click();
    await expect.poll(() => visible(page, '.e2e-center-points').textContent(), { timeout: 30_000 }).toBe(String(answer.available));
    await visible(page, '.e2e-entry-points').click();
    const first = visible(page, '.e2e-points-entry');
    await first.waitFor({ timeout: 90_000 });
    expect(await first.locator('.e2e-points-reason').textContent()).toContain('签到');
    expect(await first.getAttribute('data-points')).toBe(String(answer.awarded));
    expect(await first.textContent()).toContain(`+${answer.awarded}`);
    const reasons = await page.locator('.e2e-points-reason:visible').allTextContents();
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    for (const r of reasons) expect(r).not.toMatch(ENUM_LIKE);
    expect(await visible(page, '.e2e-points-available').textContent()).toBe(String(answer.available));
    await shot(page, 'points-history');

    // 积分商城: the gift is refused in words for a 普通 member; the coupon is exchanged after the confirmation.
    await visible(page, '.e2e-back').click();
    await visible(page, '.e2e-entry-mall').click();
    const coupon = visible(page, `.e2e-mall-item[data-item-id="${COUPON_ITEM}"]`);
    await coupon.waitFor({ timeout: 90_000 });
    expect(await visible(page, '.e2e-mall-balance').textContent()).toBe(String(answer.available));
    expect(await coupon.locator('.e2e-mall-points').textContent()).toBe(`${COUPON_POINTS} 积分`);
    const leftBefore = Number((await coupon.locator('.e2e-mall-left').textContent())!.match(/\d+/)![0]);
    const giftButton = visible(page, `.e2e-mall-item[data-item-id="${GIFT_ITEM}"] .e2e-mall-redeem`);
    const refusal = (await giftButton.textContent())!.trim();
    expect(refusal).not.toBe('兑换');
    expect(refusal).toMatch(/[\u4e00-\u9fa5]/);
    expect(refusal).not.toMatch(ENUM_LIKE);
    await coupon.locator('.e2e-mall-redeem').click();
    await visible(page, '.nut-dialog-footer-ok').waitFor();
    expect(await visible(page, '.nut-dialog').textContent()).toContain(`使用 ${COUPON_POINTS} 积分兑换`);
    await shot(page, 'mall-confirm');
    const redeem = page.waitForResponse((r) => r.url().includes(`/v1/points/mall/${COUPON_ITEM}/redeem`), { timeout: 120_000 });
    await visible(page, '.nut-dialog-footer-ok').click();
    const redeemed = (await (await redeem).json()) as { couponId: string; available: number; message: string };
    expect(redeemed.available).toBe(answer.available - COUPON_POINTS);
    await expect.poll(() => visible(page, '.e2e-mall-success').textContent()).toContain(redeemed.message);
    expect(await visible(page, '.e2e-mall-balance').textContent()).toBe(String(redeemed.available));
    // The list is read again: one fewer left.
    await expect.poll(() => coupon.locator('.e2e-mall-left').textContent()).toBe(`剩余 ${leftBefore - 1} 件`);
    await shot(page, 'mall-redeemed');

    // 我的优惠券 has the coupon the exchange granted.
    await visible(page, '.e2e-mall-to-coupons').click();
    const mine = visible(page, `.e2e-my-coupon[data-coupon-id="${redeemed.couponId}"]`);
    await mine.waitFor({ timeout: 90_000 });
    expect(await mine.textContent()).toContain('满99减10');
    await shot(page, 'my-coupons');
  }, 600_000);

  it('spends points at checkout, and the payment that crosses ¥1000 makes 小明 银卡 with its benefits', async () => {
    const { page } = browser;
    const shot = stepShots('members-silver');
    const web = stack.webUrl!;

    await page.goto(`${web}/#/pages/mine/index`);
    const card = visible(page, '.e2e-member-card');
    await card.waitFor({ timeout: 90_000 });
    const pointsBefore = Number(await card.locator('.e2e-member-points').textContent());
    expect(pointsBefore).toBeGreaterThan(0);

    // 立即购买 three of the 30 kg pair.
    await page.goto(`${web}/#/packageProduct/pages/detail/index?id=${BIG_PRODUCT}`);
    await visible(page, '.e2e-buy-now').click();
    await visible(page, `.e2e-spec-value[data-value="${BIG_SPEC}"]`).click();
    await expect.poll(() => visible(page, '.e2e-spec-stock').textContent()).toMatch(/库存/);
    for (let i = 0; i < 2; i++) await visible(page, '.spec-sheet__qty .nut-inputnumber-add').click();
    await expect.poll(() => visible(page, '.spec-sheet__qty input').inputValue()).toBe('3');
    await visible(page, '.e2e-spec-buy-now').click();
    await addAddressAtCheckout(page);

    // 积分抵扣: off at first; on, the quote takes the points off the payable (100 points = ¥1).
    const row = visible(page, '.e2e-points-row');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('积分');
    const payableOff = fen(await visible(page, '.e2e-payable').textContent());
    expect(payableOff).toBeGreaterThan(100_000);
    await visible(page, '.e2e-points-switch').click();
    await expect.poll(() => row.getAttribute('data-used').then(Number), { timeout: 30_000 }).toBeGreaterThan(0);
    const used = Number(await row.getAttribute('data-used'));
    expect(used).toBeLessThanOrEqual(pointsBefore);
    await expect.poll(() => visible(page, '.e2e-payable').textContent().then(fen)).toBe(payableOff - used);
    await shot(page, 'checkout-points-on');

    // The order is placed and paid at the payable shown, points and all.
    await visible(page, '.e2e-submit-order').click();
    await visible(page, '.e2e-sandbox-pay').waitFor({ timeout: 30_000 });
    expect(fen(await visible(page, '.e2e-sandbox-amount').textContent())).toBe(payableOff - used);
    await payInSandboxAndSeePaid(page);

    // 我的: 银卡 once the payment's effects are in (a moment after), with the spent points gone.
    await page.goto(`${web}/#/pages/mine/index`);
    await card.waitFor({ timeout: 90_000 });
    await expect
      .poll(async () => {
        await page.reload();
        await card.waitFor({ timeout: 30_000 });
        return card.locator('.e2e-member-level').textContent();
      }, { timeout: 60_000, interval: 2_000 })
      .toBe('银卡会员');
    expect(Number(await card.locator('.e2e-member-points').textContent())).toBe(pointsBefore - used);
    await shot(page, 'mine-silver');

    // 会员中心: the level card is 银卡 and the tier list marks 银卡 as the current one.
    await card.click();
    await visible(page, '.e2e-level-card').waitFor({ timeout: 90_000 });
    expect(await visible(page, '.e2e-center-level').textContent()).toBe('银卡会员');
    const current = visible(page, '.e2e-tier:has-text("当前")');
    expect(await current.locator('.member-tier__name').textContent()).toContain('银卡');
    await page.waitForTimeout(500);
    await shot(page, 'member-center-silver');

    // The next checkout is priced as 银卡: its benefits are listed in the quote (member discount, free shipping).
    await page.goto(`${web}/#/packageProduct/pages/detail/index?id=${BIG_PRODUCT}`);
    await visible(page, '.e2e-buy-now').click();
    await visible(page, `.e2e-spec-value[data-value="${BIG_SPEC}"]`).click();
    await visible(page, '.e2e-spec-buy-now').click();
    const benefits = visible(page, '.e2e-member-benefits');
    await benefits.waitFor({ timeout: 30_000 });
    expect(await benefits.textContent()).toContain('银卡会员权益');
    expect(await benefits.textContent()).toMatch(/包邮|运费/);
    await shot(page, 'checkout-silver');
  }, 600_000);

  it('邀请好友 draws a personal invite poster to download', async () => {
    const { page } = browser;
    const shot = stepShots('members-invite');
    const web = stack.webUrl!;

    // 我的 → 会员中心 → 邀请好友.
    await page.goto(`${web}/#/pages/mine/index`);
    await visible(page, '.e2e-member-card').click();
    await visible(page, '.e2e-entry-invite').click();
    const code = visible(page, '.e2e-invite-code');
    await code.waitFor({ timeout: 90_000 });
    const inviteCode = (await code.textContent())!.trim();
    expect(inviteCode).toMatch(/^[A-Z0-9]{8}$/);

    // 生成邀请海报: the sheet draws the poster into a PNG and offers it for download.
    await visible(page, '.e2e-invite-poster').click();
    const sheet = visible(page, '.e2e-poster-sheet');
    await expect.poll(() => sheet.getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    const poster = sheet.locator('img');
    expect(await poster.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await poster.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([600, 900]);
    expect(await visible(page, '.nut-popup').textContent()).toContain('邀请海报');
    await page.waitForTimeout(500);
    await shot(page, 'invite-poster');
  }, 300_000);
});
