import Taro from '@tarojs/taro';
import { useShop } from '../../store';
import { PAGES, withQuery } from '../../utils/nav';

/** Order detail, told whether to wait for the payment result (支付结果确认中…). */
export function orderDetailUrl(orderId: string, confirming: boolean): string {
  return withQuery(PAGES.order, { id: orderId, paying: confirming ? 1 : undefined });
}

/**
 * Starts paying an order. WeChat mode hands over to requestPayment and then shows the order, which confirms the
 * result with the server; sandbox mode opens the 模拟支付 sheet (the page renders <SandboxPaySheet>) and returns
 * 'sandbox-open'. `leave` says how to get to the order page.
 */
export async function payOrder(orderId: string, leave: (url: string) => void) {
  const outcome = await useShop.getState().startPayment(orderId);
  if (outcome === 'sandbox-open') return outcome;
  if (outcome === 'wechat-abandoned') void Taro.showToast({ title: '支付未完成', icon: 'none' });
  leave(orderDetailUrl(orderId, outcome === 'wechat-finished'));
  return outcome;
}
