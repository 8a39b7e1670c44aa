import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ProductDetail } from '@shop/shared';
import { resolveAsset } from '../../api/assets';
import './Description.scss';

/** 商品详情: the description's paragraphs (separated by blank lines), then its pictures, each opening the preview. */
export function Description({ product }: { product: Pick<ProductDetail, 'title' | 'description' | 'detailImages'> }) {
  const paragraphs = product.description
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const urls = (product.detailImages ?? []).map((src) => resolveAsset(src));
  return (
    <View className="card description e2e-description">
      <View className="card__title">商品详情</View>
      {paragraphs.length === 0 && urls.length === 0 && <View className="muted">暂无详情</View>}
      {paragraphs.map((p, i) => (
        <View className="description__paragraph" key={i}>
          {p}
        </View>
      ))}
      {urls.map((src, i) => (
        <Image
          key={src}
          className="description__image e2e-description-image"
          src={src}
          mode="widthFix"
          lazyLoad
          ariaLabel={`${product.title} 详情图 ${i + 1}`}
          nativeProps={{ alt: `${product.title} 详情图 ${i + 1}` }}
          onClick={() => Taro.previewImage({ urls, current: src }).catch(() => undefined)}
        />
      ))}
    </View>
  );
}
