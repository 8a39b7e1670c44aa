import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useEffect, useRef } from 'react';
import { Clock, Success } from '@nutui/icons-react-taro';
import { ORDER_STATUS_LABEL } from '@shop/shared/src/order-lifecycle';
import { RecFeed } from '../../../components/RecFeed';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatFen, formatRemaining, formatTime } from '../../../utils/format';
import { useCountdown, useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import './index.scss';

const PAID_STATUSES: readonly string[] = ['PAID', 'SHIPPED', 'COMPLETED'];
/** Orders whose purchases this app has reported already (the page may be shown again). */
const reportedPurchases = new Set<string>();

/**
 * 支付结果. `paying=1`: the shopper says they paid; only the server's order decides, so the page reads it again for a
 * little while (支付确认中) and shows 支付成功 once the server says it is paid. Otherwise (cancelled, closed, or not
 * confirmed in time) it says the payment is not done, with the deadline and 去支付.
 */
export default function PayResultPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const id = params.id ?? '';
  const order = useShop((s) => s.orders[id]);
  const status = useShop((s) => s.orderStatus[id]);
  const polling = useShop((s) => !!s.polling[id]);
  const started = useRef(false);
  const unpaid = order?.status === 'PENDING_PAYMENT';
  const remaining = useCountdown(unpaid ? order.deadlineAt : null);

  useDidShow(() => {
    if (!id || !useShop.getState().isLoggedIn()) return;
    const { pollOrder, loadOrder } = useShop.getState();
    if (!started.current && params.paying === '1') void pollOrder(id, { attempts: 10, intervalMs: 1500 });
    else void loadOrder(id);
    started.current = true;
  });

  // 支付成功: one purchase per product bought (tagged when a recommendation led to it), once per order.
  const paid = !!order && PAID_STATUSES.includes(order.status) && order.paidFen !== null;
  useEffect(() => {
    if (!paid || !order || reportedPurchases.has(order.id)) return;
    reportedPurchases.add(order.id);
    const { track } = useShop.getState();
    for (const productId of new Set(order.lines.map((l) => l.productId))) track({ kind: 'purchase', productId, orderId: order.id });
  }, [paid, order?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const viewOrder = () => Taro.redirectTo({ url: withQuery(PAGES.order, { id }) });
  const payAgain = () => Taro.redirectTo({ url: withQuery(PAGES.order, { id, pay: 1 }) });
  const shopMore = () => Taro.switchTab({ url: PAGES.home });

  if (!id) return <EmptyState text="订单不存在" />;
  if (!loggedIn || (!order && status !== 'error')) return <ListSkeleton count={1} rows={3} />;
  if (!order) return <EmptyState status="error" text="订单加载失败" actionText="查看订单" onAction={viewOrder} />;

  // Until the first read after paying has started, the page is already confirming.
  const confirming = polling || (params.paying === '1' && !started.current);
  if (unpaid && confirming) {
    return (
      <View className="page pay-result e2e-pay-confirming">
        <View className="pay-result__head">
          <Clock size={56} color="#f7a21b" />
          <View className="pay-result__title">支付确认中…</View>
          <View className="muted">正在向微信支付查询结果，请稍候</View>
        </View>
      </View>
    );
  }

  if (PAID_STATUSES.includes(order.status) && order.paidFen !== null) {
    return (
      <View className="page pay-result e2e-pay-success" data-status={order.status}>
        <View className="pay-result__head">
          <Success size={56} color="#12b76a" />
          <View className="pay-result__title">支付成功</View>
          <View className="pay-result__amount">
            实付 <Text className="price price--large e2e-pay-result-amount">{formatFen(order.paidFen)}</Text>
          </View>
          <View className="muted">{order.group ? '拼团结果将以消息通知你' : '商家将尽快为你发货'}</View>
          <View className="pay-result__actions">
            <View className="btn btn--ghost grow e2e-pay-view-order" onClick={viewOrder}>
              查看订单
            </View>
            <View className="btn grow e2e-pay-shop-more" onClick={shopMore}>
              继续逛逛
            </View>
          </View>
        </View>
        <View className="pay-result__recommend">
          <RecFeed placement="pay_result" title="为你推荐" />
        </View>
      </View>
    );
  }

  // Not paid: cancelled at the cashier, not confirmed yet, or the order has closed meanwhile.
  const closed = !unpaid;
  return (
    <View className="page pay-result e2e-pay-unpaid" data-status={order.status}>
      <View className="pay-result__head">
        <Clock size={56} color="#e93b3d" />
        <View className="pay-result__title">{closed ? `订单${ORDER_STATUS_LABEL[order.status]}` : '支付未完成'}</View>
        <View className="pay-result__amount">
          应付 <Text className="price price--large">{formatFen(order.payableFen)}</Text>
        </View>
        {closed ? (
          <View className="muted">{order.cancelReason ?? '订单已关闭，如需购买请重新下单'}</View>
        ) : (
          <View className="muted e2e-pay-deadline">
            {remaining > 0
              ? `请在 ${formatTime(order.deadlineAt)} 前完成支付（剩余 ${formatRemaining(remaining)}），超时订单将自动取消`
              : '支付时间已过，订单将自动取消'}
          </View>
        )}
        <View className="pay-result__actions">
          <View className="btn btn--ghost grow e2e-pay-view-order" onClick={viewOrder}>
            查看订单
          </View>
          {!closed && remaining > 0 && (
            <View className="btn grow e2e-pay-again" onClick={payAgain}>
              去支付
            </View>
          )}
          {closed && (
            <View className="btn grow" onClick={shopMore}>
              继续逛逛
            </View>
          )}
        </View>
      </View>
    </View>
  );
}
