import { describe, expect, it } from 'vitest';
import { allSelected, canCheckout, cartBadgeCount, invalidLines } from '../src/store/slices/cart';
import { LOGIN, cart, cartLine, fail, makeStore, ok } from './support/fakes';

describe('cart slice', () => {
  it('groups off-shelf, sold-out and spec-gone lines as 失效 and 清空失效商品 removes exactly those', async () => {
    const mixed = [
      cartLine('s-ok'),
      cartLine('s-short', { state: 'INSUFFICIENT_STOCK', purchasable: false, quantity: 5, stock: 2 }),
      cartLine('s-off', { state: 'OFF_SHELF', purchasable: false }),
      cartLine('s-sold', { state: 'OUT_OF_STOCK', purchasable: false }),
      cartLine('s-spec', { state: 'SPEC_GONE', purchasable: false }),
    ];
    let left = mixed;
    const s = makeStore({
      login: () => ok(LOGIN),
      getCart: () => ok(cart(left)),
      removeCartLine: (req) => {
        left = left.filter((l) => !req.url.endsWith(`/${l.skuId}`));
        return ok(cart(left));
      },
    });
    await s.store.getState().loginWithCode('c');
    await s.store.getState().fetchCart();
    expect(invalidLines(s.store.getState().cart).map((l) => l.skuId)).toEqual(['s-off', 's-sold', 's-spec']);
    await s.store.getState().clearInvalidLines();
    expect(s.store.getState().cart!.lines.map((l) => l.skuId)).toEqual(['s-ok', 's-short']);
    expect(invalidLines(s.store.getState().cart)).toEqual([]);
  });

  const lines = [
    cartLine('s-ok', { selected: true, quantity: 2 }),
    cartLine('s-price', { state: 'PRICE_CHANGED', unitPriceFen: 900, addedPriceFen: 1000 }),
    cartLine('s-gone', { state: 'OFF_SHELF', purchasable: false }),
  ];

  it('select all asks for the purchasable lines only; clearing asks for all', async () => {
    const s = makeStore({ login: () => ok(LOGIN), getCart: () => ok(cart(lines)), selectCartLines: () => ok(cart(lines)) });
    await s.store.getState().loginWithCode('c');
    await s.store.getState().fetchCart();
    await s.store.getState().selectAll(true);
    await s.store.getState().selectAll(false);
    const bodies = s.requests.filter((r) => r.name === 'selectCartLines').map((r) => r.body);
    expect(bodies).toEqual([{ selected: true, skuIds: ['s-ok', 's-price'] }, { selected: false }]);
  });

  it('does not let an unpurchasable line be ticked, and ticks one line without PATCH', async () => {
    const s = makeStore({ login: () => ok(LOGIN), getCart: () => ok(cart(lines)), selectCartLines: () => ok(cart(lines)) });
    await s.store.getState().loginWithCode('c');
    await s.store.getState().fetchCart();
    await s.store.getState().setLineSelected('s-gone', true);
    expect(s.requests.some((r) => r.name === 'selectCartLines')).toBe(false);
    await s.store.getState().setLineSelected('s-price', true);
    expect(s.requests.find((r) => r.name === 'selectCartLines')).toMatchObject({
      method: 'POST',
      body: { selected: true, skuIds: ['s-price'] },
    });
  });

  it('unticks lines that became unpurchasable while ticked', async () => {
    const stale = [cartLine('s-ok', { selected: true }), cartLine('s-sold', { selected: true, state: 'OUT_OF_STOCK', purchasable: false })];
    const s = makeStore({
      login: () => ok(LOGIN),
      getCart: () => ok(cart(stale)),
      selectCartLines: () => ok(cart([stale[0]!, { ...stale[1]!, selected: false }])),
    });
    await s.store.getState().loginWithCode('c');
    await s.store.getState().fetchCart();
    expect(s.requests.filter((r) => r.name === 'selectCartLines').map((r) => r.body)).toEqual([
      { selected: false, skuIds: ['s-sold'] },
    ]);
    expect(canCheckout(s.store.getState().cart)).toBe(true);
  });

  it('shows the server total and keeps the last cart when a change is refused', async () => {
    const withTotal = { ...cart(lines), selectedTotalFen: 4321 };
    const s = makeStore({
      login: () => ok(LOGIN),
      getCart: () => ok(withTotal),
      updateCartLine: () => fail(409, 'OUT_OF_STOCK', '库存不足'),
    });
    await s.store.getState().loginWithCode('c');
    await s.store.getState().fetchCart();
    await s.store.getState().setLineQuantity('s-ok', 5);
    expect(s.store.getState().cart).toEqual(withTotal);
    expect(s.store.getState().cartBusySku).toBeNull();
    expect(s.toasts).toEqual(['库存不足']);
  });

  it('adds a line and says so', async () => {
    const s = makeStore({ login: () => ok(LOGIN), addCartLine: () => ok(cart(lines)) });
    await s.store.getState().loginWithCode('c');
    await expect(s.store.getState().addToCart({ productId: 'p-1', skuId: 's-ok', quantity: 1 })).resolves.toBe(true);
    expect(s.toasts).toEqual(['已加入购物车']);
    expect(cartBadgeCount(s.store.getState().cart)).toBe(4);
  });

  it('derives 全选 and 去结算 from purchasable lines', () => {
    expect(allSelected(cart(lines))).toBe(false);
    const all = lines.map((l) => ({ ...l, selected: l.purchasable }));
    expect(allSelected(cart(all))).toBe(true);
    expect(allSelected(cart([cartLine('x', { purchasable: false, state: 'OUT_OF_STOCK' })]))).toBe(false);
    expect(canCheckout(cart(lines))).toBe(true);
    expect(canCheckout(cart([]))).toBe(false);
    expect(canCheckout({ ...cart(lines), lines: [cartLine('g', { selected: true, purchasable: false })], selectedCount: 1 })).toBe(false);
  });
});
