/**
 * Payment notifications at 50 concurrent deliveries through the local HTTP API (signature verification over the raw
 * body, AES-256-GCM decryption, amount/appid/mchid checks, idempotency record, conditional PENDING_PAYMENT → PAID),
 * next to the floor: the bare conditional update of an order's status, issued directly in the same run.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startStack } from '../lib/stack';
import { buildNotification } from '../../tests/support/notifications';
import { runConcurrent } from './stats';

const CONCURRENCY = 50;
const DELIVERIES = Number(process.env.BENCH_NOTIFICATIONS ?? 500);

export async function benchNotify(): Promise<Record<string, unknown>> {
  const stack = await startStack({ dataDir: null, web: false, jobs: false });
  try {
    const { putProduct } = await import('../seed/seed');
    const { db, table } = await import('../../functions/src/lib/dynamo');
    const { keys } = await import('../../functions/src/repositories/keys');
    const { createOrder } = await import('../../functions/src/services/checkout');
    const { login } = await import('../../functions/src/services/auth');
    const { createAddress } = await import('../../functions/src/services/address');
    const { wechatLogin } = await import('../../functions/src/providers/wechat-login/index');
    await putProduct(
      {
        id: 'p-bench-02', categoryId: 'home', title: '通知压测商品', subtitle: '', description: '', images: ['/catalog-images/x.svg'],
        specDimensions: [{ name: '规格', values: ['默认'] }],
        skus: [{ id: 'sku-bench-02', specs: { 规格: '默认' }, priceFen: 2990, originalPriceFen: null, stock: 10_000_000, image: null }],
        sales: 0, listedDaysAgo: 0, onShelf: true, keywords: [],
      },
      Date.now(),
    );
    const now = Date.now();
    const user = await login('demo-bench-notify', { wechatLogin: wechatLogin(), now });
    const address = await createAddress(user.user.id, { name: '压测', phone: '13800000000', province: '上海市', city: '上海市', district: '黄浦区', detail: '压测路 2 号', isDefault: true }, now);
    const makeOrders = async (n: number, tag: string) => {
      const ids: { id: string; payableFen: number }[] = [];
      await runConcurrent(n, 20, async (i) => {
        const o = await createOrder(user.user.id, { idempotencyKey: `bench${tag}${now}x${i}xxxxxx`, source: { type: 'buyNow', productId: 'p-bench-02', skuId: 'sku-bench-02', quantity: 1 }, addressId: address.id, remark: '', couponIds: [] }, Date.now());
        ids.push({ id: o.id, payableFen: o.payableFen });
        return true;
      });
      return ids;
    };
    const forApi = await makeOrders(DELIVERIES, 'api');
    const forFloor = await makeOrders(DELIVERIES, 'floor');
    const keysForWechat = { apiV3Key: stack.env.WXPAY_API_V3_KEY, platformPrivateKey: stack.env.SANDBOX_PLATFORM_PRIVATE_KEY, platformSerial: stack.env.SANDBOX_PLATFORM_SERIAL };
    const notifications = forApi.map((o, i) =>
      buildNotification({ outTradeNo: o.id, amountFen: o.payableFen, appid: stack.env.WECHAT_APP_ID, mchid: stack.env.WECHAT_MCH_ID, transactionId: `4200BENCH${now}${i}` }, keysForWechat),
    );
    // Warm as many notify workers as there will be concurrent deliveries (keys parsed, clients created), so the
    // measurement is of handling, not of 50 cold starts.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => {
        const warm = buildNotification({ outTradeNo: `01JWARMUP${String(i).padStart(17, '0')}`, amountFen: 1, appid: 'x', mchid: 'y' }, keysForWechat);
        return fetch(`${stack.apiUrl}/v1/pay/notify`, { method: 'POST', headers: warm.headers, body: warm.body }).then((r) => r.arrayBuffer());
      }),
    );

    const statuses: Record<string, number> = {};
    const viaApi = await runConcurrent(DELIVERIES, CONCURRENCY, async (i) => {
      const n = notifications[i];
      const res = await fetch(`${stack.apiUrl}/v1/pay/notify`, { method: 'POST', headers: n.headers, body: n.body });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      return res.status === 204;
    });
    const floor = await runConcurrent(DELIVERIES, CONCURRENCY, async (i) => {
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
      return true;
    });
    return {
      bench: 'notify',
      concurrency: CONCURRENCY,
      deliveries: DELIVERIES,
      api: { ...viaApi, statuses },
      floor,
      ratioP50: Math.round((viaApi.p50Ms / floor.p50Ms) * 100) / 100,
      ratioP99: Math.round((viaApi.p99Ms / floor.p99Ms) * 100) / 100,
      ratioThroughput: Math.round((floor.throughputPerS / viaApi.throughputPerS) * 100) / 100,
    };
  } finally {
    await stack.stop();
  }
}
