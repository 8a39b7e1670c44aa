import { Text, View } from '@tarojs/components';
import { Star, StarFill } from '@nutui/icons-react-taro';
import { useEffect } from 'react';
import { useShop } from '../../store';
import { goLogin } from '../../utils/nav';
import './Favorite.scss';

/** 收藏 in the product page's bottom bar: kept on the server, so 我的收藏 lists it on any device. */
export function FavoriteButton({ productId }: { productId: string }) {
  const loggedIn = useShop((s) => s.token !== null);
  const favorited = useShop((s) => loggedIn && s.favorited[productId] === true);
  const busy = useShop((s) => s.favoriteBusy[productId] === true);
  const { loadFavoriteState, toggleFavorite } = useShop.getState();

  useEffect(() => {
    if (loggedIn) void loadFavoriteState(productId);
  }, [loggedIn, productId, loadFavoriteState]);

  const onTap = () => {
    if (!useShop.getState().isLoggedIn()) {
      goLogin();
      return;
    }
    if (!busy) void toggleFavorite(productId);
  };

  return (
    <View
      className={`extras-bar-icon e2e-favorite${favorited ? ' extras-bar-icon--on' : ''}`}
      data-favorited={favorited ? 'true' : 'false'}
      onClick={onTap}
    >
      {favorited ? <StarFill size={20} color="#e93b3d" /> : <Star size={20} />}
      <Text className="extras-bar-icon__text">{favorited ? '已收藏' : '收藏'}</Text>
    </View>
  );
}
