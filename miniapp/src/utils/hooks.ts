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

/**
 * Milliseconds left until `deadline`, ticking every second; 0 once past. `offsetMs` is added to the phone's clock
 * for deadlines that must be read on the server's clock (see `serverOffsetMs` in the store).
 */
export function useCountdown(deadline: number | null | undefined, offsetMs = 0): number {
  const now = useTicker(!!deadline);
  if (!deadline) return 0;
  return Math.max(0, deadline - (now + offsetMs));
}

/** The phone's clock (ms), re-read every second while `active`. */
export function useTicker(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  const timer = useRef<ReturnType<typeof setInterval>>();
  useEffect(() => {
    if (!active) return undefined;
    setNow(Date.now());
    timer.current = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer.current);
  }, [active, everyMs]);
  return now;
}
