import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { OrderView } from '@shop/shared';
import { useShop } from '../../store';
import { PAGES } from '../../utils/nav';

/** Copies the order number, then says so. */
export async function copyOrderNumber(orderId: string): Promise<void> {
  try {
    await Taro.setClipboardData({ data: orderId });
    void Taro.showToast({ title: '订单号已复制', icon: 'none' });
  } catch {
    void Taro.showToast({ title: '复制失败，请长按订单号复制', icon: 'none' });
  }
}

/**
 * 再次购买: the order's lines go back in the cart (through the cart API, at today's price) and the cart opens; lines
 * the shop no longer sells are named first.
 */
export function useBuyAgain() {
  const [busy, setBusy] = useState(false);
  const run = async (order: OrderView) => {
    if (busy) return;
    setBusy(true);
    try {
      const { added, refused } = await useShop.getState().buyAgain(order);
      if (refused.length > 0) {
        await Taro.showModal({
          title: added > 0 ? '部分商品无法加入购物车' : '商品无法加入购物车',
          content: refused.map((r) => `${r.title}：${r.reason}`).join('\n'),
          showCancel: false,
          confirmText: '知道了',
        });
      }
      if (added > 0) await Taro.switchTab({ url: PAGES.cart });
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
