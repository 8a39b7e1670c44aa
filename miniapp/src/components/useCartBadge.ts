import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect } from 'react';
import { cartBadgeCount, useShop } from '../store';

const CART_TAB_INDEX = 2;

/** Keeps the number on the 购物车 tab in step with the cart (tab pages only: the badge API needs a tab page). */
export function useCartBadge() {
  const count = useShop((s) => cartBadgeCount(s.cart));
  const loggedIn = useShop((s) => s.token !== null);
  useDidShow(() => {
    const s = useShop.getState();
    if (s.isLoggedIn() && s.cartStatus === 'idle') void s.fetchCart();
  });
  useEffect(() => {
    const done = () => undefined;
    if (loggedIn && count > 0) {
      void Taro.setTabBarBadge({ index: CART_TAB_INDEX, text: count > 99 ? '99+' : String(count) }).then(done, done);
    } else {
      void Taro.removeTabBarBadge({ index: CART_TAB_INDEX }).then(done, done);
    }
  }, [count, loggedIn]);
}
