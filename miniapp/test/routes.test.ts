import { describe, expect, it } from 'vitest';
import { API } from '@shop/shared/src/api';
import { CART_LINE_STATE_LABEL as SHARED_LABELS } from '@shop/shared/src/contracts/cart';
import { ROUTES } from '../src/api/routes';
import { CART_LINE_STATE_LABEL } from '../src/constants/labels';

describe('tables kept beside @shop/shared', () => {
  it('ROUTES has every API route with the same method, path and auth', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(API).sort());
    for (const [name, def] of Object.entries(API)) {
      expect(ROUTES[name as keyof typeof ROUTES], name).toEqual({ method: def.method, path: def.path, auth: def.auth });
    }
  });

  it('cart line state labels match the shared ones', () => {
    expect(CART_LINE_STATE_LABEL).toEqual(SHARED_LABELS);
  });
});
