import { Image, Text, View } from '@tarojs/components';
import { InputNumber, Popup } from '@nutui/nutui-react-taro';
import type { ProductDetail } from '@shop/shared';
import { resolveAsset } from '../../api/assets';
import { formatFen, formatFenRange } from '../../utils/format';
import {
  clampQuantity,
  findSku,
  isValueAvailable,
  maxQuantity,
  priceRange,
  selectionText,
  toggleValue,
  type SpecSelection,
} from '../../utils/sku';
import './SpecSheet.scss';

export type SpecSheetMode = 'both' | 'cart' | 'buy';

interface Props {
  product: ProductDetail;
  visible: boolean;
  mode: SpecSheetMode;
  selection: SpecSelection;
  quantity: number;
  busy: boolean;
  onSelectionChange: (s: SpecSelection) => void;
  onQuantityChange: (q: number) => void;
  onClose: () => void;
  onAddToCart: () => void;
  onBuyNow: () => void;
}

/** Spec selection: one row per dimension, values that can't lead to an in-stock SKU disabled. */
export function SpecSheet(props: Props) {
  const { product, selection, quantity } = props;
  const sku = findSku(product, selection);
  const range = priceRange(product);
  const max = maxQuantity(sku);
  const soldOut = sku !== undefined && sku.stock === 0;

  const image = sku?.image ?? product.images[0] ?? product.image;

  return (
    <Popup
      visible={props.visible}
      position="bottom"
      round
      closeable
      onClose={props.onClose}
      className="spec-sheet"
    >
      <View className="spec-sheet__body">
        <View className="spec-sheet__head">
          <Image className="spec-sheet__image" src={resolveAsset(image)} mode="aspectFill" />
          <View className="spec-sheet__summary">
            <Text className="price price--large e2e-spec-price">
              {sku ? formatFen(sku.priceFen) : formatFenRange(range.minFen, range.maxFen)}
            </Text>
            <View className="muted e2e-spec-stock">{sku ? (sku.stock > 0 ? `库存 ${sku.stock} 件` : '已售罄') : ''}</View>
            <View className="spec-sheet__chosen">
              {selectionText(product, selection).startsWith('请选择') ? '' : '已选：'}
              {selectionText(product, selection)}
            </View>
          </View>
        </View>

        {product.specDimensions.map((dim) => (
          <View className="spec-sheet__dim" key={dim.name}>
            <View className="spec-sheet__dim-name">{dim.name}</View>
            <View className="spec-sheet__values">
              {dim.values.map((value) => {
                const chosen = selection[dim.name] === value;
                const available = isValueAvailable(product, selection, dim.name, value);
                // A value blocked only by another dimension's choice stays tappable (it swaps that choice).
                const anyStock = isValueAvailable(product, {}, dim.name, value);
                return (
                  <View
                    key={value}
                    className={`spec-value e2e-spec-value ${chosen ? 'spec-value--chosen' : ''} ${
                      available ? '' : 'spec-value--disabled'
                    }`}
                    data-dimension={dim.name}
                    data-value={value}
                    data-disabled={available ? 'false' : 'true'}
                    onClick={() => {
                      if (!anyStock) return;
                      props.onSelectionChange(toggleValue(product, selection, dim.name, value));
                    }}
                  >
                    {value}
                  </View>
                );
              })}
            </View>
          </View>
        ))}

        <View className="spec-sheet__qty row row--between">
          <Text>购买数量</Text>
          <InputNumber
            value={quantity}
            min={1}
            max={Math.max(1, max)}
            disabled={!sku || soldOut}
            readOnly
            onChange={(v) => props.onQuantityChange(clampQuantity(Number(v), max))}
          />
        </View>
      </View>

      <View className="spec-sheet__actions">
        {props.mode !== 'buy' && (
          <View
            className={`btn btn--orange spec-sheet__btn e2e-spec-confirm e2e-spec-add-to-cart ${props.busy ? 'btn--disabled' : ''}`}
            onClick={() => !props.busy && props.onAddToCart()}
          >
            加入购物车
          </View>
        )}
        {props.mode !== 'cart' && (
          <View
            className={`btn spec-sheet__btn e2e-spec-confirm e2e-spec-buy-now ${props.busy ? 'btn--disabled' : ''}`}
            onClick={() => !props.busy && props.onBuyNow()}
          >
            立即购买
          </View>
        )}
      </View>
    </Popup>
  );
}
