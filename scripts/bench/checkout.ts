/**
 * Checkout (buy-now, one SKU per shopper, no coupon) at 50 in flight, three ways to the same result, in interleaved
 * rounds of one run:
 * - floor: the bare DynamoDB operations of the same shape, issued from this process — one consistent BatchGetItem
 *   (SKU, product, address) and one TransactWriteItems (stock update, a copy of a real order item, the checkout key);
 * - handler: the createOrder Lambda handler invoked in this process with an API Gateway v2 event — our code's cost;
 * - http: POST /v1/orders through the local API emulator (osls offline: a worker thread per concurrent call, on the
 *   same two cores as DynamoDB Local and this process) — informational.
 * DynamoDB calls are counted per handler invocation by a hook on the functions' client in this process.
 * Setup (shoppers, addresses) runs in-process through the handlers, so a cold machine never times out on it.
 */
import { BatchGetCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startStack } from '../lib/stack';
import { call, idempotencyKey } from '../../tests/support/http';
import { benchLine, benchShopper, CallTally, countCallsOn, httpStatus, interleaved, rampUp, ratio, withCalls } from './paths';

const SHOPPERS = 50;
const CONCURRENCY = 50;
const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 500);
const ROUNDS = 5;
const PRODUCT = 'p-bench-01';
const PRICE_FEN = 1990;
/** One SKU per shopper: this measures the checkout path, not lock contention on one hot item (see group-hotspot). */
const skuOf = (i: number) => `sku-bench-01-${i % SHOPPERS}`;

export function benchCheckout(): Promise<Record<string, unknown>> {
  return benchLine('checkout', async (line) => {
    Object.assign(line, { concurrency: CONCURRENCY, checkoutsPerPath: CHECKOUTS });
    const stack = await startStack({ dataDir: null, web: false, jobs: false });
    try {
      const { putProduct } = await import('../seed/seed');
      const { db, rawClient, table } = await import('../../functions/src/lib/dynamo');
      const { keys } = await import('../../functions/src/repositories/keys');
      const { newId } = await import('../../functions/src/lib/ids');
      const { logger } = await import('../../functions/src/lib/http');
      const orders = await import('../../functions/src/handlers/orders');
      // Refusals would be logged per request; the statuses in the line say the same.
      logger.setLogLevel('SILENT');
      countCallsOn(rawClient());

      await putProduct(
        {
          id: PRODUCT, categoryId: 'home', title: '压测商品', subtitle: '', description: '', images: ['/catalog-images/x.svg'],
          specDimensions: [{ name: '规格', values: Array.from({ length: SHOPPERS }, (_, i) => `款${i}`) }],
          skus: Array.from({ length: SHOPPERS }, (_, i) => ({
            id: skuOf(i), specs: { 规格: `款${i}` }, priceFen: PRICE_FEN, originalPriceFen: null, stock: 1_000_000, image: null,
          })),
          sales: 0, listedDaysAgo: 0, onShelf: true, keywords: [],
        },
        Date.now(),
      );

      // Shoppers and addresses in-process through the handlers, a few at a time.
      const shopper = (i: number) => benchShopper(`bench-${i}`);
      const shoppers: Awaited<ReturnType<typeof shopper>>[] = [];
      for (let i = 0; i < SHOPPERS; i += 5) shoppers.push(...(await Promise.all([0, 1, 2, 3, 4].map((k) => shopper(i + k)))));

      const checkoutBody = (i: number) => ({
        idempotencyKey: idempotencyKey(),
        source: { type: 'buyNow', productId: PRODUCT, skuId: skuOf(i), quantity: 1 },
        addressId: shoppers[i % SHOPPERS].addressId,
        // The plain checkout path: new shoppers hold welcome coupons, and a coupon is one order's (see the quote bench).
        couponIds: [],
      });

      // Warm the handler in this process (connections, campaign config, JIT) and take a real order as the floor's item.
      let template: Record<string, unknown> | undefined;
      for (let w = 0; w < 2; w++) {
        await Promise.all(
          shoppers.map(async (s, i) => {
            const r = await call(orders.createOrder, { token: s.token, body: checkoutBody(i) });
            if (r.status !== 201) throw new Error(`warm-up checkout: ${r.status} ${JSON.stringify(r.body)}`);
            template ??= (await db().send(new GetCommand({ TableName: table(), Key: keys.order(r.body.id) }))).Item;
          }),
        );
      }
      if (!template) throw new Error('warm-up: the order just placed cannot be read back');
      // Warm the emulator's workers, concurrency rising in steps (50 bundle loads at once time out on a cold machine).
      const http = (i: number, body: unknown) =>
        httpStatus(`${stack.apiUrl}/v1/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${shoppers[i % SHOPPERS].token}` },
          body: JSON.stringify(body),
        });
      await rampUp(CONCURRENCY, (i) => http(i, checkoutBody(i)));

      const tally = new CallTally();
      const paths = await interleaved(
        [
          {
            name: 'floor',
            ok: 'done',
            run: async (i) => {
              const s = shoppers[i % SHOPPERS];
              await db().send(
                new BatchGetCommand({
                  RequestItems: { [table()]: { Keys: [keys.sku(PRODUCT, skuOf(i)), keys.product(PRODUCT), keys.address(s.userId, s.addressId)], ConsistentRead: true } },
                }),
              );
              const id = newId();
              const key = idempotencyKey();
              await db().send(
                new TransactWriteCommand({
                  TransactItems: [
                    { Update: { TableName: table(), Key: keys.sku(PRODUCT, skuOf(i)), UpdateExpression: 'SET stock = stock - :q, sold = sold + :q', ConditionExpression: 'stock >= :q AND priceFen = :p', ExpressionAttributeValues: { ':q': 1, ':p': PRICE_FEN } } },
                    { Put: { TableName: table(), Item: { ...template, ...keys.order(id), id, userId: s.userId, idempotencyKey: key }, ConditionExpression: 'attribute_not_exists(PK)' } },
                    { Put: { TableName: table(), Item: { ...keys.checkoutKey(s.userId, key), type: 'checkoutKey', orderId: id, requestHash: key }, ConditionExpression: 'attribute_not_exists(PK)' } },
                  ],
                }),
              );
              return { status: 'done' };
            },
          },
          {
            name: 'handler',
            ok: '201',
            prepare: (i) => checkoutBody(i),
            run: async (i, body) => {
              const { value, commands } = await withCalls(() => call(orders.createOrder, { token: shoppers[i % SHOPPERS].token, body }));
              if (value.status === 201) tally.add(commands);
              return { status: String(value.status), detail: value.body };
            },
          },
          { name: 'http', ok: '201', prepare: (i) => checkoutBody(i), run: (i, body) => http(i, body) },
        ],
        { total: CHECKOUTS, rounds: ROUNDS, concurrency: CONCURRENCY },
      );

      Object.assign(line, {
        floor: paths.floor,
        handler: paths.handler,
        http: paths.http,
        handlerRatioP50: ratio(paths.handler.p50Ms, paths.floor.p50Ms),
        handlerRatioP99: ratio(paths.handler.p99Ms, paths.floor.p99Ms),
        httpRatioP50: ratio(paths.http.p50Ms, paths.floor.p50Ms),
        httpRatioP99: ratio(paths.http.p99Ms, paths.floor.p99Ms),
        dynamoCallsPerCheckout: tally.summary(),
      });
    } finally {
      await stack.stop();
    }
  });
}
