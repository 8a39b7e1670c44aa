import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { OrderTabKey, OrderView } from '@shop/shared';
import { ORDER_TABS } from '@shop/shared/src/order-state';
import { resolveAsset } from '../../../api/assets';
import { FeedFooter } from '../../../components/Feed';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatFen, formatTime } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import './index.scss';

const TAB_KEYS = ORDER_TABS.map((t) => t.key) as OrderTabKey[];

function OrderCard({ order }: { order: OrderView }) {
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
      {order.status === 'PENDING_PAYMENT' && (
        <View className="order-card__actions">
          <View
            className="btn btn--small e2e-pay-order"
            onClick={(e) => {
              e.stopPropagation();
              void open(true);
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
