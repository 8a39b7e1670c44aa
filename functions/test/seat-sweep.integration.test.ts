/**
 * A paid group order whose seat reaction never ran (its stream retries ran out, or the stream lost it) is not left
 * paid without a seat: it sits in the DUE#SEAT index, and the group sweep decides its seat.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { shopper, testProduct } from '../../tests/support/shop';
import { tableStream } from '../../tests/support/stream';
import { orderRepo } from '../src/repositories/order-repo';
import { userRepo } from '../src/repositories/user-repo';
import { createGroupOrder } from '../src/services/groups';
import { sweepDueGroups } from '../src/services/group-settlement';
import { sandboxWechatPay } from '../src/providers/wechat-pay/index';
import { dynamoSandboxStore } from '../src/providers/wechat-pay/sandbox-store';
import * as orders from '../src/handlers/orders';
import { notify } from '../src/handlers/pay-notify';

beforeAll(async () => {
  await freshTable({
    CAMPAIGNS_DIR: campaignFolder({
      'groups.yaml': `campaigns:
  - id: g-sweep
    name: 测试拼团
    type: group_deal
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    productId: p-g-sweep
    skus:
      - { skuId: sku-g-sweep-sku0, groupPriceFen: 3990 }
    groupSize: 3
    timeLimitMinutes: 60
    stockQuota: 50
    perUserLimit: 2
    onFull: refund
    robotFill: false
    leaderFree: false
`,
    }),
  });
  await testProduct('p-g-sweep', 50, 5900);
});

describe('seat sweep', () => {
  it('seats a paid leader whose stream reaction never ran, once, and only after the quiet time', async () => {
    const s = await shopper('sweep-leader');
    const o = await createGroupOrder(s.userId, { idempotencyKey: idempotencyKey(), campaignId: 'g-sweep', skuId: 'sku-g-sweep-sku0', addressId: s.addressId, remark: '' }, Date.now());
    const p = await call(orders.payOrder, { token: s.token, params: { orderId: o.id } });
    expect(p.status).toBe(200);
    const sandbox = await sandboxWechatPay();
    await sandbox.simulateUserPayment(p.body.prepayId, 'pay', Date.now(), (await userRepo.get(s.userId))!.openid);
    const n = sandbox.server.buildNotification((await dynamoSandboxStore().get(o.id))!, Date.now());
    expect((await notify({ headers: n.headers, body: n.body, requestContext: { requestId: 'wx-sweep' } })).statusCode).toBe(204);
    // The stream's records are lost for this test: skip them all without reacting.
    await tableStream().drain(async () => ({ batchItemFailures: [] }));
    const paid = (await orderRepo.get(o.id))!;
    expect(paid).toMatchObject({ status: 'PAID', group: { status: 'PENDING' } });

    // Right after payment the stream is still expected to act: the sweep leaves it alone.
    const early = await sweepDueGroups(Date.now());
    expect(early.opened).toBe(0);
    expect((await orderRepo.get(o.id))!.group!.status).toBe('PENDING');

    const later = Date.now() + 3 * 60 * 1000;
    expect((await sweepDueGroups(later)).opened).toBe(1);
    const seated = (await orderRepo.get(o.id))!;
    expect(seated.group).toMatchObject({ status: 'OPEN', role: 'leader' });
    expect(seated.group!.groupId).toBeTruthy();
    // Out of the due list: a second sweep opens nothing more.
    expect(await orderRepo.seatsDue(later)).not.toContain(o.id);
    expect((await sweepDueGroups(later)).opened).toBe(0);
  });
});
