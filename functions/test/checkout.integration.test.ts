import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../tests/support/table';
import { SAMPLE_ADDRESS, call, idempotencyKey } from '../../tests/support/http';
import { shopper, stockOf, testProduct as product } from '../../tests/support/shop';
import * as cartApi from '../src/handlers/cart';
import * as addresses from '../src/handlers/addresses';
import * as orders from '../src/handlers/orders';

beforeAll(async () => {
  await freshTable();
});

describe('checkout', () => {
  it('sells exactly the 20 in stock to 200 concurrent buyers, never below zero', async () => {
    await product('p-hot-1', 20);
    const buyers = await Promise.all(Array.from({ length: 40 }, (_, i) => shopper(`hot-${i}`)));
    const attempts = Array.from({ length: 200 }, (_, i) => {
      const b = buyers[i % buyers.length];
      return call(orders.createOrder, {
        token: b.token,
        body: {
          idempotencyKey: idempotencyKey(),
          source: { type: 'buyNow', productId: 'p-hot-1', skuId: 'sku-hot-1-sku0', quantity: 1 },
          addressId: b.addressId,
        },
      });
    });
    const results = await Promise.all(attempts);
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(created).toHaveLength(20);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(20);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('OUT_OF_STOCK');
      expect(r.body.message).toContain('库存不足');
    }
    expect(await stockOf('p-hot-1', 'sku-hot-1-sku0')).toEqual({ stock: 0, sold: 20 });
  }, 180_000);

  it('returns one order for the same idempotency key submitted 20 times at once', async () => {
    await product('p-idem-1', 100);
    const b = await shopper('idem');
    const body = {
      idempotencyKey: idempotencyKey(),
      source: { type: 'buyNow', productId: 'p-idem-1', skuId: 'sku-idem-1-sku0', quantity: 2 },
      addressId: b.addressId,
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => call(orders.createOrder, { token: b.token, body })));
    expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await stockOf('p-idem-1', 'sku-idem-1-sku0')).toEqual({ stock: 98, sold: 2 });
    const list = await call(orders.listOrders, { token: b.token, query: { tab: 'ALL' } });
    expect(list.body.items).toHaveLength(1);
    // The same key with different content is a client bug, not a retry.
    const reused = await call(orders.createOrder, { token: b.token, body: { ...body, remark: '改了内容' } });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('checks out the selected cart lines with the server prices, sums the same SKU, and empties those lines', async () => {
    await product('p-cart-1', 10, 3000, 2);
    const b = await shopper('cart');
    await call(cartApi.addCartLine, { token: b.token, body: { productId: 'p-cart-1', skuId: 'sku-cart-1-sku0', quantity: 2 } });
    await call(cartApi.addCartLine, { token: b.token, body: { productId: 'p-cart-1', skuId: 'sku-cart-1-sku0', quantity: 1 } });
    const cart = await call(cartApi.addCartLine, { token: b.token, body: { productId: 'p-cart-1', skuId: 'sku-cart-1-sku1', quantity: 1 } });
    expect(cart.body.lines.find((l: any) => l.skuId === 'sku-cart-1-sku0').quantity).toBe(3);
    expect(cart.body.selectedTotalFen).toBe(12000);
    // Deselect one line: it stays in the cart and is not bought.
    await call(cartApi.updateCartLine, { token: b.token, params: { skuId: 'sku-cart-1-sku1' }, body: { selected: false } });
    const q = await call(orders.quote, { token: b.token, body: { source: { type: 'cart' } } });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ subtotalFen: 9000, shippingFen: 1000, discountFen: 0, payableFen: 10000 });
    const order = await call(orders.createOrder, {
      token: b.token,
      body: { idempotencyKey: idempotencyKey(), source: { type: 'cart' }, addressId: b.addressId },
    });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ status: 'PENDING_PAYMENT', statusLabel: '待付款', payableFen: 10000 });
    expect(order.body.lines).toHaveLength(1);
    const after = await call(cartApi.getCart, { token: b.token });
    expect(after.body.lines.map((l: any) => l.skuId)).toEqual(['sku-cart-1-sku1']);
    expect(await stockOf('p-cart-1', 'sku-cart-1-sku0')).toEqual({ stock: 7, sold: 3 });
  });

  it('names the SKU that ran out and writes nothing', async () => {
    await product('p-short-1', 1);
    const b = await shopper('short');
    const r = await call(orders.createOrder, {
      token: b.token,
      body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-short-1', skuId: 'sku-short-1-sku0', quantity: 2 }, addressId: b.addressId },
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'OUT_OF_STOCK', details: { skuId: 'sku-short-1-sku0' } });
    expect(r.body.message).toMatch(/^库存不足：测试商品 p-short-1/);
    expect(await stockOf('p-short-1', 'sku-short-1-sku0')).toEqual({ stock: 1, sold: 0 });
    expect((await call(orders.listOrders, { token: b.token })).body.items).toHaveLength(0);
  });

  it('refuses bad input with a Chinese message and a code, writing nothing', async () => {
    const b = await shopper('bad');
    const r = await call(orders.createOrder, {
      token: b.token,
      body: { idempotencyKey: 'short', source: { type: 'buyNow', productId: 'p-hot-1', skuId: 'sku-hot-1-sku0', quantity: 0 }, addressId: b.addressId },
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    const noAuth = await call(orders.createOrder, { body: {} });
    expect(noAuth).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED', message: '请先登录' } });
    const notJson = await call(orders.createOrder, { token: b.token, rawBody: '{oops' });
    expect(notJson.status).toBe(400);
    expect((await call(orders.listOrders, { token: b.token })).body.items).toHaveLength(0);
  });
});

describe('cancel', () => {
  it('returns the stock exactly once when the shopper cancels 10 times at once', async () => {
    await product('p-cancel-1', 10);
    const b = await shopper('cancel');
    const order = await call(orders.createOrder, {
      token: b.token,
      body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-cancel-1', skuId: 'sku-cancel-1-sku0', quantity: 3 }, addressId: b.addressId },
    });
    expect(await stockOf('p-cancel-1', 'sku-cancel-1-sku0')).toEqual({ stock: 7, sold: 3 });
    const cancels = await Promise.all(
      Array.from({ length: 10 }, () => call(orders.cancelOrder, { token: b.token, params: { orderId: order.body.id } })),
    );
    for (const c of cancels) expect(c.body.status).toBe('CANCELLED');
    expect(await stockOf('p-cancel-1', 'sku-cancel-1-sku0')).toEqual({ stock: 10, sold: 0 });
    const detail = await call(orders.getOrder, { token: b.token, params: { orderId: order.body.id } });
    expect(detail.body.timeline.filter((t: any) => t.status === 'CANCELLED')).toHaveLength(1);
    const tab = await call(orders.listOrders, { token: b.token, query: { tab: 'CANCELLED' } });
    expect(tab.body.items.map((o: any) => o.id)).toEqual([order.body.id]);
  });
});

describe('privacy between shoppers', () => {
  it("never lets B read, cancel or pay A's order, or see A's addresses", async () => {
    await product('p-priv-1', 10);
    const a = await shopper('alice');
    const b = await shopper('bob');
    const order = await call(orders.createOrder, {
      token: a.token,
      body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-priv-1', skuId: 'sku-priv-1-sku0', quantity: 1 }, addressId: a.addressId },
    });
    const orderId = order.body.id;
    expect((await call(orders.getOrder, { token: b.token, params: { orderId } })).status).toBe(404);
    expect((await call(orders.cancelOrder, { token: b.token, params: { orderId } })).status).toBe(404);
    expect((await call(orders.payOrder, { token: b.token, params: { orderId } })).status).toBe(404);
    expect((await call(orders.listOrders, { token: b.token })).body.items).toHaveLength(0);
    const bAddresses = await call(addresses.listAddresses, { token: b.token });
    expect(bAddresses.body.items.map((x: any) => x.id)).not.toContain(a.addressId);
    expect((await call(addresses.updateAddress, { token: b.token, params: { addressId: a.addressId }, body: SAMPLE_ADDRESS })).status).toBe(404);
    expect((await call(addresses.deleteAddress, { token: b.token, params: { addressId: a.addressId } })).status).toBe(404);
    // B cannot ship A's order to A's address either.
    const steal = await call(orders.createOrder, {
      token: b.token,
      body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-priv-1', skuId: 'sku-priv-1-sku0', quantity: 1 }, addressId: a.addressId },
    });
    expect(steal.body.code).toBe('ADDRESS_NOT_FOUND');
    // A's order is untouched.
    expect((await call(orders.getOrder, { token: a.token, params: { orderId } })).body.status).toBe('PENDING_PAYMENT');
    expect((await call(addresses.listAddresses, { token: a.token })).body.items).toHaveLength(1);
  });

  it('refuses a forged or foreign-signed session token', async () => {
    const a = await shopper('mallory');
    const [h, p] = a.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'SOMEONE' })).toString('base64url');
    const r = await call(orders.listOrders, { token: `${h}.${forgedPayload}.${a.token.split('.')[2]}` });
    expect(r).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });
});
