/**
 * Member benefits in the server's pricing and points spent at checkout, through the HTTP handlers on DynamoDB Local:
 * the payment that crosses a threshold upgrades the shopper and the next quote carries the member price and free
 * shipping; campaigns targeted by level apply by the member record; points are spent in the order's one transaction
 * (balance, ledger, payable) and come back on cancel and on timeout; concurrent checkouts never overspend a balance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable, TEST_APP_ID, TEST_MCH_ID } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { buildNotification } from '../../tests/support/notifications';
import { shopper, testProduct, type Shopper } from '../../tests/support/shop';
import { drainReactions } from '../../tests/support/stream';
import { userRepo } from '../src/repositories/user-repo';
import { orderRepo } from '../src/repositories/order-repo';
import { pointsRepo } from '../src/repositories/points-repo';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { expireOrder } from '../src/services/payment';
import * as orders from '../src/handlers/orders';
import { notify } from '../src/handlers/pay-notify';
import { earn, expectInvariants, membersFolder, paidOrder } from './support-points';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { shanghaiParts } from '@shop/shared';
import { db, table } from '../src/lib/dynamo';
import { keys } from '../src/repositories/keys';

// Default tiers (银卡 from ¥1,000: 9.8 折, 包邮, 2× points); 100 points per ¥1 paid, available at once; spending:
// 100 points = ¥1, at most 50% of the goods.
const MEMBERS = `
points:
  order: { pointsPerYuan: 100, pendingDays: 0 }
`;

const CAMPAIGNS = `
campaigns:
  - id: silver-only-manjian
    name: 银卡专享满减
    type: spend_and_save
    target: { categoryId: all }
    window: { start: 2020-01-01 00:00, end: 2099-01-01 00:00 }
    tiers:
      - { thresholdFen: 3000, offFen: 500 }
    scope: all
    targeting: { levels: [SILVER, GOLD, PLATINUM, DIAMOND] }
  - id: gold-member-day
    name: 金卡会员日
    type: member_day
    target: { categoryId: all }
    window: { start: 2020-01-01 00:00, end: 2099-01-01 00:00 }
    dayOfMonth: ${shanghaiParts(Date.now()).day}
    percentByLevel: { GOLD: 90 }
`;

let env: Record<string, string>;

beforeAll(async () => {
  ({ env } = await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'promotions.yaml': CAMPAIGNS }) }));
  membersFolder(MEMBERS);
  await testProduct('p-mc-big', 1000, 120_000);
  await testProduct('p-mc-small', 100_000, 5_000);
});

const small = { type: 'buyNow', productId: 'p-mc-small', skuId: 'sku-mc-small-sku0', quantity: 1 } as const;

async function quote(s: Shopper, body: Record<string, unknown> = {}) {
  const r = await call(orders.quote, { token: s.token, body: { source: small, addressId: s.addressId, couponIds: [], ...body } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

function place(s: Shopper, body: Record<string, unknown> = {}, key = idempotencyKey()) {
  return call(orders.createOrder, { token: s.token, body: { idempotencyKey: key, source: small, addressId: s.addressId, couponIds: [], ...body } });
}

/** Pays an order at the sandbox WeChat and delivers its notification, then runs the table's reactions. */
async function pay(order: { id: string; payableFen: number; deadlineAt: number }, userId: string) {
  const sandbox = await sandboxWechatPay();
  const openid = (await userRepo.get(userId))!.openid;
  const at = Date.now();
  const { prepayId } = await sandbox.createJsapiPrepay({ outTradeNo: order.id, description: '测试', amountFen: order.payableFen, payerOpenid: openid, timeExpireAt: Math.max(order.deadlineAt, at + 120_000) });
  await sandbox.simulateUserPayment(prepayId, 'pay', at, openid);
  const tx = await sandbox.queryByOutTradeNo(order.id);
  const keysForWechat = { apiV3Key: env.WXPAY_API_V3_KEY, platformPrivateKey: env.SANDBOX_PLATFORM_PRIVATE_KEY, platformSerial: env.SANDBOX_PLATFORM_SERIAL };
  const n = buildNotification({ outTradeNo: order.id, amountFen: order.payableFen, appid: TEST_APP_ID, mchid: TEST_MCH_ID, transactionId: tx.transactionId! }, keysForWechat, at);
  const r = await notify({ headers: n.headers, body: n.body, isBase64Encoded: false, requestContext: { requestId: 'wx' } } as never, { getRemainingTimeInMillis: () => 10_000 } as never);
  expect((r as { statusCode: number }).statusCode).toBe(204);
  await drainReactions();
}

/** Points made available to a shopper at once (an order paid outside these tests, earned with pendingDays 0). */
async function fund(userId: string, points: number) {
  // 100 points per ¥1 paid: `points` fen earn them, far below any tier's threshold.
  await earn(await paidOrder(userId, points, Date.now() - 60_000), Date.now());
  expect((await pointsRepo.balance(userId)).available).toBeGreaterThanOrEqual(points);
}

describe('levels priced by the server', () => {
  it('the payment that crosses 银卡 upgrades the shopper: the next quote has the member price, free shipping and the level-targeted 满减', async () => {
    const s = await shopper('mc-upgrade');
    const before = await quote(s);
    expect(before.member).toMatchObject({ level: 'NORMAL', levelName: '普通', benefits: [] });
    expect(before.shippingFen).toBe(1000);
    expect(before.discounts).toEqual([]);
    expect(before.payableFen).toBe(6000);

    const big = await call(orders.createOrder, {
      token: s.token,
      body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-mc-big', skuId: 'sku-mc-big-sku0', quantity: 1 }, addressId: s.addressId, couponIds: [] },
    });
    expect(big.status, JSON.stringify(big.body)).toBe(201);
    await pay(big.body, s.userId);
    expect((await pointsRepo.member(s.userId))?.level).toBe('SILVER');

    const after = await quote(s);
    expect(after.member.level).toBe('SILVER');
    // ¥50 at 9.8 折 = ¥1 off, then the 银卡-only 满减 (满30减5) on what is left; shipping free.
    expect(after.discounts).toEqual([
      { kind: 'member_price', label: '银卡会员价 98折', amountFen: 100 },
      { kind: 'spend_and_save', label: '银卡专享满减 满30减5', amountFen: 500 },
    ]);
    expect(after.shippingFen).toBe(0);
    expect(after.payableFen).toBe(5000 - 100 - 500);
    expect(after.member.benefits).toEqual([
      { label: '银卡会员价 98折', amountFen: 100 },
      { label: '银卡会员包邮', amountFen: 1000 },
      { label: '银卡会员购物积分 2 倍', amountFen: 0 },
    ]);
    // The order is charged exactly that.
    const placed = await place(s);
    expect(placed.status).toBe(201);
    expect(placed.body.payableFen).toBe(after.payableFen);
  });

  it("a 金卡 member gets today's member day for their level after the member price; a 银卡 one does not", async () => {
    const s = await shopper('mc-gold');
    await db().send(new PutCommand({ TableName: table(), Item: { ...keys.member(s.userId), type: 'member', userId: s.userId, level: 'GOLD', spentFen: 600_000, invites: 0, growthRev: 1 } }));
    const q = await quote(s);
    // ¥50 at 9.5 折 = ¥2.50 off, then 9 折 of the ¥47.50 left = ¥4.75, then the 满30减5.
    expect(q.discounts.slice(0, 2)).toEqual([
      { kind: 'member_price', label: '金卡会员价 95折', amountFen: 250 },
      { kind: 'member_day', label: '金卡会员日 金卡9折', amountFen: 475 },
    ]);
    expect(q.member.benefits.map((b: { label: string }) => b.label)).toContain('金卡会员日 金卡9折');
  });

  it('a 普通 shopper does not get the level-targeted 满减', async () => {
    const s = await shopper('mc-normal');
    const q = await quote(s);
    expect(q.discounts.some((d: { label: string }) => d.label.includes('银卡专享'))).toBe(false);
  });
});

describe('points at checkout', () => {
  it('the quote shows what can be used; the order spends it in its transaction (balance, ledger, payable) and cancel returns it', async () => {
    const s = await shopper('mc-spend');
    await fund(s.userId, 5000);
    const shown = await quote(s);
    // ¥60 payable (¥50 + ¥10 shipping); at most 50% of the goods' ¥50 = ¥25 = 2,500 points.
    expect(shown.points).toMatchObject({ available: 5000, maxUsable: 2500, maxDeductionFen: 2500, used: 0, deductionFen: 0, pointsPerYuan: 100 });
    const using = await quote(s, { usePoints: 2500 });
    expect(using.points).toMatchObject({ used: 2500, deductionFen: 2500 });
    expect(using.discounts).toContainEqual({ kind: 'points', label: '积分抵扣（2500 积分）', amountFen: 2500 });
    expect(using.payableFen).toBe(6000 - 2500);
    // The 积分抵扣 switch asks the quote for "as many as allowed": the quote uses the most this order takes.
    expect((await quote(s, { usePoints: 5000 })).points).toMatchObject({ used: 2500, deductionFen: 2500 });

    const placed = await place(s, { usePoints: 2500 });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.payableFen).toBe(3500);
    let { balance, entries } = await expectInvariants(s.userId);
    expect(balance.available).toBe(2500);
    expect(entries.find((e) => e.businessId === `SPEND#${placed.body.id}`)).toMatchObject({ source: 'SPEND', delta: -2500, orderId: placed.body.id });

    // Asking for more than the cap or the balance is refused with nothing written.
    const over = await place(s, { usePoints: 2600 });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'POINTS_INSUFFICIENT' });
    expect(over.body.message).toMatch(/积分/);
    expect((await pointsRepo.balance(s.userId)).available).toBe(2500);

    // Cancel: the points come back in the cancel's transaction, once.
    const cancel = await call(orders.cancelOrder, { token: s.token, params: { orderId: placed.body.id }, body: {} });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    await call(orders.cancelOrder, { token: s.token, params: { orderId: placed.body.id }, body: {} });
    ({ balance, entries } = await expectInvariants(s.userId));
    expect(balance.available).toBe(5000);
    expect(entries.filter((e) => e.businessId === `CANCEL#${placed.body.id}`)).toHaveLength(1);
  });

  it('a retried submit with the same key and points choice is the same order; another points choice is another request', async () => {
    const s = await shopper('mc-retry');
    await fund(s.userId, 1000);
    const key = idempotencyKey();
    const [a, b] = await Promise.all([place(s, { usePoints: 1000 }, key), place(s, { usePoints: 1000 }, key)]);
    expect(a.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect((await pointsRepo.balance(s.userId)).available).toBe(0);
    const other = await place(s, { usePoints: 0 }, key);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await expectInvariants(s.userId);
  });

  it('an unpaid order that times out gives its points back', async () => {
    const s = await shopper('mc-timeout');
    await fund(s.userId, 800);
    const placed = await place(s, { usePoints: 800 });
    expect(placed.status).toBe(201);
    expect((await pointsRepo.balance(s.userId)).available).toBe(0);
    const order = (await orderRepo.get(placed.body.id))!;
    await expireOrder(order.id, order.deadlineAt + 1);
    expect((await orderRepo.get(order.id))!.status).toBe('CANCELLED');
    const { balance } = await expectInvariants(s.userId);
    expect(balance.available).toBe(800);
  });

  it('a late payment for a cancelled order that spent points is refunded, never revived: the points stay returned once', async () => {
    const s = await shopper('mc-late');
    await fund(s.userId, 600);
    const placed = await place(s, { usePoints: 600 });
    expect(placed.status).toBe(201);
    await expireOrder(placed.body.id, placed.body.deadlineAt + 1);
    expect((await pointsRepo.balance(s.userId)).available).toBe(600);
    await pay(placed.body, s.userId);
    const after = (await orderRepo.get(placed.body.id))!;
    expect(after.status).not.toBe('PAID');
    expect(after.paidLate).toBeFalsy();
    const { balance, entries } = await expectInvariants(s.userId);
    expect(balance.available).toBe(600);
    expect(entries.filter((e) => e.source === 'RETURN')).toHaveLength(1);
  });

  it('50 concurrent checkouts spending the same balance never take it below zero', async () => {
    const s = await shopper('mc-race');
    await fund(s.userId, 10_000);
    const results = await Promise.all(Array.from({ length: 50 }, () => place(s, { usePoints: 700 })));
    const placed = results.filter((r) => r.status === 201);
    for (const r of results) if (r.status !== 201) expect(['POINTS_INSUFFICIENT', 'RATE_LIMITED']).toContain(r.body.code);
    const { balance, entries } = await expectInvariants(s.userId);
    expect(balance.available).toBe(10_000 - 700 * placed.length);
    expect(balance.available).toBeGreaterThanOrEqual(0);
    expect(placed.length).toBeLessThanOrEqual(14);
    expect(placed.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.source === 'SPEND')).toHaveLength(placed.length);
  }, 120_000);
});
