import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter, useShareAppMessage } from '@tarojs/taro';
import { useEffect, useMemo, useRef, useState } from 'react';
import { sharePath, shareTitle, tokenFromLandingQuery } from '@shop/shared/src/group-buy/share';
import { resolveAsset } from '../../../api/assets';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import type { GroupLandingResponse } from '@shop/shared';
import { formatFen, formatTime } from '../../../utils/format';
import { PAGES, currentUrl, goLogin, withQuery } from '../../../utils/nav';
import { GroupAvatars, GroupCountdown, GroupStatusTag, useGroupRemaining } from '../../components/GroupBits';
import { PosterSheet } from '../../../components/poster/PosterSheet';
import type { PosterLayout } from '../../../components/poster/draw';
import { groupPoster } from '../../components/poster';
import './index.scss';

const IS_H5 = process.env.TARO_ENV === 'h5';

/** The H5 link of a landing page, for copying when the server's share data can't be read. */
function h5Link(token: string): string {
  if (typeof location === 'undefined') return sharePath(token);
  return `${location.origin}${location.pathname}#${sharePath(token)}`;
}

/** 24小时, 90分钟: the deal's time limit in words. */
function durationText(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}小时` : `${minutes}分钟`;
}

/** 拼团规则: how many, until when, what the leader pays, and what happens if the group does not fill. */
function GroupRules({ landing }: { landing: GroupLandingResponse }) {
  const deadline = formatTime(landing.deadlineAt).slice(0, 16);
  return (
    <View className="card group-rules e2e-group-rules">
      <View className="card__title">拼团规则</View>
      <View className="group-rules__item">
        1. {landing.size}人成团：好友通过链接参团并付款，满 {landing.size} 人即成团，商家发货。
      </View>
      <View className="group-rules__item">
        2. 限时成团：{landing.timeLimitMinutes ? `开团后${durationText(landing.timeLimitMinutes)}内成团，` : ''}本团截止 {deadline}。
      </View>
      <View className="group-rules__item e2e-rule-refund">3. 未成团：到时未满 {landing.size} 人，所有人的款项全额原路退回。</View>
      {landing.leaderPriceFen !== null && (
        <View className="group-rules__item">
          4. 团长开团价 {formatFen(landing.leaderPriceFen)}，参团价 {formatFen(landing.product.groupPriceFen)}。
        </View>
      )}
      {landing.leaderFree && (
        <View className="group-rules__item">{landing.leaderPriceFen !== null ? 5 : 4}. 团长免单：成团后团长所付款项全额退回。</View>
      )}
    </View>
  );
}

export default function GroupLandingPage() {
  const { params } = useRouter();
  const token = tokenFromLandingQuery(params);
  const inviter = params.inviter;
  const landing = useShop((s) => (token ? s.landings[token] : undefined));
  const status = useShop((s) => (token ? s.landingStatus[token] : undefined));
  const loggedIn = useShop((s) => s.token !== null);
  // A paid order of this group whose seat is still being taken (it follows the payment a moment later).
  const paidHere = useShop(
    (s) => !!token && Object.values(s.orders).some((o) => o.group?.token === token && o.status === 'PAID' && o.group.status === 'PENDING'),
  );
  const share = useShop((s) => (landing ? s.groupShares[landing.groupId] : undefined));
  const fallbackImage = useShop((s) => (landing ? (s.products[landing.product.id]?.image ?? null) : null));
  const { loadLanding, loadGroupShare } = useShop.getState();
  const remaining = useGroupRemaining(landing?.deadlineAt);
  const [posterOpen, setPosterOpen] = useState(false);
  const reloadedAtDeadline = useRef(false);
  const seatReads = useRef(0);

  const refresh = async () => {
    if (!token) return;
    const l = await loadLanding(token);
    // Only a seated shopper has share data (the link with their group's title): a visitor is offered 参团 instead.
    if (l?.viewerRole && useShop.getState().isLoggedIn()) void loadGroupShare(l.groupId);
    // No public image URL in the answer: the product's own picture (public too).
    if (l && !l.product.imageUrl && !useShop.getState().products[l.product.id]) void useShop.getState().loadProduct(l.product.id);
  };
  useDidShow(() => void refresh());
  usePullDownRefresh(async () => {
    await refresh();
    Taro.stopPullDownRefresh();
  });

  // The deadline passed on screen: the server decides what happened, read it again once.
  const due = landing?.status === 'OPEN' && remaining === 0;
  useEffect(() => {
    if (!due || reloadedAtDeadline.current) return undefined;
    reloadedAtDeadline.current = true;
    const t = setTimeout(() => void refresh(), 3000);
    return () => clearTimeout(t);
  }, [due]); // eslint-disable-line react-hooks/exhaustive-deps

  // Paid but not seated yet: read the group again shortly (a few times) until the server shows the seat, so the share
  // data is asked for only once it exists.
  const awaitingSeat = !!landing && loggedIn && paidHere && landing.viewerRole === null && landing.status === 'OPEN';
  useEffect(() => {
    if (!awaitingSeat || seatReads.current >= 5) return undefined;
    const t = setTimeout(() => {
      seatReads.current += 1;
      void refresh();
    }, 1500);
    return () => clearTimeout(t);
  }, [awaitingSeat, landing]); // eslint-disable-line react-hooks/exhaustive-deps

  useShareAppMessage(() => {
    if (!token || !landing) return { title: '一起拼团更划算', path: token ? sharePath(token) : PAGES.home };
    return {
      title: share?.title ?? shareTitle(landing.product.name, landing.seatsLeft, landing.product.groupPriceFen),
      path: share?.path ?? sharePath(token),
      imageUrl: share?.imageUrl ?? resolveAsset(landing.product.imageUrl || fallbackImage),
    };
  });

  const poster = useMemo<PosterLayout | null>(() => {
    if (!landing || !token) return null;
    return groupPoster({
      productName: landing.product.name,
      imageSrc: landing.product.imageUrl || fallbackImage ? resolveAsset(landing.product.imageUrl || fallbackImage) : null,
      groupPriceFen: landing.product.groupPriceFen,
      priceFen: landing.product.priceFen,
      seatsLeft: landing.seatsLeft,
      remainingMs: remaining,
      code: share?.code ?? { kind: 'url', data: share?.url ?? h5Link(token) },
    });
    // The countdown on the poster is taken when it is opened.
  }, [landing, token, share, posterOpen, fallbackImage]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!token) return <EmptyState status="error" text="拼团链接无效" />;
  if (!landing) {
    if (status === 'error')
      return (
        <View className="page">
          <EmptyState status="error" text="拼团信息加载失败" actionText="重新加载" onAction={refresh} />
        </View>
      );
    return (
      <View className="page">
        <ListSkeleton count={2} rows={3} />
      </View>
    );
  }

  const open = landing.status === 'OPEN' && remaining > 0;
  const inGroup = loggedIn && (landing.viewerRole !== null || paidHere);
  const canJoin = open && landing.joinable && landing.seatsLeft > 0 && !inGroup;
  const link = share?.url ?? h5Link(token);
  const toProduct = () => Taro.navigateTo({ url: withQuery(PAGES.product, { id: landing.product.id }) });

  const join = () => {
    const url = withQuery(PAGES.groupBuy, {
      campaignId: landing.campaignId,
      skuId: landing.skuId,
      t: token,
      inviter,
      productId: landing.product.id,
    });
    if (!useShop.getState().isLoggedIn()) {
      // Back to this page after logging in; the shopper taps 参团 with the group in view.
      goLogin({ redirect: currentUrl() });
      return;
    }
    void Taro.navigateTo({ url });
  };

  const copyLink = async () => {
    try {
      await Taro.setClipboardData({ data: link });
      void Taro.showToast({ title: '链接已复制', icon: 'success' });
    } catch {
      void Taro.showToast({ title: '复制失败，请手动复制', icon: 'none' });
    }
  };

  return (
    <View className="page page--with-bar group-landing">
      <View className="card group-landing__product e2e-landing-product" onClick={toProduct}>
        <View className="row">
          <Image className="group-landing__image" src={resolveAsset(landing.product.imageUrl || fallbackImage)} mode="aspectFill" />
          <View className="grow group-landing__info">
            <View className="ellipsis-2 group-landing__name">{landing.product.name}</View>
            {landing.specText ? <View className="muted group-landing__spec e2e-landing-spec">规格：{landing.specText}</View> : null}
            <View className="group-landing__prices">
              <Text className="group-landing__price-label">{landing.size}人团 拼团价</Text>
              <Text className="price price--large e2e-group-price" data-fen={String(landing.product.groupPriceFen)}>
                {formatFen(landing.product.groupPriceFen)}
              </Text>
              <Text className="price--origin">单买 {formatFen(landing.product.priceFen)}</Text>
            </View>
            {landing.leaderPriceFen !== null && (
              <View className="group-landing__leader e2e-leader-price" data-fen={String(landing.leaderPriceFen)}>
                团长开团价 {formatFen(landing.leaderPriceFen)}
              </View>
            )}
          </View>
        </View>
        <View className="group-landing__to-product e2e-to-product">查看商品详情 ›</View>
      </View>

      <View className="card group-landing__state">
        <GroupStatusTag status={landing.status} label={landing.statusLabel} />
        {landing.status === 'OPEN' && (
          <View className="group-landing__line">
            还差 <Text className="price e2e-group-seats" data-seats={String(landing.seatsLeft)}>{landing.seatsLeft}</Text> 人成团，
            <GroupCountdown deadlineAt={landing.deadlineAt} />
          </View>
        )}
        {landing.status === 'SUCCESS' && <View className="group-landing__line">已成团，商家将尽快发货</View>}
        {landing.status === 'FAILED' && <View className="group-landing__line">未在时限内成团，已付款项将原路退回</View>}
        <GroupAvatars members={landing.members} seatsLeft={landing.status === 'OPEN' ? landing.seatsLeft : 0} />
      </View>

      <GroupRules landing={landing} />

      {open && inGroup && (
        <View className="card group-landing__share e2e-invite">
          <View className="card__title">邀请好友</View>
          {IS_H5 && (
            <View className="group-landing__link">
              <Text className="muted">拼团链接：</Text>
              <Text className="group-landing__link-text e2e-share-link" userSelect data-from={share ? 'server' : 'page'}>
                {link}
              </Text>
            </View>
          )}
          <View className="row">
            {IS_H5 ? (
              <View className="btn btn--ghost grow e2e-copy-link" data-url={link} onClick={copyLink}>
                复制链接
              </View>
            ) : (
              <Button className="btn btn--ghost grow group-landing__share-btn" openType="share">
                分享给好友
              </Button>
            )}
            <View className="btn btn--orange grow e2e-poster" onClick={() => setPosterOpen(true)}>
              分享海报
            </View>
          </View>
        </View>
      )}

      <View className="bottom-bar group-landing__bar">
        {canJoin ? (
          <View className="row grow">
            <View className="grow group-landing__bar-price">
              <Text className="muted">拼团价 </Text>
              <Text className="price price--large">{formatFen(landing.product.groupPriceFen)}</Text>
            </View>
            <View className="btn e2e-join-group" data-action={loggedIn ? 'join' : 'login'} onClick={join}>
              {loggedIn ? '参团' : '去登录'}
            </View>
          </View>
        ) : (
          <View className="row grow">
            <View className="btn btn--ghost grow" onClick={() => Taro.navigateTo({ url: PAGES.myGroups })}>
              我的拼团
            </View>
            <View className="btn grow" onClick={toProduct}>
              {open ? '查看商品' : '我也开一团'}
            </View>
          </View>
        )}
      </View>

      <PosterSheet visible={posterOpen} layout={posterOpen ? poster : null} onClose={() => setPosterOpen(false)} fileName="group-poster.png" />
    </View>
  );
}
