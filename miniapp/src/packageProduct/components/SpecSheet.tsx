import { Image, Text, View } from '@tarojs/components';
import { InputNumber, Popup } from '@nutui/nutui-react-taro';
import type { GroupDealView, ProductDetail } from '@shop/shared';
import { resolveAsset } from '../../api/assets';
import { formatFen, formatFenRange } from '../../utils/format';
import {
  clampQuantity,
  findSku,
  isValueAvailable,
  maxQuantity,
  selectionText,
  toggleValue,
  type SpecSelection,
} from '../../utils/sku';
import './SpecSheet.scss';

export type SpecSheetMode = 'both' | 'cart' | 'buy';

/** The product as the group sheet offers it: only the deal's SKUs, and only the spec values they use. */
export function dealProduct(product: ProductDetail, deal: Pick<GroupDealView, 'skus'>): ProductDetail {
  const skus = product.skus.filter((s) => deal.skus.some((d) => d.skuId === s.id));
  return {
    ...product,
    skus: skus.length ? skus : product.skus,
    specDimensions: product.specDimensions.map((d) => ({ ...d, values: d.values.filter((v) => skus.some((s) => s.specs[d.name] === v)) })),
  };
}

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
  /** Opened by 发起拼团: `product` is already dealProduct(); prices are the deal's, the actions 发起拼团 / 去参团. */
  group?: { deal: GroupDealView; canJoin: boolean; onStart: () => void; onJoin: () => void };
}

/** The price head of the sheet: the group's prices, the chosen SKU's live price, or the band before a choice. */
function PriceHead({ product, sku, group }: { product: ProductDetail; sku: ProductDetail['skus'][number] | undefined; group?: Props['group'] }) {
  if (group) {
    const terms = sku ? group.deal.skus.find((d) => d.skuId === sku.id) : undefined;
    const prices = terms ? [terms] : group.deal.skus;
    const low = (k: 'groupPriceFen' | 'leaderPriceFen') => Math.min(...prices.map((d) => d[k]));
    const high = (k: 'groupPriceFen' | 'leaderPriceFen') => Math.max(...prices.map((d) => d[k]));
    const leaderCheaper = prices.some((d) => d.leaderPriceFen < d.groupPriceFen);
    return (
      <View>
        <Text className="tag spec-sheet__label">{group.deal.groupSize}人团 拼团价</Text>
        <Text className="price price--large e2e-spec-price">{formatFenRange(low('groupPriceFen'), high('groupPriceFen'))}</Text>
        {leaderCheaper && (
          <View className="spec-sheet__leader e2e-spec-leader-price">
            团长价 {formatFenRange(low('leaderPriceFen'), high('leaderPriceFen'))}（发起拼团的团长付此价）
          </View>
        )}
      </View>
    );
  }
  if (sku) {
    return (
      <View>
        {sku.live.label && <Text className="tag spec-sheet__label e2e-spec-price-label">{sku.live.label}</Text>}
        <Text className="price price--large e2e-spec-price">{formatFen(sku.live.priceFen)}</Text>
        {sku.live.crossedOutFen !== null && <Text className="price--origin">{formatFen(sku.live.crossedOutFen)}</Text>}
        {sku.live.bestPriceFen < sku.live.priceFen && (
          <View className="spec-sheet__best">到手价 {formatFen(sku.live.bestPriceFen)}</View>
        )}
        {sku.live.note && <View className="muted spec-sheet__note">{sku.live.note}</View>}
      </View>
    );
  }
  const band = product.priceBand;
  return (
    <View>
      {band.label && <Text className="tag spec-sheet__label">{band.label}</Text>}
      <Text className="price price--large e2e-spec-price">{formatFenRange(band.minFen, band.maxFen)}</Text>
      {band.crossedOutFen !== null && <Text className="price--origin">{formatFen(band.crossedOutFen)}</Text>}
    </View>
  );
}

/** Spec selection: one row per dimension, values that can't lead to an in-stock SKU disabled. */
export function SpecSheet(props: Props) {
  const { product, selection, quantity } = props;
  const sku = findSku(product, selection);
  const { group } = props;
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
          <Image className="spec-sheet__image" src={resolveAsset(image)} mode="aspectFill" ariaLabel={product.title} nativeProps={{ alt: product.title }} />
          <View className="spec-sheet__summary">
            <PriceHead product={product} sku={sku} group={group} />
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

        {!group && (
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
        )}
      </View>

      {group ? (
        <View className="spec-sheet__actions">
          {group.canJoin && (
            <View className="btn btn--orange spec-sheet__btn e2e-spec-join-group" onClick={group.onJoin}>
              去参团
            </View>
          )}
          <View
            className={`btn spec-sheet__btn e2e-spec-confirm e2e-spec-start-group ${props.busy ? 'btn--disabled' : ''}`}
            onClick={() => !props.busy && group.onStart()}
          >
            发起拼团
          </View>
        </View>
      ) : (
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
      )}
    </Popup>
  );
}
