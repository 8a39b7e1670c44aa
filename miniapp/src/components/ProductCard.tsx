import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ProductSummary } from '@shop/shared';
import { resolveAsset } from '../api/assets';
import { formatCount, formatFen } from '../utils/format';
import { PAGES, withQuery } from '../utils/nav';

export function openProduct(id: string) {
  void Taro.navigateTo({ url: withQuery(PAGES.product, { id }) });
}

/** A product in a two-column grid. */
export function ProductCard({ product }: { product: ProductSummary }) {
  return (
    <View className="product-card e2e-product-card" data-product-id={product.id} onClick={() => openProduct(product.id)}>
      <Image className="product-card__image" src={resolveAsset(product.image)} mode="aspectFill" lazyLoad />
      {product.stock === 0 && <View className="product-card__soldout">已售罄</View>}
      <View className="product-card__body">
        <View className="product-card__title ellipsis-2">{product.title}</View>
        <View className="product-card__meta">
          <View>
            <Text className="price">{formatFen(product.priceFromFen)}</Text>
            {product.originalPriceFen !== null && product.originalPriceFen > product.priceFromFen && (
              <Text className="price--origin">{formatFen(product.originalPriceFen)}</Text>
            )}
          </View>
          <Text className="muted">已售 {formatCount(product.sales)}</Text>
        </View>
      </View>
    </View>
  );
}

/** A product as a row (image left, text right). */
export function ProductRow({ product }: { product: ProductSummary }) {
  return (
    <View className="product-row e2e-product-card" data-product-id={product.id} onClick={() => openProduct(product.id)}>
      <Image className="product-row__image" src={resolveAsset(product.image)} mode="aspectFill" lazyLoad />
      <View className="product-row__body">
        <View>
          <View className="ellipsis-2">{product.title}</View>
          {product.subtitle && <View className="muted ellipsis">{product.subtitle}</View>}
        </View>
        <View className="row row--between">
          <Text className="price">{formatFen(product.priceFromFen)}</Text>
          <Text className="muted">{product.stock === 0 ? '已售罄' : `已售 ${formatCount(product.sales)}`}</Text>
        </View>
      </View>
    </View>
  );
}
