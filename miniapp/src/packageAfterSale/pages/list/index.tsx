import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { resolveAsset } from '../../../api/assets';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatFen, formatTime } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import '../after-sale.scss';

/** 我的售后: every request, newest first, with its state and refund. */
export default function AfterSalesPage() {
  const loggedIn = useRequireLogin();
  const list = useShop((s) => s.afterSaleList);
  const byId = useShop((s) => s.afterSales);
  useDidShow(() => {
    if (loggedIn) void useShop.getState().loadAfterSales(true);
  });
  usePullDownRefresh(() => {
    void useShop
      .getState()
      .loadAfterSales(true)
      .finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void useShop.getState().loadAfterSales(false));

  if (!loggedIn) return null;
  if (list.status === 'error' && list.ids.length === 0) return <EmptyState status="network" text="售后记录加载失败" />;
  if (list.status !== 'ready' && list.ids.length === 0) return <ListSkeleton count={3} />;
  if (list.ids.length === 0) return <EmptyState text="暂无售后记录" />;
  return (
    <View className="page after-sale">
      {list.ids.map((id) => {
        const v = byId[id];
        if (!v) return null;
        return (
          <View key={id} className="card e2e-after-sale-item" data-state={v.state} onClick={() => void Taro.navigateTo({ url: withQuery(PAGES.afterSale, { id }) })}>
            <View className="row row--between">
              <Text className="muted">{formatTime(v.createdAt)}</Text>
              <Text className="after-sale__state">{v.stateLabel}</Text>
            </View>
            <View className="row after-sale__line">
              <Image className="after-sale__img" src={resolveAsset(v.line.image)} mode="aspectFill" />
              <View className="grow">
                <View>{v.line.title}</View>
                <View className="muted">
                  {v.typeLabel} · {v.quantity} 件 · {v.reasonLabel}
                </View>
                <View>退款 {formatFen(v.refundFen)}</View>
              </View>
            </View>
          </View>
        );
      })}
      {list.cursor === null && <View className="muted after-sale__end">没有更多了</View>}
    </View>
  );
}
