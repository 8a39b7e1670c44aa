import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { Dialog } from '@nutui/nutui-react-taro';
import type { MallResponse } from '@shop/shared';
import { useState } from 'react';
import { BackHome } from '../../../components/BackHome';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { PAGES, goLogin } from '../../../utils/nav';
import './index.scss';

type Item = MallResponse['items'][number];

/** 积分商城: coupons and gifts for points, with what is left; an exchange is confirmed first and done by the server. */
export default function PointsMallPage() {
  const loggedIn = useShop((s) => s.token !== null);
  const mall = useShop((s) => s.mall);
  const status = useShop((s) => s.mallStatus);
  const redeeming = useShop((s) => s.redeeming);
  const { loadMall, redeem } = useShop.getState();
  const [confirming, setConfirming] = useState<Item | null>(null);
  /** The server's answer to the last exchange: its success message, or its refusal, by item. */
  const [notice, setNotice] = useState<{ ok: boolean; message: string; itemId: string; coupon: boolean } | null>(null);

  useDidShow(() => {
    void loadMall();
  });

  const ask = (item: Item) => {
    if (!useShop.getState().isLoggedIn()) {
      goLogin();
      return;
    }
    setNotice(null);
    setConfirming(item);
  };
  const confirm = async () => {
    const item = confirming;
    setConfirming(null);
    if (!item) return;
    const r = await redeem(item.id);
    setNotice({ ok: r.ok, message: r.message, itemId: item.id, coupon: r.ok && r.couponId !== null });
    if (!r.ok) Taro.showToast({ title: r.message, icon: 'none' });
  };

  let body;
  if (!mall && (status === 'idle' || status === 'loading')) body = <ListSkeleton count={3} />;
  else if (!mall) body = <EmptyState status="error" text="积分商城加载失败" actionText="重新加载" onAction={() => void loadMall()} />;
  else if (mall.items.length === 0) body = <EmptyState text="积分商城暂无可兑换的商品" />;
  else
    body = mall.items.map((item) => {
      const blocked = loggedIn && item.refusal !== '';
      return (
        <View key={item.id} className="card mall-item e2e-mall-item" data-item-id={item.id}>
          <View className="row mall-item__top">
            <Text className="mall-item__kind">{item.kindLabel}</Text>
            <Text className="mall-item__name grow e2e-title">{item.name}</Text>
          </View>
          {item.description && <View className="mall-item__desc muted">{item.description}</View>}
          <View className="row row--between mall-item__bottom">
            <View className="grow">
              <Text className="mall-item__points e2e-mall-points">{item.points} 积分</Text>
              <Text className="muted mall-item__left e2e-mall-left">{item.left > 0 ? `剩余 ${item.left} 件` : '已兑完'}</Text>
            </View>
            <View
              className={`btn btn--small mall-item__button e2e-mall-redeem${blocked || redeeming ? ' btn--disabled' : ''}`}
              onClick={() => !blocked && !redeeming && ask(item)}
            >
              {redeeming === item.id ? '兑换中…' : blocked ? item.refusal : '兑换'}
            </View>
          </View>
          {notice?.itemId === item.id && (
            <View className={`mall-item__notice ${notice.ok ? 'mall-item__notice--ok e2e-mall-success' : 'e2e-mall-error'}`}>
              <Text>{notice.message}</Text>
              {notice.coupon && (
                <Text className="mall-item__link e2e-mall-to-coupons" onClick={() => void Taro.navigateTo({ url: PAGES.myCoupons })}>
                  查看我的优惠券
                </Text>
              )}
            </View>
          )}
        </View>
      );
    });

  return (
    <View className="page mall">
      <BackHome />
      <View className="mall__head">
        {loggedIn ? (
          <>
            <Text>我的积分</Text>
            <Text className="mall__balance e2e-mall-balance">{mall ? mall.available : '—'}</Text>
          </>
        ) : (
          <Text className="mall__login" onClick={() => goLogin()}>
            登录后查看我的积分
          </Text>
        )}
      </View>
      {body}
      <Dialog
        className="e2e-mall-dialog"
        visible={confirming !== null}
        title="确认兑换"
        confirmText="确认兑换"
        cancelText="再想想"
        onConfirm={() => void confirm()}
        onCancel={() => setConfirming(null)}
        onClose={() => setConfirming(null)}
      >
        {confirming && (
          <View className="mall__confirm">
            使用 {confirming.points} 积分兑换「{confirming.name}」？
            {mall && <View className="muted">当前积分 {mall.available}</View>}
          </View>
        )}
      </Dialog>
    </View>
  );
}
