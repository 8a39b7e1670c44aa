import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter, useShareAppMessage } from '@tarojs/taro';
import { useState } from 'react';
import type { MyGroupView } from '@shop/shared';
import { isShareToken, sharePath } from '@shop/shared/src/group-buy/share';
import { resolveAsset } from '../../../api/assets';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { MY_GROUP_TABS, useShop, type GroupStatusKey } from '../../../store';
import { formatFen } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import { GroupCountdown, GroupStatusTag } from '../../components/GroupBits';
import './index.scss';

const IS_H5 = process.env.TARO_ENV === 'h5';
const TAB_KEYS = MY_GROUP_TABS.map((t) => t.key);

function GroupItem({ g }: { g: MyGroupView }) {
  const open = () => Taro.navigateTo({ url: withQuery(PAGES.groupLanding, { t: g.token }) });
  return (
    <View className="card my-group e2e-my-group" data-group-id={g.groupId} data-status={g.status} onClick={open}>
      <View className="row">
        <Image className="my-group__image" src={resolveAsset(g.image)} mode="aspectFill" />
        <View className="grow my-group__info">
          <View className="ellipsis-2">{g.productTitle}</View>
          <View>
            <Text className="muted">{g.priceLabel} </Text>
            <Text className="price e2e-my-group-price" data-fen={String(g.groupPriceFen)}>
              {formatFen(g.groupPriceFen)}
            </Text>
            <Text className="muted"> · {g.size}人团 · {g.role === 'leader' ? '我是团长' : '参团'}</Text>
          </View>
          <View className="row row--between">
            <GroupStatusTag status={g.status} label={g.statusLabel} />
            {g.status === 'OPEN' && <GroupCountdown deadlineAt={g.deadlineAt} className="muted" />}
          </View>
        </View>
      </View>
      {g.status === 'OPEN' && (
        <View className="row row--between my-group__foot">
          <Text className="muted e2e-group-seats" data-seats={String(g.seatsLeft)}>
            还差 {g.seatsLeft} 人
          </Text>
          {IS_H5 ? (
            <View className="btn btn--small e2e-reshare" onClick={open}>
              邀请好友
            </View>
          ) : (
            <Button
              className="btn btn--small my-group__share e2e-reshare"
              openType="share"
              data-token={g.token}
              onClick={(e) => e.stopPropagation()}
            >
              邀请好友
            </Button>
          )}
        </View>
      )}
    </View>
  );
}

export default function MyGroupsPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const [tab, setTab] = useState<GroupStatusKey>(
    TAB_KEYS.includes(params.status as GroupStatusKey) ? (params.status as GroupStatusKey) : 'OPEN',
  );
  const list = useShop((s) => s.myGroups[tab]);
  const { loadMyGroups } = useShop.getState();

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void loadMyGroups(tab);
  });
  usePullDownRefresh(async () => {
    await loadMyGroups(tab);
    Taro.stopPullDownRefresh();
  });
  useShareAppMessage((res) => {
    const token = (res.target as { dataset?: { token?: string } } | undefined)?.dataset?.token;
    const g = Object.values(useShop.getState().myGroups)
      .flatMap((l) => l?.items ?? [])
      .find((i) => i.token === token);
    if (!token || !isShareToken(token)) return { title: '一起拼团更划算', path: PAGES.home };
    return { title: g ? `还差${g.seatsLeft}人成团｜${formatFen(g.groupPriceFen)} 拼${g.productTitle}` : '一起拼团更划算', path: sharePath(token) };
  });

  const switchTab = (key: GroupStatusKey) => {
    setTab(key);
    void loadMyGroups(key);
  };

  let body;
  if (!loggedIn || !list || (list.status === 'loading' && list.items.length === 0)) body = <ListSkeleton count={3} rows={2} />;
  else if (list.status === 'error' && list.items.length === 0)
    body = <EmptyState status="error" text="加载失败" actionText="重新加载" onAction={() => loadMyGroups(tab)} />;
  else if (list.items.length === 0)
    body = <EmptyState text="暂无拼团" actionText="去逛逛" onAction={() => Taro.switchTab({ url: PAGES.home })} />;
  else body = list.items.map((g) => <GroupItem key={g.groupId} g={g} />);

  return (
    <View className="page my-groups">
      <View className="my-groups__tabs">
        {MY_GROUP_TABS.map((t) => (
          <View
            key={t.key}
            className={`my-groups__tab e2e-my-group-tab ${t.key === tab ? 'my-groups__tab--active' : ''}`}
            data-status={t.key}
            onClick={() => switchTab(t.key)}
          >
            {t.title}
          </View>
        ))}
      </View>
      {body}
    </View>
  );
}
