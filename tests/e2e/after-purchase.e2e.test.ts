import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { stepShots } from './browser';
import { callApi, demoShopperWithAddress, loginAsDemoShopper, shopInBrowser, untilLoaded, visible, watchPage } from './steps';

/**
 * After the purchase, in a real browser against the whole local shop, with the operator at a terminal:
 * 1. 小明's paid order is shipped with `npm run ops -- ship`; he follows the parcel on the order page while the
 *    快递100 twin walks its timeline (its clock moved on by two days), confirms receipt, writes a review with a photo
 *    he picks from the phone (uploaded straight to the object store), and the product page shows it with the photo.
 * 2. A second order, shipped the same way, gets a 退货退款 request with a photo; the operator approves it with
 *    `npm run ops -- approve`, 小明 enters the return parcel, the operator marks it received with `npm run ops --
 *    receive`, and the request ends at 已退款 with the whole line's amount back, as the order page says too.
 * Screenshots per step land in artifacts/e2e/after-purchase-review/ and after-purchase-return/.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const REVIEWED = 'p-powerbank-01';
const RETURNED = 'p-lipstick-01';
const HOUR = 3600 * 1000;

const shop = shopInBrowser();
const run = promisify(execFile);

/** `npm run ops -- <args>` against this test's shop, as an operator runs it (the local operator key of its data folder). */
async function ops(...args: string[]): Promise<string> {
  const env = { ...process.env, OPS_API_URL: shop.stack.apiUrl, SHOP_DATA_DIR: path.dirname(shop.stack.env.LOCAL_SECRETS_FILE!) };
  const { stdout } = await run('npx', ['tsx', 'scripts/ops.ts', ...args], { cwd: ROOT, env, timeout: 120_000 });
  return stdout;
}

const api = <T = any>(method: string, route: string, token: string | null, body?: unknown) => callApi<T>(shop.stack.apiUrl, method, route, token, body);

let session: Promise<{ token: string; addressId: string }> | undefined;
/** 小明's session and address, made once through the API as the app would. */
const xiaoming = () => (session ??= demoShopperWithAddress(shop.stack.apiUrl));

/** One unit of the product bought and paid for through the sandbox: the order id and what was paid. */
async function paidOrder(productId: string): Promise<{ id: string; paidFen: number; skuId: string }> {
  const { token, addressId } = await xiaoming();
  const product = await api<{ skus: { id: string; stock: number }[] }>('GET', `/v1/products/${productId}`, null);
  const skuId = product.skus.find((s) => s.stock > 0)!.id;
  const order = await api<{ id: string }>('POST', '/v1/orders', token, {
    idempotencyKey: crypto.randomUUID().replaceAll('-', ''),
    source: { type: 'buyNow', productId, skuId, quantity: 1 },
    addressId,
  });
  const pay = await api<{ prepayId: string }>('POST', `/v1/orders/${order.id}/pay`, token);
  await api('POST', '/v1/sandbox/pay', token, { prepayId: pay.prepayId, action: 'pay' });
  let paidFen = 0;
  await expect
    .poll(
      async () => {
        const o = await api<{ status: string; paidFen: number | null }>('GET', `/v1/orders/${order.id}`, token);
        paidFen = o.paidFen ?? 0;
        return o.status;
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe('PAID');
  return { id: order.id, paidFen, skuId };
}

/** Opens a page of the app by its route (a fresh load, so it shows what the server has now). */
async function open(page: Page, route: string) {
  await page.goto(`${shop.stack.webUrl}/#/${route}`);
  await page.reload();
}

/** A photo as a phone would hand it over: a PNG of what is on screen. */
async function phonePhoto(page: Page, name: string) {
  const buffer = await page.screenshot({ clip: { x: 0, y: 0, width: 240, height: 240 } });
  return { name, mimeType: 'image/png', buffer };
}

/** Clicks what opens the photo picker and hands it one photo. */
async function pickPhoto(page: Page, opener: string, name: string) {
  const photo = await phonePhoto(page, name);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), visible(page, opener).click()]);
  await chooser.setFiles(photo);
}

/** Every image shown under `selector` has loaded real pixels. */
async function imagesLoaded(page: Page, selector: string): Promise<number[]> {
  return page.locator(`${selector} img`).evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
}

describe('after the purchase, in the H5 app and at the operator terminal', () => {
  it('ships from npm run ops, follows the parcel, confirms receipt, reviews with a photo and sees it on the product page', async () => {
    const { page } = shop;
    const shot = stepShots('after-purchase-review');
    watchPage(page);
    const web = shop.stack.webUrl!;
    await untilLoaded(web, ['/v1/products?limit=1', `/v1/products/${REVIEWED}`, `/v1/products/${REVIEWED}/reviews/summary`]);
    const order = await paidOrder(REVIEWED);

    // The operator lists what is to ship and ships it with a 顺丰 number.
    expect(await ops('orders')).toContain(order.id);
    const shipped = await ops('ship', '--order', order.id, '--carrier', 'shunfeng', '--no', 'SF1400012345678');
    expect(shipped).toContain(`订单 ${order.id} 已发货`);

    await loginAsDemoShopper(page, web);
    await open(page, `packageOrder/pages/detail/index?id=${order.id}`);
    await expect.poll(() => visible(page, '.e2e-order-status').textContent(), { timeout: 30_000 }).toContain('待收货');
    const parcel = visible(page, '.e2e-parcel');
    await expect.poll(() => parcel.textContent(), { timeout: 30_000 }).toContain('顺丰速运 SF1400012345678');
    // 联系客服 on the order page: the hours and phone of the shop's configuration.
    await visible(page, '.e2e-service-entry').click();
    await expect.poll(() => visible(page, '.e2e-service-entry').textContent(), { timeout: 30_000 }).toContain('400-000-8888');
    await shot(page, 'shipped');

    // Two days on: the 快递100 twin pushes 揽收 → 运输中 → 派送中 → 已签收 to the shop, signed as 快递100 signs.
    Object.assign(process.env, shop.stack.env);
    const { sandboxLogistics } = await import('../../functions/src/providers/logistics/index');
    expect(await (await sandboxLogistics()).advance(Date.now() + 45 * HOUR)).toBeGreaterThan(0);
    await expect
      .poll(
        async () => {
          await open(page, `packageOrder/pages/detail/index?id=${order.id}`);
          await visible(page, '.e2e-parcel').waitFor({ timeout: 30_000 });
          return visible(page, '.e2e-parcel-stage').textContent();
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe('已签收');
    const steps = await visible(page, '.e2e-parcel').textContent();
    for (const words of ['揽收', '运输中', '派送中', '已签收']) expect(steps).toContain(words);
    await expect.poll(() => visible(page, '.e2e-auto-receipt').textContent()).toMatch(/自动确认收货/);
    await shot(page, 'delivered');

    // 确认收货 → 已完成, and the line can be reviewed.
    await visible(page, '.e2e-confirm-receipt').click();
    await visible(page, '.taro-modal__content').waitFor();
    await visible(page, '.taro-model__confirm').click();
    await expect.poll(() => visible(page, '.e2e-order-status').textContent(), { timeout: 30_000 }).toContain('已完成');
    // Received now: returns can be asked for during the after-sales window, and the page says until when.
    expect(await visible(page, '.e2e-after-sale-until').textContent()).toMatch(/^可申请至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await visible(page, '.e2e-write-review').click();

    // 发表评价: 4 stars, words, a photo from the phone.
    await visible(page, '.e2e-review-text').waitFor({ timeout: 30_000 });
    await visible(page, '.e2e-review-stars .e2e-star-4').click();
    await visible(page, '.e2e-review-text textarea').fill('电量很足，出差带着刚好，做工也扎实');
    await pickPhoto(page, '.e2e-review-add-photo', 'powerbank.png');
    await expect.poll(() => page.locator('.e2e-review-photo:visible').count(), { timeout: 60_000 }).toBe(1);
    await shot(page, 'review');
    await visible(page, '.e2e-review-submit').click();
    await expect.poll(() => page.getByText('评价成功').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // The product page: the review, its stars and its photo, loaded from the object store.
    await open(page, `packageProduct/pages/detail/index?id=${REVIEWED}`);
    const section = visible(page, '.e2e-review-section');
    await expect.poll(() => section.textContent(), { timeout: 60_000 }).toContain('电量很足，出差带着刚好，做工也扎实');
    await section.scrollIntoViewIfNeeded();
    const review = page.locator('.e2e-review-section:visible .e2e-review').filter({ hasText: '电量很足' }).first();
    await expect.poll(() => imagesLoaded(page, `.e2e-review-section:visible .e2e-review:has-text("电量很足") .review-photos`), { timeout: 30_000 }).toEqual([
      expect.any(Number),
    ]);
    expect((await imagesLoaded(page, `.e2e-review-section:visible .e2e-review:has-text("电量很足") .review-photos`))[0]).toBeGreaterThan(0);
    expect(await review.locator('.review-stars__off').textContent()).toBe('★');
    await shot(page, 'product-page');
  });

  it('requests a return with a photo and follows it to 已退款 while the operator approves and receives it', async () => {
    const { page } = shop;
    const shot = stepShots('after-purchase-return');
    const order = await paidOrder(RETURNED);
    await ops('ship', '--order', order.id, '--carrier', 'zhongtong', '--no', '78812345678901');

    // 申请售后 on the shipped order: 退货退款, a reason, a photo of the problem.
    await open(page, `packageOrder/pages/detail/index?id=${order.id}`);
    await expect.poll(() => visible(page, '.e2e-order-status').textContent(), { timeout: 30_000 }).toContain('待收货');
    await visible(page, '.e2e-apply-after-sale').click();
    await visible(page, '.e2e-after-sale-type[data-type="RETURN_REFUND"]').click();
    await visible(page, '.e2e-after-sale-reason').click();
    await visible(page, '.e2e-after-sale-description textarea').fill('颜色和图片差别很大');
    await pickPhoto(page, '.e2e-after-sale-add-photo', 'lipstick.png');
    await expect.poll(() => visible(page, '.e2e-after-sale-add-photo').textContent(), { timeout: 60_000 }).toContain('1/6');
    await shot(page, 'request');
    await visible(page, '.e2e-after-sale-submit').click();
    const state = () => visible(page, '.e2e-after-sale-state').textContent();
    await expect.poll(state, { timeout: 30_000 }).toBe('申请中');
    const afterSaleId = new URLSearchParams(page.url().split('?')[1]).get('id')!;
    expect(afterSaleId).toMatch(new RegExp(`^${order.id}-\\d+$`));
    // What the request page says after the operator acted (opened afresh, so it reads the server's state).
    const stateOnReopen = async () => {
      await open(page, `packageAfterSale/pages/detail/index?id=${afterSaleId}`);
      return state();
    };

    // The operator sees it and approves it: 待退货 with the address to send the goods to.
    expect(await ops('after-sales')).toContain(afterSaleId);
    await ops('approve', '--id', afterSaleId);
    await expect.poll(stateOnReopen, { timeout: 30_000, interval: 1_000 }).toBe('待退货');
    expect(await visible(page, '.e2e-after-sale-address').textContent()).toContain('退货地址');

    // 小明 sends it back and enters the parcel.
    const inputs = page.locator('.e2e-after-sale-ship:visible input');
    await inputs.nth(0).fill('顺丰速运');
    await inputs.nth(1).fill('SF1400098765432');
    await visible(page, '.e2e-after-sale-ship-submit').click();
    await expect.poll(state, { timeout: 30_000 }).toBe('退货中');
    await shot(page, 'returning');

    // The goods arrive: the operator marks them received, the refund goes back the way it was paid.
    await ops('receive', '--id', afterSaleId);
    await expect.poll(stateOnReopen, { timeout: 90_000, interval: 2_000 }).toBe('已退款');
    const yuan = `¥${(order.paidFen / 100).toFixed(2)}`;
    expect(await visible(page, '.e2e-after-sale-refund').textContent()).toBe(yuan);
    expect(await visible(page, '.e2e-after-sale-timeline').textContent()).toContain('已原路退回');
    await shot(page, 'refunded');

    await open(page, `packageOrder/pages/detail/index?id=${order.id}`);
    await expect.poll(() => visible(page, '.e2e-refunded-total').textContent(), { timeout: 30_000 }).toContain(yuan);
    await shot(page, 'order-refunded');
  });
});
