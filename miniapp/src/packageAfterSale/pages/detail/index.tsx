import { Image, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { resolveAsset } from '../../../api/assets';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatFen, formatTime } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import { ServiceEntry } from '../../../components/ServiceEntry';
import '../after-sale.scss';

/**
 * 售后详情 (`?id=<orderId>-<n>`): the state and the next party's deadline, the refund, the return address and the
 * return's tracking number (entered here while 待退货), 撤销申请, the photos and the timeline.
 */
export default function AfterSaleDetailPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const id = params.id ?? '';
  const v = useShop((s) => s.afterSales[id]);
  const busy = useShop((s) => s.afterSaleBusy);
  const [failed, setFailed] = useState(false);
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');

  useDidShow(() => {
    if (loggedIn && id) void useShop.getState().loadAfterSale(id).then((r) => setFailed(!r));
  });

  if (!loggedIn) return null;
  if (!v) return failed ? <EmptyState status="network" text="售后单加载失败" /> : <ListSkeleton count={2} />;
  const canWithdraw = v.actions.includes('WITHDRAW');
  const canShip = v.actions.includes('SHIP_RETURN');
  const withdraw = async () => {
    const { confirm } = await Taro.showModal({ title: '撤销申请', content: '撤销后本次售后申请将关闭，确定撤销吗？' });
    if (confirm) await useShop.getState().withdrawAfterSale(id);
  };
  const ship = async () => {
    if (!carrier.trim() || !trackingNo.trim()) {
      void Taro.showToast({ title: '请填写快递公司和快递单号', icon: 'none' });
      return;
    }
    await useShop.getState().shipAfterSaleReturn(id, carrier.trim(), trackingNo.trim());
  };
  const a = v.returnAddress;

  return (
    <View className="page after-sale">
      <View className="after-sale__header">
        <View className="after-sale__header-state e2e-after-sale-state" data-state={v.state}>
          {v.stateLabel}
        </View>
        {v.deadline && <View className="after-sale__header-hint e2e-after-sale-deadline">{v.deadline.text}</View>}
        {v.rejectReason && <View className="after-sale__header-hint">拒绝原因：{v.rejectReason}</View>}
      </View>

      <View className="card">
        <View className="row row--between">
          <Text className="muted">退款金额</Text>
          <Text className="after-sale__amount e2e-after-sale-refund">{formatFen(v.refundFen)}</Text>
        </View>
        {v.refund && <View className="muted">{v.refund.statusLabel}，原路退回</View>}
      </View>

      {a && (
        <View className="card e2e-after-sale-address">
          <View className="card__title">退货地址</View>
          <View>
            {a.name} <Text className="muted">{a.phone}</Text>
          </View>
          <View className="row row--between">
            <Text>{a.address}</Text>
            <Text className="order-info__copy" onClick={() => void Taro.setClipboardData({ data: `${a.name} ${a.phone} ${a.address}` })}>
              复制
            </Text>
          </View>
        </View>
      )}

      {canShip && (
        <View className="card e2e-after-sale-ship">
          <View className="card__title">填写退货物流</View>
          <Input className="after-sale__input" placeholder="快递公司，如 顺丰速运" value={carrier} maxlength={32} onInput={(e) => setCarrier(e.detail.value)} />
          <Input className="after-sale__input" placeholder="快递单号" value={trackingNo} maxlength={32} onInput={(e) => setTrackingNo(e.detail.value)} />
          <View className={`btn e2e-after-sale-ship-submit ${busy ? 'btn--disabled' : ''}`} onClick={() => !busy && void ship()}>
            提交单号
          </View>
        </View>
      )}

      {v.returnShipment && (
        <View className="card">
          <View className="card__title">退货物流</View>
          <View>
            {v.returnShipment.carrier} {v.returnShipment.trackingNo}
          </View>
        </View>
      )}

      <View className="card">
        <View className="row after-sale__line" onClick={() => void Taro.navigateTo({ url: withQuery(PAGES.order, { id: v.orderId }) })}>
          <Image className="after-sale__img" src={resolveAsset(v.line.image)} mode="aspectFill" />
          <View className="grow">
            <View>{v.line.title}</View>
            <View className="muted">
              {v.line.specText} · {v.quantity} 件
            </View>
          </View>
        </View>
        <View className="muted">
          {v.typeLabel} · {v.reasonLabel}
        </View>
        {v.description && <View>{v.description}</View>}
        {v.photos.length > 0 && (
          <View className="after-sale__photos">
            {v.photos.map((p) => (
              <Image
                key={p.key}
                className="after-sale__photo-img after-sale__photo"
                src={p.url}
                mode="aspectFill"
                onClick={() => void Taro.previewImage({ current: p.url, urls: v.photos.map((x) => x.url) })}
              />
            ))}
          </View>
        )}
      </View>

      <View className="card e2e-after-sale-timeline">
        <View className="card__title">进度</View>
        {[...v.timeline].reverse().map((t, i) => (
          <View key={`${t.at}-${i}`} className="after-sale__step-row">
            <View>
              <Text className="after-sale__state">{t.stateLabel}</Text> {t.note}
            </View>
            <View className="muted">{formatTime(t.at)}</View>
          </View>
        ))}
      </View>

      <ServiceEntry />

      {canWithdraw && (
        <View className={`btn btn--ghost after-sale__withdraw e2e-after-sale-withdraw ${busy ? 'btn--disabled' : ''}`} onClick={() => !busy && void withdraw()}>
          撤销申请
        </View>
      )}
    </View>
  );
}
