import { describe, expect, it } from 'vitest';
import { AddressInput, CreateOrderRequest, AddCartLineRequest, SearchQuery, ListProductsQuery } from '../src/contracts/index';

describe('API contracts', () => {
  it('rejects a bad phone number with a Chinese message', () => {
    const r = AddressInput.safeParse({ name: '张三', phone: '12345', province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 100 号' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe('请填写正确的手机号');
  });
  it('never accepts a price from the client: unknown keys are stripped from an order request', () => {
    const parsed = CreateOrderRequest.parse({
      idempotencyKey: 'abcdefghijklmnop1234',
      source: { type: 'buyNow', productId: 'p-a', skuId: 'sku-a', quantity: 1, priceFen: 1 },
      addressId: '01JC0000000000000000000000',
      payableFen: 1,
    });
    expect(parsed).not.toHaveProperty('payableFen');
    expect(parsed.source).not.toHaveProperty('priceFen');
  });
  it('bounds quantities to 1..99', () => {
    expect(AddCartLineRequest.safeParse({ productId: 'p-a', skuId: 'sku-a', quantity: 0 }).success).toBe(false);
    expect(AddCartLineRequest.safeParse({ productId: 'p-a', skuId: 'sku-a', quantity: 100 }).success).toBe(false);
    expect(AddCartLineRequest.safeParse({ productId: 'p-a', skuId: 'sku-a', quantity: 99 }).success).toBe(true);
  });
  it('coerces query strings and applies defaults', () => {
    expect(ListProductsQuery.parse({ limit: '5' })).toEqual({ sort: 'sales', limit: 5 });
    expect(SearchQuery.safeParse({ q: '   ' }).success).toBe(false);
  });
});
