import { View } from '@tarojs/components';
import type { Feed } from '../store';
import { ProductCard, ProductRow } from './ProductCard';
import { EmptyState, ListSkeleton } from './States';

interface Props {
  feed: Feed;
  layout?: 'grid' | 'rows';
  emptyText?: string;
  onRetry?: () => void;
}

/** A product feed with its first-load skeleton, empty and error states, and the paging footer. */
export function ProductFeed({ feed, layout = 'grid', emptyText = '暂无商品', onRetry }: Props) {
  if ((feed.status === 'loading' || feed.status === 'idle') && feed.items.length === 0) {
    return <ListSkeleton count={layout === 'grid' ? 4 : 5} />;
  }
  if (feed.status === 'error' && feed.items.length === 0) {
    return <EmptyState status="error" text="加载失败" actionText="重新加载" onAction={onRetry} />;
  }
  if (feed.items.length === 0) return <EmptyState text={emptyText} />;
  return (
    <View>
      {layout === 'grid' ? (
        <View className="product-grid">
          {feed.items.map((p) => (
            <ProductCard key={p.id} product={p} />
          ))}
        </View>
      ) : (
        <View>
          {feed.items.map((p) => (
            <ProductRow key={p.id} product={p} />
          ))}
        </View>
      )}
      <FeedFooter status={feed.status} done={feed.done} onRetry={onRetry} />
    </View>
  );
}

export function FeedFooter({ status, done, onRetry }: { status: Feed['status']; done: boolean; onRetry?: () => void }) {
  if (status === 'loadingMore') return <View className="feed-footer">加载中…</View>;
  if (status === 'error')
    return (
      <View className="feed-footer" onClick={onRetry}>
        加载失败，点击重试
      </View>
    );
  if (done) return <View className="feed-footer feed-footer--end e2e-feed-end">— 已经到底了，没有更多商品 —</View>;
  return <View className="feed-footer">上拉加载更多</View>;
}
