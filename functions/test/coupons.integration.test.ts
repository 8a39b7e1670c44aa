import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { campaignFolder, freshTable, TEST_APP_ID, TEST_MCH_ID } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { buildNotification } from '../../tests/support/notifications';
import { shopper, stockOf, testProduct, type Shopper } from '../../tests/support/shop';
import { db, table } from '../src/lib/dynamo';
import { keys } from '../src/repositories/keys';
import { couponRepo } from '../src/repositories/coupon-repo';
import { orderRepo } from '../src/repositories/order-repo';
import { userRepo } from '../src/repositories/user-repo';
import { expireOrder } from '../src/services/payment';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import * as coupons from '../src/handlers/coupons';
import * as campaigns from '../src/handlers/campaigns';
import * as orders from '../src/handlers/orders';
import * as cartApi from '../src/handlers/cart';
import { notify } from '../src/handlers/pay-notify';
import { paymentRepo } from '../src/repositories/payment-repo';
import { drainReactions } from '../../tests/support/stream';

/** The campaigns this file runs under (written to a folder of its own, never campaigns/local). */
const COUPONS_YAML = `
couponTemplates:
  - { id: tpl-one-left, name: 最后一张券, kind: no_threshold, offFen: 300, validity: { type: days_after_claim, days: 7 }, totalStock: 1 }
  - id: tpl-limit-2
    name: 满50减5
    kind: fixed
    thresholdFen: 5000
    offFen: 500
    validity: { type: window, start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    totalStock: 1000
    perUserLimit: 2
  - id: tpl-test-10
    name: 满50减10
    kind: fixed
    thresholdFen: 5000
    offFen: 1000
    validity: { type: window, start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    totalStock: 100000
    perUserLimit: 100
  - { id: tpl-new-5, name: 新人无门槛券, kind: no_threshold, offFen: 500, validity: { type: days_after_claim, days: 7 }, totalStock: 100000 }
  - { id: tpl-regulars, name: 老客专享券, kind: no_threshold, offFen: 800, validity: { type: days_after_claim, days: 7 }, totalStock: 100 }
campaigns:
  - id: test-claim-center
    name: 领券中心
    type: coupon_drop
    trigger: claim_center
    templateIds: [tpl-one-left, tpl-limit-2, tpl-test-10]
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
  - id: test-regulars
    name: 老客回馈
    type: coupon_drop
    trigger: claim_center
    templateIds: [tpl-regulars]
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    targeting: { newUsers: false }
  - id: test-new-user
    name: 新人礼包
    type: coupon_drop
    trigger: new_user_gift
    templateIds: [tpl-new-5]
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    targeting: { returning: false }
`;

const PROMOTIONS_YAML = `
campaigns:
  - id: test-flash
    name: 测试秒杀
    type: flash_sale
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    items:
      - { productId: p-flash-hot, skuId: sku-flash-hot-sku0, priceFen: 990, quota: 10, perUserLimit: 10 }
      - { productId: p-flash-limit, skuId: sku-flash-limit-sku0, priceFen: 1990, quota: 100, perUserLimit: 1 }
      - { productId: p-flash-mix, skuId: sku-flash-mix-sku0, priceFen: 990, quota: 100, perUserLimit: 5 }
  - id: test-manjian
    name: 测试满减
    type: spend_and_save
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    tiers:
      - { thresholdFen: 10000, offFen: 1000 }
      - { thresholdFen: 20000, offFen: 3000 }
    scope: { productIds: [p-promo-1] }
`;

let env: Record<string, string>;
const wechatKeys = () => ({ apiV3Key: env.WXPAY_API_V3_KEY, platformPrivateKey: env.SANDBOX_PLATFORM_PRIVATE_KEY, platformSerial: env.SANDBOX_PLATFORM_SERIAL });

beforeAll(async () => {
  ({ env } = await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'coupons.yaml': COUPONS_YAML, 'promotions.yaml': PROMOTIONS_YAML }) }));
});

/** Logs shoppers in a few at a time (each sign-up also claims its new-user coupon). */
async function shoppers(prefix: string, n: number): Promise<Shopper[]> {
  const out: Shopper[] = [];
  for (let i = 0; i < n; i += 25) out.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, (_, k) => shopper(`${prefix}-${i + k}`)))));
  return out;
}

async function claim(s: Shopper, templateId: string) {
  return call(coupons.claimCoupon, { token: s.token, body: { templateId } });
}

async function claimOne(s: Shopper, templateId: string): Promise<string> {
  const r = await claim(s, templateId);
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const couponOf = async (userId: string, couponId: string) =>
  (await db().send(new GetCommand({ TableName: table(), Key: keys.coupon(userId, couponId), ConsistentRead: true }))).Item;

function checkout(s: Shopper, productId: string, skuId: string, quantity = 1, couponIds?: string[]) {
  return call(orders.createOrder, {
    token: s.token,
    body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId, skuId, quantity }, addressId: s.addressId, ...(couponIds ? { couponIds } : {}) },
  });
}

/** The shopper pays at WeChat (sandbox) at `at`; the notification is delivered now, as WeChat would. */
async function pay(order: { id: string; payableFen: number; deadlineAt: number }, s: Shopper, at = Date.now()) {
  const sandbox = await sandboxWechatPay();
  const openid = (await userRepo.get(s.userId))!.openid;
  const { prepayId } = await sandbox.createJsapiPrepay({ outTradeNo: order.id, description: '测试', amountFen: order.payableFen, payerOpenid: openid, timeExpireAt: Math.max(order.deadlineAt, at + 120_000) });
  await sandbox.simulateUserPayment(prepayId, 'pay', at, openid);
  const transactionId = (await sandbox.queryByOutTradeNo(order.id)).transactionId!;
  const n = buildNotification({ outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID, transactionId }, wechatKeys());
  const res = await notify({ headers: n.headers, body: n.body, isBase64Encoded: false, requestContext: { requestId: 'wx' } }, { getRemainingTimeInMillis: () => 10_000 } as never);
  expect(res.statusCode).toBe(204);
}

describe('claiming coupons', () => {
  it('gives the last coupon of a template to exactly one of 64 concurrent claimers', async () => {
    const people = await shoppers('last', 64);
    const results = await Promise.all(people.map((s) => claim(s, 'tpl-one-left')));
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.code).toBe('COUPON_SOLD_OUT');
    const held = (await Promise.all(people.map((s) => couponRepo.listForUser(s.userId)))).flat().filter((c) => c.templateId === 'tpl-one-left');
    expect(held).toHaveLength(1);
    const stock = await db().send(new GetCommand({ TableName: table(), Key: keys.couponTemplateStock('tpl-one-left'), ConsistentRead: true }));
    expect(stock.Item?.claimed).toBe(1);
  });

  it('lets one shopper claim a limit-2 coupon exactly twice under 50 concurrent taps', async () => {
    const s = await shopper('greedy');
    const results = await Promise.all(Array.from({ length: 50 }, () => claim(s, 'tpl-limit-2')));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body).toMatchObject({ code: 'COUPON_LIMIT_REACHED', message: '每人限领 2 张' });
    const mine = await call(coupons.myCoupons, { token: s.token, query: { status: 'UNUSED' } });
    expect(mine.body.items.filter((c: any) => c.templateId === 'tpl-limit-2')).toHaveLength(2);
    expect(mine.body.items.find((c: any) => c.templateId === 'tpl-limit-2')).toMatchObject({
      label: '满50减5', scopeLabel: '全场通用', status: 'UNUSED', statusLabel: '未使用', orderId: null,
    });
  });

  it('lists 领券中心 with the stock left, my claims, and why a coupon cannot be claimed', async () => {
    const s = await shopper('center');
    await claimOne(s, 'tpl-limit-2');
    const center = await call(coupons.couponCenter, { token: s.token });
    expect(center.status).toBe(200);
    const byId = Object.fromEntries(center.body.items.map((c: any) => [c.templateId, c]));
    expect(byId['tpl-one-left']).toMatchObject({ remaining: 0, totalStock: 1, canClaim: false, reason: '已领完' });
    expect(byId['tpl-limit-2']).toMatchObject({ claimedByMe: 1, perUserLimit: 2, canClaim: true, reason: null, label: '满50减5', validityLabel: '2026-01-01 00:00 至 2030-01-01 00:00' });
    expect(byId['tpl-regulars']).toMatchObject({ canClaim: false, reason: '仅限老用户' });
    expect(byId['tpl-new-5']).toBeUndefined(); // handed out on sign-up, not in the centre
    // A visitor sees the centre too (claiming asks them to log in).
    const visitor = await call(coupons.couponCenter, {});
    expect(visitor.status).toBe(200);
    expect(visitor.body.items.find((c: any) => c.templateId === 'tpl-limit-2')).toMatchObject({ claimedByMe: 0, canClaim: true });
  });

  it('refuses a template that is unknown, not in the claim centre, or targeted at others', async () => {
    const s = await shopper('refused');
    expect((await claim(s, 'tpl-nope')).body.code).toBe('COUPON_NOT_FOUND');
    expect((await claim(s, 'tpl-new-5')).body.code).toBe('COUPON_NOT_CLAIMABLE');
    const regulars = await claim(s, 'tpl-regulars');
    expect(regulars).toMatchObject({ status: 409, body: { code: 'COUPON_NOT_CLAIMABLE', message: '该优惠券暂不可领取：仅限老用户' } });
    expect((await call(coupons.claimCoupon, { body: { templateId: 'tpl-limit-2' } })).status).toBe(401);
  });

  it('hands the new-user coupon to a shopper once, when the account is created', async () => {
    const s = await shopper('newbie');
    const again = await call((await import('../src/handlers/auth')).login, { body: { code: 'demo-newbie' } });
    expect(again.body.isNewUser).toBe(false);
    const mine = await call(coupons.myCoupons, { token: s.token });
    expect(mine.body.items.filter((c: any) => c.templateId === 'tpl-new-5')).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ label: '无门槛减5', status: 'UNUSED' });
    expect(mine.body.items[0].validTo - mine.body.items[0].validFrom).toBe(7 * 24 * 3600 * 1000);
  });
});

describe('checkout with a coupon', () => {
  it('lets exactly one of 50 concurrent checkouts naming the same coupon use it; the others are refused', async () => {
    const [sku] = await testProduct('p-race-1', 100, 6000);
    const s = await shopper('race');
    const couponId = await claimOne(s, 'tpl-test-10');
    const results = await Promise.all(Array.from({ length: 50 }, () => checkout(s, 'p-race-1', sku, 1, [couponId])));
    const placed = results.filter((r) => r.status === 201);
    expect(placed).toHaveLength(1);
    expect(placed[0].body).toMatchObject({ couponIds: [couponId], discountFen: 1000, payableFen: 6000 - 1000 + 1000 });
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.code).toBe('COUPON_NOT_USABLE');
    expect(await couponOf(s.userId, couponId)).toMatchObject({ status: 'LOCKED', orderId: placed[0].body.id });
    expect(await stockOf('p-race-1', sku)).toEqual({ stock: 99, sold: 1 });
  });

  it('gives the coupon back exactly once when the order is cancelled 10 times at once, and it works again', async () => {
    const [sku] = await testProduct('p-cancel-c', 10, 6000);
    const s = await shopper('cancel-c');
    const couponId = await claimOne(s, 'tpl-test-10');
    const first = await checkout(s, 'p-cancel-c', sku, 1, [couponId]);
    expect(first.status).toBe(201);
    const mine = await call(coupons.myCoupons, { token: s.token, query: { status: 'UNUSED' } });
    expect(mine.body.items.find((c: any) => c.id === couponId)).toMatchObject({ status: 'LOCKED', statusLabel: '使用中', orderId: first.body.id });
    const cancels = await Promise.all(Array.from({ length: 10 }, () => call(orders.cancelOrder, { token: s.token, params: { orderId: first.body.id } })));
    expect(cancels.every((r) => r.status === 200 && r.body.status === 'CANCELLED')).toBe(true);
    expect(await couponOf(s.userId, couponId)).toMatchObject({ status: 'UNUSED', orderId: null });
    expect(await stockOf('p-cancel-c', sku)).toEqual({ stock: 10, sold: 0 });
    const second = await checkout(s, 'p-cancel-c', sku, 1, [couponId]);
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ couponIds: [couponId], discountFen: 1000 });
  });

  it('gives the coupon back when the unpaid order times out', async () => {
    const [sku] = await testProduct('p-timeout-c', 10, 6000);
    const s = await shopper('timeout-c');
    const couponId = await claimOne(s, 'tpl-test-10');
    const order = (await checkout(s, 'p-timeout-c', sku, 1, [couponId])).body;
    expect(await expireOrder(order.id, order.deadlineAt + 1)).toBe('cancelled');
    expect(await couponOf(s.userId, couponId)).toMatchObject({ status: 'UNUSED', orderId: null });
    expect(await expireOrder(order.id, order.deadlineAt + 2)).toBe('noop');
  });

  it('marks the coupon USED when the order is paid, and gives it back with a full refund', async () => {
    const [sku] = await testProduct('p-paid-c', 10, 6000);
    const s = await shopper('paid-c');
    const couponId = await claimOne(s, 'tpl-test-10');
    const order = (await checkout(s, 'p-paid-c', sku, 1, [couponId])).body;
    await pay(order, s);
    expect((await orderRepo.get(order.id))!.status).toBe('PAID');
    expect(await couponOf(s.userId, couponId)).toMatchObject({ status: 'USED', orderId: order.id });
    const used = await call(coupons.myCoupons, { token: s.token, query: { status: 'USED' } });
    expect(used.body.items.map((c: any) => c.id)).toEqual([couponId]);
    // Cancelling a paid, unshipped order refunds it in full: the coupon comes back with the money.
    const cancelled = await call(orders.cancelOrder, { token: s.token, params: { orderId: order.id } });
    expect(cancelled.body.status).toBe('REFUNDING');
    expect(await couponOf(s.userId, couponId)).toMatchObject({ status: 'UNUSED', orderId: null });
  });

  it('refunds a late payment whose coupon was released and used by another order, keeping that order intact', async () => {
    const [sku] = await testProduct('p-late-c', 10, 6000);
    const s = await shopper('late-c');
    const couponId = await claimOne(s, 'tpl-test-10');
    const first = (await checkout(s, 'p-late-c', sku, 1, [couponId])).body;
    await expireOrder(first.id, first.deadlineAt + 1);
    const second = (await checkout(s, 'p-late-c', sku, 1, [couponId])).body;
    await pay(first, s, first.deadlineAt - 1000);
    // The notification records the payment as owed back (the order stays closed); the refund follows from the stream.
    expect((await orderRepo.get(first.id))!.status).toBe('CANCELLED');
    expect(await paymentRepo.forOrder(first.id)).toMatchObject([{ kind: 'LATE', disposition: 'REFUND_DUE' }]);
    expect(await couponOf(s.userId, couponId)).toMatchObject({ status: 'LOCKED', orderId: second.id });
    await drainReactions();
    const refunded = (await orderRepo.get(first.id))!;
    expect(refunded.status).toBe('REFUNDING');
    expect(refunded.refundedFen).toBe(refunded.paidFen);
    expect(await paymentRepo.forOrder(first.id)).toMatchObject([{ kind: 'LATE', disposition: 'REFUND_STARTED' }]);
    expect(await couponOf(s.userId, couponId)).toMatchObject({ status: 'LOCKED', orderId: second.id });
    expect((await orderRepo.get(second.id))!.status).toBe('PENDING_PAYMENT');
  });

  it("refuses another shopper's coupon with COUPON_NOT_USABLE and writes nothing", async () => {
    const [sku] = await testProduct('p-owner-c', 10, 6000);
    const owner = await shopper('owner-c');
    const thief = await shopper('thief-c');
    const couponId = await claimOne(owner, 'tpl-test-10');
    const r = await checkout(thief, 'p-owner-c', sku, 1, [couponId]);
    expect(r).toMatchObject({ status: 409, body: { code: 'COUPON_NOT_USABLE', message: '优惠券不可用：优惠券不存在' } });
    expect(await couponOf(owner.userId, couponId)).toMatchObject({ status: 'UNUSED', orderId: null });
    expect((await call(orders.listOrders, { token: thief.token })).body.items).toHaveLength(0);
    expect(await stockOf('p-owner-c', sku)).toEqual({ stock: 10, sold: 0 });
  });

  it('refuses an order naming a coupon whose threshold is not met, rather than charging a price not shown', async () => {
    const [sku] = await testProduct('p-small-c', 10, 3000);
    const s = await shopper('small-c');
    const couponId = await claimOne(s, 'tpl-test-10');
    const r = await checkout(s, 'p-small-c', sku, 1, [couponId]);
    expect(r).toMatchObject({ status: 409, body: { code: 'COUPON_NOT_USABLE', details: { couponId } } });
    expect(r.body.message).toBe('优惠券不可用：未满 ¥50 可用，还差 ¥20');
  });
});

describe('flash sale', () => {
  it('sells exactly the quota of 10 at the flash price to 200 concurrent buyers (stock 300)', async () => {
    const [sku] = await testProduct('p-flash-hot', 300, 5900);
    const buyers = await shoppers('flash', 200);
    const results = await Promise.all(buyers.map((b) => checkout(b, 'p-flash-hot', sku, 1, [])));
    const atFlash = results.filter((r) => r.status === 201 && r.body.lines[0].flashSale);
    expect(atFlash).toHaveLength(10);
    for (const r of atFlash) {
      expect(r.body.lines[0]).toMatchObject({ unitPriceFen: 990, flashSale: { campaignId: 'test-flash', listPriceFen: 5900 } });
      expect(r.body.payableFen).toBe(990 + 1000);
    }
    // The rest were refused in the race, or (reading the quota already spent) priced at the list price they were shown.
    for (const r of results.filter((x) => !atFlash.includes(x))) {
      if (r.status === 201) expect(r.body.lines[0]).toMatchObject({ unitPriceFen: 5900 });
      else expect(r.body.code).toBe('FLASH_SALE_SOLD_OUT');
    }
    const quota = await db().send(new GetCommand({ TableName: table(), Key: keys.flashQuota('test-flash', sku), ConsistentRead: true }));
    expect(quota.Item?.sold).toBe(10);
    const created = results.filter((r) => r.status === 201).length;
    expect(await stockOf('p-flash-hot', sku)).toEqual({ stock: 300 - created, sold: created });
    const home = await call(campaigns.homeCampaigns, {});
    expect(home.body.flashSales.find((f: any) => f.skuId === sku)).toMatchObject({ sold: 10, quota: 10, soldOut: true, priceFen: 990, originalPriceFen: 5900 });
  });

  it('holds one shopper to the per-user limit under 5 concurrent orders, and gives quota and limit back on cancel', async () => {
    const [sku] = await testProduct('p-flash-limit', 100, 5900);
    const s = await shopper('flash-limit');
    const results = await Promise.all(Array.from({ length: 5 }, () => checkout(s, 'p-flash-limit', sku, 1, [])));
    const atFlash = results.filter((r) => r.status === 201 && r.body.lines[0].flashSale);
    expect(atFlash).toHaveLength(1);
    for (const r of results.filter((x) => !atFlash.includes(x))) {
      if (r.status === 201) expect(r.body.lines[0].unitPriceFen).toBe(5900);
      else expect(r.body.code).toBe('FLASH_SALE_LIMIT');
    }
    const quote = await call(orders.quote, { token: s.token, body: { source: { type: 'buyNow', productId: 'p-flash-limit', skuId: sku, quantity: 1 } } });
    expect(quote.body.lines[0].unitPriceFen).toBe(5900);
    expect(quote.body.hints).toContain('测试商品 p-flash-limit：每人限购 1 件，您已购买 1 件，按原价购买');
    await call(orders.cancelOrder, { token: s.token, params: { orderId: atFlash[0].body.id } });
    const again = await call(orders.quote, { token: s.token, body: { source: { type: 'buyNow', productId: 'p-flash-limit', skuId: sku, quantity: 1 } } });
    expect(again.body.lines[0]).toMatchObject({ unitPriceFen: 1990, flashSale: { name: '测试秒杀' } });
    const quota = await db().send(new GetCommand({ TableName: table(), Key: keys.flashQuota('test-flash', sku), ConsistentRead: true }));
    expect(quota.Item?.sold).toBe(0);
  });
});

describe('quote', () => {
  it('shows every promotion and coupon in fen, line by line, and the order charges exactly the quote', async () => {
    const [promoSku] = await testProduct('p-promo-1', 50, 6000);
    const [flashSku] = await testProduct('p-flash-mix', 50, 5900);
    const s = await shopper('quote');
    const couponId = await claimOne(s, 'tpl-test-10');
    const newUserCoupon = (await call(coupons.myCoupons, { token: s.token })).body.items.find((c: any) => c.templateId === 'tpl-new-5').id;
    await call(cartApi.addCartLine, { token: s.token, body: { productId: 'p-promo-1', skuId: promoSku, quantity: 2 } });
    await call(cartApi.addCartLine, { token: s.token, body: { productId: 'p-flash-mix', skuId: flashSku, quantity: 1 } });

    const q = await call(orders.quote, { token: s.token, body: { source: { type: 'cart' }, addressId: s.addressId } });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({
      subtotalFen: 12000 + 990,
      discounts: [
        { kind: 'spend_and_save', label: '测试满减 满100减10', amountFen: 1000 },
        { kind: 'coupon', label: '优惠券 满50减10（满50减10）', amountFen: 1000 },
      ],
      discountFen: 2000,
      shippingFen: 0,
      payableFen: 12990 - 2000,
      couponIds: [couponId],
      hints: ['满200减30：再买 ¥80'],
    });
    // Line by line: the flash-sale line takes no share of the 满减 or the coupon.
    const lines = q.body.lines.map((l: any) => [l.skuId, l.unitPriceFen, l.lineTotalFen, l.discountFen, l.payableFen]);
    expect(lines.sort()).toEqual([
      [flashSku, 990, 990, 0, 990],
      [promoSku, 6000, 12000, 2000, 10000],
    ]);
    expect(q.body.coupons).toEqual([
      expect.objectContaining({ couponId, chosen: true, usable: true, amountFen: 1000, reason: null }),
      expect.objectContaining({ couponId: newUserCoupon, chosen: false, usable: true, amountFen: 500, reason: '每单限用 1 张优惠券，已选择更优惠的券' }),
    ]);

    // The shopper picks the other coupon, or none; each quote says what it costs.
    const other = await call(orders.quote, { token: s.token, body: { source: { type: 'cart' }, couponIds: [newUserCoupon] } });
    expect(other.body).toMatchObject({ couponIds: [newUserCoupon], discountFen: 1500, payableFen: 11490 });
    const none = await call(orders.quote, { token: s.token, body: { source: { type: 'cart' }, couponIds: [] } });
    expect(none.body).toMatchObject({ couponIds: [], discountFen: 1000 });

    const order = await call(orders.createOrder, {
      token: s.token,
      body: { idempotencyKey: idempotencyKey(), source: { type: 'cart' }, addressId: s.addressId },
    });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({
      payableFen: q.body.payableFen,
      discountFen: q.body.discountFen,
      discounts: q.body.discounts,
      couponIds: [couponId],
    });
    expect(order.body.lines).toEqual(q.body.lines);
    const stored = (await orderRepo.get(order.body.id))!;
    expect(stored.flashSales).toEqual([{ campaignId: 'test-flash', skuId: flashSku, quantity: 1, quota: 100, perUserLimit: 5 }]);
    expect(stored.lines.reduce((sum, l) => sum + l.payableFen, 0) + stored.shippingFen).toBe(stored.payableFen);
  });

  it('shows banners of the live campaigns and the server time on 首页', async () => {
    const before = Date.now();
    const home = await call(campaigns.homeCampaigns, {});
    expect(home.status).toBe(200);
    expect(home.body.now).toBeGreaterThanOrEqual(before);
    expect(home.body.banners.map((b: any) => b.campaignId).sort()).toEqual(['test-claim-center', 'test-flash', 'test-manjian']);
    expect(home.body.banners.find((b: any) => b.campaignId === 'test-manjian')).toMatchObject({ subtitle: '满100减10，满200减30', type: 'spend_and_save' });
  });
});
