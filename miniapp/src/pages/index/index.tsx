import { Image, Text, View } from '@tarojs/components';
import Taro, { useLoad, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { Category } from '@shop/shared';
import { Search } from '@nutui/icons-react-taro';
import { resolveAsset } from '../../api/assets';
import { ProductCard } from '../../components/ProductCard';
import { RecFeed } from '../../components/RecFeed';
import { EmptyState, ListSkeleton } from '../../components/States';
import { CampaignBanners, CouponCenterEntry, FlashSales } from '../../components/HomeCampaigns';
import { useCartBadge } from '../../components/useCartBadge';
import { EMPTY_FEED, feedKey, useShop, type FeedQuery } from '../../store';
import { PAGES } from '../../utils/nav';
import './index.scss';

const HOME_FEED: FeedQuery = { kind: 'list', sort: 'sales' };
const HOME_KEY = feedKey(HOME_FEED);
/** 热销推荐 is a short curated row; the feed below it is 猜你喜欢. */
const HOT_COUNT = 6;

function CategoryIcon({ category }: { category: Category }) {
  const icon = category.icon;
  if (/^(\/|https?:)/.test(icon) || /\.(png|jpe?g|svg|gif|webp)$/i.test(icon)) {
    return <Image className="home-cat__icon" src={resolveAsset(icon)} mode="aspectFit" ariaLabel={category.name} nativeProps={{ alt: category.name }} />;
  }
  return <View className="home-cat__icon home-cat__icon--text">{icon || category.name.slice(0, 1)}</View>;
}

export default function HomePage() {
  const categories = useShop((s) => s.categories);
  const categoriesStatus = useShop((s) => s.categoriesStatus);
  const feed = useShop((s) => s.feeds[HOME_KEY] ?? EMPTY_FEED);
  const { loadCategories, loadFeed, setActiveCategory, loadHomeCampaigns, loadRecs } = useShop.getState();
  useCartBadge();

  useLoad(() => {
    void loadCategories();
    void loadFeed(HOME_FEED, 'reset');
    void loadHomeCampaigns();
  });
  usePullDownRefresh(async () => {
    await Promise.all([loadCategories(true), loadFeed(HOME_FEED, 'reset'), loadHomeCampaigns(), loadRecs('home_feed', 'reset')]);
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => {
    void loadRecs('home_feed', 'more');
  });

  const openCategory = (id: string) => {
    setActiveCategory(id);
    void Taro.switchTab({ url: PAGES.category });
  };

  return (
    <View className="page home">
      <View className="home__header">
        <View className="search-box e2e-home-search" onClick={() => Taro.navigateTo({ url: PAGES.search })}>
          <Search size={14} />
          <Text className="home__search-text">搜索商品</Text>
        </View>
      </View>

      <CampaignBanners />

      {categories.length > 0 && (
        <View className="home-cats">
          {categories.slice(0, 10).map((c) => (
            <View key={c.id} className="home-cat e2e-category-shortcut" onClick={() => openCategory(c.id)}>
              <CategoryIcon category={c} />
              <Text className="home-cat__name ellipsis">{c.name}</Text>
            </View>
          ))}
        </View>
      )}
      {/* Their room is kept until they arrive (also before the first request starts), so what is below does not jump. */}
      {(categoriesStatus === 'idle' || categoriesStatus === 'loading') && categories.length === 0 && (
        <View className="home-cats home-cats--placeholder" />
      )}

      <CouponCenterEntry />
      <FlashSales />

      <View className="home__section-title">热销推荐</View>
      {/* The shop's best sellers, one short row. */}
      {feed.items.length > 0 ? (
        <View className="product-grid e2e-home-hot">
          {feed.items.slice(0, HOT_COUNT).map((p) => (
            <ProductCard key={p.id} product={p} />
          ))}
        </View>
      ) : feed.status === 'error' ? (
        <EmptyState status="error" text="加载失败" actionText="重新加载" onAction={() => loadFeed(HOME_FEED, 'reset')} />
      ) : (
        <ListSkeleton count={2} />
      )}
      {/* 猜你喜欢: chosen for the shopper, read again when they come back from browsing; pages on as they scroll. */}
      <View className="home__recommend e2e-recommend-slot">
        <RecFeed placement="home_feed" title="猜你喜欢" feed />
      </View>
    </View>
  );
}
