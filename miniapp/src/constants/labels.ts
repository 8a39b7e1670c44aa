import type { CartLineState } from '@shop/shared';

/**
 * What the cart page says about a line in each state of @shop/shared's CartLineState. Kept here, not in shared/: the
 * cart is a tab page, and shared's contracts module would put zod in the mini-program's main package.
 */
export const CART_LINE_STATE_LABEL: Record<CartLineState, string> = {
  OK: '',
  PRICE_CHANGED: '价格有变动',
  INSUFFICIENT_STOCK: '库存不足',
  OUT_OF_STOCK: '已售罄',
  OFF_SHELF: '已下架',
  SPEC_GONE: '规格已失效',
};
