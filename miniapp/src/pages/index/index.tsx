import { Image, Text, View } from '@tarojs/components';
import Taro, { useLoad, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { Category } from '@shop/shared';
import { Search } from '@nutui/icons-react-taro';
import { resolveAsset } from '../../api/assets';
import { ProductFeed } from '../../components/Feed';
import { CampaignBanners, CouponCenterEntry, FlashSales } from '../../components/HomeCampaigns';
import { useCartBadge } from '../../components/useCartBadge';
import { EMPTY_FEED, feedKey, useShop, type FeedQuery } from '../../store';
import { PAGES } from '../../utils/nav';
import './index.scss';

const HOME_FEED: FeedQuery = { kind: 'list', sort: 'sales' };
const HOME_KEY = feedKey(HOME_FEED);

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
  const { loadCategories, loadFeed, setActiveCategory, loadHomeCampaigns } = useShop.getState();
  useCartBadge();

  useLoad(() => {
    void loadCategories();
    void loadFeed(HOME_FEED, 'reset');
    void loadHomeCampaigns();
  });
  usePullDownRefresh(async () => {
    await Promise.all([loadCategories(true), loadFeed(HOME_FEED, 'reset'), loadHomeCampaigns()]);
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => {
    void loadFeed(HOME_FEED, 'more');
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
      {categoriesStatus === 'loading' && categories.length === 0 && <View className="home-cats home-cats--placeholder" />}

      <CouponCenterEntry />
      <FlashSales />

      <View className="home__section-title">热销推荐</View>
      {/* The whole catalogue, a page at a time by the server's cursor, best sellers first, then an end line. */}
      <ProductFeed feed={feed} onRetry={() => loadFeed(HOME_FEED, feed.items.length ? 'more' : 'reset')} />
      {/* 猜你喜欢: personal recommendations go here, under the end of the catalogue, once the server has them. */}
      <View className="home__recommend e2e-recommend-slot" />
    </View>
  );
}
