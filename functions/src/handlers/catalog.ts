import { z } from 'zod';
import { Slug } from '@shop/shared';
import { route } from '../lib/http';
import * as catalog from '../services/catalog';

export const categories = route('categories', () => catalog.listCategories());
export const listProducts = route('listProducts', ({ query }) => catalog.listProducts(query));
export const getProduct = route('getProduct', ({ params, userId, now }) => catalog.getProduct(params.productId, userId, now), {
  params: z.object({ productId: Slug }),
});
