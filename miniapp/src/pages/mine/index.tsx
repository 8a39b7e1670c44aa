import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { ArrowRight, Refund, ToPay, Transit, WaitReceive } from '@nutui/icons-react-taro';
import type { OrderCounts } from '@shop/shared';
import { resolveAsset } from '../../api/assets';
import { useCartBadge } from '../../components/useCartBadge';
import { useShop } from '../../store';
import { growthHint } from '../../utils/members';
import { PAGES, goLogin, withQuery } from '../../utils/nav';
import './index.scss';

/** 我的订单's shortcuts: the order list tab each opens and the server's count shown on it (退款售后: refunds under way, in 已取消). */
const SHORTCUTS: { key: keyof OrderCounts; label: string; tab: string; Icon: typeof ToPay }[] = [
  { key: 'PENDING_PAYMENT', label: '待付款', tab: 'PENDING_PAYMENT', Icon: ToPay },
  { key: 'PAID', label: '待发货', tab: 'PAID', Icon: WaitReceive },
  { key: 'SHIPPED', label: '待收货', tab: 'SHIPPED', Icon: Transit },
  { key: 'REFUNDING', label: '退款售后', tab: 'CANCELLED', Icon: Refund },
];

export default function MinePage() {
  const user = useShop((s) => s.user);
  const loggedIn = useShop((s) => s.token !== null);
  useCartBadge();
  const counts = useShop((s) => (s.token !== null ? s.orderCounts : null));
  const member = useShop((s) => (s.token !== null ? s.member : null));
  useDidShow(() => {
    if (!useShop.getState().isLoggedIn()) return;
    void useShop.getState().loadOrderCounts();
    void useShop.getState().loadMember();
  });

  const needLogin = (url: string) => {
    if (!useShop.getState().isLoggedIn()) {
      goLogin({ redirect: url });
      return;
    }
    void Taro.navigateTo({ url });
  };
  const logout = async () => {
    const res = await Taro.showModal({ title: '退出登录', content: '确定要退出登录吗？', confirmColor: '#e93b3d' });
    if (res.confirm) useShop.getState().logout();
  };

  return (
    <View className="page mine">
      <View className="mine__header">
        {loggedIn && user ? (
          <View className="row">
            {user.avatar ? (
              <Image className="mine__avatar" src={resolveAsset(user.avatar)} mode="aspectFill" />
            ) : (
              <View className="mine__avatar mine__avatar--text">{user.nickname.slice(0, 1)}</View>
            )}
            <View className="mine__name e2e-user-nickname">{user.nickname}</View>
          </View>
        ) : (
          <View className="row">
            <View className="mine__avatar mine__avatar--text">?</View>
            <View className="btn btn--ghost mine__login e2e-login-button" onClick={() => goLogin({ redirect: PAGES.mine })}>
              登录 / 注册
            </View>
          </View>
        )}
      </View>

      {member && (
        <View className="card mine__member e2e-member-card" data-level={member.level} onClick={() => void Taro.navigateTo({ url: PAGES.memberCenter })}>
          <View className="row row--between">
            <Text className="mine__member-level e2e-member-level">{member.levelName}会员</Text>
            <View className="row mine__member-more">
              会员中心 <ArrowRight size={12} />
            </View>
          </View>
          <View className="mine__member-points">
            积分 <Text className="mine__member-points-value e2e-member-points">{member.points.available}</Text>
          </View>
          <View className="mine__member-bar">
            <View className="mine__member-bar-fill" style={{ width: `${member.next ? member.next.progressPercent : 100}%` }} />
          </View>
          <View className="mine__member-hint">{growthHint(member.next)}</View>
        </View>
      )}

      <View className="card">
        <View className="row row--between" onClick={() => needLogin(withQuery(PAGES.orders, { tab: 'ALL' }))}>
          <Text className="card__title mine__card-title">我的订单</Text>
          <View className="row muted">
            全部订单 <ArrowRight size={12} />
          </View>
        </View>
        <View className="mine__shortcuts">
          {SHORTCUTS.map(({ key, label, tab, Icon }) => {
            const n = counts?.[key] ?? 0;
            return (
              <View
                key={key}
                className="mine__shortcut e2e-order-shortcut"
                data-key={key}
                data-count={n}
                onClick={() => needLogin(withQuery(PAGES.orders, { tab }))}
              >
                <View className="mine__shortcut-icon">
                  <Icon size={24} color="#e93b3d" />
                  {n > 0 && <Text className="mine__shortcut-badge e2e-order-shortcut-count">{n > 99 ? '99+' : n}</Text>}
                </View>
                <Text>{label}</Text>
              </View>
            );
          })}
        </View>
      </View>

      <View className="card mine__menu">
        <View
          className="mine__menu-item row row--between e2e-entry-coupon-center"
          onClick={() => Taro.navigateTo({ url: PAGES.couponCenter })}
        >
          <Text>领券中心</Text>
          <ArrowRight size={12} color="#999" />
        </View>
        <View className="mine__menu-item row row--between e2e-entry-my-coupons" onClick={() => needLogin(PAGES.myCoupons)}>
          <Text>我的优惠券</Text>
          <ArrowRight size={12} color="#999" />
        </View>
        <View className="mine__menu-item row row--between e2e-entry-my-groups" onClick={() => needLogin(PAGES.myGroups)}>
          <Text>我的拼团</Text>
          <ArrowRight size={12} color="#999" />
        </View>
        <View className="mine__menu-item row row--between e2e-entry-favorites" onClick={() => needLogin(PAGES.favorites)}>
          <Text>我的收藏</Text>
          <ArrowRight size={12} color="#999" />
        </View>
        <View className="mine__menu-item row row--between e2e-mine-footprints" onClick={() => needLogin(PAGES.footprints)}>
          <Text>足迹</Text>
          <ArrowRight size={12} color="#999" />
        </View>
        <View className="mine__menu-item row row--between" onClick={() => needLogin(PAGES.addresses)}>
          <Text>收货地址</Text>
          <ArrowRight size={12} color="#999" />
        </View>
        <View className="mine__menu-item row row--between e2e-mine-after-sales" onClick={() => needLogin(PAGES.afterSales)}>
          <Text>我的售后</Text>
          <ArrowRight size={12} color="#999" />
        </View>
        <View className="mine__menu-item row row--between e2e-mine-feedback" onClick={() => needLogin(PAGES.feedback)}>
          <Text>意见反馈</Text>
          <ArrowRight size={12} color="#999" />
        </View>
        <View className="mine__menu-item row row--between e2e-mine-settings" onClick={() => needLogin(PAGES.settings)}>
          <Text>设置</Text>
          <ArrowRight size={12} color="#999" />
        </View>
      </View>

      {loggedIn && (
        <View className="mine__logout e2e-logout" onClick={logout}>
          退出登录
        </View>
      )}
    </View>
  );
}
