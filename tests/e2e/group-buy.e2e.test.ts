import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser, stepShots } from './browser';
import { addAddressAtCheckout, loginAsDemoShopper, visible, watchPage } from './steps';

/**
 * 拼团 in real browsers, one per shopper, against the whole local shop. The local deal (campaigns/local/group-deals.yaml,
 * `nuts-group-3`) is a 3-person group on 每日坚果 经典混合 15包 (拼团价 ¥39.90, 团长开团价 ¥34.90): 小明 starts it and
 * copies its link, 小红 opens exactly that link in a fresh browser, sees the group as a visitor (rules, spec, prices,
 * 去登录 / 参团, no 邀请好友), logs in there, joins and pays, and 老王 takes the last seat the same way. Then every page
 * shows 拼团成功 and every order 待发货. No API request fails on the way. Screenshots land in artifacts/e2e/group-buy/.
 */
const PRODUCT = 'p-nuts-01';
const SPEC = { 口味: '经典混合', 规格: '15包' };

let stack: Stack;
const browsers: Awaited<ReturnType<typeof openBrowser>>[] = [];

beforeAll(async () => {
  stack = await startStack({ dataDir: null, web: true, rebuildH5: true, jobs: false });
});
afterAll(async () => {
  for (const b of browsers) await b.close();
  await stack?.stop();
});

/** Every API answer of 400 or more in any shopper's browser: the story must end with none. */
const failedRequests: string[] = [];

async function newShopperPage(): Promise<Page> {
  const b = await openBrowser();
  browsers.push(b);
  watchPage(b.page);
  b.page.on('response', (r) => {
    if (r.url().includes('/v1/') && r.status() >= 400) failedRequests.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return b.page;
}

/** What 确认拼团订单 must state for one shopper: the line's price and its label, and 实付 (运费 included). */
interface GroupOrderPrice {
  label: '团长价' | '拼团价';
  priceFen: number;
  payableFen: number;
}

/** Leaders pay the 团长价, joiners the 拼团价; both under ¥99, so ¥10 运费 is added. */
const LEADER: GroupOrderPrice = { label: '团长价', priceFen: 3490, payableFen: 4490 };
const JOINER: GroupOrderPrice = { label: '拼团价', priceFen: 3990, payableFen: 4990 };

const yuanText = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/**
 * On 确认拼团订单: an address (new shoppers have none); the server's quote on screen (the line at its labelled price,
 * 运费 and its rule, 实付); 确认开团/确认参团; the cashier asks for exactly that 实付; 模拟支付; then the group page.
 */
async function orderAndPay(page: Page, shot: (p: Page, step: string) => Promise<void>, who: string, price: GroupOrderPrice): Promise<void> {
  await addAddressAtCheckout(page);
  await expect.poll(() => visible(page, '.e2e-group-payable').getAttribute('data-fen'), { timeout: 30_000 }).toBe(String(price.payableFen));
  const line = visible(page, '.e2e-group-line-price');
  expect(await line.getAttribute('data-fen')).toBe(String(price.priceFen));
  expect(await visible(page, '.group-buy__label').textContent()).toBe(price.label);
  expect(await visible(page, '.e2e-shipping').textContent()).toBe(`+${yuanText(1000)}`);
  expect(await visible(page, '.e2e-group-shipping-rule').textContent()).toContain('满 ¥99 包邮');
  const shownPayable = (await visible(page, '.e2e-group-payable').textContent())!.trim();
  expect(shownPayable).toBe(yuanText(price.payableFen));
  await shot(page, `${who}-group-order`);
  await visible(page, '.e2e-submit-order').click();
  await visible(page, '.e2e-sandbox-pay').waitFor({ timeout: 30_000 });
  // The payment is for the order just placed: what the page said 实付 is what is charged.
  expect((await visible(page, '.e2e-sandbox-amount').textContent())!.trim()).toBe(shownPayable);
  await shot(page, `${who}-sandbox-pay`);
  await visible(page, '.e2e-sandbox-pay').click();
  await visible(page, '.e2e-group-status').waitFor({ timeout: 30_000 });
}

const groupStatus = (page: Page) => visible(page, '.e2e-group-status').getAttribute('data-status');

/** The group as a visitor sees it: what they would get, at which price, under which rules, and 参团 (never 邀请好友). */
async function expectVisitorLanding(page: Page): Promise<void> {
  expect(await visible(page, '.e2e-landing-spec').textContent()).toContain('经典混合');
  expect(await visible(page, '.e2e-group-price').getAttribute('data-fen')).toBe('3990');
  expect(await visible(page, '.e2e-leader-price').textContent()).toContain('团长开团价 ¥34.90');
  const rules = (await visible(page, '.e2e-group-rules').textContent()) ?? '';
  expect(rules).toContain('3人成团');
  expect(rules).toContain('开团后24小时内成团');
  expect(rules).toContain('所有人的款项全额原路退回');
  expect(await page.locator('.e2e-invite:visible').count()).toBe(0);
  expect(await page.locator('.e2e-group-member:visible').count()).toBeGreaterThan(0);
  expect(await visible(page, '.e2e-group-countdown').textContent()).toMatch(/剩余/);
}

/** Opens the shared link, joins (logging in on the way as `code`), pays; returns on the group page. */
async function joinByLink(page: Page, link: string, code: string, who: string, shot: (p: Page, step: string) => Promise<void>) {
  await page.goto(link);
  await visible(page, '.e2e-group-status').waitFor({ timeout: 60_000 });
  expect(await groupStatus(page)).toBe('OPEN');
  await expectVisitorLanding(page);
  await shot(page, `${who}-landing`);
  const join = visible(page, '.e2e-join-group');
  expect(await join.getAttribute('data-action')).toBe('login');
  expect(await join.textContent()).toContain('去登录');
  await join.click();
  await visible(page, `.e2e-demo-user[data-code="${code}"]`).click();
  // Back on the group page, now with a session: still a visitor of this group, offered 参团.
  await expect.poll(() => visible(page, '.e2e-join-group').getAttribute('data-action'), { timeout: 15_000 }).toBe('join');
  expect(await visible(page, '.e2e-join-group').textContent()).toContain('参团');
  await expectVisitorLanding(page);
  await shot(page, `${who}-logged-in`);
  await visible(page, '.e2e-join-group').click();
  await orderAndPay(page, shot, who, JOINER);
}

/** 我的订单 → 待发货 holds the shopper's group order. */
async function expectOrderAwaitingShipment(page: Page): Promise<void> {
  await page.goto(`${stack.webUrl}/#/packageOrder/pages/list/index?tab=PAID`);
  const card = visible(page, '.e2e-order-card');
  await card.waitFor({ timeout: 30_000 });
  expect(await card.locator('.e2e-order-status').first().textContent()).toContain('待发货');
}

describe('group-buy in the H5 app', () => {
  it('小明 starts a group and copies its link; 小红 and 老王 open it, log in, join and pay; everyone sees 拼团成功', async () => {
    const shots = stepShots('group-buy');
    // Taro's H5 pages slide in: let the transition end before each screenshot.
    const shot = async (p: Page, step: string) => {
      await p.waitForTimeout(400);
      await shots(p, step);
    };
    const a = await newShopperPage();

    // 小明: product detail → 发起拼团 → the deal's SKU → 确认开团 → 模拟支付 → his group, open.
    await loginAsDemoShopper(a, stack.webUrl!);
    await a.goto(`${stack.webUrl}/#/packageProduct/pages/detail/index?id=${PRODUCT}`);
    await visible(a, '.e2e-start-group').waitFor({ timeout: 30_000 });
    await shot(a, 'a-product-with-deal');
    await visible(a, '.e2e-start-group').click();
    for (const [d, v] of Object.entries(SPEC)) {
      const el = visible(a, `.e2e-spec-value[data-dimension="${d}"][data-value="${v}"]`);
      await el.waitFor();
      if (!((await el.getAttribute('class')) ?? '').includes('spec-value--chosen')) await el.click();
    }
    await visible(a, '.e2e-spec-start-group').click();
    await orderAndPay(a, shot, 'a', LEADER);
    await expect.poll(() => groupStatus(a), { timeout: 30_000 }).toBe('OPEN');
    expect(await visible(a, '.e2e-group-seats').getAttribute('data-seats')).toBe('2');
    expect(await visible(a, '.e2e-group-countdown').textContent()).toMatch(/剩余/);
    await shot(a, 'a-group-open');

    // H5 has no share menu: 复制链接 (the page shows the server's link) and the poster.
    expect(await visible(a, '.e2e-invite').isVisible()).toBe(true);
    expect(await a.locator('.e2e-join-group:visible').count()).toBe(0);
    await visible(a, '.e2e-share-link[data-from="server"]').waitFor({ timeout: 15_000 });
    const shown = (await visible(a, '.e2e-share-link').textContent())!.trim();
    await a.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.webUrl! });
    await visible(a, '.e2e-copy-link').click();
    await a.getByText('链接已复制').first().waitFor();
    const link = await a.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(shown);
    // The link is this stack's web shop (where a friend's browser can open it), straight to the group's landing page.
    expect(new URL(link).origin).toBe(stack.webUrl);
    expect(link).toMatch(/\/#\/packageGroup\/pages\/landing\/index\?t=[A-Za-z0-9]{8,16}$/);
    await visible(a, '.e2e-poster').click();
    await expect.poll(() => visible(a, '.e2e-poster-sheet').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    await shot(a, 'a-poster');
    await a.keyboard.press('Escape');

    // 小红 opens the link in her own browser, not logged in.
    const b = await newShopperPage();
    await joinByLink(b, link, 'demo-xiaohong', 'b', shot);
    await expect.poll(() => visible(b, '.e2e-group-seats').getAttribute('data-seats'), { timeout: 30_000 }).toBe('1');
    // Seated now: she invites others, with the same link.
    await visible(b, '.e2e-share-link[data-from="server"]').waitFor({ timeout: 15_000 });
    expect((await visible(b, '.e2e-share-link').textContent())!.trim()).toBe(link);
    await shot(b, 'b-joined');

    // 老王 takes the last seat: the group succeeds.
    const c = await newShopperPage();
    await joinByLink(c, link, 'demo-laowang', 'c', shot);
    await expect.poll(() => groupStatus(c), { timeout: 30_000 }).toBe('SUCCESS');
    await shot(c, 'c-success');

    // Every page, read again from the server, shows 拼团成功; every order is 待发货.
    for (const [p, who] of [[a, 'a'], [b, 'b']] as const) {
      await p.goto(link);
      await expect.poll(() => groupStatus(p), { timeout: 30_000 }).toBe('SUCCESS');
      expect(await visible(p, '.e2e-group-status').textContent()).toContain('拼团成功');
      await shot(p, `${who}-success`);
    }
    for (const [p, who] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) {
      await expectOrderAwaitingShipment(p);
      await shot(p, `${who}-order-paid`);
    }
    // 我的拼团 states what each paid: 小明 the leader price, labelled.
    await a.goto(`${stack.webUrl}/#/packageGroup/pages/mine/index?status=SUCCESS`);
    const mine = visible(a, '.e2e-my-group');
    await mine.waitFor({ timeout: 30_000 });
    expect(await mine.textContent()).toContain('团长价 ¥34.90');
    await shot(a, 'a-my-groups');
    expect(failedRequests).toEqual([]);
  });
});
