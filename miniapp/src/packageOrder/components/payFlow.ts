import Taro from '@tarojs/taro';
import { useShop } from '../../store';
import { PAGES, withQuery } from '../../utils/nav';

/**
 * 支付结果, told whether the shopper went through with paying (it then confirms with the server: 支付确认中…) or not
 * (支付未完成, with the deadline and 去支付).
 */
export function payResultUrl(orderId: string, paid: boolean): string {
  return withQuery(PAGES.payResult, { id: orderId, paying: paid ? 1 : undefined });
}

/**
 * Starts paying an order. WeChat mode hands over to requestPayment and then shows 支付结果, which confirms the
 * result with the server; sandbox mode opens the 模拟支付 sheet (the page renders <SandboxPaySheet>) and returns
 * 'sandbox-open'. `leave` says how to get to the next page: 支付结果, or the order when paying could not start.
 */
export async function payOrder(orderId: string, leave: (url: string) => void) {
  const outcome = await useShop.getState().startPayment(orderId);
  if (outcome === 'sandbox-open') return outcome;
  if (outcome === 'failed') leave(withQuery(PAGES.order, { id: orderId }));
  else leave(payResultUrl(orderId, outcome === 'wechat-finished'));
  return outcome;
}

/**
 * One-shot consent for the 已发货 / 已签收 messages, asked on the 支付 tap (WeChat only lets a tap ask). Never waited for
 * and never an error: declining only means no message. Call it first thing in the tap's handler.
 */
export function askForOrderNotices(): void {
  if (process.env.TARO_ENV !== 'weapp' || ORDER_NOTICE_TEMPLATES.length === 0) return;
  Taro.requestSubscribeMessage({ tmplIds: ORDER_NOTICE_TEMPLATES, entityIds: [] } as never).catch(() => undefined);
}
