import { expect } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SAMPLE_ADDRESS, call, idempotencyKey } from './http';
import { putProduct } from '../../scripts/seed/seed';
import { db, table } from '../../functions/src/lib/dynamo';
import { keys } from '../../functions/src/repositories/keys';
import * as auth from '../../functions/src/handlers/auth';
import * as addresses from '../../functions/src/handlers/addresses';
import * as orders from '../../functions/src/handlers/orders';

export interface Shopper {
  token: string;
  addressId: string;
  userId: string;
}

/** A shopper logged in through the sandbox code2session, with a default address. */
export async function shopper(name: string): Promise<Shopper> {
  const login = await call(auth.login, { body: { code: `demo-${name}` } });
  expect(login.status).toBe(200);
  const token = login.body.token as string;
  const address = await call(addresses.createAddress, { token, body: SAMPLE_ADDRESS });
  expect(address.status).toBe(201);
  return { token, addressId: address.body.id, userId: login.body.user.id };
}

/** A product of its own for a test: `skus` SKUs named `sku-<id without p->-sku<i>`, each with `stock`. */
export async function testProduct(id: string, stock: number, priceFen = 5900, skus = 1): Promise<string[]> {
  const skuIds = Array.from({ length: skus }, (_, i) => `${id}-sku${i}`.replace(/^p-/, 'sku-'));
  await putProduct(
    {
      id,
      categoryId: 'home',
      title: `测试商品 ${id}`,
      subtitle: '',
      description: '',
      images: ['/catalog-images/x.svg'],
      specDimensions: [{ name: '颜色', values: skuIds.map((_, i) => `色${i}`) }],
      skus: skuIds.map((skuId, i) => ({ id: skuId, specs: { 颜色: `色${i}` }, priceFen, originalPriceFen: null, stock, image: null })),
      sales: 0,
      listedDaysAgo: 1,
      onShelf: true,
      keywords: [],
    },
    Date.now(),
  );
  return skuIds;
}

export async function stockOf(productId: string, skuId: string): Promise<{ stock: number; sold: number }> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: keys.sku(productId, skuId), ConsistentRead: true }));
  return { stock: out.Item!.stock, sold: out.Item!.sold };
}

/** Places a buy-now order through the API and returns it (expects success). */
export async function buyNow(s: Shopper, productId: string, skuId: string, quantity = 1) {
  const r = await call(orders.createOrder, {
    token: s.token,
    body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId, skuId, quantity }, addressId: s.addressId },
  });
  expect(r.status).toBe(201);
  return r.body;
}
