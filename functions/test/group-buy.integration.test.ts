import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_WEB_BASE_URL, campaignFolder, freshTable } from '../../tests/support/table';
import { SAMPLE_ADDRESS, call, idempotencyKey } from '../../tests/support/http';
import { shopper, stockOf, testProduct, type Shopper } from '../../tests/support/shop';
import { orderRepo } from '../src/repositories/order-repo';
import { refundRepo } from '../src/repositories/refund-repo';
import { groupRepo } from '../src/repositories/group-repo';
import { userRepo } from '../src/repositories/user-repo';
import { db, table } from '../src/lib/dynamo';
import { keys } from '../src/repositories/keys';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createGroupOrder, groupLanding } from '../src/services/groups';
import { onGroupOrderPaid, settleGroup, sweepDueGroups } from '../src/services/group-settlement';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import * as orders from '../src/handlers/orders';
import * as groupHandlers from '../src/handlers/groups';
import { notify, refundNotify } from '../src/handlers/pay-notify';
import { sandboxMessages } from '../src/providers/wechat-mp/sandbox';
import { groupShare } from '../src/services/groups';
import { drainReactions } from '../../tests/support/stream';

const context = { getRemainingTimeInMillis: () => 10_000 } as never;

const deal = (id: string, productId: string, skuId: string, size: number, onFull: string, extra: { robotFill?: boolean; leaderFree?: boolean } = {}) => `
  - id: ${id}
    name: 测试拼团
    type: group_deal
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    productId: ${productId}
    skus:
      - { skuId: ${skuId}, groupPriceFen: 3990${extra.leaderFree ? '' : ', leaderPriceFen: 3490'} }
    groupSize: ${size}
    timeLimitMinutes: 60
    stockQuota: 500
    perUserLimit: 2
    onFull: ${onFull}
    robotFill: ${extra.robotFill ? 'true' : 'false'}
    leaderFree: ${extra.leaderFree ? 'true' : 'false'}
`;

beforeAll(async () => {
  const yaml = `campaigns:${[
    deal('g-race', 'p-g-race', 'sku-g-race-sku0', 3, 'refund'),
    deal('g-fail', 'p-g-fail', 'sku-g-fail-sku0', 4, 'new_group'),
    deal('g-ok', 'p-g-ok', 'sku-g-ok-sku0', 3, 'new_group'),
    deal('g-robot', 'p-g-robot', 'sku-g-robot-sku0', 4, 'new_group', { robotFill: true }),
    deal('g-free', 'p-g-free', 'sku-g-free-sku0', 2, 'new_group', { leaderFree: true }),
  ].join('')}`;
  await freshTable({
    CAMPAIGNS_DIR: campaignFolder({ 'groups.yaml': yaml }),
    WECHAT_TMPL_GROUP_SUCCESS: 'tmpl-success',
    WECHAT_TMPL_GROUP_FAILED: 'tmpl-failed',
  });
  await testProduct('p-g-race', 1000, 5900);
  await testProduct('p-g-fail', 100, 5900);
  await testProduct('p-g-ok', 100, 5900);
  await testProduct('p-g-robot', 100, 5900);
  await testProduct('p-g-free', 100, 5900);
});

async function deliver(orderId: string): Promise<number> {
  const sandbox = await sandboxWechatPay();
  const tx = (await dynamoSandboxStore().get(orderId))!;
  let status = 0;
  for (let i = 0; i < 6 && (status < 200 || status > 299); i++) {
    const n = sandbox.server.buildNotification(tx, Date.now());
    status = (await notify({ headers: n.headers, body: n.body, requestContext: { requestId: `wx-${i}` } }, context)).statusCode;
  }
  return status;
}

async function order(s: Shopper, campaignId: string, skuId: string, groupToken?: string) {
  return createGroupOrder(s.userId, { idempotencyKey: idempotencyKey(), campaignId, skuId, addressId: s.addressId, groupToken, remark: '' }, Date.now());
}

/**
 * The shopper pays and WeChat's notification is answered: the order is PAID with its seat still to be decided (the
 * notification's one transaction); the seat comes from the table's stream.
 */
async function payOnly(s: Shopper, orderId: string) {
  const p = await call(orders.payOrder, { token: s.token, params: { orderId } });
  expect(p.status).toBe(200);
  await (await sandboxWechatPay()).simulateUserPayment(p.body.prepayId, 'pay', Date.now(), (await userRepo.get(s.userId))!.openid);
  expect(await deliver(orderId)).toBe(204);
  const paid = (await orderRepo.get(orderId))!;
  expect(paid.status).toBe('PAID');
  expect(paid.group!.status).toBe('PENDING');
  return paid;
}

/** Pays, then runs the stream's reactions (seat, group outcome, refunds) and returns the order as they left it. */
async function pay(s: Shopper, orderId: string) {
  await payOnly(s, orderId);
  await drainReactions();
  return (await orderRepo.get(orderId))!;
}

async function shoppers(prefix: string, n: number): Promise<Shopper[]> {
  const out: Shopper[] = [];
  for (let i = 0; i < n; i += 25) out.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, (_, k) => shopper(`${prefix}-${i + k}`)))));
  return out;
}

describe('group-buy', () => {
  it('a leader opens a group at payment; the last seat makes it SUCCESS on every order; a later payer leads a new group', async () => {
    const [a, b, c, d] = await shoppers('ok', 4);
    const lo = await order(a, 'g-ok', 'sku-g-ok-sku0');
    expect(lo.payableFen - lo.shippingFen).toBe(3490);
    const leader = await pay(a, lo.id);
    expect(leader.group!.status).toBe('OPEN');
    const token = leader.group!.token!;
    const bo = await order(b, 'g-ok', 'sku-g-ok-sku0', token);
    const co = await order(c, 'g-ok', 'sku-g-ok-sku0', token);
    const dOrder = await order(d, 'g-ok', 'sku-g-ok-sku0', token); // created while seats were free
    await pay(b, bo.id);
    await pay(c, co.id);
    const g = (await groupRepo.get(leader.group!.groupId!))!;
    expect(g.item.status).toBe('SUCCESS');
    for (const id of [lo.id, bo.id, co.id]) {
      const o = (await orderRepo.get(id))!;
      expect(o.status).toBe('PAID');
      expect(o.group!.status).toBe('SUCCESS');
    }
    // Paid after success: never seated in the full group; onFull new_group makes them lead a new one.
    const late = await pay(d, dOrder.id);
    expect(late.group!.role).toBe('leader');
    expect(late.group!.groupId).not.toBe(g.item.id);
    expect((await groupRepo.get(g.item.id))!.members).toHaveLength(3);
    await expect(order(d, 'g-ok', 'sku-g-ok-sku0', token)).rejects.toMatchObject({ code: 'ORDER_STATE_CONFLICT' });
    // One 拼团成功 message per member, none again when settle is replayed; the moved payer is told too.
    await settleGroup(g.item.id, Date.now());
    for (const s of [a, b, c]) {
      const msgs = await sandboxMessages(s.userId);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]).toMatchObject({ templateId: 'tmpl-success', data: { phrase2: '拼团成功' } });
      expect(msgs[0].page).toBe(`packageGroup/pages/landing/index?t=${token}`);
    }
    expect((await sandboxMessages(d.userId)).map((m) => m.data.phrase2)).toEqual(['已开新团']);
    // The sandbox poster code is the H5 link.
    const share = await groupShare(a.userId, g.item.id);
    expect(share.code).toEqual({ kind: 'url', data: share.url });
    // The link is the stage's web shop, never a default address.
    expect(share.url).toBe(`${TEST_WEB_BASE_URL}/#/packageGroup/pages/landing/index?t=${token}`);
    // The landing knows who is looking (a seated member invites, anyone else is offered 参团) and states the terms.
    const view = async (s?: Shopper) => (await call(groupHandlers.groupLanding, { token: s?.token, params: { token } })).body;
    expect((await view(a)).viewerRole).toBe('leader');
    expect((await view(b)).viewerRole).toBe('member');
    expect((await view(d)).viewerRole).toBeNull();
    expect(await view()).toMatchObject({ viewerRole: null, leaderPriceFen: 3490, leaderFree: false, timeLimitMinutes: 60, size: 3 });
    expect((await view()).product.groupPriceFen).toBe(3990);
    expect((await view()).specText).toBe((await orderRepo.get(lo.id))!.lines[0].specText);
    // 我的拼团 labels the price each shopper paid.
    const mine = async (s: Shopper) => (await call(groupHandlers.myGroups, { token: s.token, query: {} })).body.items.find((i: { groupId: string }) => i.groupId === g.item.id);
    expect(await mine(a)).toMatchObject({ groupPriceFen: 3490, priceLabel: '团长价' });
    expect(await mine(b)).toMatchObject({ groupPriceFen: 3990, priceLabel: '拼团价' });
  });

  it('200 concurrent paying joiners on one 3-seat group: exactly 3 seats, everyone else refunded in full', async () => {
    const N = 200;
    const [leaderShopper, ...joiners] = await shoppers('race', N + 1);
    const leader = await pay(leaderShopper, (await order(leaderShopper, 'g-race', 'sku-g-race-sku0')).id);
    const token = leader.group!.token!;
    const placed = await Promise.all(joiners.map((s) => order(s, 'g-race', 'sku-g-race-sku0', token)));
    await Promise.all(joiners.map((s, i) => payOnly(s, placed[i].id)));
    // Every payment is answered before any seat is decided; the stream then seats three and refunds the rest.
    expect((await groupRepo.get(leader.group!.groupId!))!.item.memberCount).toBe(1);
    // The stream's reactions race 200 concurrent seat decisions for the same orders (as the seat sweep, or a stream
    // record delivered again, would): the seats are still decided once each.
    await Promise.all([drainReactions(), Promise.allSettled(placed.map((p) => onGroupOrderPaid(p.id, Date.now())))]);
    await drainReactions();
    const g = (await groupRepo.get(leader.group!.groupId!))!;
    expect(g.item.status).toBe('SUCCESS');
    expect(g.item.memberCount).toBe(3);
    expect(g.members.filter((m) => !m.robot)).toHaveLength(3);
    const seated = new Set(g.members.map((m) => m.orderId));
    let refunded = 0;
    for (const p of placed) {
      const o = (await orderRepo.get(p.id))!;
      if (seated.has(o.id)) {
        expect(o.group!.status).toBe('SUCCESS');
      } else {
        expect(['REFUNDING', 'REFUNDED']).toContain(o.status);
        expect(o.refundedFen).toBe(o.paidFen);
        refunded++;
      }
    }
    expect(refunded).toBe(N - 2);
    // Exactly one refund each for those without a seat, none for the seated.
    for (const p of placed) expect(await refundRepo.forOrder(p.id)).toHaveLength(seated.has(p.id) ? 0 : 1);
  }, 420_000);

  it('a group that misses its deadline fails only after it, refunding every member once (distinct out_refund_no), stock restored', async () => {
    const before = await stockOf('p-g-fail', 'sku-g-fail-sku0');
    const [a, b, c] = await shoppers('fail', 3);
    const leader = await pay(a, (await order(a, 'g-fail', 'sku-g-fail-sku0')).id);
    const token = leader.group!.token!;
    const bo = await pay(b, (await order(b, 'g-fail', 'sku-g-fail-sku0', token)).id);
    const co = await pay(c, (await order(c, 'g-fail', 'sku-g-fail-sku0', token)).id);
    const groupId = leader.group!.groupId!;
    const deadline = (await groupRepo.get(groupId))!.item.deadline;
    await sweepDueGroups(deadline - 1);
    expect((await groupRepo.get(groupId))!.item.status).toBe('OPEN');
    await sweepDueGroups(deadline);
    expect((await groupRepo.get(groupId))!.item.status).toBe('FAILED');
    await sweepDueGroups(deadline + 1000); // a second run changes nothing
    const nos = new Set<string>();
    for (const o of [leader, bo, co]) {
      const after = (await orderRepo.get(o.id))!;
      expect(['REFUNDING', 'REFUNDED']).toContain(after.status);
      expect(after.group!.status).toBe('FAILED');
      const refunds = await refundRepo.forOrder(o.id);
      expect(refunds).toHaveLength(1);
      nos.add(refunds[0].outRefundNo);
    }
    expect(nos.size).toBe(3);
    // WeChat pays the three refunds and says so: every order ends 已退款.
    const sandbox = await sandboxWechatPay();
    for (const no of nos) {
      await sandbox.completeRefund(no, 'SUCCESS', Date.now());
      const n = sandbox.server.buildRefundNotification((await dynamoSandboxStore().getRefund(no))!, Date.now());
      const answer = await refundNotify({ headers: n.headers, body: n.body, requestContext: { requestId: `wx-${no}` } }, { getRemainingTimeInMillis: () => 10_000 } as never);
      expect(answer.statusCode).toBe(204);
    }
    for (const o of [leader, bo, co]) {
      const after = (await orderRepo.get(o.id))!;
      expect(after.status).toBe('REFUNDED');
      expect(after.refundedFen).toBe(after.paidFen);
    }
    // One 拼团失败，已退款 message per member, with the amount; the replayed sweep above sent nothing twice.
    for (const [s, o] of [[a, leader], [b, bo], [c, co]] as const) {
      const msgs = await sandboxMessages(s.userId);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]).toMatchObject({ templateId: 'tmpl-failed', data: { phrase2: '拼团失败', amount3: `¥${(o.paidFen! / 100).toFixed(2)}` } });
      expect(msgs[0].data.thing4).toContain('已退款');
    }
    await settleGroup(groupId, deadline + 2000);
    for (const s of [a, b, c]) expect(await sandboxMessages(s.userId)).toHaveLength(1);
    expect(await stockOf('p-g-fail', 'sku-g-fail-sku0')).toEqual(before);
    const quota = await db().send(new GetCommand({ TableName: table(), Key: keys.groupQuota('g-fail'), ConsistentRead: true }));
    expect(quota.Item!.sold).toBe(0);
    // The landing page of the failed group still shows nothing private.
    const landing = JSON.stringify(await groupLanding(token, Date.now()));
    for (const s of [a, b, c]) {
      const u = (await userRepo.get(s.userId))!;
      expect(landing).not.toContain(u.openid);
      if (u.nickname.length > 1) expect(landing).not.toContain(u.nickname);
    }
    expect(landing).not.toContain(SAMPLE_ADDRESS.phone);
    expect(landing).not.toContain('detail');
  });

  it('robot fill at the deadline: free seats get flagged robots, the group succeeds and nobody is refunded', async () => {
    const [a, b] = await shoppers('robot', 2);
    const leader = await pay(a, (await order(a, 'g-robot', 'sku-g-robot-sku0')).id);
    const bo = await pay(b, (await order(b, 'g-robot', 'sku-g-robot-sku0', leader.group!.token!)).id);
    const groupId = leader.group!.groupId!;
    const deadline = (await groupRepo.get(groupId))!.item.deadline;
    await sweepDueGroups(deadline - 1);
    expect((await groupRepo.get(groupId))!.item.status).toBe('OPEN');
    await sweepDueGroups(deadline);
    await sweepDueGroups(deadline + 1000); // a second run adds no robots and changes nothing
    const g = (await groupRepo.get(groupId))!;
    expect(g.item.status).toBe('SUCCESS');
    expect(g.item.memberCount).toBe(4);
    expect(g.members).toHaveLength(4);
    const robots = g.members.filter((m) => m.robot);
    expect(robots).toHaveLength(2);
    for (const r of robots) expect(r.orderId).toBeNull();
    for (const o of [leader, bo]) {
      const after = (await orderRepo.get(o.id))!;
      expect(after.status).toBe('PAID');
      expect(after.group!.status).toBe('SUCCESS');
      expect(after.refundedFen).toBe(0);
      expect(await refundRepo.forOrder(o.id)).toHaveLength(0);
    }
    expect(await groupRepo.due(deadline + 1000)).not.toContain(groupId);
    // 拼团成功 goes to the two real members only, once each despite the second sweep.
    for (const s of [a, b]) expect((await sandboxMessages(s.userId)).map((m) => m.data.phrase2)).toEqual(['拼团成功']);
    const notices = await db().send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `GROUPNOTICE#${groupId}` } }));
    expect(notices.Items).toHaveLength(2);
  });

  it('leader-free (团长免单): on success the leader gets the group price back (GROUPLEADER) and the order still ships', async () => {
    const [a, b] = await shoppers('free', 2);
    const lo = await order(a, 'g-free', 'sku-g-free-sku0');
    expect(lo.lines[0].payableFen).toBe(3990); // WeChat cannot charge 0: the leader pays, and is paid back on success
    const leader = await pay(a, lo.id);
    const bo = await pay(b, (await order(b, 'g-free', 'sku-g-free-sku0', leader.group!.token!)).id);
    const groupId = leader.group!.groupId!;
    expect((await groupRepo.get(groupId))!.item.status).toBe('SUCCESS');
    const after = (await orderRepo.get(leader.id))!;
    expect(after.status).toBe('PAID'); // still ships
    expect(after.group!.status).toBe('SUCCESS');
    expect(after.refundedFen).toBe(3990);
    expect(after.refundedFen).toBeLessThanOrEqual(after.paidFen!);
    const refunds = await refundRepo.forOrder(leader.id);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ outRefundNo: `${leader.id}-GROUPLEADER`, amountFen: 3990, full: false, reason: 'GROUP_LEADER' });
    // The member is not refunded; settling again (schedule and sweeper both firing) pays nothing twice.
    expect(await refundRepo.forOrder(bo.id)).toHaveLength(0);
    await settleGroup(groupId, Date.now());
    await sweepDueGroups((await groupRepo.get(groupId))!.item.deadline + 1000);
    expect(await refundRepo.forOrder(leader.id)).toHaveLength(1);
    expect((await orderRepo.get(leader.id))!.refundedFen).toBe(3990);
  });
});
