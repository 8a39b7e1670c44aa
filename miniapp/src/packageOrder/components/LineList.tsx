import { Image, Text, View } from '@tarojs/components';
import type { QuoteLineView } from '@shop/shared';
import { resolveAsset } from '../../api/assets';
import { formatFen } from '../../utils/format';

/** 满赠 gifts that come with a quote or an order. */
export function GiftList({ gifts }: { gifts: { skuId: string; title: string; quantity: number }[] }) {
  if (gifts.length === 0) return null;
  return (
    <View className="gifts">
      {gifts.map((g) => (
        <View className="gifts__item e2e-gift" key={g.skuId}>
          <Text className="tag tag--solid gifts__tag">赠品</Text>
          <Text className="grow ellipsis gifts__title">{g.title}</Text>
          <Text className="muted">x{g.quantity}</Text>
        </View>
      ))}
    </View>
  );
}

/** The lines of a quote or an order. */
export function LineList({ lines }: { lines: QuoteLineView[] }) {
  return (
    <View>
      {lines.map((l) => (
        <View className="order-line" key={l.skuId}>
          <Image className="order-line__image" src={resolveAsset(l.image)} mode="aspectFill" />
          <View className="order-line__body">
            <View className="ellipsis-2">{l.title}</View>
            {l.specText && <View className="muted ellipsis">{l.specText}</View>}
          </View>
          <View className="order-line__price">
            <Text>{formatFen(l.unitPriceFen)}</Text>
            <Text className="muted">x{l.quantity}</Text>
          </View>
        </View>
      ))}
    </View>
  );
}

interface Amounts {
  subtotalFen: number;
  shippingFen: number;
  discountFen: number;
  discounts: { kind: string; label: string; amountFen: number }[];
  payableFen: number;
}

/** 商品金额 / 运费 / 优惠 / 实付款, every number as the server computed it. */
export function AmountBreakdown({ amounts }: { amounts: Amounts }) {
  return (
    <View className="amounts">
      <View className="amounts__row">
        <Text>商品金额</Text>
        <Text className="e2e-subtotal">{formatFen(amounts.subtotalFen)}</Text>
      </View>
      <View className="amounts__row">
        <Text>运费</Text>
        <Text className="e2e-shipping">{amounts.shippingFen === 0 ? '免运费' : `+${formatFen(amounts.shippingFen)}`}</Text>
      </View>
      <View className="amounts__row">
        <Text>优惠</Text>
        <Text className="price e2e-discount">
          {amounts.discountFen > 0 ? `-${formatFen(amounts.discountFen)}` : formatFen(0)}
        </Text>
      </View>
      {amounts.discounts.map((d, i) => (
        <View className="amounts__row amounts__row--sub e2e-discount-line" data-kind={d.kind} key={`${i}-${d.kind}-${d.label}`}>
          <Text>{d.label}</Text>
          <Text className="amounts__off">-{formatFen(d.amountFen)}</Text>
        </View>
      ))}
      <View className="amounts__row amounts__row--total">
        <Text>实付款</Text>
        <Text className="price price--large e2e-payable">{formatFen(amounts.payableFen)}</Text>
      </View>
    </View>
  );
}
