import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../tests/support/table';
import { call, idempotencyKey, SAMPLE_ADDRESS } from '../../tests/support/http';
import { buyNow, shopper, testProduct, type Shopper } from '../../tests/support/shop';
import { sandboxWechatPay } from '../src/providers/wechat-pay';
import { MAX_BODY_BYTES } from '../src/lib/http';
import * as addresses from '../src/handlers/addresses';
import * as catalog from '../src/handlers/catalog';
import * as searchHandlers from '../src/handlers/search';
import * as orders from '../src/handlers/orders';
import * as sandbox from '../src/handlers/sandbox';

const CJK = /[\u4e00-\u9fff]/;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const fromB64 = (c: string) => JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));

function expectRefused(r: { status: number; body: any }, status = 400, code = 'VALIDATION_FAILED') {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.code).toBe(code);
  expect(r.body.message).toMatch(CJK);
}

let alice: Shopper;
let bob: Shopper;

beforeAll(async () => {
  await freshTable();
  // Enough products for three catalog pages, and orders for three order pages.
  for (let i = 0; i < 5; i++) await testProduct(`p-hard-${i}`, 100, 1000 + i);
  alice = await shopper('hard-alice');
  bob = await shopper('hard-bob');
  for (let i = 0; i < 5; i++) await buyNow(alice, `p-hard-${i}`, `sku-hard-${i}-sku0`);
  await buyNow(bob, 'p-hard-0', 'sku-hard-0-sku0');
});

describe('list cursors: a malformed, forged or oversized cursor is a 400, never a 500', () => {
  it('pages through the order list, all orders and a tab, with no overlap', async () => {
    for (const tab of ['ALL', 'PENDING_PAYMENT']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await call(orders.listOrders, { token: alice.token, query: { tab, limit: '2', ...(cursor ? { cursor } : {}) } });
        expect(r.status).toBe(200);
        seen.push(...r.body.items.map((o: { id: string }) => o.id));
        cursor = r.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    }
  });

  it('refuses every shape of bad order cursor that reached DynamoDB before', async () => {
    const first = await call(orders.listOrders, { token: alice.token, query: { limit: '1' } });
    const good = first.body.nextCursor as string;
    const decoded = fromB64(good);
    const pk = `USER#${alice.userId}#ORDERS`;
    const bad: Record<string, Record<string, string>> = {
      junk: { cursor: '!!!not-base64!!!' },
      notJson: { cursor: Buffer.from('{oops').toString('base64url') },
      jsonNull: { cursor: b64(null) },
      // The old format (a raw DynamoDB key) with extra, missing, mistyped or nested attributes.
      extraAttribute: { cursor: b64({ GSI1PK: pk, foo: 'x' }) },
      numbers: { cursor: b64({ GSI1PK: pk, GSI1SK: 1, PK: 2, SK: 3 }) },
      nested: { cursor: b64({ GSI1PK: pk, GSI1SK: { a: 1 }, PK: 'x', SK: 'y' }) },
      onlyPartition: { cursor: b64({ GSI1PK: pk }) },
      // The new format with a position that is not an order id, or extra fields.
      badPosition: { cursor: b64({ ...decoded, p: { after: 'x'.repeat(26) } }) },
      extraPosition: { cursor: b64({ ...decoded, p: { ...decoded.p, GSI1PK: pk } }) },
      // A cursor from the ALL list used on a tab (another index).
      otherTab: { tab: 'PENDING_PAYMENT', cursor: good },
      oversized: { cursor: 'a'.repeat(600) },
    };
    for (const [name, query] of Object.entries(bad)) {
      const r = await call(orders.listOrders, { token: alice.token, query });
      expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(400);
      expectRefused(r);
    }
  });

  it("refuses another shopper's cursor (their partition), and a cursor re-scoped to one's own partition cannot reach theirs", async () => {
    await buyNow(bob, 'p-hard-1', 'sku-hard-1-sku0');
    const bobs = await call(orders.listOrders, { token: bob.token, query: { limit: '1' } });
    expect(bobs.body.nextCursor).toBeTruthy();
    expectRefused(await call(orders.listOrders, { token: alice.token, query: { cursor: bobs.body.nextCursor } }));
    // Alice's own scope around Bob's order id only starts Alice's list after that id: it never returns Bob's orders.
    const forged = b64({ s: `USER#${alice.userId}#ORDERS`, p: { after: fromB64(bobs.body.nextCursor).p.after } });
    const r = await call(orders.listOrders, { token: alice.token, query: { cursor: forged } });
    expect(r.status).toBe(200);
    const bobOrderIds = new Set((await call(orders.listOrders, { token: bob.token })).body.items.map((o: { id: string }) => o.id));
    for (const o of r.body.items) expect(bobOrderIds.has(o.id)).toBe(false);
  });

  it('pages through the catalog listing and search, and refuses bad catalog cursors', async () => {
    for (const [handler, query] of [
      [catalog.listProducts, { categoryId: 'home', sort: 'price_asc' }],
      [searchHandlers.searchProducts, { q: '测试商品 hard', sort: 'price_asc' }],
    ] as const) {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await call(handler, { query: { ...query, limit: '2', ...(cursor ? { cursor } : {}) } });
        expect(r.status).toBe(200);
        ids.push(...r.body.items.map((p: { id: string }) => p.id));
        cursor = r.body.nextCursor ?? undefined;
      } while (cursor);
      expect(ids.filter((id) => id.startsWith('p-hard-'))).toEqual(['p-hard-0', 'p-hard-1', 'p-hard-2', 'p-hard-3', 'p-hard-4']);

      const first = await call(handler, { query: { ...query, limit: '1' } });
      const good = first.body.nextCursor as string;
      const decoded = fromB64(good);
      for (const cursor of [
        '%%%',
        b64({ o: 1 }),
        b64({ ...decoded, p: { o: -1 } }),
        b64({ ...decoded, p: { o: 1e300 } }),
        b64({ ...decoded, p: { o: '1' } }),
        b64({ ...decoded, p: { o: 1, x: 1 } }),
        b64({ ...decoded, s: 'products::sales' }),
        'a'.repeat(600),
      ]) {
        expectRefused(await call(handler, { query: { ...query, cursor } }));
      }
      // A cursor of one sort order does not continue another.
      expectRefused(await call(handler, { query: { ...query, sort: 'newest', cursor: good } }));
    }
  });
});

describe('bounded input: every string has a maximum and the body has a size limit', () => {
  it('a 1 MiB prepayId is refused before it is parsed (413), a long one by the contract (400)', async () => {
    const huge = await call(sandbox.sandboxPay, { token: alice.token, body: { prepayId: 'x'.repeat(1 << 20), action: 'pay' } });
    expectRefused(huge, 413, 'PAYLOAD_TOO_LARGE');
    const long = await call(sandbox.sandboxPay, { token: alice.token, body: { prepayId: 'x'.repeat(1000), action: 'pay' } });
    expectRefused(long);
    expect(long.body.message).toBe('支付单号格式不正确');
  });

  it('the body limit holds for base64-encoded bodies and for every route, and a body just under it is read', async () => {
    const big = JSON.stringify({ ...SAMPLE_ADDRESS, detail: 'x'.repeat(MAX_BODY_BYTES) });
    const r = await addresses.createAddress({
      headers: { authorization: `Bearer ${alice.token}` },
      body: Buffer.from(big).toString('base64'),
      isBase64Encoded: true,
      requestContext: { requestId: 'big' },
    });
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // Multi-byte text counts in bytes: 30,000 汉字 are 90,000 bytes.
    expectRefused(await call(addresses.createAddress, { token: alice.token, body: { ...SAMPLE_ADDRESS, detail: '路'.repeat(30_000) } }), 413, 'PAYLOAD_TOO_LARGE');
    // Under the body limit, the field limit answers with the field's Chinese message.
    const long = await call(addresses.createAddress, { token: alice.token, body: { ...SAMPLE_ADDRESS, detail: '路'.repeat(10_000) } });
    expectRefused(long);
    expect(long.body.message).toBe('详细地址太长');
  });

  it('long ids, keys and remarks in an order are refused with Chinese messages, and nothing is written', async () => {
    const before = (await call(orders.listOrders, { token: alice.token, query: { limit: '50' } })).body.items.length;
    for (const body of [
      { idempotencyKey: 'k'.repeat(5000), source: { type: 'cart' }, addressId: alice.addressId },
      { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p'.repeat(5000), skuId: 'sku-hard-0-sku0', quantity: 1 }, addressId: alice.addressId },
      { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-hard-0', skuId: 'sku-hard-0-sku0', quantity: 1 }, addressId: alice.addressId, remark: '备'.repeat(5000) },
      { idempotencyKey: idempotencyKey(), source: { type: 'cart' }, addressId: alice.addressId, couponIds: ['c'.repeat(5000)] },
    ]) {
      expectRefused(await call(orders.createOrder, { token: alice.token, body }));
    }
    expect((await call(orders.listOrders, { token: alice.token, query: { limit: '50' } })).body.items.length).toBe(before);
  });
});

describe('error bodies carry no internal or WeChat error text', () => {
  it('WeChat Pay failing the prepay: 502 with the Chinese message only, the details stay in the log', async () => {
    const order = await buyNow(alice, 'p-hard-2', 'sku-hard-2-sku0');
    const pay = await sandboxWechatPay();
    pay.server.failNextRequests(3, 500);
    const r = await call(orders.payOrder, { token: alice.token, params: { orderId: order.id } });
    expect(r.status).toBe(502);
    expect(r.body).toEqual({ code: 'PAYMENT_UNAVAILABLE', message: '支付暂时不可用，请稍后再试' });
    expect(JSON.stringify(r.body)).not.toMatch(/SYSTEM_ERROR|prepay|httpStatus|attempts|wechat/i);
    // WeChat back: the same order pays.
    expect((await call(orders.payOrder, { token: alice.token, params: { orderId: order.id } })).status).toBe(200);
  });

  it("the sandbox refusing another shopper's prepay: the refusal, not the prepay id it was about", async () => {
    const order = await buyNow(bob, 'p-hard-3', 'sku-hard-3-sku0');
    const pay = await call(orders.payOrder, { token: bob.token, params: { orderId: order.id } });
    expect(pay.status).toBe(200);
    const r = await call(sandbox.sandboxPay, { token: alice.token, body: { prepayId: pay.body.prepayId, action: 'pay' } });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ code: 'FORBIDDEN', message: '该支付单不属于当前用户' });
  });

  it('details meant for the client still arrive: which SKU ran out and how many are left', async () => {
    await testProduct('p-hard-short', 1);
    const r = await call(orders.createOrder, {
      token: alice.token,
      body: { idempotencyKey: idempotencyKey(), source: { type: 'buyNow', productId: 'p-hard-short', skuId: 'sku-hard-short-sku0', quantity: 2 }, addressId: alice.addressId },
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'OUT_OF_STOCK', details: { skuId: 'sku-hard-short-sku0', stock: 1 } });
    expect(Object.keys(r.body.details).sort()).toEqual(['skuId', 'stock']);
  });
});
