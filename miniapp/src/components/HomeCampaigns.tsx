import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CampaignBanner, FlashSaleItem } from '@shop/shared';
import { resolveAsset } from '../api/assets';
import { flashState, serverTime, soldPercent, useShop } from '../store';
import { formatFen } from '../utils/format';
import { flashClock } from './flash-clock';
import { useTicker } from '../utils/hooks';
import { PAGES } from '../utils/nav';
import { openProduct } from './ProductCard';

const BANNER_TONES = ['#e93b3d, #ff8a3d', '#7b5cff, #c86dd7', '#ff6f91, #ffa45b', '#13a8a8, #4fc3f7'];

/** Where a banner goes: the target the campaign file names (checked by campaigns:check), as the server sends it. */
function openBanner(b: CampaignBanner) {
  const t = b.target;
  switch (t.type) {
    case 'coupon_center':
      void Taro.navigateTo({ url: PAGES.couponCenter });
      break;
    case 'flash_list':
      void Taro.pageScrollTo({ selector: '.home-flash', duration: 300 }).catch(() => undefined);
      break;
    case 'product':
      openProduct(t.productId);
      break;
    case 'group_deal':
      openProduct(t.productId);
      break;
    case 'category':
      if (t.categoryId) useShop.getState().setActiveCategory(t.categoryId);
      void Taro.switchTab({ url: PAGES.category });
      break;
  }
}

/** The live campaigns' banners, from the server; nothing at all when there are none. */
export function CampaignBanners() {
  const banners = useShop((s) => s.banners);
  const status = useShop((s) => s.campaignsStatus);
  // The banner's room is kept while the campaigns load, so what is below does not jump when they arrive.
  if (banners.length === 0 && (status === 'idle' || status === 'loading'))
    return (
      <View className="home-banners">
        <View className="home-banners__swiper home-banners__placeholder" />
      </View>
    );
  if (banners.length === 0) return null;
  return (
    <View className="home-banners">
      <Swiper
        className="home-banners__swiper"
        autoplay={banners.length > 1}
        circular={banners.length > 1}
        interval={4000}
        indicatorDots={banners.length > 1}
        indicatorColor="rgba(255,255,255,0.5)"
        indicatorActiveColor="#ffffff"
      >
        {banners.map((b, i) => (
          <SwiperItem key={b.campaignId}>
            <View
              className="home-banner e2e-banner"
              data-campaign-id={b.campaignId}
              data-type={b.type}
              data-target={b.target.type}
              style={{ background: `linear-gradient(135deg, ${BANNER_TONES[i % BANNER_TONES.length]})` }}
              onClick={() => openBanner(b)}
            >
              <View className="home-banner__title ellipsis e2e-title">{b.title}</View>
              {b.subtitle && <View className="home-banner__sub ellipsis-2">{b.subtitle}</View>}
            </View>
          </SwiperItem>
        ))}
      </Swiper>
    </View>
  );
}

function FlashItem({ item, at }: { item: FlashSaleItem; at: number }) {
  const { phase, remainingMs } = flashState(item, at);
  const pct = soldPercent(item);
  const soldOut = phase === 'soldOut';
  return (
    <View
      className={`flash-item e2e-flash-item ${soldOut ? 'flash-item--out' : ''}`}
      data-product-id={item.productId}
      data-sku-id={item.skuId}
      data-phase={phase}
      onClick={() => openProduct(item.productId)}
    >
      <Image className="flash-item__image" src={resolveAsset(item.image)} mode="aspectFill" lazyLoad ariaLabel={item.title} nativeProps={{ alt: item.title }} />
      <View className="flash-item__body">
        <View className="flash-item__title ellipsis-2 e2e-title">{item.title}</View>
        <View className="flash-item__prices">
          <Text className="price flash-item__price e2e-price">{formatFen(item.priceFen)}</Text>
          {item.originalPriceFen > item.priceFen && <Text className="price--origin">{formatFen(item.originalPriceFen)}</Text>}
        </View>
        <View className="flash-item__progress">
          <View className="flash-item__bar">
            <View className="flash-item__bar-fill" style={{ width: `${pct}%` }} />
          </View>
          <Text className="flash-item__sold">{soldOut ? '已抢光' : `已抢 ${item.sold}/${item.quota}`}</Text>
        </View>
        <View className="row row--between flash-item__foot">
          <Text className="flash-item__countdown e2e-flash-countdown">{flashClock(phase === 'upcoming' ? 'upcoming' : 'live', remainingMs, at)}</Text>
          <View className={`btn btn--small flash-item__go ${soldOut || phase === 'upcoming' ? 'btn--disabled' : ''}`}>
            {soldOut ? '已抢光' : phase === 'upcoming' ? '即将开始' : '马上抢'}
          </View>
        </View>
      </View>
    </View>
  );
}

/**
 * 限时抢购: flash price, the original crossed out, how much of the quota is gone, and a countdown on the server's
 * clock (the offset measured when 首页 read the campaigns), so a phone set wrong can't show a wrong time. Hidden
 * when the campaigns can't be read or nothing is on.
 */
export function FlashSales() {
  const items = useShop((s) => s.flashSales);
  const offset = useShop((s) => s.serverOffsetMs);
  const now = useTicker(items.length > 0);
  const at = serverTime(now, offset);
  const status = useShop((s) => s.campaignsStatus);
  const shown = items.filter((i) => flashState(i, at).phase !== 'ended');
  // Room for the list while the campaigns load (as for the banners): the feed below does not jump.
  if (shown.length === 0 && (status === 'idle' || status === 'loading')) return <View className="home-flash home-flash--placeholder" />;
  if (shown.length === 0) return null;
  return (
    <View className="home-flash">
      <View className="home-flash__head">
        <Text className="home-flash__title">限时抢购</Text>
        <Text className="home-flash__sub">秒杀价即最终价</Text>
      </View>
      {shown.map((i) => (
        <FlashItem key={`${i.campaignId}-${i.skuId}`} item={i} at={at} />
      ))}
    </View>
  );
}

/** The 领券中心 entry under the category shortcuts. */
export function CouponCenterEntry() {
  return (
    <View className="home-coupon-entry e2e-entry-coupon-center" onClick={() => Taro.navigateTo({ url: PAGES.couponCenter })}>
      <Text className="home-coupon-entry__tag">领券中心</Text>
      <Text className="grow home-coupon-entry__text">好券天天领，下单自动用</Text>
      <Text className="home-coupon-entry__go">去领取 ›</Text>
    </View>
  );
}
