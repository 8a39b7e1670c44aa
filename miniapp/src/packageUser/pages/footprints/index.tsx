import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useReachBottom } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import type { FootprintView } from '@shop/shared';
import { resolveAsset } from '../../../api/assets';
import { BackHome } from '../../../components/BackHome';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { footprintDays, useShop } from '../../../store';
import { formatFen } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import './index.scss';

/** 足迹: the products this shopper looked at, by day, latest first; each deletable, or all at once. */
export default function FootprintsPage() {
  const loggedIn = useRequireLogin();
  const items = useShop((s) => s.footprints);
  const status = useShop((s) => s.footprintsStatus);
  const more = useShop((s) => s.footprintsCursor !== null);
  const busy = useShop((s) => s.footprintBusy);
  const clearing = useShop((s) => s.footprintsClearing);
  const paused = useShop((s) => s.privacy?.behaviourData === false);
  const [editing, setEditing] = useState(false);
  const { loadFootprints, loadPrivacy, removeFootprint, clearFootprints } = useShop.getState();
  const days = useMemo(() => footprintDays(items, Date.now()), [items]);

  useDidShow(() => {
    if (!useShop.getState().isLoggedIn()) return;
    void loadFootprints(true);
    void loadPrivacy();
  });
  useReachBottom(() => {
    if (more) void loadFootprints(false);
  });

  const open = (f: FootprintView) => {
    if (f.priceFromFen === null) return;
    void Taro.navigateTo({ url: withQuery(PAGES.product, { id: f.productId }) });
  };
  const clear = async () => {
    const res = await Taro.showModal({ title: '清空足迹', content: '确定清空全部足迹吗？清空后无法恢复。', confirmText: '清空', confirmColor: '#e93b3d' });
    if (res.confirm && (await clearFootprints())) setEditing(false);
  };

  const pausedHint = paused && (
    <View className="footprints__paused row row--between e2e-footprints-paused" onClick={() => void Taro.navigateTo({ url: PAGES.settings })}>
      <Text>行为数据已关闭，新的浏览不会记入足迹</Text>
      <Text className="footprints__paused-link">去设置</Text>
    </View>
  );

  const bar = (
    <View className="footprints__bar row row--between">
      <Text className="muted">{editing && items.length > 0 ? '点击删除移出足迹' : '最近浏览的商品'}</Text>
      {items.length > 0 && (
        <View className="row">
          <Text className="footprints__action e2e-footprints-edit" onClick={() => setEditing(!editing)}>
            {editing ? '完成' : '编辑'}
          </Text>
          <Text className={`footprints__action e2e-footprints-clear${clearing ? ' footprints__action--disabled' : ''}`} onClick={() => void clear()}>
            清空
          </Text>
        </View>
      )}
    </View>
  );

  let body;
  if (!loggedIn || status === 'idle' || (status === 'loading' && items.length === 0)) body = <ListSkeleton />;
  else if (status === 'error' && items.length === 0)
    body = <EmptyState status="error" text="足迹加载失败" actionText="重新加载" onAction={() => loadFootprints(true)} />;
  else if (items.length === 0)
    body = <EmptyState text="还没有浏览过的商品" actionText="去逛逛" onAction={() => Taro.switchTab({ url: PAGES.home })} />;
  else
    body = (
      <>
        {days.map((day) => (
          <View className="card footprints__day" key={day.label}>
            <View className="footprints__day-label e2e-footprint-day">{day.label}</View>
            {day.items.map((f) => (
              <View
                className={`footprint-item row e2e-footprint${f.available ? '' : ' footprint-item--unavailable'}`}
                data-product-id={f.productId}
                key={f.productId}
              >
                <Image className="footprint-item__image" src={resolveAsset(f.image)} mode="aspectFill" onClick={() => open(f)} />
                <View className="footprint-item__body grow" onClick={() => open(f)}>
                  <View className="footprint-item__title">{f.title}</View>
                  <View className="footprint-item__meta">
                    {f.priceFromFen !== null && <Text className="price">{formatFen(f.priceFromFen)}</Text>}
                    {f.stateLabel && <Text className="footprint-item__state">{f.stateLabel}</Text>}
                  </View>
                </View>
                {editing && (
                  <View
                    className={`btn btn--small btn--ghost footprint-item__delete e2e-footprint-delete${busy[f.productId] ? ' btn--disabled' : ''}`}
                    onClick={() => void removeFootprint(f.productId)}
                  >
                    删除
                  </View>
                )}
              </View>
            ))}
          </View>
        ))}
        <View className="footprints__end muted">{more ? '加载中…' : '没有更多了'}</View>
      </>
    );

  return (
    <View className="page footprints">
      <BackHome />
      {bar}
      {pausedHint}
      {body}
    </View>
  );
}
