import { afterAll, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { openBrowser } from './browser';

/**
 * One test file's shop: a fresh local stack (demo data in memory, the built H5 app, no timer jobs) and a phone-sized
 * browser, started before the file's tests and stopped after them. Read `shop.stack` / `shop.page` inside the tests.
 */
export function shopInBrowser(): { readonly stack: Stack; readonly page: Page } {
  let stack: Stack | undefined;
  let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
  beforeAll(async () => {
    // Builds the H5 app first when no build exists, which takes minutes on a busy machine.
    stack = await startStack({ dataDir: null, web: true, rebuildH5: false, jobs: false });
    browser = await openBrowser();
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  return {
    get stack() {
      return stack!;
    },
    get page() {
      return browser!.page;
    },
  };
}

/** Waits until each path answers `status` (the local API bundles each function on its first call: slow when busy). */
export async function untilLoaded(web: string, paths: string[], status = 200, init?: RequestInit): Promise<void> {
  for (const path of paths) {
    await expect.poll(async () => (await fetch(`${web}${path}`, init).catch(() => null))?.status, { timeout: 240_000, interval: 2_000 }).toBe(status);
  }
}

/** Taro's H5 keeps earlier pages in the DOM, hidden: only ever act on what is visible. */
export const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`).first();

/** Page errors and failed API calls go to the test log, so a failure explains itself. */
export function watchPage(page: Page): void {
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('response', async (r) => {
    if (r.url().includes('/v1/') && r.status() >= 400) console.error('API', r.status(), r.url(), (await r.text().catch(() => '')).slice(0, 300));
  });
}

/** 首页 → 我的 → 登录 → 选择演示用户 (小明, or the demo shopper named). */
export async function loginAsDemoShopper(page: Page, webUrl: string, who = { code: 'demo-xiaoming', nickname: '小明' }): Promise<void> {
  await page.goto(`${webUrl}/#/pages/index/index`);
  await visible(page, '.e2e-product-card').waitFor({ timeout: 60_000 });
  await page.getByText('我的', { exact: true }).last().click();
  await visible(page, '.e2e-login-button').click();
  await visible(page, '.e2e-demo-user').waitFor();
  await visible(page, `.e2e-demo-user[data-code="${who.code}"]`).click();
  await expect.poll(() => visible(page, '.e2e-user-nickname').textContent(), { timeout: 15_000 }).toBe(who.nickname);
  // The login page returns to where it came from a moment after success: let that navigation finish before the
  // story goes elsewhere, or it would pop the next page.
  await expect.poll(() => page.url(), { timeout: 15_000 }).not.toContain('/packageUser/pages/login');
  await page.waitForTimeout(800);
}

/** On 确认订单 with no address yet: open the form, fill it, save; back on checkout with the address chosen. */
export async function addAddressAtCheckout(page: Page): Promise<void> {
  await visible(page, '.e2e-address-card').waitFor();
  await visible(page, '.e2e-address-card').click();
  await visible(page, '.e2e-address-name input').waitFor();
  await visible(page, '.e2e-address-name input').fill('王小明');
  await visible(page, '.e2e-address-phone input').fill('13800138000');
  await pickRegion(page, ['上海市', '上海市', '浦东新区']);
  await visible(page, '.e2e-address-detail textarea').fill('世纪大道 100 号 8 楼');
  await visible(page, '.e2e-address-save').click();
  await visible(page, '.e2e-payable').waitFor();
  await expect.poll(() => visible(page, '.e2e-address-card').textContent()).toContain('王小明');
}

/** On the address form: 所在地区 → the 省, 市 and 区 in the picker. */
export async function pickRegion(page: Page, names: [string, string, string]): Promise<void> {
  await visible(page, '.e2e-address-region').click();
  // The picker keeps one pane per level side by side and slides to the next: only the items of the level whose tab
  // is active are the ones a shopper can tap (上海市 is both a 省 and a 市). The panes carry no state of their own;
  // the tab titles do (nut-tabs-titles-item-active), in the panes' order.
  const picker = visible(page, '.nut-cascader');
  await picker.waitFor();
  const activeLevel = () =>
    picker.locator('.nut-tabs-titles-item').evaluateAll((tabs) => tabs.findIndex((t) => t.classList.contains('nut-tabs-titles-item-active')));
  for (const [level, name] of names.entries()) {
    await expect.poll(activeLevel).toBe(level);
    await picker
      .locator('.nut-tabpane')
      .nth(level)
      .locator('.nut-cascader-item', { hasText: new RegExp(`^\\s*${name}\\s*$`) })
      .first()
      .click();
  }
  await expect.poll(() => visible(page, '.e2e-address-region-text').textContent()).toBe(names.join(' '));
}

/**
 * On the 模拟支付 sheet: 确认支付; 支付结果 reads the server until it says 支付成功, then 查看订单 shows the order
 * as the server has it: 待发货.
 */
export async function payInSandboxAndSeePaid(page: Page): Promise<void> {
  await visible(page, '.e2e-sandbox-pay').click();
  await visible(page, '.e2e-pay-success').waitFor({ timeout: 30_000 });
  await visible(page, '.e2e-pay-view-order').click();
  const status = visible(page, '.e2e-order-status');
  await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('PAID');
  expect(await status.textContent()).toContain('待发货');
}

/** One call of the shop's HTTP API as the app makes it; throws with the status and body on anything but 2xx. */
export async function callApi<T = any>(apiUrl: string, method: string, route: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${apiUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** 小明 (or the demo shopper named) logged in through the API, with a default address in 上海. */
export async function demoShopperWithAddress(apiUrl: string, code = 'demo-xiaoming'): Promise<{ token: string; addressId: string }> {
  const { token } = await callApi<{ token: string }>(apiUrl, 'POST', '/v1/auth/login', null, { code });
  const address = await callApi<{ id: string }>(apiUrl, 'POST', '/v1/addresses', token, {
    name: '王小明',
    phone: '13800138000',
    province: '上海市',
    city: '上海市',
    district: '浦东新区',
    detail: '世纪大道 100 号 8 楼',
    isDefault: true,
  });
  return { token, addressId: address.id };
}
