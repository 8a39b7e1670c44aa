import { describe, expect, it } from 'vitest';
import { INVITE_KEY, SESSION_KEY } from '../src/store/slices/session';
import { LOGIN, fail, makeStore, ok } from './support/fakes';

describe('invite code carried to login', () => {
  it('keeps a landing’s code until the next login sends it once, then forgets it', async () => {
    const s = makeStore({ login: () => ok(LOGIN) });
    s.store.getState().rememberInvite('abcd2345');
    expect(s.store.getState().inviteCode).toBe('ABCD2345');
    expect(s.storage.get(INVITE_KEY)).toBe('ABCD2345');

    await s.store.getState().loginWithCode('demo-1');
    expect(s.requests[0]).toMatchObject({ name: 'login', body: { code: 'demo-1', inviteCode: 'ABCD2345' } });
    expect(s.store.getState().inviteCode).toBeNull();
    expect(s.storage.has(INVITE_KEY)).toBe(false);

    s.store.getState().logout();
    await s.store.getState().loginWithCode('demo-1');
    expect(s.requests[1]!.body).toEqual({ code: 'demo-1' });
  });

  it('survives a reload of the H5 page before login (read back from storage)', async () => {
    const first = makeStore({});
    first.store.getState().rememberInvite('WXYZ6789');
    const saved = first.storage.get(INVITE_KEY)!;
    const storage = new Map([[INVITE_KEY, saved]]);
    const again = makeStore(
      { login: () => ok(LOGIN) },
      { storage: { get: (k) => storage.get(k) ?? null, set: (k, v) => void storage.set(k, v), remove: (k) => void storage.delete(k) } },
    );
    expect(again.store.getState().inviteCode).toBe('WXYZ6789');
    await again.store.getState().loginWithCode('c');
    expect(again.requests[0]!.body).toEqual({ code: 'c', inviteCode: 'WXYZ6789' });
    expect(storage.has(INVITE_KEY)).toBe(false);
    expect(storage.has(SESSION_KEY)).toBe(true);
  });

  it('ignores a malformed code, and a landing while logged in already', async () => {
    const s = makeStore({ login: () => ok(LOGIN) });
    for (const bad of [undefined, '', 'short', 'has space', '%E0%A4%A', 'ABCD234567']) s.store.getState().rememberInvite(bad);
    expect(s.store.getState().inviteCode).toBeNull();
    await s.store.getState().loginWithCode('c');
    s.store.getState().rememberInvite('ABCD2345');
    expect(s.store.getState().inviteCode).toBeNull();
    expect(s.storage.has(INVITE_KEY)).toBe(false);
  });
});

describe('invite page data and 生日', () => {
  const VIEW = {
    code: 'ABCD2345',
    link: 'https://shop.example.com/#/packageUser/pages/login/index?invite=ABCD2345',
    path: '/packageUser/pages/login/index?invite=ABCD2345',
    rules: ['好友完成首笔订单付款后，你可获得 10 积分（每位好友一次）'],
    friends: [{ nickname: '微**', joinedAt: 1, firstOrderPaid: true }],
    rewards: { points: 10, friendsRewarded: 1 },
  };

  it('loads the invite view when logged in, and keeps it through a failed reload', async () => {
    let answer = ok(VIEW);
    const s = makeStore({ login: () => ok(LOGIN), memberInvite: () => answer });
    await s.store.getState().loadInvite();
    expect(s.requests).toHaveLength(0);
    await s.store.getState().loginWithCode('c');
    await s.store.getState().loadInvite();
    expect(s.store.getState().invite?.friends[0]?.firstOrderPaid).toBe(true);
    answer = fail(500, 'INTERNAL', '服务繁忙');
    await s.store.getState().loadInvite();
    expect([s.store.getState().inviteStatus, s.store.getState().invite?.code]).toEqual(['ready', 'ABCD2345']);
    s.store.getState().logout();
    expect(s.store.getState().invite).toBeNull();
  });

  it('saves 生日 and keeps the server’s answer on the stored profile; a refusal changes nothing', async () => {
    let answer = ok({ birthday: '02-29' });
    const s = makeStore({ login: () => ok(LOGIN), setBirthday: () => answer });
    await s.store.getState().loginWithCode('c');
    expect(await s.store.getState().saveBirthday('02-29')).toBe(true);
    expect(s.requests[1]).toMatchObject({ name: 'setBirthday', body: { birthday: '02-29' } });
    expect(s.store.getState().user?.birthday).toBe('02-29');
    expect(JSON.parse(s.storage.get(SESSION_KEY)!).user.birthday).toBe('02-29');
    answer = fail(400, 'VALIDATION_FAILED', '生日格式应为 月-日，如 03-18');
    expect(await s.store.getState().saveBirthday('13-01')).toBe(false);
    expect(s.store.getState().user?.birthday).toBe('02-29');
  });
});
