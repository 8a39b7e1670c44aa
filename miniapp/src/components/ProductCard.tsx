import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ProductSummary } from '@shop/shared';
import { resolveAsset } from '../api/assets';
import { formatCount, formatFen } from '../utils/format';
import { PAGES, withQuery } from '../utils/nav';
import './ProductCard.scss';

export function openProduct(id: string) {
  void Taro.navigateTo({ url: withQuery(PAGES.product, { id }) });
}

/** The server's tags for the product (秒杀, 拼团, 券, 包邮); the card only draws them. */
function Tags({ tags }: { tags: ProductSummary['tags'] }) {
  if (tags.length === 0) return null;
  return (
    <View className="product-tags e2e-product-tags">
      {tags.map((t) => (
        <Text key={t.kind} className={`product-tag product-tag--${t.kind.replace('_', '-')}`} data-kind={t.kind}>
          {t.label}
        </Text>
      ))}
    </View>
  );
}

/** A product in a two-column grid; `onOpen` replaces the plain way to its page (a recommendation tags the visit). */
export function ProductCard({ product, onOpen }: { product: ProductSummary; onOpen?: () => void }) {
  return (
    <View className="product-card e2e-product-card" data-product-id={product.id} onClick={() => (onOpen ? onOpen() : openProduct(product.id))}>
      <Image className="product-card__image" src={resolveAsset(product.image)} mode="aspectFill" lazyLoad ariaLabel={product.title} nativeProps={{ alt: product.title }} />
      {product.stock === 0 && <View className="product-card__soldout">已售罄</View>}
      <View className="product-card__body">
        <View className="product-card__title ellipsis-2 e2e-title">{product.title}</View>
        <Tags tags={product.tags} />
        <View className="product-card__meta">
          <View className="product-card__prices">
            <Text className="price product-card__price e2e-price">{formatFen(product.priceFromFen)}</Text>
            {product.originalPriceFen !== null && product.originalPriceFen > product.priceFromFen && (
              <Text className="price--origin product-card__origin">{formatFen(product.originalPriceFen)}</Text>
            )}
          </View>
          <Text className="muted product-card__sales">已售 {formatCount(product.sales)}</Text>
        </View>
      </View>
    </View>
  );
}

/** A product as a row (image left, text right). */
export function ProductRow({ product }: { product: ProductSummary }) {
  return (
    <View className="product-row e2e-product-card" data-product-id={product.id} onClick={() => openProduct(product.id)}>
      <Image className="product-row__image" src={resolveAsset(product.image)} mode="aspectFill" lazyLoad ariaLabel={product.title} nativeProps={{ alt: product.title }} />
      <View className="product-row__body">
        <View>
          <View className="ellipsis-2 e2e-title">{product.title}</View>
          {product.subtitle && <View className="muted ellipsis">{product.subtitle}</View>}
          <Tags tags={product.tags} />
        </View>
        <View className="row row--between">
          <Text className="price e2e-price">{formatFen(product.priceFromFen)}</Text>
          <Text className="muted product-card__sales">{product.stock === 0 ? '已售罄' : `已售 ${formatCount(product.sales)}`}</Text>
        </View>
      </View>
    </View>
  );
}
