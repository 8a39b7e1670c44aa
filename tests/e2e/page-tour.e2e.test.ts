import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { SHOTS, openBrowser } from './browser';
import { callApi, demoShopperWithAddress, loginAsDemoShopper } from './steps';

/**
 * The page tour: every page of miniapp/src/app.config.ts (read from the file, so a page added there is visited too),
 * at 390×844, first as a visitor and then logged in as 小明, with real ids from the demo data where a page needs one
 * (a product, an order, a group). One screenshot per page and pass in artifacts/e2e/pages/. The test fails, listing
 * every page's problems at once, on:
 *  - a console error or an uncaught page error;
 *  - a failed request (4xx/5xx, or a network failure), except 401 while logged out;
 *  - visible text that looks like an enum code (USER_CANCELLED, PENDING_PAY…) instead of Chinese;
 *  - a price or title whose content overflows its box (elements with class `price`, `e2e-price` or `e2e-title`; text
 *    cut with an ellipsis on purpose is not overflow).
 */

/** Upper-case words that are real text, not codes. Keep it short and explain each one. */
const TEXT_ALLOW_LIST: string[] = [];
const ENUM_LIKE = /\b[A-Z][A-Z_]{3,}\b/g;

const GROUP_CAMPAIGN = 'nuts-group-3';
const GROUP_PRODUCT = 'p-nuts-01';
const GROUP_SKU = 'sku-nuts-01-classic-15';
const PRODUCT = 'p-powerbank-01';

interface DemoIds {
  productId: string;
  skuId: string;
  orderId: string;
  groupToken: string;
}

/** The query each page needs to show something real; a page not listed here is opened without one. */
function queryFor(route: string, ids: DemoIds): Record<string, string> {
  const byRoute: Record<string, Record<string, string>> = {
    'packageProduct/pages/detail/index': { id: ids.productId },
    'packageOrder/pages/detail/index': { id: ids.orderId },
    'packageOrder/pages/result/index': { id: ids.orderId },
    'packageOrder/pages/checkout/index': { source: 'buyNow', productId: ids.productId, skuId: ids.skuId, quantity: '1' },
    'packageGroup/pages/landing/index': { t: ids.groupToken },
    'packageGroup/pages/buy/index': { campaignId: GROUP_CAMPAIGN, skuId: GROUP_SKU, productId: GROUP_PRODUCT },
  };
  return byRoute[route] ?? {};
}

/** Every page route of the mini-program, main package first, as app.config.ts lists them. */
async function appPages(): Promise<string[]> {
  const g = globalThis as { defineAppConfig?: (c: unknown) => unknown };
  g.defineAppConfig = (c) => c;
  const config = (await import('../../miniapp/src/app.config')).default as unknown as {
    pages: string[];
    subPackages?: { root: string; pages: string[] }[];
  };
  return [...config.pages, ...(config.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];
}

let stack: Stack;
let browser: Awaited<ReturnType<typeof openBrowser>>;
const OUT = path.join(SHOTS, 'pages');

const api = <T = any>(method: string, route: string, token: string | null, body?: unknown) => callApi<T>(stack.apiUrl, method, route, token, body);

const key = () => crypto.randomUUID().replaceAll('-', '');

/** 小明's order (unpaid) and a group he started and paid for, made through the API as the app would. */
async function demoData(): Promise<DemoIds> {
  const { token, addressId } = await demoShopperWithAddress(stack.apiUrl);
  const product = await api<{ skus: { id: string; stock: number }[] }>('GET', `/v1/products/${PRODUCT}`, null);
  const skuId = product.skus.find((s) => s.stock > 0)!.id;
  const order = await api<{ id: string }>('POST', '/v1/orders', token, {
    idempotencyKey: key(),
    source: { type: 'buyNow', productId: PRODUCT, skuId, quantity: 1 },
    addressId,
  });
  const groupOrder = await api<{ id: string }>('POST', '/v1/groups/orders', token, {
    idempotencyKey: key(),
    campaignId: GROUP_CAMPAIGN,
    skuId: GROUP_SKU,
    addressId,
  });
  const pay = await api<{ prepayId: string }>('POST', `/v1/orders/${groupOrder.id}/pay`, token);
  const paid = await api<{ delivered: boolean; notifyStatus: number | null }>('POST', '/v1/sandbox/pay', token, { prepayId: pay.prepayId, action: 'pay' });
  expect(paid.delivered && paid.notifyStatus !== null && paid.notifyStatus < 300, `group order payment: ${JSON.stringify(paid)}`).toBe(true);
  let groupToken = '';
  await expect
    .poll(
      async () => {
        const mine = await api<{ items: { token: string; orderId: string }[] }>('GET', '/v1/groups/mine', token);
        groupToken = mine.items.find((g) => g.orderId === groupOrder.id)?.token ?? '';
        return groupToken;
      },
      // The group's seat is taken by the table's stream a moment after the payment: slow on a busy machine.
      { timeout: 120_000, interval: 1_000 },
    )
    .not.toBe('');
  return { productId: PRODUCT, skuId, orderId: order.id, groupToken };
}

/** What the page shows that it should not, measured in the browser. */
async function pageFindings(page: Page): Promise<{ codes: string[]; overflows: string[] }> {
  const { text, overflows } = await page.evaluate(() => {
    // Taro's H5 keeps earlier pages in the DOM, hidden: innerText skips what is not rendered.
    // Codes the shopper is meant to read and copy (邀请码) are marked .e2e-code: what they say is not a leak.
    const meant = Array.from(document.querySelectorAll<HTMLElement>('.e2e-code'), (el) => el.innerText);
    const body = meant.reduce((t, code) => (code ? t.split(code).join(' ') : t), document.body.innerText);
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.price, .e2e-price, .e2e-title'))) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      // Clipped away by a box that scrolls or hides its overflow (the next slide of a carousel): not shown, not checked.
      let clipped = false;
      for (let a = el.parentElement; a && !clipped; a = a.parentElement) {
        if (getComputedStyle(a).overflowX === 'visible') continue;
        const box = a.getBoundingClientRect();
        clipped = rect.left >= box.right - 1 || rect.right <= box.left + 1;
      }
      if (clipped) continue;
      const label = `${el.className.split(' ').find((c) => c.startsWith('e2e-') || c.includes('price') || c.includes('title')) ?? el.tagName} "${(el.textContent ?? '').trim().slice(0, 24)}"`;
      if (style.display.startsWith('inline') && style.display !== 'inline-block' && style.display !== 'inline-flex') {
        // An inline price has no box of its own: it must stay inside its parent's.
        const parent = el.parentElement?.getBoundingClientRect();
        if (parent && (rect.right > parent.right + 1 || rect.right > window.innerWidth + 1)) out.push(`${label} runs out of its line`);
        continue;
      }
      const cutOnPurpose = style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none';
      if (!cutOnPurpose && el.scrollWidth > el.clientWidth + 1) out.push(`${label} overflows its box (${el.scrollWidth} > ${el.clientWidth} px)`);
      if (rect.right > window.innerWidth + 1) out.push(`${label} goes past the screen's edge`);
    }
    return { text: body, overflows: out };
  });
  const codes = [...new Set([...text.matchAll(ENUM_LIKE)].map((m) => m[0]))].filter((w) => !TEXT_ALLOW_LIST.includes(w));
  return { codes, overflows };
}

beforeAll(async () => {
  stack = await startStack({ dataDir: null, web: true, rebuildH5: true, jobs: false });
  browser = await openBrowser();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('every page, logged out and logged in, has no console error, failed request, code-like text or overflowing price or title', async () => {
  const routes = await appPages();
  expect(routes.length).toBeGreaterThanOrEqual(16);
  const ids = await demoData();
  const { page } = browser;
  const problems: string[] = [];

  // What goes wrong while a page is showing is charged to it.
  let current = '(start)';
  let loggedIn = false;
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${current}: console error: ${m.text().slice(0, 200)}`);
  });
  page.on('pageerror', (e) => problems.push(`${current}: page error: ${e.message.slice(0, 200)}`));
  page.on('response', (r) => {
    if (r.status() < 400) return;
    if (r.status() === 401 && !loggedIn) return;
    problems.push(`${current}: ${r.status()} ${r.request().method()} ${r.url().replace(stack.webUrl!, '')}`);
  });
  page.on('requestfailed', (r) => {
    const failure = r.failure()?.errorText ?? '';
    // A navigation away cancels what the previous page was still loading: not a failure of the shop.
    if (failure.includes('ERR_ABORTED')) return;
    problems.push(`${current}: request failed: ${r.method()} ${r.url().replace(stack.webUrl!, '')} (${failure})`);
  });

  const visit = async (pass: 'out' | 'in') => {
    for (const route of routes) {
      const query = new URLSearchParams(queryFor(route, ids)).toString();
      const name = `${pass}-${route.replace(/\/index$/, '').replace(/\/pages\//, '-').replace(/\//g, '-')}`;
      current = `[${pass === 'in' ? '已登录' : '未登录'}] ${route}${query ? `?${query}` : ''}`;
      // A fresh document per page: nothing from the page before (its timers, its requests) is charged to this one.
      await page.goto('about:blank');
      await page.goto(`${stack.webUrl}/#/${route}${query ? `?${query}` : ''}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(600);
      await page.screenshot({ path: path.join(OUT, `${name}.png`) });
      const { codes, overflows } = await pageFindings(page);
      for (const c of codes) problems.push(`${current}: shows the code-like text "${c}"`);
      for (const o of overflows) problems.push(`${current}: ${o}`);
    }
  };

  await visit('out');
  await loginAsDemoShopper(page, stack.webUrl!);
  loggedIn = true;
  await visit('in');

  expect(problems, `page tour problems:\n${problems.join('\n')}`).toEqual([]);
});
