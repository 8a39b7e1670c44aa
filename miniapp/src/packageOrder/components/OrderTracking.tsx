import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect } from 'react';
import type { OrderView } from '@shop/shared';
import { shopperActions } from '@shop/shared/src/order-lifecycle';
import { autoReceiptText, useShop } from '../../store';
import { formatTime } from '../../utils/format';
import './tracking.scss';

/**
 * 物流信息 of a shipped order: each parcel with its carrier, number, what it carries and its timeline as a step list
 * (newest first), and 确认收货 while the transition table allows it. In the weapp the button opens WeChat's confirm
 * component (wx.openBusinessView, weappOrderConfirm) when the client has it, then records the receipt through the API;
 * elsewhere (H5, older clients) a dialog asks first.
 */
export function OrderTracking({ order }: { order: OrderView }) {
  const view = useShop((s) => s.tracking[order.id]);
  const receiving = useShop((s) => s.receiving);
  const shipped = order.status === 'SHIPPED' || order.status === 'COMPLETED';
  const load = () => {
    if (shipped) void useShop.getState().loadTracking(order.id);
  };
  useEffect(load, [order.id, order.status]);
  useDidShow(load);
  if (!shipped) return null;

  const canReceive = shopperActions(order).includes('CONFIRM_RECEIPT');
  const receive = async () => {
    const store = useShop.getState();
    const openBusinessView = (Taro as unknown as { openBusinessView?: (o: Record<string, unknown>) => Promise<unknown> }).openBusinessView;
    if (process.env.TARO_ENV === 'weapp' && typeof openBusinessView === 'function' && order.transactionId) {
      try {
        await openBusinessView({ businessType: 'weappOrderConfirm', extraData: { transaction_id: order.transactionId } });
      } catch (e) {
        // Closed by the shopper: nothing was confirmed. Any other failure: the shop's own dialog below.
        if (/cancel/i.test(String((e as { errMsg?: string })?.errMsg ?? ''))) return;
        if (!(await confirmDialog())) return;
      }
      await store.receiveOrder(order.id);
      return;
    }
    if (await confirmDialog()) await store.receiveOrder(order.id);
  };

  return (
    <View className="card order-tracking e2e-order-tracking">
      <View className="card__title">物流信息</View>
      {(view?.parcels ?? []).map((p) => (
        <View key={p.parcelNo} className="order-tracking__parcel e2e-parcel" data-stage={p.stage}>
          <View className="row row--between">
            <Text>
              {view!.parcels.length > 1 ? `包裹 ${p.parcelNo} · ` : ''}
              {p.carrierName} {p.trackingNo}
            </Text>
            <Text className="order-tracking__stage e2e-parcel-stage">{p.stageLabel}</Text>
          </View>
          <View className="muted order-tracking__lines">{p.lines.map((l) => `${l.title} ×${l.quantity}`).join('，')}</View>
          <View className="order-tracking__steps">
            {p.events.map((e, i) => (
              <View key={`${e.at}-${i}`} className={`order-tracking__step${i === 0 ? ' order-tracking__step--latest' : ''}`}>
                <View className="order-tracking__dot" />
                <View className="order-tracking__body">
                  <View className="order-tracking__label">{e.stageLabel}</View>
                  <View className="order-tracking__text">{e.text}</View>
                  <View className="muted order-tracking__time">{formatTime(e.at)}</View>
                </View>
              </View>
            ))}
          </View>
        </View>
      ))}
      {canReceive && (
        <View className="row row--between order-tracking__receive">
          <Text className="muted e2e-auto-receipt">{autoReceiptText(view, Date.now())}</Text>
          <View className={`btn btn--small e2e-confirm-receipt${receiving ? ' btn--disabled' : ''}`} onClick={() => void receive()}>
            确认收货
          </View>
        </View>
      )}
    </View>
  );
}

async function confirmDialog(): Promise<boolean> {
  const res = await Taro.showModal({ title: '确认收货', content: '请确认已收到全部商品。确认后订单完成，如有问题仍可申请售后。', confirmText: '确认收货', confirmColor: '#e93b3d' });
  return res.confirm;
}
