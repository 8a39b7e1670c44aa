import { describe, expect, it, vi } from 'vitest';
import { ApiError, buildQuery, createApiClient, type TransportRequest } from '../src/api/client';
import { NETWORK_ERROR_MESSAGE } from '../src/api/errors';

function client(respond: (req: TransportRequest) => Promise<{ statusCode: number; data: unknown }>, token: string | null = null) {
  const toasts: string[] = [];
  const onUnauthorized = vi.fn();
  const seen: TransportRequest[] = [];
  const c = createApiClient({
    baseUrl: 'https://api.test/',
    transport: (req) => {
      seen.push(req);
      return respond(req);
    },
    getToken: () => token,
    onUnauthorized,
    toast: (m) => toasts.push(m),
  });
  return { c, toasts, onUnauthorized, seen };
}

describe('api client', () => {
  it('builds the URL from the route table, path params and query, and sends the token', async () => {
    const { c, seen } = client(async () => ({ statusCode: 200, data: { items: [], nextCursor: null } }), 'tok');
    await c.call('listProducts', { query: { categoryId: 'c-food', sort: 'price_asc', cursor: undefined, limit: 20 } });
    await c.call('getProduct', { params: { productId: 'p a/b' } });
    expect(seen[0]).toMatchObject({
      url: 'https://api.test/v1/products?categoryId=c-food&sort=price_asc&limit=20',
      method: 'GET',
      header: { Authorization: 'Bearer tok' },
    });
    expect(seen[0]!.header['Content-Type']).toBeUndefined();
    expect(seen[1]!.url).toBe('https://api.test/v1/products/p%20a%2Fb');
  });

  it('sends a JSON body on writes and no Authorization header without a session', async () => {
    const { c, seen } = client(async () => ({ statusCode: 200, data: { ok: true } }));
    await c.call('addCartLine', { body: { productId: 'p-1', skuId: 's-1', quantity: 2 } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: 'https://api.test/v1/cart/lines', data: { productId: 'p-1', skuId: 's-1', quantity: 2 } });
    expect(seen[0]!.header.Authorization).toBeUndefined();
    expect(seen[0]!.header['Content-Type']).toBe('application/json');
  });

  it('refuses to call a route with a missing path parameter', async () => {
    const { c, seen } = client(async () => ({ statusCode: 200, data: {} }));
    await expect(c.call('getOrder', { params: {} })).rejects.toThrow(/orderId/);
    expect(seen).toHaveLength(0);
  });

  it('turns an error body into a typed ApiError and toasts its message', async () => {
    const { c, toasts, onUnauthorized } = client(async () => ({
      statusCode: 409,
      data: { code: 'OUT_OF_STOCK', message: '库存不足', details: { skuId: 's-1' } },
    }));
    const err = await c.call('getCart').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'OUT_OF_STOCK', message: '库存不足', status: 409, details: { skuId: 's-1' } });
    expect(toasts).toEqual(['库存不足']);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('stays quiet when the caller opts out of the toast', async () => {
    const { c, toasts } = client(async () => ({ statusCode: 404, data: { code: 'NOT_FOUND', message: '请求的内容不存在' } }));
    await expect(c.call('demoUsers', { silent: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(toasts).toEqual([]);
  });

  it('reports a 401 so the session can be cleared', async () => {
    const { c, toasts, onUnauthorized } = client(
      async () => ({ statusCode: 401, data: { code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' } }),
      'old',
    );
    await expect(c.call('getCart')).rejects.toMatchObject({ status: 401, isUnauthorized: true });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(toasts).toEqual(['登录已过期，请重新登录']);
  });

  it('maps a failed transport to NETWORK_ERROR and a body without {code,message} to BAD_RESPONSE', async () => {
    const net = client(async () => {
      throw new Error('request:fail timeout');
    });
    await expect(net.c.call('categories')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0, message: NETWORK_ERROR_MESSAGE });
    expect(net.toasts).toEqual([NETWORK_ERROR_MESSAGE]);

    const gw = client(async () => ({ statusCode: 502, data: '<html>Bad Gateway</html>' }));
    await expect(gw.c.call('categories')).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 502 });
  });

  it('does not take a passed-on function failure for an answer, even with a 200', async () => {
    const { c, toasts } = client(async () => ({
      statusCode: 200,
      data: { errorMessage: '[504] - Lambda timeout.', errorType: 'LambdaTimeoutError', stackTrace: [] },
    }));
    await expect(c.call('listAddresses')).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 502 });
    expect(toasts).toEqual(['系统繁忙，请稍后再试']);
  });

  it('parses a JSON body that arrives as text', async () => {
    const { c } = client(async () => ({ statusCode: 200, data: '{"items":[{"id":"c-1"}]}' }));
    await expect(c.call('categories')).resolves.toEqual({ items: [{ id: 'c-1' }] });
  });

  it('leaves empty values out of the query string', () => {
    expect(buildQuery({ q: '口红 红', sort: undefined, cursor: '', limit: 20 })).toBe('?q=%E5%8F%A3%E7%BA%A2%20%E7%BA%A2&limit=20');
    expect(buildQuery({})).toBe('');
  });
});
