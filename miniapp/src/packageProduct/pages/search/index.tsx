import { Text, View } from '@tarojs/components';
import Taro, { useReachBottom, useReady, useRouter } from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { SearchBar } from '@nutui/nutui-react-taro';
import type { SearchSort } from '@shop/shared';
import { highlightParts } from '@shop/shared/src/search';
import { ProductFeed } from '../../../components/Feed';
import { ProductCard } from '../../../components/ProductCard';
import { RecFeed } from '../../../components/RecFeed';
import { SortTabs } from '../../../components/SortTabs';
import { useShop } from '../../../store';
import { EMPTY_SEARCH, searchKey, type SearchFilters, type SearchQueryState } from '../../../store/slices/search';
import { useDebounced } from '../../../utils/hooks';
import './index.scss';

const HISTORY_KEY = 'shop.searchHistory';
const MAX_HISTORY = 10;
const MAX_LENGTH = 50;

function readHistory(): string[] {
  try {
    const v: unknown = Taro.getStorageSync(HISTORY_KEY);
    return Array.isArray(v) ? (v as unknown[]).filter((h): h is string => typeof h === 'string').slice(0, MAX_HISTORY) : [];
  } catch {
    return [];
  }
}

const yuan = (fen: number) => String(Math.round(fen / 100));
function bandLabel(b: { minFen: number; maxFen: number | null }): string {
  if (b.maxFen === null) return `¥${yuan(b.minFen)} 以上`;
  if (b.minFen === 0) return `¥${yuan(b.maxFen)} 以下`;
  return `¥${yuan(b.minFen)}–${yuan(b.maxFen)}`;
}
const sameBand = (a?: SearchFilters['band'], b?: SearchFilters['band']) => !!a && !!b && a.minFen === b.minFen && a.maxFen === b.maxFen;

function Chip({ active, className, onClick, children }: { active?: boolean; className: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <View className={`search__chip ${active ? 'search__chip--active' : ''} ${className}`} data-active={active ? 'true' : 'false'} onClick={onClick}>
      {children}
    </View>
  );
}

export default function SearchPage() {
  const { params } = useRouter();
  const initial = decodeURIComponent(params.q ?? '').trim();
  const [text, setText] = useState(initial);
  const [submitted, setSubmitted] = useState(initial);
  const [typing, setTyping] = useState(!initial);
  const focusOnArrival = !initial;
  // In the browser the input is focused once the page is on screen: focusing through the component's property asks
  // the web component before it has drawn its input, which throws when the shopper leaves at once.
  useReady(() => {
    if (process.env.TARO_ENV !== 'h5' || !focusOnArrival) return;
    setTimeout(() => (document.querySelector('.e2e-search-input input') as HTMLInputElement | null)?.focus(), 0);
  });
  const [sort, setSort] = useState<SearchSort>('relevance');
  const [filters, setFilters] = useState<SearchFilters>({});
  const [history, setHistory] = useState<string[]>(readHistory);
  const suggestions = useShop((s) => s.suggestions);
  const suggestionsFor = useShop((s) => s.suggestionsFor);
  const hotSearches = useShop((s) => s.hotSearches);
  const categories = useShop((s) => s.categories);
  const { loadSuggestions, loadSearch, loadHotSearches, loadCategories } = useShop.getState();

  const query = useMemo<SearchQueryState | null>(() => (submitted ? { q: submitted, sort, filters } : null), [submitted, sort, filters]);
  const key = query ? searchKey(query) : '';
  const feed = useShop((s) => (key ? (s.searches[key] ?? EMPTY_SEARCH) : EMPTY_SEARCH));

  useEffect(() => {
    void loadHotSearches();
    void loadCategories();
  }, [loadHotSearches, loadCategories]);
  const debounced = useDebounced(text, 250);
  useEffect(() => {
    if (typing) void loadSuggestions(debounced);
  }, [debounced, typing, loadSuggestions]);
  useEffect(() => {
    if (query) void loadSearch(query, 'reset');
  }, [query, loadSearch]);
  useReachBottom(() => {
    if (query && !typing) void loadSearch(query, 'more');
  });

  const search = (raw: string) => {
    const q = raw.trim();
    if (!q) {
      void Taro.showToast({ title: '请输入搜索关键词', icon: 'none' });
      return;
    }
    if (q.length > MAX_LENGTH) {
      void Taro.showToast({ title: `关键词太长，最多 ${MAX_LENGTH} 个字`, icon: 'none' });
      return;
    }
    setText(q);
    setTyping(false);
    setSubmitted(q);
    useShop.getState().track({ kind: 'search', q });
    setFilters({});
    const next = [q, ...history.filter((h) => h !== q)].slice(0, MAX_HISTORY);
    setHistory(next);
    Taro.setStorageSync(HISTORY_KEY, next);
  };

  const clearHistory = () => {
    setHistory([]);
    Taro.removeStorageSync(HISTORY_KEY);
  };

  const categoryName = (id: string) => categories.find((c) => c.id === id)?.name ?? '其他';
  const filtered = !!(filters.categoryId || filters.band || filters.inStock);
  const showSuggestions = typing && text.trim() !== '' && suggestionsFor === text.trim() && suggestions.length > 0;
  const ready = feed.status === 'ready' || (feed.status === 'error' && feed.items.length > 0);

  const bestSellers =
    feed.alternatives.length > 0 ? (
      <View className="search__alternatives e2e-search-alternatives">
        <View className="search__section-title search__alternatives-title">看看大家都在买</View>
        <View className="product-grid">
          {feed.alternatives.map((p) => (
            <ProductCard key={p.id} product={p} />
          ))}
        </View>
      </View>
    ) : null;

  return (
    <View className="page search">
      <View className="search__bar">
        <SearchBar
          className="e2e-search-input"
          value={text}
          placeholder="搜索商品，支持拼音"
          autoFocus={focusOnArrival && process.env.TARO_ENV !== 'h5'}
          maxLength={MAX_LENGTH}
          onChange={(v) => {
            setText(v);
            setTyping(true);
          }}
          onFocus={() => setTyping(true)}
          onSearch={(v) => search(v)}
          onClear={() => {
            setText('');
            setTyping(true);
          }}
          right={
            <View className="search__submit e2e-search-submit" onClick={() => search(text)}>
              搜索
            </View>
          }
        />
      </View>

      {showSuggestions && (
        <View className="search__suggestions">
          {suggestions.map((s) => (
            <View key={s} className="search__suggestion e2e-suggestion" onClick={() => search(s)}>
              {highlightParts(s, text).map((part, i) => (
                <Text key={i} className={part.hit ? 'search__hit' : ''}>
                  {part.text}
                </Text>
              ))}
            </View>
          ))}
        </View>
      )}

      {typing && !showSuggestions && (
        <View>
          {history.length > 0 && (
            <View className="search__section">
              <View className="row row--between">
                <Text className="search__section-title">搜索历史</Text>
                <Text className="muted e2e-history-clear" onClick={clearHistory}>
                  清空
                </Text>
              </View>
              <View className="search__chips">
                {history.map((h) => (
                  <Chip key={h} className="e2e-history" onClick={() => search(h)}>
                    {h}
                  </Chip>
                ))}
              </View>
            </View>
          )}
          {hotSearches.length > 0 && (
            <View className="search__section">
              <Text className="search__section-title">热门搜索</Text>
              <View className="search__chips">
                {hotSearches.map((h, i) => (
                  <Chip key={h} className="e2e-hot-search" onClick={() => search(h)}>
                    {i < 3 && <Text className="search__hot-rank">{i + 1}</Text>}
                    {h}
                  </Chip>
                ))}
              </View>
            </View>
          )}
        </View>
      )}

      {!typing && query && (
        <View>
          <SortTabs value={sort} onChange={setSort} relevance />
          <View className="search__filters">
            <Chip
              active={filters.inStock}
              className="e2e-filter-instock"
              onClick={() => setFilters({ ...filters, inStock: !filters.inStock })}
            >
              仅看有货
            </Chip>
            {feed.priceBands.map((b) => (
              <Chip
                key={`${b.minFen}-${b.maxFen ?? ''}`}
                active={sameBand(filters.band, b)}
                className="e2e-filter-band"
                onClick={() => setFilters({ ...filters, band: sameBand(filters.band, b) ? undefined : b })}
              >
                {bandLabel(b)}
              </Chip>
            ))}
            {feed.categories.length > 1 &&
              feed.categories.map((c) => (
                <Chip
                  key={c.id}
                  active={filters.categoryId === c.id}
                  className="e2e-filter-category"
                  onClick={() => setFilters({ ...filters, categoryId: filters.categoryId === c.id ? undefined : c.id })}
                >
                  {categoryName(c.id)}
                </Chip>
              ))}
          </View>
          {ready && feed.total > 0 && (
            <View className="search__total muted e2e-search-total" data-total={feed.total}>
              共 {feed.total} 件商品
            </View>
          )}
          <ProductFeed
            feed={feed}
            emptyText={filtered ? `没有符合筛选条件的“${submitted}”` : `没有找到“${submitted}”相关的商品`}
            onRetry={() => loadSearch(query, feed.items.length ? 'more' : 'reset')}
          />
          {ready && feed.total === 0 && filtered && (
            <View className="search__clear-filters e2e-clear-filters" onClick={() => setFilters({})}>
              清除筛选条件
            </View>
          )}
          {/* Nothing found: 猜你喜欢 (each with why, and 不感兴趣); the server's best sellers when there is none to show. */}
          {ready &&
            feed.total === 0 &&
            (filtered ? (
              bestSellers
            ) : (
              <RecFeed placement="search_empty" title="猜你喜欢" className="search__alternatives e2e-search-alternatives" fallback={bestSellers} />
            ))}
        </View>
      )}
    </View>
  );
}
