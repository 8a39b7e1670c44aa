import { Text, View } from '@tarojs/components';
import type { ProductSort, SearchSort } from '@shop/shared';

const TABS: { key: 'relevance' | 'sales' | 'price' | 'newest'; label: string }[] = [
  { key: 'relevance', label: '综合' },
  { key: 'sales', label: '销量' },
  { key: 'price', label: '价格' },
  { key: 'newest', label: '新品' },
];

/** (综合, search only) / 销量 / 价格 (tap again to flip 升降) / 新品. */
export function SortTabs<T extends ProductSort | SearchSort>({
  value,
  onChange,
  relevance = false,
}: {
  value: T;
  onChange: (s: T) => void;
  /** Offer 综合 (search results). */
  relevance?: boolean;
}) {
  const isPrice = value === 'price_asc' || value === 'price_desc';
  return (
    <View className="sort-tabs">
      {TABS.filter((t) => relevance || t.key !== 'relevance').map((t) => {
        const active = t.key === 'price' ? isPrice : value === t.key;
        const next = (t.key === 'price' ? (value === 'price_asc' ? 'price_desc' : 'price_asc') : t.key) as T;
        return (
          <View
            key={t.key}
            className={`sort-tabs__item e2e-sort-tab ${active ? 'sort-tabs__item--active' : ''}`}
            data-sort={t.key}
            data-active={active ? 'true' : 'false'}
            onClick={() => onChange(next)}
          >
            {t.label}
            {t.key === 'price' && <Text>{value === 'price_asc' ? ' ↑' : value === 'price_desc' ? ' ↓' : ' ↕'}</Text>}
          </View>
        );
      })}
    </View>
  );
}
