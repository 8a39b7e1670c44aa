import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useShareAppMessage } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import { resolveAsset } from '../../../api/assets';
import { BackHome } from '../../../components/BackHome';
import { PosterSheet } from '../../../components/poster/PosterSheet';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatDate } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES } from '../../../utils/nav';
import { invitePoster } from './poster';
import './index.scss';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';
const SHARE_TITLE = '我在好物商城购物，邀你一起来逛逛';

/** 邀请好友: the shopper's invite code and link, a poster to share, what an invite earns, and the friends who joined. */
export default function InvitePage() {
  const loggedIn = useRequireLogin();
  const invite = useShop((s) => s.invite);
  const status = useShop((s) => s.inviteStatus);
  const user = useShop((s) => s.user);
  const [posterOpen, setPosterOpen] = useState(false);
  const { loadInvite } = useShop.getState();

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void loadInvite();
  });

  // WeChat's share menu: a card that opens the login page with the code (the home page until the code is known).
  useShareAppMessage(() => ({ title: SHARE_TITLE, path: invite?.path ?? PAGES.home }));

  const poster = useMemo(
    () =>
      invite
        ? invitePoster({ nickname: user?.nickname || '好友', avatarSrc: resolveAsset(user?.avatar) || null, code: invite.code, link: invite.link })
        : null,
    [invite, user],
  );

  const copy = async (data: string, what: string) => {
    try {
      await Taro.setClipboardData({ data });
      void Taro.showToast({ title: `${what}已复制`, icon: 'success' });
    } catch {
      void Taro.showToast({ title: '复制失败，请长按手动复制', icon: 'none' });
    }
  };

  let body;
  if (!loggedIn || (!invite && (status === 'idle' || status === 'loading'))) body = <ListSkeleton count={2} />;
  else if (!invite) body = <EmptyState status="error" text="邀请信息加载失败" actionText="重新加载" onAction={() => void loadInvite()} />;
  else
    body = (
      <>
        <View className="invite-card">
          <View className="invite-card__title">我的邀请码</View>
          <Text className="invite-card__code e2e-invite-code e2e-code" userSelect onClick={() => void copy(invite.code, '邀请码')}>
            {invite.code}
          </Text>
          <View className="invite-card__link muted">{invite.link}</View>
          <View className="invite-card__actions">
            <View className="btn invite-card__btn e2e-copy-invite" onClick={() => void copy(invite.link, '邀请链接')}>
              复制邀请链接
            </View>
            <View className="btn invite-card__btn e2e-invite-poster" onClick={() => setPosterOpen(true)}>
              生成邀请海报
            </View>
            {IS_WEAPP && (
              <Button className="btn btn--ghost invite-card__btn" openType="share">
                分享给微信好友
              </Button>
            )}
          </View>
          <View className="invite-card__rewards e2e-invite-rewards">
            已有 {invite.rewards.friendsRewarded} 位好友完成首单，累计获得 {invite.rewards.points} 积分
          </View>
        </View>

        <View className="card">
          <View className="card__title">邀请规则</View>
          {invite.rules.map((r, i) => (
            <View key={r} className="invite-rule">
              {i + 1}. {r}
            </View>
          ))}
        </View>

        <View className="card">
          <View className="card__title">我邀请的好友（{invite.friends.length}）</View>
          {invite.friends.length === 0 ? (
            <EmptyState status="empty" text="还没有好友通过你的邀请加入，快去邀请吧" />
          ) : (
            invite.friends.map((f, i) => (
              <View key={`${f.joinedAt}-${i}`} className="invite-friend row row--between e2e-invite-friend">
                <View>
                  <View className="invite-friend__name">{f.nickname}</View>
                  <View className="muted invite-friend__at">{formatDate(f.joinedAt)} 加入</View>
                </View>
                <Text className={`invite-friend__state${f.firstOrderPaid ? ' invite-friend__state--done' : ''}`}>
                  {f.firstOrderPaid ? '已完成首单' : '待完成首单'}
                </Text>
              </View>
            ))
          )}
        </View>
      </>
    );

  return (
    <View className="page member-invite">
      <BackHome />
      {body}
      <PosterSheet visible={posterOpen} layout={posterOpen ? poster : null} onClose={() => setPosterOpen(false)} title="邀请海报" fileName="invite-poster.png" />
    </View>
  );
}
