import { z } from 'zod';
import { Slug } from '@shop/shared';
import { route } from '../lib/http';
import * as cart from '../services/cart';

const SkuPath = z.object({ skuId: Slug });

export const getCart = route('getCart', ({ userId, now }) => cart.getCart(userId, now));
export const addCartLine = route('addCartLine', ({ userId, body, now }) => cart.addCartLine(userId, body, now));
export const updateCartLine = route(
  'updateCartLine',
  ({ userId, params, body, now }) => cart.updateCartLine(userId, params.skuId, body, now),
  { params: SkuPath },
);
export const removeCartLine = route('removeCartLine', ({ userId, params, now }) => cart.removeCartLine(userId, params.skuId, now), {
  params: SkuPath,
});
export const selectCartLines = route('selectCartLines', ({ userId, body, now }) => cart.selectCartLines(userId, body, now));
