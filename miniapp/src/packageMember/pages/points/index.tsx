import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useReachBottom } from '@tarojs/taro';
import { BackHome } from '../../../components/BackHome';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatTime } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { signedPoints } from '../../../utils/members';
import { PAGES, withQuery } from '../../../utils/nav';
import './index.scss';

/** 积分明细: every change of the points, newest first, with its reason in words; pending points marked as such. */
export default function PointsHistoryPage() {
  const loggedIn = useRequireLogin();
  const member = useShop((s) => s.member);
  const items = useShop((s) => s.pointsEntries);
  const status = useShop((s) => s.pointsStatus);
  const more = useShop((s) => s.pointsCursor !== null);
  const { loadPointsHistory, loadMember } = useShop.getState();

  useDidShow(() => {
    if (!useShop.getState().isLoggedIn()) return;
    void loadMember();
    void loadPointsHistory(true);
  });
  useReachBottom(() => {
    if (more) void loadPointsHistory(false);
  });

  let body;
  if (!loggedIn || status === 'idle' || (status === 'loading' && items.length === 0)) body = <ListSkeleton count={4} rows={2} />;
  else if (status === 'error' && items.length === 0)
    body = <EmptyState status="error" text="积分明细加载失败" actionText="重新加载" onAction={() => loadPointsHistory(true)} />;
  else if (items.length === 0)
    body = <EmptyState text="还没有积分记录，去签到领积分吧" actionText="去签到" onAction={() => Taro.redirectTo({ url: PAGES.checkIn })} />;
  else
    body = (
      <View className="card points-list">
        {items.map((e) => (
          <View key={e.id} className="points-entry row e2e-points-entry" data-points={e.points}>
            <View className="grow">
              <View className="points-entry__reason e2e-points-reason">{e.reason}</View>
              <View className="muted points-entry__time">
                {formatTime(e.at)}
                {e.orderId && (
                  <Text className="points-entry__order e2e-points-order" onClick={() => Taro.navigateTo({ url: withQuery(PAGES.order, { id: e.orderId! }) })}>
                    查看订单
                  </Text>
                )}
              </View>
            </View>
            <View className="points-entry__side">
              <Text className={`points-entry__points${e.points < 0 ? ' points-entry__points--minus' : ''}`}>{signedPoints(e.points)}</Text>
              {e.pendingLabel && <Text className="points-entry__pending e2e-points-pending">{e.pendingLabel}</Text>}
            </View>
          </View>
        ))}
        <View className="points-list__end muted">{more ? '加载中…' : '没有更多了'}</View>
      </View>
    );

  return (
    <View className="page points-page">
      <BackHome />
      <View className="points-summary">
        <View className="points-summary__cell">
          <Text className="points-summary__value e2e-points-available">{member ? member.points.available : '—'}</Text>
          <Text className="points-summary__label">可用积分</Text>
        </View>
        <View className="points-summary__cell">
          <Text className="points-summary__value">{member ? member.points.pending : '—'}</Text>
          <Text className="points-summary__label">待到账（订单完成后可用）</Text>
        </View>
      </View>
      {body}
    </View>
  );
}
