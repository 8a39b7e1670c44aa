import { View } from '@tarojs/components';
import { Empty, Skeleton } from '@nutui/nutui-react-taro';

/** NutUI Empty with our wording; `actionText` adds one button. */
export function EmptyState({
  text,
  status = 'empty',
  actionText,
  onAction,
}: {
  text: string;
  status?: 'empty' | 'error' | 'network';
  actionText?: string;
  onAction?: () => void;
}) {
  return (
    <View className="section-state e2e-empty">
      {/* Own artwork: NutUI's default images live on a remote CDN. */}
      <Empty
        status={status}
        description={text}
        image={
          <View className={`empty-art empty-art--${status}`}>
            <View className="empty-art__inner">{status === 'empty' ? '' : '!'}</View>
          </View>
        }
      />
      {actionText && onAction && (
        <View className="section-state__action">
          <View className="btn btn--small btn--ghost e2e-empty-action" onClick={() => onAction()}>
            {actionText}
          </View>
        </View>
      )}
    </View>
  );
}

/** Placeholder blocks while the first page loads. */
export function ListSkeleton({ count = 3, rows = 3 }: { count?: number; rows?: number }) {
  return (
    <View className="e2e-skeleton">
      {Array.from({ length: count }, (_, i) => (
        <View className="skeleton-block" key={i}>
          <Skeleton rows={rows} animated />
        </View>
      ))}
    </View>
  );
}
