import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { shopper, testProduct, type Shopper } from '../../tests/support/shop';
import { orderRepo } from '../src/repositories/order-repo';
import { userRepo } from '../src/repositories/user-repo';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import * as orders from '../src/handlers/orders';
import * as groups from '../src/handlers/groups';
import { notify } from '../src/handlers/pay-notify';
import { drainReactions } from '../../tests/support/stream';

/**
 * 确认拼团订单's quote (POST /v1/groups/quote) against the order 确认开团 / 确认参团 then places (POST /v1/groups/orders)
 * with the same deal, SKU and group: the page shows exactly what the shopper is charged, 运费 included.
 */
const context = { getRemainingTimeInMillis: () => 10_000 } as never;

const deal = (id: string, productId: string, prices: string) => `
  - id: ${id}
    name: 测试拼团
    type: group_deal
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    productId: ${productId}
    skus:
      - { skuId: ${productId.replace(/^p-/, 'sku-')}-sku0, ${prices} }
    groupSize: 3
    timeLimitMinutes: 60
    stockQuota: 500
    perUserLimit: 2
    onFull: new_group
    robotFill: false
    leaderFree: false
`;

beforeAll(async () => {
  const yaml = `campaigns:${[
    deal('q-nuts', 'p-q-nuts', 'groupPriceFen: 3990, leaderPriceFen: 3490'),
    deal('q-big', 'p-q-big', 'groupPriceFen: 12900'),
  ].join('')}`;
  await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'groups.yaml': yaml }) });
  await testProduct('p-q-nuts', 100, 5900);
  await testProduct('p-q-big', 100, 19900);
});

interface Terms {
  campaignId: string;
  skuId: string;
  groupToken?: string;
}

const quoteOf = (s: Shopper, terms: Terms) => call(groups.groupQuote, { token: s.token, body: terms });

async function place(s: Shopper, terms: Terms) {
  const res = await call(groups.createGroupOrder, {
    token: s.token,
    body: { idempotencyKey: idempotencyKey(), addressId: s.addressId, ...terms },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** Pays in the sandbox, delivers WeChat's notification and runs the seat reactions: the leader's group opens. */
async function pay(s: Shopper, orderId: string) {
  const p = await call(orders.payOrder, { token: s.token, params: { orderId } });
  expect(p.status).toBe(200);
  const sandbox = await sandboxWechatPay();
  await sandbox.simulateUserPayment(p.body.prepayId, 'pay', Date.now(), (await userRepo.get(s.userId))!.openid);
  const tx = (await dynamoSandboxStore().get(orderId))!;
  const n = sandbox.server.buildNotification(tx, Date.now());
  expect((await notify({ headers: n.headers, body: n.body, requestContext: { requestId: `wx-${orderId}` } }, context)).statusCode).toBe(204);
  await drainReactions();
  return (await orderRepo.get(orderId))!;
}

describe('group quote', () => {
  it('a leader and a joiner are quoted exactly what their group order is then charged, 运费 included', async () => {
    const [leader, joiner] = await Promise.all([shopper('gq-leader'), shopper('gq-joiner')]);
    const terms = { campaignId: 'q-nuts', skuId: 'sku-q-nuts-sku0' };

    const lq = await quoteOf(leader, terms);
    expect(lq.status).toBe(200);
    expect(lq.body).toMatchObject({
      role: 'leader',
      priceLabel: '团长价',
      memberPriceFen: 3990,
      line: { skuId: 'sku-q-nuts-sku0', unitPriceFen: 3490, quantity: 1, lineTotalFen: 3490, title: '测试商品 p-q-nuts' },
      subtotalFen: 3490,
      shippingFen: 1000,
      discountFen: 0,
      payableFen: 4490,
    });
    expect(lq.body.shipping).toMatchObject({ feeFen: 1000, freeFromFen: 9900, text: '运费 ¥10，满 ¥99 包邮' });
    const lo = await place(leader, terms);
    expect(lo.payableFen).toBe(lq.body.payableFen);
    expect(lo.shippingFen).toBe(lq.body.shippingFen);
    const opened = await pay(leader, lo.id);
    expect(opened.group!.status).toBe('OPEN');
    const groupToken = opened.group!.token!;

    const joinTerms = { ...terms, groupToken };
    const jq = await quoteOf(joiner, joinTerms);
    expect(jq.status).toBe(200);
    expect(jq.body).toMatchObject({ role: 'member', priceLabel: '拼团价', memberPriceFen: null, line: { unitPriceFen: 3990 }, shippingFen: 1000, payableFen: 4990 });
    const jo = await place(joiner, joinTerms);
    expect(jo.payableFen).toBe(jq.body.payableFen);
    expect(jo.group.role).toBe('member');

    // The leader is already in the group: the quote refuses the join as placing would, with the reason.
    const again = await quoteOf(leader, joinTerms);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(again.body.details.groupRefusal).toBeTruthy();
  });

  it('a group price from the free-shipping threshold is quoted and charged without 运费', async () => {
    const s = await shopper('gq-big');
    const terms = { campaignId: 'q-big', skuId: 'sku-q-big-sku0' };
    const q = await quoteOf(s, terms);
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ role: 'leader', priceLabel: '拼团价', memberPriceFen: null, subtotalFen: 12900, shippingFen: 0, payableFen: 12900 });
    expect((await place(s, terms)).payableFen).toBe(q.body.payableFen);
  });

  it('bad input answers 400 with a Chinese message; an unknown deal or group 404; no session 401', async () => {
    const s = await shopper('gq-bad');
    const bad = await quoteOf(s, { campaignId: 'q-nuts', skuId: 'sku-q-nuts-sku0', groupToken: 'no!' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(JSON.stringify(bad.body.details.issues)).toContain('拼团链接无效');
    const missing = await call(groups.groupQuote, { token: s.token, body: { campaignId: 'q-nuts' } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/[\u4e00-\u9fa5]/);
    const notJson = await call(groups.groupQuote, { token: s.token, rawBody: '{"campaignId":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toMatch(/[\u4e00-\u9fa5]/);

    const unknownDeal = await quoteOf(s, { campaignId: 'q-none', skuId: 'sku-q-nuts-sku0' });
    expect(unknownDeal.status).toBe(404);
    expect(unknownDeal.body.message).toBe('拼团活动不存在或已结束');
    const unknownGroup = await quoteOf(s, { campaignId: 'q-nuts', skuId: 'sku-q-nuts-sku0', groupToken: 'Zzzzzzzz' });
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.body.message).toBe('拼团不存在');
    const otherSku = await quoteOf(s, { campaignId: 'q-nuts', skuId: 'sku-q-big-sku0' });
    expect(otherSku.status).toBe(404);
    expect(otherSku.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await call(groups.groupQuote, { body: { campaignId: 'q-nuts', skuId: 'sku-q-nuts-sku0' } })).status).toBe(401);
  });
});
