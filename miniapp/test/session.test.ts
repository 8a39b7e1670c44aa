import { describe, expect, it } from 'vitest';
import { SESSION_KEY } from '../src/store/slices/session';
import { LOGIN, cart, cartLine, fail, makeStore, ok } from './support/fakes';

describe('session slice', () => {
  it('stores the token and sends it afterwards', async () => {
    const s = makeStore({ login: () => ok(LOGIN), getCart: () => ok(cart([])) });
    await s.store.getState().loginWithCode('demo-1');
    expect(s.requests[0]).toMatchObject({ name: 'login', body: { code: 'demo-1' } });
    expect(s.store.getState().isLoggedIn()).toBe(true);
    expect(JSON.parse(s.storage.get(SESSION_KEY)!)).toMatchObject({ token: 'tok-1', user: { nickname: '小明' } });
    await s.store.getState().fetchCart();
    expect(s.requests[1]!.header.Authorization).toBe('Bearer tok-1');
  });

  it('logs in on WeChat with the code from Taro.login', async () => {
    const s = makeStore({ login: () => ok(LOGIN) }, { wxLogin: async () => 'wx-123' });
    await s.store.getState().loginWithWechat();
    expect(s.requests[0]!.body).toEqual({ code: 'wx-123' });
  });

  it('clears the session and the shopper data on a 401', async () => {
    const s = makeStore({
      login: () => ok(LOGIN),
      getCart: () => ok(cart([cartLine('s-1')])),
      getOrder: () => fail(401, 'SESSION_EXPIRED', '登录已过期，请重新登录'),
    });
    await s.store.getState().loginWithCode('c');
    await s.store.getState().fetchCart();
    expect(s.store.getState().cart).not.toBeNull();
    await s.store.getState().loadOrder('01HZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(s.unauthorized).toBe(1);
    expect(s.store.getState().token).toBeNull();
    expect(s.store.getState().cart).toBeNull();
    expect(s.storage.has(SESSION_KEY)).toBe(false);
  });

  it('treats a missing demo-users route as "not this stage", without a toast', async () => {
    const s = makeStore({ demoUsers: () => fail(404, 'SANDBOX_DISABLED', '请求的内容不存在') });
    await s.store.getState().loadDemoUsers();
    expect(s.store.getState().demoUsersStatus).toBe('unavailable');
    expect(s.toasts).toEqual([]);

    const t = makeStore({ demoUsers: () => ok({ users: [{ code: 'd1', nickname: '演示甲', avatar: '' }] }) });
    await t.store.getState().loadDemoUsers();
    expect(t.store.getState().demoUsersStatus).toBe('ready');
    expect(t.store.getState().demoUsers?.[0]?.code).toBe('d1');
  });

  it('restores a stored session, and drops an expired one', () => {
    const stored = JSON.stringify({ token: 't', expiresAt: 1_700_000_000_001, user: LOGIN.user });
    const again = makeStore({}, { storage: { get: () => stored, set: () => undefined, remove: () => undefined } });
    expect(again.store.getState().token).toBe('t');

    const removed: string[] = [];
    const expired = JSON.stringify({ token: 't', expiresAt: 1_699_999_999_999, user: LOGIN.user });
    const old = makeStore({}, { storage: { get: () => expired, set: () => undefined, remove: (k) => void removed.push(k) } });
    expect(old.store.getState().token).toBeNull();
    expect(removed).toEqual([SESSION_KEY]);
  });
});
