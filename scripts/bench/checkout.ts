/**
 * Checkout at 50 concurrent shoppers through the local HTTP API (osls offline → Lambda handler → DynamoDB Local),
 * next to the floor: the same DynamoDB operations a checkout needs, issued directly from this process in the same
 * run. Also counts the DynamoDB calls one checkout makes (SDK middleware on the service's own client).
 */
import { BatchGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startStack } from '../lib/stack';
import { runConcurrent } from './stats';

const SHOPPERS = 50;
const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 500);
const PRODUCT = 'p-bench-01';
/** One SKU per shopper: this measures the checkout path, not lock contention on one hot item (see group-hotspot). */
const skuOf = (i: number) => `sku-bench-01-${i % SHOPPERS}`;

export async function benchCheckout(): Promise<Record<string, unknown>> {
  const stack = await startStack({ dataDir: null, web: false, jobs: false });
  try {
    const { putProduct } = await import('../seed/seed');
    const { db, table, onDynamoCall } = await import('../../functions/src/lib/dynamo');
    const { keys } = await import('../../functions/src/repositories/keys');
    const { newId } = await import('../../functions/src/lib/ids');
    await putProduct(
      {
        id: PRODUCT, categoryId: 'home', title: '压测商品', subtitle: '', description: '', images: ['/catalog-images/x.svg'],
        specDimensions: [{ name: '规格', values: Array.from({ length: SHOPPERS }, (_, i) => `款${i}`) }],
        skus: Array.from({ length: SHOPPERS }, (_, i) => ({
          id: skuOf(i), specs: { 规格: `款${i}` }, priceFen: 1990, originalPriceFen: null, stock: 1_000_000, image: null,
        })),
        sales: 0, listedDaysAgo: 0, onShelf: true, keywords: [],
      },
      Date.now(),
    );

    // A connection the local API drops under load is reported as status 0, not thrown: the run counts it.
    const api = async (method: string, path: string, token: string | null, body?: unknown, tries = 1): Promise<{ status: number; body: any }> => {
      try {
        const res = await fetch(`${stack.apiUrl}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json().catch(() => null) };
      } catch (e) {
        if (tries > 1) return api(method, path, token, body, tries - 1);
        return { status: 0, body: { code: (e as Error).message } };
      }
    };
    const shoppers = await Promise.all(
      Array.from({ length: SHOPPERS }, async (_, i) => {
        const login = await api('POST', '/v1/auth/login', null, { code: `demo-bench-${i}` }, 3);
        if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
        const token = login.body.token as string;
        const address = await api('POST', '/v1/addresses', token, {
          name: '压测', phone: '13800000000', province: '上海市', city: '上海市', district: '黄浦区', detail: '压测路 1 号',
        }, 3);
        if (!login.body.user || address.status !== 201) throw new Error(`setup failed: ${JSON.stringify(login.body).slice(0, 300)} ${address.status} ${JSON.stringify(address.body)}`);
        return { token, userId: login.body.user.id as string, addressId: address.body.id as string };
      }),
    );
    const checkoutBody = (i: number) => ({
      idempotencyKey: `bench${Date.now()}${i}xxxxxxxxxx`,
      source: { type: 'buyNow', productId: PRODUCT, skuId: skuOf(i), quantity: 1 },
      addressId: shoppers[i % SHOPPERS].addressId,
      // The plain checkout path: new shoppers hold welcome coupons, and a coupon is one order's (see the quote bench).
      couponIds: [],
    });

    // Warm every handler container once, so cold starts are not measured.
    await Promise.all(shoppers.map((s, i) => api('POST', '/v1/orders', s.token, checkoutBody(1_000_000 + i))));
    const statuses: Record<string, number> = {};
    const viaApi = await runConcurrent(CHECKOUTS, SHOPPERS, async (i) => {
      const r = await api('POST', '/v1/orders', shoppers[i % SHOPPERS].token, checkoutBody(i));
      const key = r.status === 201 ? '201' : `${r.status}:${r.body?.code ?? r.body?.errorType ?? '?'}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
      return r.status === 201;
    });

    // The floor: one consistent BatchGet (SKU, product, address) + one TransactWriteItems (stock, order, key).
    const floor = await runConcurrent(CHECKOUTS, SHOPPERS, async (i) => {
      const s = shoppers[i % SHOPPERS];
      await db().send(
        new BatchGetCommand({
          RequestItems: { [table()]: { Keys: [keys.sku(PRODUCT, skuOf(i)), keys.product(PRODUCT), keys.address(s.userId, s.addressId)], ConsistentRead: true } },
        }),
      );
      const id = newId();
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: table(), Key: keys.sku(PRODUCT, skuOf(i)), UpdateExpression: 'SET stock = stock - :q, sold = sold + :q', ConditionExpression: 'stock >= :q AND priceFen = :p', ExpressionAttributeValues: { ':q': 1, ':p': 1990 } } },
            { Put: { TableName: table(), Item: { ...keys.order(id), type: 'benchOrder', id }, ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: table(), Item: { ...keys.checkoutKey(s.userId, id), orderId: id }, ConditionExpression: 'attribute_not_exists(PK)' } },
          ],
        }),
      );
      return true;
    });

    // DynamoDB calls per checkout, counted on the service's own client in this process.
    const { createOrder } = await import('../../functions/src/services/checkout');
    let calls = 0;
    const off = onDynamoCall(() => calls++);
    const counted = 20;
    for (let i = 0; i < counted; i++) {
      const s = shoppers[i];
      await createOrder(s.userId, { ...checkoutBody(2_000_000 + i), remark: '' } as never, Date.now());
    }
    off();

    return {
      bench: 'checkout',
      concurrency: SHOPPERS,
      checkouts: CHECKOUTS,
      api: { ...viaApi, statuses },
      floor,
      ratioP50: Math.round((viaApi.p50Ms / floor.p50Ms) * 100) / 100,
      ratioP99: Math.round((viaApi.p99Ms / floor.p99Ms) * 100) / 100,
      ratioThroughput: Math.round((floor.throughputPerS / viaApi.throughputPerS) * 100) / 100,
      dynamoCallsPerCheckout: calls / counted,
    };
  } finally {
    await stack.stop();
  }
}
