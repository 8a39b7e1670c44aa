import { Text, View } from '@tarojs/components';
import type { ProductSort } from '@shop/shared';

const TABS: { key: 'sales' | 'price' | 'newest'; label: string }[] = [
  { key: 'sales', label: '销量' },
  { key: 'price', label: '价格' },
  { key: 'newest', label: '新品' },
];

/** 销量 / 价格 (tap again to flip 升降) / 新品. */
export function SortTabs({ value, onChange }: { value: ProductSort; onChange: (s: ProductSort) => void }) {
  const isPrice = value === 'price_asc' || value === 'price_desc';
  return (
    <View className="sort-tabs">
      {TABS.map((t) => {
        const active = t.key === 'price' ? isPrice : value === t.key;
        const next: ProductSort =
          t.key === 'price' ? (value === 'price_asc' ? 'price_desc' : 'price_asc') : (t.key as ProductSort);
        return (
          <View
            key={t.key}
            className={`sort-tabs__item e2e-sort-tab ${active ? 'sort-tabs__item--active' : ''}`}
            data-sort={t.key}
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
