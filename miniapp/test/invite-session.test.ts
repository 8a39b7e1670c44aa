import { describe, expect, it } from 'vitest';
import { INVITE_KEY, SESSION_KEY } from '../src/store/slices/session';
import { LOGIN, makeStore, ok } from './support/fakes';

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
