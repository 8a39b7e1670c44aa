import { Text, View } from '@tarojs/components';
import { useMemo } from 'react';
import type { ProductDetail } from '@shop/shared';
import { useShop } from '../../store';
import { flashClock } from '../../components/flash-clock';
import { couponText, formatFen, formatFenRange } from '../../utils/format';
import { useTicker } from '../../utils/hooks';
import { goLogin } from '../../utils/nav';
import './PriceArea.scss';

type DetailSku = ProductDetail['skus'][number];

/** The flash sale on this page: the chosen SKU's, else the first SKU's that has one. */
function flashOf(product: ProductDetail, sku: DetailSku | undefined) {
  const s = sku?.live.flash ? sku : sku ? undefined : product.skus.find((x) => x.live.flash);
  return s?.live.flash ? { sku: s, flash: s.live.flash } : null;
}

/**
 * The price of the product page, all from the server's pricing for this shopper now: the chosen SKU's live price (or
 * the band before a choice) with what it is, the crossed-out price, 到手价, 会员价, and the flash sale's countdown.
 */
export function PriceArea({ product, sku }: { product: ProductDetail; sku: DetailSku | undefined }) {
  const flash = flashOf(product, sku);
  // Countdowns run on the server's clock: the offset is taken when the product arrived.
  const offset = useMemo(() => product.now - Date.now(), [product.now]);
  const phoneNow = useTicker(flash !== null && flash.flash.showCountdown);
  const left = flash ? flash.flash.endsAt - (phoneNow + offset) : 0;

  const price = sku
    ? { text: formatFen(sku.live.priceFen), label: sku.live.label, crossed: sku.live.crossedOutFen }
    : {
        text: formatFenRange(product.priceBand.minFen, product.priceBand.maxFen),
        label: product.priceBand.label,
        crossed: product.priceBand.crossedOutFen,
      };

  return (
    <View className="price-area">
      {flash && left > 0 && (
        <View className="price-area__flash e2e-flash-banner">
          <Text className="price-area__flash-name">{flash.flash.name}</Text>
          <Text className="price-area__flash-price">
            {flash.sku === sku ? '' : `${flash.sku.specText} `}秒杀价 {formatFen(flash.sku.live.priceFen)}
          </Text>
          {flash.flash.showCountdown && <Text className="price-area__flash-left e2e-flash-countdown">{flashClock('live', left, phoneNow + offset)}</Text>}
        </View>
      )}
      <View className="price-area__main">
        {price.label && <Text className="tag price-area__label e2e-product-price-label">{price.label}</Text>}
        <Text className="price price--large e2e-product-price">{price.text}</Text>
        {price.crossed !== null && <Text className="price--origin e2e-product-crossed">{formatFen(price.crossed)}</Text>}
      </View>
      {sku && sku.live.bestPriceFen < sku.live.priceFen && (
        <View className="price-area__best e2e-product-best-price">
          到手价 {formatFen(sku.live.bestPriceFen)}
          {sku.live.bestNote && <Text className="muted price-area__best-note">（{sku.live.bestNote}）</Text>}
        </View>
      )}
      {sku && sku.live.memberPriceFen !== null && (
        <View className="price-area__member">会员价 {formatFen(sku.live.memberPriceFen)}</View>
      )}
      {sku?.live.note && <View className="muted price-area__note">{sku.live.note}</View>}
    </View>
  );
}

/** 促销, 领券 (claimed in place) and 运费 rows under the price. */
export function PromotionsArea({ product, onClaimed }: { product: ProductDetail; onClaimed: () => void }) {
  const claiming = useShop((s) => s.claiming);
  const claim = async (templateId: string) => {
    const { isLoggedIn, claimCoupon } = useShop.getState();
    if (!isLoggedIn()) {
      goLogin();
      return;
    }
    const r = await claimCoupon(templateId);
    if (r.ok) onClaimed();
  };

  return (
    <View className="card price-area__rows">
      {product.promotions.length > 0 && (
        <View className="price-area__row e2e-product-promotions">
          <Text className="muted price-area__row-name">促销</Text>
          <View className="grow">
            {product.promotions.map((p) => (
              <View className="price-area__promo" key={p.campaignId}>
                <Text className="tag price-area__promo-tag">{p.tag}</Text>
                <Text className="price-area__promo-text">{p.text}</Text>
              </View>
            ))}
          </View>
        </View>
      )}
      {product.coupons.length > 0 && (
        <View className="price-area__row e2e-product-coupons">
          <Text className="muted price-area__row-name">领券</Text>
          <View className="grow">
            {product.coupons.map((c) => (
              <View className="price-area__coupon" key={c.templateId}>
                <Text className="price-area__coupon-face">{couponText(c)}</Text>
                <Text className="muted price-area__coupon-scope ellipsis">{c.scopeLabel}</Text>
                {c.canClaim ? (
                  <View
                    className={`btn btn--small e2e-claim-coupon ${claiming[c.templateId] ? 'btn--disabled' : ''}`}
                    onClick={() => !claiming[c.templateId] && void claim(c.templateId)}
                  >
                    领取
                  </View>
                ) : (
                  <Text className="muted">{c.claimedByMe > 0 ? '已领取' : (c.reason ?? '不可领取')}</Text>
                )}
              </View>
            ))}
          </View>
        </View>
      )}
      <View className="price-area__row e2e-product-shipping">
        <Text className="muted price-area__row-name">运费</Text>
        <View className="grow">
          <View>{product.shipping.text}</View>
          <View className="muted">{product.shipping.estimate}</View>
        </View>
      </View>
    </View>
  );
}
