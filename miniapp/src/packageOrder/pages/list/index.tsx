import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { OrderTabKey, OrderView } from '@shop/shared';
import { ORDER_TABS, shopperActions } from '@shop/shared/src/order-lifecycle';
import { resolveAsset } from '../../../api/assets';
import { FeedFooter } from '../../../components/Feed';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatFen, formatRemaining, formatTime } from '../../../utils/format';
import { useCountdown, useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import './index.scss';

const TAB_KEYS = ORDER_TABS.map((t) => t.key) as OrderTabKey[];

function OrderCard({ order }: { order: OrderView }) {
  // The pay button when the transition table lets the shopper pay (the same rule the server's write checks).
  const pending = shopperActions(order).includes('PAY');
  const remaining = useCountdown(pending ? order.deadlineAt : null);
  const reloaded = useRef(false);
  // Past the deadline the server closes the order: read it again so the card shows 已取消.
  useEffect(() => {
    if (!pending || remaining > 0 || order.deadlineAt > Date.now() || reloaded.current) return undefined;
    reloaded.current = true;
    const t = setTimeout(() => {
      void useShop.getState().watchOrder(order.id, (o) => o.status !== 'PENDING_PAYMENT', { attempts: 4, intervalMs: 2000 });
    }, 1000);
    return () => clearTimeout(t);
  }, [pending, remaining, order.id, order.deadlineAt]);
  const open = (pay = false) =>
    Taro.navigateTo({ url: withQuery(PAGES.order, { id: order.id, pay: pay ? 1 : undefined }) });
  return (
    <View className="card order-card e2e-order-card" data-order-id={order.id} onClick={() => open()}>
      <View className="row row--between order-card__head">
        <Text className="muted">{formatTime(order.createdAt)}</Text>
        <Text className={`order-card__status e2e-order-status status--${order.status}`}>{order.statusLabel}</Text>
      </View>
      <View className="order-card__lines">
        {order.lines.slice(0, 4).map((l) => (
          <Image key={l.skuId} className="order-card__thumb" src={resolveAsset(l.image)} mode="aspectFill" />
        ))}
        {order.lines.length === 1 && <View className="order-card__single ellipsis-2">{order.lines[0]!.title}</View>}
      </View>
      <View className="order-card__sum">
        共 {order.itemCount} 件，实付 <Text className="price">{formatFen(order.payableFen)}</Text>
      </View>
      {pending && (
        <View className="order-card__actions">
          <Text className="order-card__countdown e2e-pay-countdown">
            {remaining > 0 ? `剩余 ${formatRemaining(remaining)}` : '支付已超时'}
          </Text>
          <View
            className={`btn btn--small e2e-pay-order ${remaining > 0 ? '' : 'btn--disabled'}`}
            onClick={(e) => {
              e.stopPropagation();
              if (remaining > 0) void open(true);
            }}
          >
            去支付
          </View>
        </View>
      )}
    </View>
  );
}

export default function OrderListPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const initialTab = TAB_KEYS.includes(params.tab as OrderTabKey) ? (params.tab as OrderTabKey) : 'ALL';
  const [tab, setTab] = useState<OrderTabKey>(initialTab);
  const list = useShop((s) => s.orderLists[tab]);
  const { loadOrders } = useShop.getState();

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void loadOrders(tab, 'reset');
  });
  usePullDownRefresh(async () => {
    await loadOrders(tab, 'reset');
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => {
    void loadOrders(tab, 'more');
  });

  const switchTab = (key: OrderTabKey) => {
    setTab(key);
    void loadOrders(key, 'reset');
  };

  return (
    <View className="page order-list">
      <View className="order-tabs">
        {ORDER_TABS.map((t) => (
          <View
            key={t.key}
            className={`order-tabs__item e2e-order-tab ${t.key === tab ? 'order-tabs__item--active' : ''}`}
            data-tab={t.key}
            onClick={() => switchTab(t.key)}
          >
            {t.label}
          </View>
        ))}
      </View>
      {!loggedIn || !list || (list.status === 'loading' && list.items.length === 0) ? (
        <ListSkeleton count={3} />
      ) : list.status === 'error' && list.items.length === 0 ? (
        <EmptyState status="error" text="订单加载失败" actionText="重新加载" onAction={() => loadOrders(tab, 'reset')} />
      ) : list.items.length === 0 ? (
        <EmptyState text="暂无相关订单" actionText="去逛逛" onAction={() => Taro.switchTab({ url: PAGES.home })} />
      ) : (
        <View>
          {list.items.map((o) => (
            <OrderCard key={o.id} order={o} />
          ))}
          <FeedFooter status={list.status} done={list.done} onRetry={() => loadOrders(tab, 'more')} />
        </View>
      )}
    </View>
  );
}
