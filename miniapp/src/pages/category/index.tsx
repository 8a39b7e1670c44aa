import { ScrollView, View } from '@tarojs/components';
import { useDidShow, useReachBottom } from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import type { ProductSort } from '@shop/shared';
import { ProductFeed } from '../../components/Feed';
import { SortTabs } from '../../components/SortTabs';
import { EmptyState, ListSkeleton } from '../../components/States';
import { useCartBadge } from '../../components/useCartBadge';
import { EMPTY_FEED, feedKey, useShop, type FeedQuery } from '../../store';
import './index.scss';

export default function CategoryPage() {
  const categories = useShop((s) => s.categories);
  const categoriesStatus = useShop((s) => s.categoriesStatus);
  const activeId = useShop((s) => s.activeCategoryId);
  const { loadCategories, loadFeed, setActiveCategory } = useShop.getState();
  const [sort, setSort] = useState<ProductSort>('sales');
  useCartBadge();

  const current = activeId && categories.some((c) => c.id === activeId) ? activeId : categories[0]?.id;
  const query = useMemo<FeedQuery | null>(
    () => (current ? { kind: 'list', categoryId: current, sort } : null),
    [current, sort],
  );
  const key = query ? feedKey(query) : '';
  const feed = useShop((s) => (key ? (s.feeds[key] ?? EMPTY_FEED) : EMPTY_FEED));

  useDidShow(() => {
    void loadCategories();
  });
  useEffect(() => {
    if (!query) return;
    const f = useShop.getState().feeds[feedKey(query)];
    if (!f || f.status === 'error' || f.status === 'idle') void loadFeed(query, 'reset');
  }, [query, loadFeed]);
  useReachBottom(() => {
    if (query) void loadFeed(query, 'more');
  });

  if (categoriesStatus === 'error' && categories.length === 0) {
    return (
      <View className="page">
        <EmptyState status="error" text="分类加载失败" actionText="重新加载" onAction={() => loadCategories(true)} />
      </View>
    );
  }
  if (categories.length === 0) {
    return <View className="page">{categoriesStatus === 'ready' ? <EmptyState text="暂无分类" /> : <ListSkeleton />}</View>;
  }

  return (
    <View className="page category">
      <ScrollView className="category__side" scrollY>
        {categories.map((c) => (
          <View
            key={c.id}
            className={`category__item e2e-category-item ${c.id === current ? 'category__item--active' : ''}`}
            data-category-id={c.id}
            onClick={() => setActiveCategory(c.id)}
          >
            {c.name}
          </View>
        ))}
      </ScrollView>
      <View className="category__main">
        <View className="category__sort">
          <SortTabs value={sort} onChange={setSort} />
        </View>
        {query && (
          <ProductFeed
            feed={feed}
            layout="rows"
            emptyText="该分类暂无商品"
            onRetry={() => loadFeed(query, feed.items.length ? 'more' : 'reset')}
          />
        )}
      </View>
    </View>
  );
}
