import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { CouponView } from '@shop/shared';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { MY_COUPON_TABS, useShop, type MyCouponTab } from '../../../store';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES } from '../../../utils/nav';
import { formatPeriod } from '../../../utils/format';
import { CouponTicket } from '../../components/CouponTicket';
import './index.scss';

const TAB_KEYS = MY_COUPON_TABS.map((t) => t.key) as MyCouponTab[];

function MyCoupon({ c }: { c: CouponView }) {
  const unused = c.status === 'UNUSED';
  return (
    <CouponTicket
      className="e2e-my-coupon"
      data={{ 'coupon-id': c.id, status: c.status }}
      label={c.label}
      name={c.name}
      lines={[c.scopeLabel, formatPeriod(c.validFrom, c.validTo)]}
      off={!unused && c.status !== 'LOCKED'}
      stamp={unused ? null : c.statusLabel}
      aside={
        unused ? (
          <View className="btn btn--small btn--ghost" onClick={() => Taro.switchTab({ url: PAGES.home })}>
            去使用
          </View>
        ) : undefined
      }
    />
  );
}

export default function MyCouponsPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const [tab, setTab] = useState<MyCouponTab>(
    TAB_KEYS.includes(params.status as MyCouponTab) ? (params.status as MyCouponTab) : 'UNUSED',
  );
  const list = useShop((s) => s.myCoupons[tab]);
  const { loadMyCoupons } = useShop.getState();

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void loadMyCoupons(tab);
  });
  usePullDownRefresh(async () => {
    await loadMyCoupons(tab);
    Taro.stopPullDownRefresh();
  });

  const switchTab = (key: MyCouponTab) => {
    setTab(key);
    void loadMyCoupons(key);
  };

  let body;
  if (!loggedIn || !list || (list.status === 'loading' && list.items.length === 0))
    body = <ListSkeleton count={3} rows={2} />;
  else if (list.status === 'error' && list.items.length === 0)
    body = <EmptyState status="error" text="优惠券加载失败" actionText="重新加载" onAction={() => loadMyCoupons(tab)} />;
  else if (list.items.length === 0)
    body =
      tab === 'UNUSED' ? (
        <EmptyState text="暂无可用优惠券" actionText="去领券" onAction={() => Taro.navigateTo({ url: PAGES.couponCenter })} />
      ) : (
        <EmptyState text={tab === 'USED' ? '暂无已使用的优惠券' : '暂无已过期的优惠券'} />
      );
  else
    body = (
      <View>
        {list.items.map((c) => (
          <MyCoupon key={c.id} c={c} />
        ))}
      </View>
    );

  return (
    <View className="page my-coupons">
      <View className="my-coupons__tabs">
        {MY_COUPON_TABS.map((t) => (
          <View
            key={t.key}
            className={`my-coupons__tab e2e-my-coupon-tab ${t.key === tab ? 'my-coupons__tab--active' : ''}`}
            data-status={t.key}
            onClick={() => switchTab(t.key)}
          >
            {t.label}
          </View>
        ))}
      </View>
      {body}
      <View className="my-coupons__entry" onClick={() => Taro.navigateTo({ url: PAGES.couponCenter })}>
        去领券中心领更多好券 ›
      </View>
    </View>
  );
}
