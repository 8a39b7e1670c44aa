/**
 * A hot group (拼团): 500 payers of one 5-seat group, each with a real unpaid group order and a sandbox prepay, are
 * paid at once. What WeChat waits for is the answer to each TRANSACTION.SUCCESS notification; seats and refunds
 * follow from the table's stream, off that path.
 * - answer: 500 real notifications (RSA-signed over the raw body, resource AES-256-GCM encrypted, signed before the
 *   clock starts as WeChat would) delivered to the notify Lambda handler in-process with an API Gateway v2 event,
 *   50 in flight, with the DynamoDB calls each makes before it answers; next to the floor, one bare conditional
 *   UpdateItem on the same table at the same concurrency, in interleaved rounds;
 * - drain: the table's stream read from DynamoDB Local and handed to the production stream handler
 *   (jobs.onTableChange) as Lambda would, until nothing is left; then the outcome is checked: seats = size, every
 *   other payer refunded in full exactly once, nobody left paid without a seat decision, refunds = what they paid.
 *   The time each kind of reaction takes (and its DynamoDB calls, and the WeChat refund call inside it) is reported.
 * Setup is in-process (no local API): DynamoDB Local, a table with its stream, this bench's own group deal.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ensureTable, localClient, startDynamoLocal } from '../lib/dynamodb-local';
import { generateLocalSecrets } from '../lib/local-secrets';
import { createStreamReader, type StreamHandler, type StreamRecord } from '../lib/table-stream';
import { call } from '../../tests/support/http';
import { benchLine, CallTally, countCallsOn, interleaved, ratio, withCalls } from './paths';

const PAYERS = Number(process.env.BENCH_GROUP_JOINS ?? 500);
const SIZE = 5;
const CONCURRENCY = 50;
const ROUNDS = 5;
const SETUP_CONCURRENCY = 25;
const CAMPAIGN = 'g-bench-hot';
const PRODUCT = 'p-bench-03';
const SKU = 'sku-bench-03';
const ON_FULL = 'refund';
/** The refund reason a payer who found the group full gets under this deal's onFull. */
const LOSER_REASON = 'GROUP_FULL';
const ADDRESS = { name: '压测', phone: '13800000000', province: '上海市', city: '上海市', district: '黄浦区', detail: '压测路 3 号', isDefault: true };

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Runs `task` for 0..n-1 with `concurrency` in flight; the first error stops the rest and is thrown. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n && failed === undefined) {
        const i = next++;
        try {
          await task(i);
        } catch (e) {
          failed ??= e;
        }
      }
    }),
  );
  if (failed !== undefined) throw failed;
}

export function benchGroupHotspot(): Promise<Record<string, unknown>> {
  return benchLine('group-hotspot', async (line) => {
    Object.assign(line, { payers: PAYERS, size: SIZE, concurrency: CONCURRENCY });
    const dynamo = await startDynamoLocal();
    const campaigns = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-group-'));
    try {
      const tableName = 'bench-group-hotspot';
      // Campaign files live in <dir>/<stage>/; this bench's deal is the only one.
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
    timeLimitMinutes: 240
    stockQuota: 100000
    perUserLimit: 5
    onFull: ${ON_FULL}
`,
      );
      // The local stage's settings (WeChat Pay and the subscribe messages in their sandboxes), fresh keys. The payment
      // window is long so a slow setup on a cold machine never sees a prepay expire.
      Object.assign(process.env, {
        STAGE: 'local',
        TABLE_NAME: tableName,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        WECHAT_SANDBOX: 'true',
        WECHAT_APP_ID: 'wxsandbox00000000',
        WECHAT_MCH_ID: '1900000001',
        WECHAT_NOTIFY_URL: 'http://127.0.0.1:9/v1/pay/notify',
        WEB_BASE_URL: 'http://no-web-server.invalid',
        WECHAT_TMPL_GROUP_SUCCESS: 'tmpl-bench-success',
        WECHAT_TMPL_GROUP_FAILED: 'tmpl-bench-failed',
        PAYMENT_WINDOW_MS: String(3 * 3600 * 1000),
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        LOG_LEVEL: 'SILENT',
        CAMPAIGNS_DIR: campaigns,
        CAMPAIGNS_RELOAD_MS: 'Infinity',
        ...generateLocalSecrets(),
      });
      delete process.env.SECRETS_SSM_PREFIX;
      await ensureTable(localClient(dynamo.endpoint), tableName);

      const { putProduct } = await import('../seed/seed');
      const { db, rawClient, table } = await import('../../functions/src/lib/dynamo');
      const { logger } = await import('../../functions/src/lib/http');
      const { keys } = await import('../../functions/src/repositories/keys');
      const { orderRepo } = await import('../../functions/src/repositories/order-repo');
      const { groupRepo } = await import('../../functions/src/repositories/group-repo');
      const { refundRepo } = await import('../../functions/src/repositories/refund-repo');
      const { createGroupOrder } = await import('../../functions/src/services/groups');
      const { payOrder } = await import('../../functions/src/services/payment');
      const { sandboxWechatPay } = await import('../../functions/src/providers/wechat-pay/index');
      const { dynamoSandboxStore } = await import('../../functions/src/providers/wechat-pay/sandbox-store');
      const auth = await import('../../functions/src/handlers/auth');
      const addresses = await import('../../functions/src/handlers/addresses');
      const payNotify = await import('../../functions/src/handlers/pay-notify');
      const jobs = await import('../../functions/src/handlers/jobs');
      logger.setLogLevel('SILENT');
      countCallsOn(rawClient());
      // Time spent waiting for DynamoDB inside a reaction (the profile below), attributed through the async context.
      const dynamoWait = new AsyncLocalStorage<{ ms: number }>();
      rawClient().middlewareStack.add(
        (next) => async (args) => {
          const acc = dynamoWait.getStore();
          if (!acc) return next(args);
          const t0 = performance.now();
          try {
            return await next(args);
          } finally {
            acc.ms += performance.now() - t0;
          }
        },
        { step: 'initialize', name: 'benchDynamoWait', override: true },
      );
      const sandbox = await sandboxWechatPay();
      const store = dynamoSandboxStore();

      await putProduct(
        {
          id: PRODUCT, categoryId: 'home', title: '拼团压测商品', subtitle: '', description: '', images: ['/catalog-images/x.svg'],
          specDimensions: [{ name: '规格', values: ['默认'] }],
          skus: [{ id: SKU, specs: { 规格: '默认' }, priceFen: 5900, originalPriceFen: null, stock: 10_000_000, image: null }],
          sales: 0, listedDaysAgo: 0, onShelf: true, keywords: [],
        },
        Date.now(),
      );

      // One payer: a shopper (sandbox login, an address), a real unpaid group order and its sandbox prepay, then the
      // payment sheet paid at the sandbox without its notification being sent: the bench delivers it.
      const run = Date.now().toString(36);
      let txSeq = 0;
      type Paid = { orderId: string; paidFen: number; tx: Awaited<ReturnType<typeof store.markPaid>> & object };
      const payer = async (name: string, groupToken?: string): Promise<Paid> => {
        const login = await call(auth.login, { body: { code: `demo-bench-g-${run}-${name}` } });
        if (login.status !== 200) throw new Error(`setup: login ${login.status} ${JSON.stringify(login.body)}`);
        const address = await call(addresses.createAddress, { token: login.body.token, body: ADDRESS });
        if (address.status !== 201) throw new Error(`setup: address ${address.status} ${JSON.stringify(address.body)}`);
        const userId = login.body.user.id as string;
        const order = await createGroupOrder(userId, { idempotencyKey: `benchg${run}${name}`.padEnd(24, 'x'), campaignId: CAMPAIGN, skuId: SKU, addressId: address.body.id, groupToken, remark: '' }, Date.now());
        const prepay = await payOrder(userId, order.id, Date.now());
        const pending = await store.getByPrepayId(prepay.prepayId);
        if (!pending) throw new Error(`setup: no sandbox prepay for ${order.id}`);
        const now = Date.now();
        const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
        const tx = await store.markPaid(pending.outTradeNo, { transactionId: `4200${day}${String(++txSeq).padStart(16, '0')}`, successTime: Math.floor(now / 1000) * 1000, nowMs: now });
        if (!tx) throw new Error(`setup: the sandbox did not take the payment of ${order.id}`);
        return { orderId: order.id, paidFen: order.payableFen, tx };
      };
      // API Gateway v2 hands header names over in lower case.
      const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
      const signed = (p: Paid) => sandbox.server.buildNotification(p.tx, Date.now());
      type Signed = ReturnType<typeof signed>;
      const deliver = async (n: Signed, tally?: CallTally) => {
        const { value, commands } = await withCalls(() => call(payNotify.notify, { headers: lower(n.headers), rawBody: n.body }));
        if (value.status === 204) tally?.add(commands);
        return { status: String(value.status), detail: value.body };
      };

      // The stream as Lambda reads it; one reader, so each drain continues where the last stopped.
      const streamLog: string[] = [];
      const reader = createStreamReader({ endpoint: dynamo.endpoint, tableName, log: (l) => streamLog.push(l) });
      const onTableChange = jobs.onTableChange as StreamHandler;

      // The leader pays; the stream opens the group.
      const setupStarted = performance.now();
      const leader = await payer('leader');
      const leaderAnswer = await deliver(signed(leader));
      if (leaderAnswer.status !== '204') throw new Error(`setup: leader's notification answered ${leaderAnswer.status}`);
      await reader.drain(onTableChange);
      const opened = (await orderRepo.get(leader.orderId))!.group;
      if (opened?.status !== 'OPEN' || !opened.token || !opened.groupId) throw new Error(`setup: the group did not open (${JSON.stringify(opened)})`);
      const groupId = opened.groupId;

      // 500 payers, each order placed while every seat was free.
      const payers: Paid[] = new Array(PAYERS);
      await pool(PAYERS, SETUP_CONCURRENCY, async (i) => {
        payers[i] = await payer(`j${i}`, opened.token!);
      });
      // The floor's items: one per update, in the same table (no type: the stream reactions pass over them).
      const floorKey = (i: number) => keys.order(`bench-floor-${run}-${i}`);
      await pool(PAYERS + CONCURRENCY, SETUP_CONCURRENCY, async (i) => {
        await db().send(new PutCommand({ TableName: table(), Item: { ...floorKey(i), status: 'PENDING_PAYMENT' } }));
      });
      // Reactions to the setup itself (new orders), so the measured drain holds only what the payments caused.
      await reader.drain(onTableChange);
      line.setupS = Math.round((performance.now() - setupStarted) / 1000);

      // Warm the handler and the floor's path (notifications for orders that do not exist change nothing).
      const floor = async (i: number) => {
        await db().send(
          new UpdateCommand({
            TableName: table(),
            Key: floorKey(i),
            UpdateExpression: 'SET #s = :paid, transactionId = :tx',
            ConditionExpression: '#s = :pending',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':paid': 'PAID', ':pending': 'PENDING_PAYMENT', ':tx': `floor${i}` },
          }),
        );
        return { status: 'done' };
      };
      await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) =>
          Promise.all([
            floor(PAYERS + i),
            deliver(sandbox.server.buildNotification({ ...leader.tx, outTradeNo: `01JWARMUP${String(i).padStart(17, '0')}`, transactionId: `4200${String(i).padStart(24, '9')}` }, Date.now())),
          ]),
        ),
      );

      // Every payer's notification, answered while no seat has been decided yet.
      const tally = new CallTally();
      const paths = await interleaved(
        [
          { name: 'floor', ok: 'done', run: (i) => floor(i) },
          { name: 'answer', ok: '204', prepare: (i) => signed(payers[i]), run: (_i, n) => deliver(n as Signed, tally) },
        ],
        { total: PAYERS, rounds: ROUNDS, concurrency: CONCURRENCY },
      );
      const seatsBeforeDrain = (await groupRepo.get(groupId))!.item.memberCount;

      // The stream's reactions, timed per record (the production handler, one record at a time, as it goes anyway).
      const refundCall = { n: 0, ms: 0 };
      const wechatRefund = sandbox.refund;
      sandbox.refund = async (...args) => {
        const t0 = performance.now();
        try {
          return await wechatRefund(...args);
        } finally {
          refundCall.n++;
          refundCall.ms += performance.now() - t0;
        }
      };
      type Cost = { n: number; ms: number; dynamoMs: number; calls: number; tally: CallTally };
      const cost = (): Cost => ({ n: 0, ms: 0, dynamoMs: 0, calls: 0, tally: new CallTally() });
      const add = (c: Cost, ms: number, dynamoMs: number, commands: string[]) => {
        c.n++;
        c.ms += ms;
        c.dynamoMs += dynamoMs;
        c.calls += commands.length;
        c.tally.add(commands);
      };
      const byOrder = new Map<string, { ms: number; dynamoMs: number; commands: string[] }>();
      const byKind = new Map<string, Cost>();
      const note = (kind: string, ms: number, dynamoMs: number, commands: string[]) => {
        if (!byKind.has(kind)) byKind.set(kind, cost());
        add(byKind.get(kind)!, ms, dynamoMs, commands);
      };
      let failures = 0;
      const profiled: StreamHandler = async (event) => {
        for (const record of event.Records) {
          const next = record.dynamodb.NewImage ? unmarshall(record.dynamodb.NewImage as never) : null;
          const previous = record.dynamodb.OldImage ? unmarshall(record.dynamodb.OldImage as never) : null;
          const waited = { ms: 0 };
          const t0 = performance.now();
          const { value, commands } = await dynamoWait.run(waited, () => withCalls(() => onTableChange({ Records: [record] as StreamRecord[] })));
          const ms = performance.now() - t0;
          const seatClaim = next?.type === 'order' && next.status === 'PAID' && next.group?.status === 'PENDING' && (previous?.status !== 'PAID' || previous?.group?.role !== next.group.role);
          if (seatClaim) {
            const o = byOrder.get(next.id);
            byOrder.set(next.id, { ms: (o?.ms ?? 0) + ms, dynamoMs: (o?.dynamoMs ?? 0) + waited.ms, commands: [...(o?.commands ?? []), ...commands] });
          } else if (next?.type === 'group' && next.status !== 'OPEN' && previous?.status === 'OPEN') note('group closed → settle', ms, waited.ms, commands);
          else if (next?.type === 'payment' && record.eventName === 'INSERT' && next.disposition === 'REFUND_DUE') note('payment owed → refund', ms, waited.ms, commands);
          else note('no reaction', ms, waited.ms, commands);
          if (value?.batchItemFailures?.length) {
            failures++;
            return value;
          }
        }
        return { batchItemFailures: [] };
      };
      const drainCpu = process.cpuUsage();
      const drainStarted = performance.now();
      let delivered = 0;
      for (let pass = 0; pass < 10; pass++) {
        const n = await reader.drain(profiled);
        delivered += n;
        if (n === 0) break;
      }
      const drainSeconds = (performance.now() - drainStarted) / 1000;
      const cpu = process.cpuUsage(drainCpu);
      const drainCpuSeconds = (cpu.user + cpu.system) / 1e6;

      // The outcome, read back.
      const group = (await groupRepo.get(groupId))!;
      const seated = new Set(group.members.filter((m) => !m.robot).map((m) => m.orderId));
      const problems: string[] = [];
      let refunded = 0;
      let refundRecords = 0;
      let refundedFen = 0;
      let losersPaidFen = 0;
      let paidPending = 0;
      const orders = [leader, ...payers];
      const finals = new Array(orders.length);
      await pool(orders.length, SETUP_CONCURRENCY, async (i) => {
        finals[i] = { order: await orderRepo.get(orders[i].orderId), refunds: await refundRepo.forOrder(orders[i].orderId) };
      });
      orders.forEach((p, i) => {
        const { order, refunds } = finals[i] as { order: Awaited<ReturnType<typeof orderRepo.get>>; refunds: Awaited<ReturnType<typeof refundRepo.forOrder>> };
        refundRecords += refunds.length;
        if (!order) return void problems.push(`order ${p.orderId} missing`);
        if (order.status === 'PAID' && order.group?.status === 'PENDING') paidPending++;
        if (seated.has(order.id)) {
          if (refunds.length) problems.push(`seated ${order.id} has ${refunds.length} refunds`);
          if (order.group?.status !== 'SUCCESS') problems.push(`seated ${order.id} membership ${order.group?.status}`);
          return;
        }
        losersPaidFen += order.paidFen ?? 0;
        refundedFen += refunds.reduce((s, r) => s + r.amountFen, 0);
        const r = refunds[0];
        if (refunds.length === 1 && r.full && r.reason === LOSER_REASON && r.amountFen === order.paidFen && order.refundedFen === order.paidFen) refunded++;
        else if (problems.length < 5) problems.push(`${order.id}: ${refunds.length} refunds ${JSON.stringify(refunds.map((x) => [x.reason, x.amountFen, x.full]))}, paid ${order.paidFen}, refunded ${order.refundedFen}`);
      });
      const losers = orders.length - seated.size;
      const ok =
        group.item.status === 'SUCCESS' &&
        group.item.memberCount === SIZE &&
        seated.size === SIZE &&
        refunded === losers &&
        refundRecords === losers &&
        refundedFen === losersPaidFen &&
        paidPending === 0 &&
        paths.answer.ok === PAYERS &&
        failures === 0;

      // Per-reaction profile: seat claims split by what they ended in.
      const claims = { seated: cost(), refused: cost() };
      for (const [id, v] of byOrder) add(seated.has(id) ? claims.seated : claims.refused, v.ms, v.dynamoMs, v.commands);
      const summarize = (v: Cost) => {
        const t = v.tally.summary();
        return {
          n: v.n,
          totalS: round1(v.ms / 1000),
          meanMs: round1(v.ms / Math.max(1, v.n)),
          dynamoWaitMeanMs: round1(v.dynamoMs / Math.max(1, v.n)),
          dynamoCallsMean: round1(v.calls / Math.max(1, v.n)),
          ...('typical' in t && t.typical ? { typical: t.typical } : {}),
        };
      };
      const reactions: Record<string, unknown> = {
        'paid → seat taken': summarize(claims.seated),
        'paid → refused, refunded': summarize(claims.refused),
        ...Object.fromEntries([...byKind].map(([k, v]) => [k, summarize(v)])),
      };

      Object.assign(line, {
        answerP50Ms: paths.answer.p50Ms,
        answerP99Ms: paths.answer.p99Ms,
        floorP50Ms: paths.floor.p50Ms,
        floorP99Ms: paths.floor.p99Ms,
        ratioP50: ratio(paths.answer.p50Ms, paths.floor.p50Ms),
        ratioP99: ratio(paths.answer.p99Ms, paths.floor.p99Ms),
        dynamoCallsPerAnswer: tally.summary(),
        seatsWhenAllAnswered: seatsBeforeDrain,
        drainSeconds: round1(drainSeconds),
        drainCpuSeconds: round1(drainCpuSeconds),
        streamRecords: delivered,
        seats: group.item.memberCount,
        size: SIZE,
        groupStatus: group.item.status,
        losers,
        refunded,
        refundRecords,
        refundedFen,
        losersPaidFen,
        paidWithoutSeatDecision: paidPending,
        ok,
        reactions,
        wechatRefundCall: { n: refundCall.n, meanMs: round1(refundCall.ms / Math.max(1, refundCall.n)), totalS: round1(refundCall.ms / 1000) },
        answer: paths.answer,
        floor: paths.floor,
        ...(failures ? { reactionFailures: failures } : {}),
        ...(streamLog.length ? { streamLog: streamLog.slice(0, 3) } : {}),
      });
      if (!ok) line.error = `outcome check failed${problems.length ? `: ${problems.join('; ')}` : ''}`;
    } finally {
      await dynamo.stop();
      fs.rmSync(campaigns, { recursive: true, force: true });
    }
  });
}
