/**
 * WeChat Pay payment notifications at 50 in flight, each a real v3 TRANSACTION.SUCCESS (RSA-signed over the raw body,
 * resource AES-256-GCM encrypted) for a fresh unpaid order, four ways in interleaved rounds of one run:
 * - floor: one bare conditional UpdateItem of an unpaid order (PENDING_PAYMENT → PAID), issued from this process;
 * - handler: the notify Lambda handler invoked in this process with an API Gateway v2 event — our code's cost
 *   (verification, decryption, checks, settlement) until it answers;
 * - sameCalls: the DynamoDB calls the answer path makes (GetItem + a two-item TransactWriteItems), bare — so
 *   handler / sameCalls is our code's own overhead and sameCalls / floor what DynamoDB charges for that work;
 * - http: POST /v1/pay/notify through the local API emulator (osls offline) — informational.
 * The DynamoDB calls a notification makes before its answer are counted per handler invocation (work the answer
 * does not wait for is not counted). Setup places the orders in-process through the handlers.
 */
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startStack } from '../lib/stack';
import { call, idempotencyKey } from '../../tests/support/http';
import { buildNotification } from '../../tests/support/notifications';
import { benchLine, benchShopper, CallTally, countCallsOn, httpStatus, interleaved, rampUp, ratio, withCalls } from './paths';

const CONCURRENCY = 50;
const DELIVERIES = Number(process.env.BENCH_NOTIFICATIONS ?? 500);
const ROUNDS = 5;
const SHOPPERS = 10;
const PRODUCT = 'p-bench-02';
const SKU = 'sku-bench-02';

export function benchNotify(): Promise<Record<string, unknown>> {
  return benchLine('notify', async (line) => {
    Object.assign(line, { concurrency: CONCURRENCY, deliveriesPerPath: DELIVERIES });
    const stack = await startStack({ dataDir: null, web: false, jobs: false });
    try {
      const { putProduct } = await import('../seed/seed');
      const { db, rawClient, table } = await import('../../functions/src/lib/dynamo');
      const { keys } = await import('../../functions/src/repositories/keys');
      const { logger } = await import('../../functions/src/lib/http');
      const orders = await import('../../functions/src/handlers/orders');
      const payNotify = await import('../../functions/src/handlers/pay-notify');
      logger.setLogLevel('SILENT');
      countCallsOn(rawClient());

      await putProduct(
        {
          id: PRODUCT, categoryId: 'home', title: '通知压测商品', subtitle: '', description: '', images: ['/catalog-images/x.svg'],
          specDimensions: [{ name: '规格', values: ['默认'] }],
          skus: [{ id: SKU, specs: { 规格: '默认' }, priceFen: 2990, originalPriceFen: null, stock: 10_000_000, image: null }],
          sales: 0, listedDaysAgo: 0, onShelf: true, keywords: [],
        },
        Date.now(),
      );
      const shoppers: { token: string; code: string; addressId: string }[] = [];
      for (let i = 0; i < SHOPPERS; i++) shoppers.push(await benchShopper(`bench-notify-${i}`));
      // Fresh unpaid orders for every delivery of every path, placed in-process through the checkout handler.
      type Unpaid = { id: string; payableFen: number; openid: string };
      const placeOrders = async (n: number): Promise<Unpaid[]> => {
        const out: Unpaid[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            while (next < n) {
              const s = shoppers[next++ % SHOPPERS];
              const r = await call(orders.createOrder, {
                token: s.token,
                body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: PRODUCT, skuId: SKU, quantity: 1 }, addressId: s.addressId, couponIds: [] },
              });
              if (r.status !== 201) throw new Error(`setup: checkout ${r.status} ${JSON.stringify(r.body)}`);
              out.push({ id: r.body.id, payableFen: r.body.payableFen, openid: `sandbox-openid-${s.code}` });
            }
          }),
        );
        return out;
      };
      const forHandler = await placeOrders(DELIVERIES + CONCURRENCY);
      const forHttp = await placeOrders(DELIVERIES);
      const forFloor = await placeOrders(DELIVERIES);
      const forSameCalls = await placeOrders(DELIVERIES);

      const wechat = { apiV3Key: stack.env.WXPAY_API_V3_KEY, platformPrivateKey: stack.env.SANDBOX_PLATFORM_PRIVATE_KEY, platformSerial: stack.env.SANDBOX_PLATFORM_SERIAL };
      let tx = 0;
      const notification = (o: Unpaid) =>
        buildNotification({ outTradeNo: o.id, amountFen: o.payableFen, appid: stack.env.WECHAT_APP_ID, mchid: stack.env.WECHAT_MCH_ID, openid: o.openid, transactionId: `4200BENCH${Date.now()}${tx++}` }, wechat);
      // API Gateway v2 hands header names over in lower case.
      const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
      type Signed = ReturnType<typeof notification>;
      const viaHandler = async (n: Signed, tally?: CallTally) => {
        const { value, commands } = await withCalls(() => call(payNotify.notify, { headers: lower(n.headers), rawBody: n.body }));
        if (value.status === 204) tally?.add(commands);
        return { status: String(value.status), detail: value.body };
      };
      const viaHttp = (n: Signed) =>
        httpStatus(`${stack.apiUrl}/v1/pay/notify`, { method: 'POST', headers: n.headers, body: n.body });

      // Warm the handler in this process on orders of its own, then the emulator's workers with concurrency rising
      // in steps (notifications for orders that do not exist: answered without paying anything).
      await Promise.all(forHandler.slice(DELIVERIES).map((o) => viaHandler(notification(o))));
      await rampUp(CONCURRENCY, (i) =>
        viaHttp(notification({ id: `01JWARMUP${String(i).padStart(17, '0')}`, payableFen: 1, openid: 'sandbox-openid-warm-up' })),
      );

      const tally = new CallTally();
      const paths = await interleaved(
        [
          {
            name: 'floor',
            ok: 'done',
            run: async (i) => {
              await db().send(
                new UpdateCommand({
                  TableName: table(),
                  Key: keys.order(forFloor[i].id),
                  UpdateExpression: 'SET #s = :paid, transactionId = :tx',
                  ConditionExpression: '#s = :pending',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':paid': 'PAID', ':pending': 'PENDING_PAYMENT', ':tx': `floor${i}` },
                }),
              );
              return { status: 'done' };
            },
          },
          {
            // The answer path's own DynamoDB work done bare: the GetItem and the two-item transaction (order update +
            // payment record) that settlement makes, without our code around them.
            name: 'sameCalls',
            ok: 'done',
            run: async (i) => {
              const o = forSameCalls[i];
              await db().send(new GetCommand({ TableName: table(), Key: keys.order(o.id), ConsistentRead: true }));
              await db().send(
                new TransactWriteCommand({
                  TransactItems: [
                    {
                      Update: {
                        TableName: table(),
                        Key: keys.order(o.id),
                        UpdateExpression: 'SET #s = :paid, transactionId = :tx',
                        ConditionExpression: '#s = :pending',
                        ExpressionAttributeNames: { '#s': 'status' },
                        ExpressionAttributeValues: { ':paid': 'PAID', ':pending': 'PENDING_PAYMENT', ':tx': `same${i}` },
                      },
                    },
                    { Put: { TableName: table(), Item: { ...keys.payment(o.id, `same${i}`), type: 'benchPayment' }, ConditionExpression: 'attribute_not_exists(PK)' } },
                  ],
                }),
              );
              return { status: 'done' };
            },
          },
          // WeChat signs, not us: both paths get their notification signed before the clock starts.
          { name: 'handler', ok: '204', prepare: (i) => notification(forHandler[i]), run: (_i, n) => viaHandler(n as Signed, tally) },
          { name: 'http', ok: '204', prepare: (i) => notification(forHttp[i]), run: (_i, n) => viaHttp(n as Signed) },
        ],
        { total: DELIVERIES, rounds: ROUNDS, concurrency: CONCURRENCY },
      );

      Object.assign(line, {
        floor: paths.floor,
        handler: paths.handler,
        http: paths.http,
        handlerRatioP50: ratio(paths.handler.p50Ms, paths.floor.p50Ms),
        handlerRatioP99: ratio(paths.handler.p99Ms, paths.floor.p99Ms),
        sameCalls: paths.sameCalls,
        // Our code's overhead over the DynamoDB calls it has to make (1.0 = nothing but those calls).
        handlerToSameCallsP50: ratio(paths.handler.p50Ms, paths.sameCalls.p50Ms),
        sameCallsToFloorP50: ratio(paths.sameCalls.p50Ms, paths.floor.p50Ms),
        httpRatioP50: ratio(paths.http.p50Ms, paths.floor.p50Ms),
        httpRatioP99: ratio(paths.http.p99Ms, paths.floor.p99Ms),
        dynamoCallsPerNotification: tally.summary(),
      });
    } finally {
      await stack.stop();
    }
  });
}
