/**
 * A hot group (拼团): 500 paid join attempts land at once on one 3-seat group, each through the group service's seat
 * claim (onGroupOrderPaid: read, pure seat decision, member put with attribute_not_exists + the group's counter
 * moved only while OPEN, below size and before the deadline, re-decide on refusal; the losers refunded in full).
 * In-process against DynamoDB Local. Next to it, the floor: the same conditional transaction issued raw once per
 * attempt on a second group, no retries. One group is one partition key: the contention is the point.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startStack } from '../lib/stack';
import { runConcurrent } from './stats';

const ATTEMPTS = Number(process.env.BENCH_GROUP_JOINS ?? 500);
const SIZE = 3;
const CAMPAIGN = 'g-bench-hot';
const PRODUCT = 'p-bench-03';
const SKU = 'sku-bench-03';

export async function benchGroupHotspot(): Promise<Record<string, unknown>> {
  const stack = await startStack({ dataDir: null, web: false, jobs: false });
  const campaigns = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-group-'));
  try {
    // Campaign files live in <dir>/<stage>/ (the bench runs the local stage).
    fs.mkdirSync(path.join(campaigns, 'local'));
    fs.writeFileSync(
      path.join(campaigns, 'local', 'groups.yaml'),
      `campaigns:
  - id: ${CAMPAIGN}
    name: 压测拼团
    type: group_deal
    window: { start: 2026-01-01 00:00, end: 2099-01-01 00:00 }
    productId: ${PRODUCT}
    skus:
      - { skuId: ${SKU}, groupPriceFen: 3990 }
    groupSize: ${SIZE}
    timeLimitMinutes: 60
    stockQuota: 100000
    perUserLimit: 5
    onFull: refund
`,
    );
    // In-process, this bench's own deal replaces the stack's demo campaigns.
    process.env.CAMPAIGNS_DIR = campaigns;
    (await import('../../functions/src/providers/campaign-config')).resetCampaignConfig();
    const { putProduct } = await import('../seed/seed');
    const { db, table } = await import('../../functions/src/lib/dynamo');
    const { keys } = await import('../../functions/src/repositories/keys');
    const { addressRepo } = await import('../../functions/src/repositories/address-repo');
    const { createGroupOrder } = await import('../../functions/src/services/groups');
    const { onGroupOrderPaid } = await import('../../functions/src/services/group-settlement');
    const { groupRepo } = await import('../../functions/src/repositories/group-repo');
    // The refunds are recorded and sent; the sandbox answers 订单不存在 (these payments were marked paid directly, see
    // markPaid) and each stays REFUNDING for reconciliation, one warning each. The line is what this prints.
    (await import('../../functions/src/lib/http')).logger.setLogLevel('ERROR');
    const { orderRepo } = await import('../../functions/src/repositories/order-repo');
    await putProduct(
      {
        id: PRODUCT, categoryId: 'home', title: '拼团压测商品', subtitle: '', description: '', images: ['/catalog-images/x.svg'],
        specDimensions: [{ name: '规格', values: ['默认'] }],
        skus: [{ id: SKU, specs: { 规格: '默认' }, priceFen: 5900, originalPriceFen: null, stock: 10_000_000, image: null }],
        sales: 0, listedDaysAgo: 0, onShelf: true, keywords: [],
      },
      Date.now(),
    );
    const run = Date.now().toString(36);
    const shopper = async (i: number) => {
      const userId = `u-bench-g-${run}-${i}`;
      // Bare shoppers (no login, no profile): an address is all a group order needs.
      const addressId = `a${run}x${i}`;
      const now = Date.now();
      await addressRepo.create({ id: addressId, userId, name: '压测', phone: '13800000000', province: '上海市', city: '上海市', district: '黄浦区', detail: '压测路 3 号', createdAt: now, updatedAt: now });
      return { userId, addressId };
    };
    // Marks an order paid the way a verified notification would (the payment path is measured by the notify bench).
    const markPaid = async (orderId: string, fen: number, i: string) => {
      const now = Date.now();
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: keys.order(orderId),
          UpdateExpression: 'SET #s = :paid, paidFen = :fen, paidAt = :now, transactionId = :tx',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':paid': 'PAID', ':pending': 'PENDING_PAYMENT', ':fen': fen, ':now': now, ':tx': `4200BENCHG${run}${i}` },
        }),
      );
    };
    const order = async (s: { userId: string; addressId: string }, key: string, token?: string) =>
      createGroupOrder(s.userId, { idempotencyKey: `benchg${run}${key}xxxxxxxxxx`, campaignId: CAMPAIGN, skuId: SKU, addressId: s.addressId, groupToken: token, remark: '' }, Date.now());
    const openGroup = async (tag: string) => {
      const leader = await shopper(-1 - tag.length);
      const o = await order(leader, `leader${tag}`);
      await markPaid(o.id, o.payableFen, `L${tag}`);
      if ((await onGroupOrderPaid(o.id, Date.now())) !== 'opened') throw new Error('the bench group did not open');
      return (await orderRepo.get(o.id))!.group!;
    };

    // The hot group and 500 paid joiners' orders, placed while every seat was free.
    const hot = await openGroup('hot');
    const joiners: string[] = new Array(ATTEMPTS);
    await runConcurrent(ATTEMPTS, 25, async (i) => {
      const o = await order(await shopper(i), `j${i}`, hot.token!);
      await markPaid(o.id, o.payableFen, `J${i}`);
      joiners[i] = o.id;
      return true;
    });

    // All at once: every attempt starts together (concurrency = attempts).
    const outcomes: Record<string, number> = {};
    const service = await runConcurrent(ATTEMPTS, ATTEMPTS, async (i) => {
      try {
        const r = await onGroupOrderPaid(joiners[i], Date.now());
        outcomes[r] = (outcomes[r] ?? 0) + 1;
        return r === 'seated' || r === 'refunded';
      } catch (e) {
        const k = `error:${(e as { code?: string }).code ?? (e as Error).name}`;
        outcomes[k] = (outcomes[k] ?? 0) + 1;
        return false;
      }
    });
    const after = (await groupRepo.get(hot.groupId!))!;
    const refunded = (await Promise.all(joiners.map((id) => orderRepo.get(id)))).filter((o) => o && o.refundedFen === o.paidFen).length;

    // The floor: the seat's conditional transaction alone, once per attempt, on a second group of the same size.
    const floorGroup = await openGroup('floor');
    const now = Date.now();
    let floorSeats = 0;
    const floor = await runConcurrent(ATTEMPTS, ATTEMPTS, async (i) => {
      try {
        await db().send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table(),
                  Item: { ...keys.groupMember(floorGroup.groupId!, `u-floor-${i}`), type: 'groupMember', userId: `u-floor-${i}` },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Update: {
                  TableName: table(),
                  Key: keys.group(floorGroup.groupId!),
                  UpdateExpression: 'ADD memberCount :one',
                  ConditionExpression: '#status = :open AND memberCount < :size AND deadline > :now',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':one': 1, ':open': 'OPEN', ':size': SIZE, ':now': now },
                },
              },
            ],
          }),
        );
        floorSeats++;
        return true;
      } catch {
        return false; // refused (full) or a transaction conflict: either way an answer
      }
    });
    const floorGroupAfter = (await groupRepo.get(floorGroup.groupId!))!;

    return {
      bench: 'group-hotspot',
      attempts: ATTEMPTS,
      size: SIZE,
      seatsTaken: after.item.memberCount,
      seatsOk: after.item.memberCount === SIZE && after.members.length === SIZE,
      groupStatus: after.item.status,
      outcomes,
      refundedInFull: refunded,
      service,
      floor: { ...floor, seatsTaken: floorGroupAfter.item.memberCount, okWrites: floorSeats },
      ratioP50: Math.round((service.p50Ms / floor.p50Ms) * 100) / 100,
      ratioP99: Math.round((service.p99Ms / floor.p99Ms) * 100) / 100,
    };
  } finally {
    await stack.stop();
    fs.rmSync(campaigns, { recursive: true, force: true });
  }
}
