import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect } from 'react';
import type { OrderStatus } from '@shop/shared/src/order-lifecycle';
import { resolveAsset } from '../../api/assets';
import { useShop } from '../../store';
import { PAGES, withQuery } from '../../utils/nav';

/**
 * 评价 on a received order's page: per line 评价 (not yet reviewed), 追评 (reviewed, no 追评 yet) or 已评价, as the
 * server says they can be done. Nothing before the order is 已完成.
 */
export function OrderReviews({ orderId, status }: { orderId: string; status: OrderStatus }) {
  const info = useShop((s) => s.orderReviews[orderId]);
  const load = () => void useShop.getState().loadOrderReviews(orderId);
  useEffect(() => {
    if (status === 'COMPLETED') load();
  }, [orderId, status]);
  useDidShow(() => {
    if (status === 'COMPLETED') load();
  });
  if (status !== 'COMPLETED' || !info) return null;
  const go = (skuId: string, follow: boolean) =>
    Taro.navigateTo({ url: withQuery(PAGES.writeReview, { order: orderId, sku: skuId, mode: follow ? 'follow' : undefined }) });
  return (
    <View className="card e2e-order-reviews">
      <View className="card__title">评价</View>
      {info.lines.map((l) => (
        <View key={l.skuId} className="row order-review-line" style={{ alignItems: 'center', gap: '16px', padding: '12px 0' }}>
          <Image src={resolveAsset(l.image)} mode="aspectFill" style={{ width: '80px', height: '80px', borderRadius: '8px', flex: 'none' }} />
          <View className="grow" style={{ minWidth: 0 }}>
            <View>{l.title}</View>
            <View className="muted">{l.specText}</View>
          </View>
          {l.canReview ? (
            <View className="btn btn--small e2e-write-review" onClick={() => go(l.skuId, false)}>
              评价
            </View>
          ) : l.canFollowUp ? (
            <View className="btn btn--small btn--ghost e2e-follow-up" onClick={() => go(l.skuId, true)}>
              追评
            </View>
          ) : (
            <Text className="muted">{l.review ? '已评价' : ''}</Text>
          )}
        </View>
      ))}
    </View>
  );
}
