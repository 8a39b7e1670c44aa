import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import type { ClaimableCoupon } from '@shop/shared';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { PAGES, goLogin } from '../../../utils/nav';
import { CouponTicket } from '../../components/CouponTicket';
import './index.scss';

/** 剩余 N 张 while there are some; a sold-out template says 已领完 on its button instead. */
function stockText(c: ClaimableCoupon): string | null {
  if (c.remaining === null || c.remaining === 0) return null;
  return `剩余 ${c.remaining} 张`;
}

function CenterCard({ c }: { c: ClaimableCoupon }) {
  const busy = useShop((s) => !!s.claiming[c.templateId]);
  const soldOut = c.remaining === 0;

  const claim = async () => {
    if (!c.canClaim || busy) return;
    if (!useShop.getState().isLoggedIn()) {
      goLogin({ redirect: PAGES.couponCenter });
      return;
    }
    const res = await useShop.getState().claimCoupon(c.templateId);
    if (!res.ok && res.needLogin) goLogin({ redirect: PAGES.couponCenter });
  };

  return (
    <CouponTicket
      className="e2e-coupon-center-item"
      data={{ 'template-id': c.templateId, 'can-claim': c.canClaim ? 'true' : 'false' }}
      label={c.label}
      name={c.name}
      lines={[c.scopeLabel, c.validityLabel, c.claimedByMe > 0 && `已领 ${c.claimedByMe} 张`]}
      off={!c.canClaim && soldOut}
      aside={
        <>
          <View
            className={`btn btn--small e2e-claim-coupon ${c.canClaim && !busy ? '' : 'btn--disabled'}`}
            data-template-id={c.templateId}
            onClick={claim}
          >
            {busy ? '领取中…' : c.canClaim ? '立即领取' : (c.reason ?? (soldOut ? '已领完' : '不可领取'))}
          </View>
          {stockText(c) && <Text className="coupon-center__stock">{stockText(c)}</Text>}
        </>
      }
    />
  );
}

export default function CouponCenterPage() {
  const items = useShop((s) => s.couponCenter);
  const status = useShop((s) => s.couponCenterStatus);
  const loggedIn = useShop((s) => s.token !== null);
  const { loadCouponCenter } = useShop.getState();

  // Every showing reads it again: claimed counts and limits are per shopper, and a login may just have happened.
  useDidShow(() => {
    void loadCouponCenter();
  });
  usePullDownRefresh(async () => {
    await loadCouponCenter();
    Taro.stopPullDownRefresh();
  });

  let body;
  if ((status === 'loading' || status === 'idle') && items.length === 0) body = <ListSkeleton count={3} rows={2} />;
  else if (status === 'error' && items.length === 0)
    body = <EmptyState status="error" text="优惠券加载失败" actionText="重新加载" onAction={() => loadCouponCenter()} />;
  else if (items.length === 0) body = <EmptyState text="暂时没有可领的优惠券，过会儿再来看看" />;
  else
    body = (
      <View>
        {items.map((c) => (
          <CenterCard key={c.templateId} c={c} />
        ))}
      </View>
    );

  return (
    <View className="page coupon-center">
      <View className="coupon-center__banner">
        <View className="coupon-center__title">领券中心</View>
        <View className="coupon-center__sub">好券天天领，下单自动使用最优券</View>
        {loggedIn && (
          <View className="coupon-center__mine" onClick={() => Taro.navigateTo({ url: PAGES.myCoupons })}>
            我的优惠券 ›
          </View>
        )}
      </View>
      {body}
      <View className="coupon-center__foot" />
    </View>
  );
}
