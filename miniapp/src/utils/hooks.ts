import { useEffect, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { useShop } from '../store';
import { goLogin } from './nav';

/**
 * For pages that need a session: sends the shopper to log in (this page replaced by the login page, which comes
 * back here afterwards). Returns whether a session is there.
 */
export function useRequireLogin(): boolean {
  const loggedIn = useShop((s) => s.token !== null);
  useDidShow(() => {
    if (!useShop.getState().isLoggedIn()) goLogin({ replace: true });
  });
  return loggedIn;
}

/** `value`, updated only after it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Milliseconds left until `deadline`, ticking every second; 0 once past. */
export function useCountdown(deadline: number | null | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  const timer = useRef<ReturnType<typeof setInterval>>();
  useEffect(() => {
    if (!deadline) return undefined;
    setNow(Date.now());
    timer.current = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer.current);
  }, [deadline]);
  if (!deadline) return 0;
  return Math.max(0, deadline - now);
}
