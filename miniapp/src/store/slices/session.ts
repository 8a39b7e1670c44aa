import type { DemoUser, LoginResponse, UserView } from '@shop/shared';
import type { Slice } from '../types';

export const SESSION_KEY = 'shop.session';
/** A friend's 邀请码 from a `?invite=` landing, kept until the next login sends it. */
export const INVITE_KEY = 'shop.invite';
const INVITE_CODE = /^[A-Za-z2-9]{8}$/;

interface StoredSession {
  token: string;
  expiresAt: number;
  user: UserView;
}

export interface SessionSlice {
  token: string | null;
  user: UserView | null;
  expiresAt: number | null;
  /** Demo shoppers of the local stage; null until asked, [] when the stage has none. */
  demoUsers: DemoUser[] | null;
  demoUsersStatus: 'idle' | 'loading' | 'ready' | 'unavailable';
  loggingIn: boolean;
  /** The 邀请码 a landing carried (`?invite=`), sent with the next login and then forgotten. */
  inviteCode: string | null;

  isLoggedIn(): boolean;
  /** Keeps a landing's 邀请码 until login (ignored when logged in already or malformed). */
  rememberInvite(code: string | undefined): void;
  loadDemoUsers(): Promise<void>;
  /** Logs in with a login code (from Taro.login, or a demo shopper's code). */
  loginWithCode(code: string): Promise<LoginResponse>;
  loginWithWechat(): Promise<LoginResponse>;
  refreshMe(): Promise<void>;
  /** Sets 生日 (MM-DD) on the server; the profile follows its answer. False when it was refused (toasted). */
  saveBirthday(birthday: string): Promise<boolean>;
  /** Forgets the session and everything tied to the shopper (cart, orders, addresses, checkout, coupons). */
  clearSession(): void;
  logout(): void;
}

function readStored(raw: string | null, now: number): StoredSession | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as StoredSession;
    if (typeof s.token !== 'string' || !s.user || typeof s.expiresAt !== 'number') return null;
    if (s.expiresAt <= now) return null;
    return s;
  } catch {
    return null;
  }
}

function readInvite(raw: string | null): string | null {
  let code = '';
  try {
    code = raw ? decodeURIComponent(raw).trim() : '';
  } catch {
    return null;
  }
  return INVITE_CODE.test(code) ? code.toUpperCase() : null;
}

export const sessionSlice: Slice<SessionSlice> = (set, get, deps) => {
  const stored = readStored(deps.storage.get(SESSION_KEY), deps.now());
  if (!stored) deps.storage.remove(SESSION_KEY);

  const accept = (res: LoginResponse) => {
    const s: StoredSession = { token: res.token, expiresAt: res.expiresAt, user: res.user };
    deps.storage.set(SESSION_KEY, JSON.stringify(s));
    set({ token: s.token, user: s.user, expiresAt: s.expiresAt });
  };

  return {
    token: stored?.token ?? null,
    user: stored?.user ?? null,
    expiresAt: stored?.expiresAt ?? null,
    demoUsers: null,
    demoUsersStatus: 'idle',
    loggingIn: false,
    inviteCode: stored ? null : readInvite(deps.storage.get(INVITE_KEY)),

    isLoggedIn() {
      const { token, expiresAt } = get();
      return !!token && (expiresAt === null || expiresAt > deps.now());
    },

    rememberInvite(code) {
      const clean = readInvite(code ?? null);
      if (!clean || get().isLoggedIn()) return;
      deps.storage.set(INVITE_KEY, clean);
      set({ inviteCode: clean });
    },

    async loadDemoUsers() {
      set({ demoUsersStatus: 'loading' });
      try {
        // Only the local stage serves this route; anywhere else its absence is the answer, not an error.
        const res = await deps.api.call('demoUsers', { silent: true });
        set({ demoUsers: res.users, demoUsersStatus: res.users.length ? 'ready' : 'unavailable' });
      } catch {
        set({ demoUsers: [], demoUsersStatus: 'unavailable' });
      }
    },

    async loginWithCode(code) {
      set({ loggingIn: true });
      try {
        const inviteCode = get().inviteCode;
        const res = await deps.api.call('login', { body: inviteCode ? { code, inviteCode } : { code } });
        accept(res);
        // Sent once: the server records it for a new account only, so it has done its work either way.
        deps.storage.remove(INVITE_KEY);
        set({ inviteCode: null });
        return res;
      } finally {
        set({ loggingIn: false });
      }
    },

    async loginWithWechat() {
      set({ loggingIn: true });
      let code: string;
      try {
        code = await deps.wxLogin();
      } catch (e) {
        set({ loggingIn: false });
        deps.toast('微信登录失败，请重试');
        throw e;
      }
      return get().loginWithCode(code);
    },

    async refreshMe() {
      if (!get().token) return;
      const user = await deps.api.call('me', { silent: true });
      const { token, expiresAt } = get();
      if (token && expiresAt) deps.storage.set(SESSION_KEY, JSON.stringify({ token, expiresAt, user }));
      set({ user });
    },

    async saveBirthday(birthday) {
      try {
        const res = await deps.api.call('setBirthday', { body: { birthday } });
        const { token, expiresAt, user } = get();
        if (!user) return true;
        const next = { ...user, birthday: res.birthday };
        if (token && expiresAt) deps.storage.set(SESSION_KEY, JSON.stringify({ token, expiresAt, user: next }));
        set({ user: next });
        return true;
      } catch {
        return false;
      }
    },

    clearSession() {
      deps.storage.remove(SESSION_KEY);
      set({ token: null, user: null, expiresAt: null });
      get().resetCart();
      get().resetOrders();
      get().resetAddresses();
      get().resetCheckout();
      get().resetCoupons();
      get().resetMembers();
      get().resetPrivacy();
    },

    logout() {
      get().clearSession();
      deps.toast('已退出登录', 'success');
    },
  };
};
