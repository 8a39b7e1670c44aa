import { Button, Text, View } from '@tarojs/components';
import { Share } from '@nutui/icons-react-taro';
import Taro, { useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import type { ProductDetail } from '@shop/shared';
import { resolveAsset } from '../../api/assets';
import { useShop } from '../../store';
import { PAGES, withQuery } from '../../utils/nav';
import './Share.scss';

/** The product page's address in this H5 app (hash router), for whoever opens the copied link. */
function productPageUrl(productId: string): string {
  const { origin, pathname } = window.location;
  return `${origin}${pathname}#${withQuery(PAGES.product, { id: productId })}`;
}

/**
 * 分享 on the product picture. In WeChat the page's share menu (to a chat and to 朋友圈) carries the product's title,
 * picture and page, and the button opens it; in H5 it copies the product page's link.
 */
export function ShareButton({ product }: { product: Pick<ProductDetail, 'id' | 'title' | 'image'> }) {
  const path = withQuery(PAGES.product, { id: product.id });
  const imageUrl = resolveAsset(product.image);
  const shared = () => useShop.getState().track({ kind: 'share', productId: product.id });
  useShareAppMessage(() => {
    shared();
    return { title: product.title, path, imageUrl };
  });
  useShareTimeline(() => {
    shared();
    return { title: product.title, query: `id=${encodeURIComponent(product.id)}`, imageUrl };
  });

  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Button className="share-pill e2e-share" openType="share">
        <Share size={14} />
        <Text className="share-pill__text">分享</Text>
      </Button>
    );
  }
  const url = productPageUrl(product.id);
  const copy = async () => {
    try {
      await Taro.setClipboardData({ data: url });
      shared();
      void Taro.showToast({ title: '链接已复制', icon: 'success' });
    } catch {
      void Taro.showToast({ title: '复制失败，请手动复制', icon: 'none' });
    }
  };
  return (
    <View className="share-pill e2e-copy-product-link" data-url={url} onClick={() => void copy()}>
      <Share size={14} />
      <Text className="share-pill__text">复制链接</Text>
    </View>
  );
}
