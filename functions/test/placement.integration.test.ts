import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call, idempotencyKey } from '../../tests/support/http';
import { buyNow, shopper, stockOf, testProduct, type Shopper } from '../../tests/support/shop';
import * as cartApi from '../src/handlers/cart';
import * as orders from '../src/handlers/orders';
import * as groups from '../src/handlers/groups';

/** One group deal per test product, so the tests do not share stock or per-shopper limits. */
const deal = (id: string) => `
  - id: ${id}
    name: 测试拼团
    type: group_deal
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    productId: p-${id}
    skus:
      - { skuId: sku-${id}-sku0, groupPriceFen: 3990, leaderPriceFen: 3490 }
    groupSize: 3
    timeLimitMinutes: 60
    stockQuota: 500
    perUserLimit: 2
    onFull: new_group
    robotFill: false
    leaderFree: false
`;

beforeAll(async () => {
  const yaml = `campaigns:${['gp-retry', 'gp-race', 'gp-short', 'gp-last'].map(deal).join('')}`;
  await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'groups.yaml': yaml }) });
  await testProduct('p-gp-retry', 10);
  await testProduct('p-gp-race', 100);
  await testProduct('p-gp-short', 0);
  await testProduct('p-gp-last', 1);
});

const submit = (s: Shopper, body: Record<string, unknown>) => call(orders.createOrder, { token: s.token, body });
const submitGroup = (s: Shopper, body: Record<string, unknown>) => call(groups.createGroupOrder, { token: s.token, body });
const ordersOf = async (s: Shopper) => (await call(orders.listOrders, { token: s.token, query: { tab: 'ALL' } })).body.items as { id: string }[];
const cartOf = async (s: Shopper) => (await call(cartApi.getCart, { token: s.token })).body.lines as { skuId: string; quantity: number }[];
const addToCart = (s: Shopper, productId: string, skuId: string, quantity: number) =>
  call(cartApi.addCartLine, { token: s.token, body: { productId, skuId, quantity } });

describe('checkout retries', () => {
  it('answers the identical retry of a buy-now order with that order, even once the stock has run out', async () => {
    await testProduct('p-retry-bn', 2);
    const a = await shopper('retry-bn');
    const body = { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-retry-bn', skuId: 'sku-retry-bn-sku0', quantity: 2 }, addressId: a.addressId };
    const first = await submit(a, body);
    expect(first.status).toBe(201);
    expect(await stockOf('p-retry-bn', 'sku-retry-bn-sku0')).toEqual({ stock: 0, sold: 2 });
    const again = await submit(a, body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.payableFen).toBe(first.body.payableFen);
    expect(await stockOf('p-retry-bn', 'sku-retry-bn-sku0')).toEqual({ stock: 0, sold: 2 });
    expect(await ordersOf(a)).toHaveLength(1);
  });

  it('answers the identical retry of a cart checkout with that order after its lines left the cart and the stock ran out', async () => {
    await testProduct('p-retry-cart', 3, 5900, 2);
    const a = await shopper('retry-cart');
    const other = await shopper('retry-cart-other');
    await addToCart(a, 'p-retry-cart', 'sku-retry-cart-sku0', 2);
    await addToCart(a, 'p-retry-cart', 'sku-retry-cart-sku1', 1);
    const body = { idempotencyKey: idempotencyKey(), source: { type: 'cart' }, addressId: a.addressId, remark: '放门口' };
    const first = await submit(a, body);
    expect(first.status).toBe(201);
    expect(await cartOf(a)).toEqual([]);
    // Someone else buys what is left: a fresh checkout of the same cart would now be refused.
    await buyNow(other, 'p-retry-cart', 'sku-retry-cart-sku0', 1);
    expect(await stockOf('p-retry-cart', 'sku-retry-cart-sku0')).toEqual({ stock: 0, sold: 3 });
    const again = await submit(a, body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.lines.map((l: { skuId: string; quantity: number }) => [l.skuId, l.quantity])).toEqual([
      ['sku-retry-cart-sku0', 2],
      ['sku-retry-cart-sku1', 1],
    ]);
    expect(await ordersOf(a)).toHaveLength(1);
    // The empty cart names the order only when the rest of the request is the same.
    const otherRemark = await submit(a, { ...body, remark: '改了备注' });
    expect(otherRemark).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('refuses the same key with a changed cart (422 IDEMPOTENCY_KEY_REUSED) and buys nothing of the new cart', async () => {
    await testProduct('p-reuse-cart', 10, 5900, 2);
    const a = await shopper('reuse-cart');
    await addToCart(a, 'p-reuse-cart', 'sku-reuse-cart-sku0', 1);
    const body = { idempotencyKey: idempotencyKey(), source: { type: 'cart' }, addressId: a.addressId };
    const first = await submit(a, body);
    expect(first.status).toBe(201);
    // Another product put in the cart, then the same key again: not a retry of the first order.
    await addToCart(a, 'p-reuse-cart', 'sku-reuse-cart-sku1', 2);
    const reused = await submit(a, body);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stockOf('p-reuse-cart', 'sku-reuse-cart-sku1')).toEqual({ stock: 10, sold: 0 });
    expect(await cartOf(a)).toEqual([expect.objectContaining({ skuId: 'sku-reuse-cart-sku1', quantity: 2 })]);
    expect(await ordersOf(a)).toHaveLength(1);
    // The same SKU in another quantity is other content too.
    await addToCart(a, 'p-reuse-cart', 'sku-reuse-cart-sku0', 2);
    await call(cartApi.updateCartLine, { token: a.token, params: { skuId: 'sku-reuse-cart-sku1' }, body: { selected: false } });
    expect((await submit(a, body)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // A new key buys the new cart.
    const fresh = await submit(a, { ...body, idempotencyKey: idempotencyKey() });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(first.body.id);
  });

  it('refuses the same key with another quantity, address, coupon choice or kind of order', async () => {
    await testProduct('p-reuse-bn', 10);
    const a = await shopper('reuse-bn');
    const body = { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-reuse-bn', skuId: 'sku-reuse-bn-sku0', quantity: 1 }, addressId: a.addressId };
    expect((await submit(a, body)).status).toBe(201);
    for (const changed of [
      { ...body, source: { ...body.source, quantity: 2 } },
      { ...body, couponIds: [] },
      { ...body, source: { type: 'cart' } },
    ]) {
      const r = await submit(a, changed);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    const asGroup = await submitGroup(a, { idempotencyKey: body.idempotencyKey, campaignId: 'gp-retry', skuId: 'sku-gp-retry-sku0', addressId: a.addressId });
    expect(asGroup).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await stockOf('p-reuse-bn', 'sku-reuse-bn-sku0')).toEqual({ stock: 9, sold: 1 });
    expect(await stockOf('p-gp-retry', 'sku-gp-retry-sku0')).toEqual({ stock: 10, sold: 0 });
    expect(await ordersOf(a)).toHaveLength(1);
  });

  it('makes one order of 20 concurrent identical cart submits; the cart lines go once', async () => {
    await testProduct('p-race-cart', 50, 5900, 2);
    const a = await shopper('race-cart');
    await addToCart(a, 'p-race-cart', 'sku-race-cart-sku0', 2);
    await addToCart(a, 'p-race-cart', 'sku-race-cart-sku1', 3);
    const body = { idempotencyKey: idempotencyKey(), source: { type: 'cart' }, addressId: a.addressId };
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(a, body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await stockOf('p-race-cart', 'sku-race-cart-sku0')).toEqual({ stock: 48, sold: 2 });
    expect(await stockOf('p-race-cart', 'sku-race-cart-sku1')).toEqual({ stock: 47, sold: 3 });
    expect(await cartOf(a)).toEqual([]);
    expect(await ordersOf(a)).toHaveLength(1);
  });

  it('makes one order of 20 concurrent identical submits that take the last units: no retry is told 库存不足', async () => {
    await testProduct('p-race-last', 2);
    const a = await shopper('race-last');
    const body = { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-race-last', skuId: 'sku-race-last-sku0', quantity: 2 }, addressId: a.addressId };
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(a, body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await stockOf('p-race-last', 'sku-race-last-sku0')).toEqual({ stock: 0, sold: 2 });
  });

  it('names the SKU in the same words for a buy-now order that wants more than is left', async () => {
    await testProduct('p-short-bn', 2);
    const a = await shopper('short-bn');
    const r = await submit(a, { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-short-bn', skuId: 'sku-short-bn-sku0', quantity: 3 }, addressId: a.addressId });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'OUT_OF_STOCK', message: '库存不足：测试商品 p-short-bn（色0）', details: { skuId: 'sku-short-bn-sku0', stock: 2 } });
    expect(await stockOf('p-short-bn', 'sku-short-bn-sku0')).toEqual({ stock: 2, sold: 0 });
  });
});

describe('group order retries', () => {
  it('answers the identical retry of a group order with that order, also once the stock has run out', async () => {
    const a = await shopper('gp-retry-a');
    const other = await shopper('gp-retry-other');
    const stockBefore = await stockOf('p-gp-retry', 'sku-gp-retry-sku0');
    const body = { idempotencyKey: idempotencyKey(), campaignId: 'gp-retry', skuId: 'sku-gp-retry-sku0', addressId: a.addressId, remark: '' };
    const first = await submitGroup(a, body);
    expect(first.status).toBe(201);
    expect(first.body.payableFen - first.body.shippingFen).toBe(3490);
    // The rest of the stock goes to someone else.
    const left = (await stockOf('p-gp-retry', 'sku-gp-retry-sku0')).stock;
    expect(left).toBe(stockBefore.stock - 1);
    await buyNow(other, 'p-gp-retry', 'sku-gp-retry-sku0', left);
    const again = await submitGroup(a, body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    // Same key, other content: another SKU, a token to join, another address or remark.
    for (const changed of [{ ...body, remark: '改了' }, { ...body, groupToken: 'abcdef123' }, { ...body, inviter: 'someone' }]) {
      const r = await submitGroup(a, changed);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    expect(await ordersOf(a)).toHaveLength(1);
  });

  it('makes one group order of 20 concurrent identical submits, counting the quota and the limit once', async () => {
    const a = await shopper('gp-race');
    const body = { idempotencyKey: idempotencyKey(), campaignId: 'gp-race', skuId: 'sku-gp-race-sku0', addressId: a.addressId };
    const results = await Promise.all(Array.from({ length: 20 }, () => submitGroup(a, body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await stockOf('p-gp-race', 'sku-gp-race-sku0')).toEqual({ stock: 99, sold: 1 });
    // perUserLimit 2: one more group order is allowed, the one after is not (the retry counted once).
    expect((await submitGroup(a, { ...body, idempotencyKey: idempotencyKey() })).status).toBe(201);
    const third = await submitGroup(a, { ...body, idempotencyKey: idempotencyKey() });
    expect(third).toMatchObject({ status: 400, body: { code: 'QUANTITY_LIMIT', message: '每人最多参加 2 次' } });
  });

  it('refuses a sold-out group SKU with the same 库存不足 message as a cart order', async () => {
    const a = await shopper('gp-short');
    const r = await submitGroup(a, { idempotencyKey: idempotencyKey(), campaignId: 'gp-short', skuId: 'sku-gp-short-sku0', addressId: a.addressId });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'OUT_OF_STOCK', message: '库存不足：测试商品 p-gp-short（色0）', details: { skuId: 'sku-gp-short-sku0', stock: 0 } });
  });

  it('sells the last unit to one of 8 concurrent group buyers; the others get the same 库存不足 message', async () => {
    const buyers = await Promise.all(Array.from({ length: 8 }, (_, i) => shopper(`gp-last-${i}`)));
    const results = await Promise.all(
      buyers.map((b) => submitGroup(b, { idempotencyKey: idempotencyKey(), campaignId: 'gp-last', skuId: 'sku-gp-last-sku0', addressId: b.addressId })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'OUT_OF_STOCK', message: '库存不足：测试商品 p-gp-last（色0）' });
    }
    expect(await stockOf('p-gp-last', 'sku-gp-last-sku0')).toEqual({ stock: 0, sold: 1 });
  });
});
