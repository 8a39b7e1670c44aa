import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { reviewHeadline, useShop } from '../../store';
import { PAGES, withQuery } from '../../utils/nav';
import { ReviewCard } from './ReviewCard';
import './Reviews.scss';

/** 商品评价 on the product page: 好评率, count, tag cloud, two top reviews with photos, and 全部评价. */
export function ReviewSection({ productId }: { productId: string }) {
  const summary = useShop((s) => s.reviewSummaries[productId]);
  useEffect(() => {
    void useShop.getState().loadReviewSummary(productId);
  }, [productId]);
  const all = () => Taro.navigateTo({ url: withQuery(PAGES.productReviews, { id: productId }) });
  return (
    <View className="card e2e-review-section">
      <View className="row review-section__head" onClick={all}>
        <Text className="review-section__title">商品评价{summary?.count ? `（${summary.count}）` : ''}</Text>
        <Text className="review-section__rate e2e-good-rate">
          {reviewHeadline(summary)} {summary?.count ? '›' : ''}
        </Text>
      </View>
      {summary && summary.tags.length > 0 && (
        <View className="review-cloud">
          {summary.tags.map((t) => (
            <Text key={t.tag} className="review-cloud__tag" onClick={all}>
              {t.tag} {t.count}
            </Text>
          ))}
        </View>
      )}
      {summary?.top.map((r) => <ReviewCard key={r.id} review={r} compact />)}
      {summary && summary.count > 0 && (
        <View className="review-list__more muted e2e-all-reviews" onClick={all}>
          查看全部评价 ›
        </View>
      )}
    </View>
  );
}
