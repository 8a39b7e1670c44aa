import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { OrderView } from '@shop/shared';
import { canApplyAfterSale } from '../../store';
import { formatTime } from '../../utils/format';
import { PAGES, withQuery } from '../../utils/nav';

/** 申请售后 per line of a paid order that can have one (仅退款 / 退货退款 are chosen on the next page), and 我的售后. */
export function OrderAfterSale({ order }: { order: OrderView }) {
  if (!canApplyAfterSale(order)) return null;
  const go = (url: string) => void Taro.navigateTo({ url });
  return (
    <View className="card e2e-order-after-sale">
      <View className="row row--between">
        <View>
          <View className="card__title">售后</View>
          {order.afterSaleUntil && <View className="muted e2e-after-sale-until">可申请至 {formatTime(order.afterSaleUntil).slice(0, 16)}</View>}
        </View>
        <Text className="muted e2e-my-after-sales" onClick={() => go(PAGES.afterSales)}>
          我的售后 ›
        </Text>
      </View>
      {order.lines.map((l) => (
        <View key={l.skuId} className="row row--between" style={{ padding: '12px 0', alignItems: 'center' }}>
          <Text className="grow" style={{ minWidth: 0 }}>
            {l.title} {l.specText} ×{l.quantity}
          </Text>
          <View className="btn btn--small btn--ghost e2e-apply-after-sale" onClick={() => go(withQuery(PAGES.applyAfterSale, { order: order.id, sku: l.skuId }))}>
            申请售后
          </View>
        </View>
      ))}
    </View>
  );
}
