import { describe, expect, it } from 'vitest';
import { API } from '@shop/shared/src/api';
import { ROUTES } from '../src/api/routes';

describe('tables kept beside @shop/shared', () => {
  it('ROUTES has every API route with the same method, path and auth', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(API).sort());
    for (const [name, def] of Object.entries(API)) {
      expect(ROUTES[name as keyof typeof ROUTES], name).toEqual({ method: def.method, path: def.path, auth: def.auth });
    }
  });
});
