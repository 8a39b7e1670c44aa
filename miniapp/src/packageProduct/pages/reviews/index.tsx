import { View } from '@tarojs/components';
import { useReachBottom, useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { REVIEW_FILTERS, REVIEW_FILTER_LABEL, type ReviewFilter } from '@shop/shared/src/reviews';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { EMPTY_REVIEW_LIST, filterTabLabel, reviewListKey, useShop } from '../../../store';
import { ReviewCard } from '../../components/ReviewCard';
import '../../components/Reviews.scss';

/** 全部评价: a product's reviews newest first, under 全部 / 有图 / 好评 / 中评 / 差评, page by page. */
export default function ProductReviewsPage() {
  const { params } = useRouter();
  const productId = params.id ?? '';
  const [filter, setFilter] = useState<ReviewFilter>((REVIEW_FILTERS as readonly string[]).includes(params.filter ?? '') ? (params.filter as ReviewFilter) : 'all');
  const list = useShop((s) => s.reviewLists[reviewListKey(productId, filter)]) ?? EMPTY_REVIEW_LIST;
  const counts = useShop((s) => s.reviewLists[reviewListKey(productId, 'all')]?.counts ?? s.reviewSummaries[productId]?.counts ?? null);
  const { loadProductReviews } = useShop.getState();

  useEffect(() => {
    if (productId) void loadProductReviews(productId, filter, true);
  }, [productId, filter]);
  useReachBottom(() => void loadProductReviews(productId, filter, false));

  return (
    <View className="page">
      <View className="review-filters e2e-review-filters">
        {REVIEW_FILTERS.map((f) => (
          <View
            key={f}
            className={`review-filters__item e2e-review-filter-${f}${f === filter ? ' review-filters__item--on' : ''}`}
            onClick={() => setFilter(f)}
          >
            {filterTabLabel(REVIEW_FILTER_LABEL[f], (list.counts ?? counts)?.[f])}
          </View>
        ))}
      </View>
      {list.status === 'loading' && list.items.length === 0 ? (
        <ListSkeleton />
      ) : list.status === 'error' && list.items.length === 0 ? (
        <EmptyState status="network" text="评价加载失败" actionText="重试" onAction={() => void loadProductReviews(productId, filter, true)} />
      ) : list.items.length === 0 ? (
        <EmptyState text={filter === 'all' ? '暂无评价' : `暂无${REVIEW_FILTER_LABEL[filter]}`} />
      ) : (
        <View className="review-list">
          {list.items.map((r) => (
            <ReviewCard key={r.id} review={r} />
          ))}
          <View className="review-list__more muted">{list.cursor ? (list.status === 'loading' ? '加载中…' : '上拉加载更多') : '没有更多了'}</View>
        </View>
      )}
    </View>
  );
}
