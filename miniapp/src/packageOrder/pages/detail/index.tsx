import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { ORDER_STATUS_LABEL, cancelBlockedReason, shopperActions } from '@shop/shared/src/order-lifecycle';
import { ServiceEntry } from '../../../components/ServiceEntry';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { leftPendingPayment, orderGroupText, refundsSettled, useShop } from '../../../store';
import { formatFen, formatRemaining, formatTime } from '../../../utils/format';
import { useCountdown, useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import { AmountBreakdown, LineList } from '../../components/LineList';
import { SandboxPaySheet } from '../../components/SandboxPaySheet';
import { askForOrderNotices, payOrder, payResultUrl } from '../../components/payFlow';
import { copyOrderNumber, useBuyAgain } from '../../components/orderActions';
import { OrderReviews } from '../../components/OrderReviews';
import { OrderAfterSale } from '../../components/OrderAfterSale';
import { OrderTracking } from '../../components/OrderTracking';
import '../../components/order.scss';
import './index.scss';

export default function OrderDetailPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const id = params.id ?? '';
  const order = useShop((s) => s.orders[id]);
  const status = useShop((s) => s.orderStatus[id]);
  const polling = useShop((s) => !!s.polling[id]);
  const payBusy = useShop((s) => s.payment.busy);
  const { loadOrder, pollOrder, cancelOrder, watchOrder } = useShop.getState();
  const remaining = useCountdown(order?.status === 'PENDING_PAYMENT' ? order.deadlineAt : null);
  const firstShow = useRef(true);
  const expiredReload = useRef(false);
  /** Past the deadline, waiting for the server to close the order. */
  const [closing, setClosing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const buyAgain = useBuyAgain();

  useDidShow(() => {
    if (!id || !useShop.getState().isLoggedIn()) return;
    const first = firstShow.current;
    firstShow.current = false;
    if (first && params.paying === '1') {
      // Back from paying: whatever the client saw, only the server's order status says whether it is paid.
      void pollOrder(id).then((o) => {
        if (o?.status === 'PENDING_PAYMENT') void Taro.showToast({ title: '暂未查询到支付结果，请稍后刷新', icon: 'none' });
      });
      return;
    }
    void loadOrder(id).then((o) => {
      if (first && params.pay === '1' && o?.status === 'PENDING_PAYMENT') void startPay();
    });
  });
  usePullDownRefresh(async () => {
    await loadOrder(id);
    Taro.stopPullDownRefresh();
  });

  // When the payment window closes the server closes the order on its own: read it again a few times until it
  // shows 已取消 (or 待发货, had a payment arrived in the last second).
  useEffect(() => {
    if (order?.status === 'PENDING_PAYMENT' && remaining === 0 && order.deadlineAt <= Date.now() && !expiredReload.current) {
      expiredReload.current = true;
      setClosing(true);
      let live = true;
      const t = setTimeout(() => {
        void watchOrder(id, leftPendingPayment, { attempts: 6, intervalMs: 2000 }).finally(() => live && setClosing(false));
      }, 1000);
      return () => {
        live = false;
        clearTimeout(t);
      };
    }
    return undefined;
  }, [order?.status, order?.deadlineAt, remaining, id, watchOrder]);

  const startPay = async () => {
    if (useShop.getState().payment.busy) return;
    askForOrderNotices();
    await payOrder(id, (url) => {
      if (url.startsWith(PAGES.payResult)) void Taro.redirectTo({ url });
      else void loadOrder(id);
    });
  };

  const cancel = async () => {
    const res = await Taro.showModal({
      title: '取消订单',
      content: '确定要取消该订单吗？',
      confirmText: '取消订单',
      cancelText: '再想想',
      confirmColor: '#e93b3d',
    });
    if (res.confirm) await cancelOrder(id);
  };

  /** A paid order that has not shipped: the same cancel route; the server refunds it in full. */
  const cancelAndRefund = async () => {
    if (cancelling || !order) return;
    const res = await Taro.showModal({
      title: '取消订单并退款',
      content: `订单取消后，实付款 ${formatFen(order.paidFen ?? order.payableFen)} 将原路退回，确定取消吗？`,
      confirmText: '确认退款',
      cancelText: '再想想',
      confirmColor: '#e93b3d',
    });
    if (!res.confirm) return;
    setCancelling(true);
    try {
      const o = await cancelOrder(id);
      // Refunds finish a little later (the payment provider confirms them): follow them for a few seconds.
      if (o && !refundsSettled(o)) await watchOrder(id, refundsSettled, { attempts: 5, intervalMs: 2000 });
    } finally {
      setCancelling(false);
    }
  };

  if (!id) return <EmptyState text="订单不存在" />;
  if (!loggedIn || (!order && status !== 'error')) return <ListSkeleton count={3} rows={4} />;
  if (!order)
    return <EmptyState status="error" text="订单加载失败" actionText="重新加载" onAction={() => loadOrder(id)} />;

  // Which buttons: straight from the order transition table, the same rules the server's writes are conditioned on.
  const actions = shopperActions(order);
  const pending = actions.includes('PAY');
  const refundable = actions.includes('CANCEL_PAID');
  const blocked = cancelBlockedReason(order);
  const refunds = order.refunds ?? [];
  const showRefunds = refunds.length > 0 || order.refundedFen > 0 || order.status === 'REFUNDING' || order.status === 'REFUNDED';
  const a = order.address;

  return (
    <View className="page page--with-bar order-detail">
      <View className="order-detail__header">
        <View className="order-detail__status e2e-order-status" data-status={order.status}>
          {order.statusLabel || ORDER_STATUS_LABEL[order.status]}
        </View>
        {polling && <View className="order-detail__hint e2e-pay-confirming">支付结果确认中…</View>}
        {!polling && pending && (
          <View className="order-detail__hint e2e-pay-countdown">
            {remaining > 0
              ? `剩余支付时间 ${formatRemaining(remaining)}，超时订单将自动取消`
              : closing
                ? '支付时间已过，订单关闭中…'
                : '支付时间已过'}
          </View>
        )}
        {blocked && <View className="order-detail__hint e2e-cancel-blocked">{blocked}</View>}
        {order.status === 'CANCELLED' && order.cancelReason && (
          <View className="order-detail__hint">{order.cancelReason}</View>
        )}
      </View>

      {order.group && (
        <View
          className="card row row--between order-detail__group e2e-order-group"
          data-status={order.group.status}
          onClick={() => {
            const t = order.group?.token;
            if (t) void Taro.navigateTo({ url: withQuery(PAGES.groupLanding, { t }) });
          }}
        >
          <Text>{orderGroupText(order)}</Text>
          {order.group.token && <Text className="muted e2e-order-group-link">查看拼团 ›</Text>}
        </View>
      )}

      <View className="card">
        <View className="address-card__who">
          {a.name}
          <Text className="address-card__phone">{a.phone}</Text>
        </View>
        <View className="address-card__detail">
          {a.province} {a.city} {a.district} {a.detail}
        </View>
      </View>

      <OrderTracking order={order} />

      <View className="card">
        <View className="card__title">商品（共 {order.itemCount} 件）</View>
        <LineList lines={order.lines} />
      </View>

      <OrderReviews orderId={order.id} status={order.status} />

      <OrderAfterSale order={order} />

      <View className="card">
        <AmountBreakdown amounts={order} />
      </View>

      <View className="card order-info">
        <View className="card__title">订单信息</View>
        <View className="order-info__row">
          <Text className="muted">订单编号</Text>
          <View className="row order-info__id">
            <Text className="e2e-order-id">{order.id}</Text>
            <Text className="order-info__copy e2e-copy-order-id" onClick={() => copyOrderNumber(order.id)}>
              复制
            </Text>
          </View>
        </View>
        <View className="order-info__row">
          <Text className="muted">下单时间</Text>
          <Text>{formatTime(order.createdAt)}</Text>
        </View>
        {order.paidAt && (
          <View className="order-info__row">
            <Text className="muted">支付时间</Text>
            <Text>{formatTime(order.paidAt)}</Text>
          </View>
        )}
        {order.paidFen !== null && (
          <View className="order-info__row">
            <Text className="muted">实付金额</Text>
            <Text>{formatFen(order.paidFen)}</Text>
          </View>
        )}
        {order.transactionId && (
          <View className="order-info__row">
            <Text className="muted">支付流水</Text>
            <Text>{order.transactionId}</Text>
          </View>
        )}
        {order.cancelledAt && (
          <View className="order-info__row">
            <Text className="muted">取消时间</Text>
            <Text>{formatTime(order.cancelledAt)}</Text>
          </View>
        )}
        <View className="order-info__row">
          <Text className="muted">订单备注</Text>
          <Text>{order.remark || '无'}</Text>
        </View>
      </View>

      {showRefunds && (
        <View className="card refunds">
          <View className="card__title">退款信息</View>
          {refunds.map((r) => (
            <View className="refund e2e-refund-item" key={r.outRefundNo} data-refund-status={r.status}>
              <View className="order-info__row">
                <Text>{r.reasonLabel || '退款'}</Text>
                <Text className="price">{formatFen(r.amountFen)}</Text>
              </View>
              <View className="order-info__row">
                <Text className="muted">{formatTime(r.finishedAt ?? r.createdAt)}</Text>
                <Text className={`e2e-refund-status refund__status refund__status--${r.status}`}>{r.statusLabel}</Text>
              </View>
            </View>
          ))}
          {refunds.length === 0 && <View className="muted">退款处理中…</View>}
          <View className="refund__totals">
            <View className="order-info__row">
              <Text className="muted">实付款</Text>
              <Text className="e2e-paid-total">{formatFen(order.paidFen ?? 0)}</Text>
            </View>
            <View className="order-info__row">
              <Text className="muted">已退款</Text>
              <Text className="price e2e-refunded-total">{formatFen(order.refundedFen)}</Text>
            </View>
          </View>
        </View>
      )}

      {order.timeline.length > 0 && (
        <View className="card">
          <View className="card__title">订单进度</View>
          {[...order.timeline]
            .sort((x, y) => y.at - x.at)
            .map((t, i) => (
              <View className={`timeline__item ${i === 0 ? 'timeline__item--latest' : ''}`} key={`${t.at}-${t.status}`}>
                <View className="timeline__dot" />
                <View className="timeline__body">
                  <View>
                    {ORDER_STATUS_LABEL[t.status]}
                    {t.note ? ` · ${t.note}` : ''}
                  </View>
                  <View className="muted">{formatTime(t.at)}</View>
                </View>
              </View>
            ))}
        </View>
      )}

      <ServiceEntry />

      {!pending && !refundable && (
        <View className="bottom-bar order-detail__bar">
          <View className="grow" />
          <View className={`btn btn--ghost e2e-buy-again ${buyAgain.busy ? 'btn--disabled' : ''}`} onClick={() => buyAgain.run(order)}>
            {buyAgain.busy ? '加入中…' : '再次购买'}
          </View>
        </View>
      )}

      {pending && (
        <View className="bottom-bar order-detail__bar">
          <View className="grow" />
          <View className="btn btn--ghost e2e-cancel-order" onClick={cancel}>
            取消订单
          </View>
          <View
            className={`btn e2e-pay-order ${payBusy || remaining === 0 ? 'btn--disabled' : ''}`}
            onClick={() => remaining > 0 && startPay()}
          >
            去支付
          </View>
        </View>
      )}

      {refundable && (
        <View className="bottom-bar order-detail__bar">
          <View className="grow" />
          <View className={`btn btn--ghost e2e-buy-again ${buyAgain.busy ? 'btn--disabled' : ''}`} onClick={() => buyAgain.run(order)}>
            再次购买
          </View>
          <View className={`btn btn--ghost e2e-cancel-refund ${cancelling ? 'btn--disabled' : ''}`} onClick={cancelAndRefund}>
            {cancelling ? '处理中…' : '取消订单并退款'}
          </View>
        </View>
      )}

      <SandboxPaySheet
        onFinished={(r) => {
          if (r === 'pay') void Taro.redirectTo({ url: payResultUrl(id, true) });
          else void loadOrder(id);
        }}
      />
    </View>
  );
}
