import type { CartLineState } from '@shop/shared';

/**
 * The cart line state labels of @shop/shared (contracts/cart.ts), held here as well because that module also
 * defines zod schemas, and the cart is a tab page: importing it would put zod in the mini-program's main package.
 * test/labels.test.ts checks that both tables say the same.
 */
export const CART_LINE_STATE_LABEL: Record<CartLineState, string> = {
  OK: '',
  PRICE_CHANGED: '价格有变动',
  INSUFFICIENT_STOCK: '库存不足',
  OUT_OF_STOCK: '已售罄',
  OFF_SHELF: '已下架',
};
