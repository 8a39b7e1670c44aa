import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useReachBottom } from '@tarojs/taro';
import type { FavoriteView } from '@shop/shared';
import { resolveAsset } from '../../../api/assets';
import { BackHome } from '../../../components/BackHome';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatFen } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import './index.scss';

/** 我的收藏: the products this shopper keeps, newest first, each removable. */
export default function FavoritesPage() {
  const loggedIn = useRequireLogin();
  const items = useShop((s) => s.favorites);
  const status = useShop((s) => s.favoritesStatus);
  const total = useShop((s) => s.favoritesTotal);
  const more = useShop((s) => s.favoritesCursor !== null);
  const busy = useShop((s) => s.favoriteBusy);
  const { loadFavorites, toggleFavorite } = useShop.getState();

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void loadFavorites(true);
  });
  useReachBottom(() => {
    if (more) void loadFavorites(false);
  });

  const open = (f: FavoriteView) => {
    if (f.priceFromFen === null) return;
    void Taro.navigateTo({ url: withQuery(PAGES.product, { id: f.productId }) });
  };
  const remove = async (f: FavoriteView) => {
    const res = await Taro.showModal({ title: '取消收藏', content: `不再收藏「${f.title}」？`, confirmColor: '#e93b3d' });
    if (res.confirm) await toggleFavorite(f.productId);
  };

  let body;
  if (!loggedIn || status === 'idle' || (status === 'loading' && items.length === 0)) body = <ListSkeleton />;
  else if (status === 'error' && items.length === 0)
    body = <EmptyState status="error" text="收藏加载失败" actionText="重新加载" onAction={() => loadFavorites(true)} />;
  else if (items.length === 0)
    body = <EmptyState text="还没有收藏的商品" actionText="去逛逛" onAction={() => Taro.switchTab({ url: PAGES.home })} />;
  else
    body = (
      <>
        <View className="favorites__count muted">共 {total} 件商品</View>
        {items.map((f) => (
          <View className="card favorite-item row e2e-favorite-item" data-product-id={f.productId} key={f.productId}>
            <Image className="favorite-item__image" src={resolveAsset(f.image)} mode="aspectFill" onClick={() => open(f)} />
            <View className="favorite-item__body grow" onClick={() => open(f)}>
              <View className="favorite-item__title">{f.title}</View>
              <View className="favorite-item__meta">
                {f.priceFromFen !== null && <Text className="price">{formatFen(f.priceFromFen)}</Text>}
                {f.stateLabel && <Text className="favorite-item__state">{f.stateLabel}</Text>}
              </View>
            </View>
            <View
              className={`btn btn--small btn--ghost favorite-item__remove e2e-favorite-remove${busy[f.productId] ? ' btn--disabled' : ''}`}
              onClick={() => void remove(f)}
            >
              取消收藏
            </View>
          </View>
        ))}
        <View className="favorites__end muted">{more ? '加载中…' : '没有更多了'}</View>
      </>
    );

  return (
    <View className="page favorites">
      <BackHome />
      {body}
    </View>
  );
}
