import type { AddCartLineRequest, CartLineView, CartView } from '@shop/shared';
import type { LoadStatus, Slice } from '../types';

export interface CartSlice {
  cart: CartView | null;
  cartStatus: LoadStatus;
  /** skuId of a line being changed (its controls are disabled meanwhile). */
  cartBusySku: string | null;

  fetchCart(): Promise<void>;
  addToCart(line: AddCartLineRequest): Promise<boolean>;
  setLineQuantity(skuId: string, quantity: number): Promise<void>;
  setLineSelected(skuId: string, selected: boolean): Promise<void>;
  /** Selects every purchasable line, or clears every selection. */
  selectAll(selected: boolean): Promise<void>;
  removeLine(skuId: string): Promise<void>;
  /** 清空失效商品: removes every line that can no longer be bought (off-shelf, sold out, spec gone). */
  clearInvalidLines(): Promise<void>;
  resetCart(): void;
}

/** Lines the shopper may tick: only those the server says can be checked out. */
export function selectableLines(cart: CartView | null): CartLineView[] {
  return cart?.lines.filter((l) => l.purchasable) ?? [];
}

/** Lines that can no longer be bought at all (off-shelf, sold out, spec gone), shown apart under 失效商品. */
export function invalidLines(cart: CartView | null): CartLineView[] {
  return cart?.lines.filter((l) => l.state === 'OFF_SHELF' || l.state === 'OUT_OF_STOCK' || l.state === 'SPEC_GONE') ?? [];
}

/** Ticked lines that can no longer be bought. */
function staleSelection(cart: CartView | null): string[] {
  return cart?.lines.filter((l) => l.selected && !l.purchasable).map((l) => l.skuId) ?? [];
}

/** The 全选 box: on when there is something to select and all of it is selected. */
export function allSelected(cart: CartView | null): boolean {
  const lines = selectableLines(cart);
  return lines.length > 0 && lines.every((l) => l.selected);
}

/** Number on the 购物车 tab: total pieces in the cart. */
export function cartBadgeCount(cart: CartView | null): number {
  return cart?.lines.reduce((n, l) => n + l.quantity, 0) ?? 0;
}

/** Whether 去结算 can go on: something selected and every selected line purchasable. */
export function canCheckout(cart: CartView | null): boolean {
  if (!cart || cart.selectedCount === 0) return false;
  return cart.lines.filter((l) => l.selected).every((l) => l.purchasable);
}

export const cartSlice: Slice<CartSlice> = (set, get, deps) => {
  const mutate = async (skuId: string | null, run: () => Promise<CartView>) => {
    set({ cartBusySku: skuId ?? '*' });
    try {
      const cart = await run();
      set({ cart, cartStatus: 'ready' });
    } finally {
      set({ cartBusySku: null });
    }
  };

  return {
    cart: null,
    cartStatus: 'idle',
    cartBusySku: null,

    async fetchCart() {
      if (!get().isLoggedIn()) return;
      if (!get().cart) set({ cartStatus: 'loading' });
      try {
        const cart = await deps.api.call('getCart');
        set({ cart, cartStatus: 'ready' });
      } catch {
        set({ cartStatus: get().cart ? 'ready' : 'error' });
        return;
      }
      // A line that sold out or left the shelf while ticked would make 去结算 fail: untick it.
      const stale = staleSelection(get().cart);
      if (stale.length) {
        await mutate(null, () => deps.api.call('selectCartLines', { body: { selected: false, skuIds: stale }, silent: true })).catch(
          () => undefined,
        );
      }
    },

    async addToCart(line) {
      try {
        await mutate(line.skuId, () => deps.api.call('addCartLine', { body: line }));
        get().track({ kind: 'cart', productId: line.productId, skuId: line.skuId, quantity: line.quantity });
        deps.toast('已加入购物车', 'success');
        return true;
      } catch {
        return false;
      }
    },

    async setLineQuantity(skuId, quantity) {
      const line = get().cart?.lines.find((l) => l.skuId === skuId);
      if (!line || line.quantity === quantity || quantity < 1) return;
      await mutate(skuId, () => deps.api.call('updateCartLine', { params: { skuId }, body: { quantity } })).catch(
        () => undefined,
      );
    },

    async setLineSelected(skuId, selected) {
      const line = get().cart?.lines.find((l) => l.skuId === skuId);
      // An unpurchasable line may be unticked but never ticked.
      if (!line || line.selected === selected || (selected && !line.purchasable)) return;
      // POST /v1/cart/select rather than PATCH on the line: WeChat's request API has no PATCH.
      await mutate(skuId, () => deps.api.call('selectCartLines', { body: { selected, skuIds: [skuId] } })).catch(
        () => undefined,
      );
    },

    async selectAll(selected) {
      const body = selected ? { selected, skuIds: selectableLines(get().cart).map((l) => l.skuId) } : { selected };
      if (selected && body.skuIds?.length === 0) return;
      await mutate(null, () => deps.api.call('selectCartLines', { body })).catch(() => undefined);
    },

    async removeLine(skuId) {
      await mutate(skuId, () => deps.api.call('removeCartLine', { params: { skuId } }))
        .then(() => deps.toast('已删除', 'success'))
        .catch(() => undefined);
    },

    async clearInvalidLines() {
      const gone = invalidLines(get().cart).map((l) => l.skuId);
      if (gone.length === 0) return;
      await mutate(null, async () => {
        let cart = get().cart!;
        for (const skuId of gone) cart = await deps.api.call('removeCartLine', { params: { skuId } });
        return cart;
      })
        .then(() => deps.toast('已清空失效商品', 'success'))
        .catch(() => undefined);
    },

    resetCart() {
      set({ cart: null, cartStatus: 'idle', cartBusySku: null });
    },
  };
};
