import { Text, View } from '@tarojs/components';
import Taro, { useReachBottom, useRouter } from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { SearchBar } from '@nutui/nutui-react-taro';
import type { ProductSort } from '@shop/shared';
import { ProductFeed } from '../../../components/Feed';
import { SortTabs } from '../../../components/SortTabs';
import { EMPTY_FEED, feedKey, useShop, type FeedQuery } from '../../../store';
import { useDebounced } from '../../../utils/hooks';
import './index.scss';

const HISTORY_KEY = 'shop.searchHistory';

function readHistory(): string[] {
  try {
    const v: unknown = Taro.getStorageSync(HISTORY_KEY);
    return Array.isArray(v) ? (v as string[]).slice(0, 10) : [];
  } catch {
    return [];
  }
}

export default function SearchPage() {
  const { params } = useRouter();
  const initial = decodeURIComponent(params.q ?? '');
  const [text, setText] = useState(initial);
  const [submitted, setSubmitted] = useState(initial.trim());
  const [typing, setTyping] = useState(!initial);
  const [sort, setSort] = useState<ProductSort>('sales');
  const [history, setHistory] = useState<string[]>(readHistory);
  const suggestions = useShop((s) => s.suggestions);
  const suggestionsFor = useShop((s) => s.suggestionsFor);
  const { loadSuggestions, loadFeed } = useShop.getState();

  const query = useMemo<FeedQuery | null>(() => (submitted ? { kind: 'search', q: submitted, sort } : null), [submitted, sort]);
  const key = query ? feedKey(query) : '';
  const feed = useShop((s) => (key ? (s.feeds[key] ?? EMPTY_FEED) : EMPTY_FEED));

  const debounced = useDebounced(text, 250);
  useEffect(() => {
    if (typing) void loadSuggestions(debounced);
  }, [debounced, typing, loadSuggestions]);
  useEffect(() => {
    if (query) void loadFeed(query, 'reset');
  }, [query, loadFeed]);
  useReachBottom(() => {
    if (query && !typing) void loadFeed(query, 'more');
  });

  const search = (raw: string) => {
    const q = raw.trim();
    if (!q) {
      void Taro.showToast({ title: '请输入搜索关键词', icon: 'none' });
      return;
    }
    if (q.length > 50) {
      void Taro.showToast({ title: '关键词太长', icon: 'none' });
      return;
    }
    setText(q);
    setTyping(false);
    setSubmitted(q);
    const next = [q, ...history.filter((h) => h !== q)].slice(0, 10);
    setHistory(next);
    Taro.setStorageSync(HISTORY_KEY, next);
  };

  const clearHistory = () => {
    setHistory([]);
    Taro.removeStorageSync(HISTORY_KEY);
  };

  const showSuggestions = typing && text.trim() !== '' && suggestionsFor === text.trim() && suggestions.length > 0;

  return (
    <View className="page search">
      <View className="search__bar">
        <SearchBar
          className="e2e-search-input"
          value={text}
          placeholder="搜索商品"
          autoFocus={process.env.TARO_ENV === 'weapp' && !initial}
          maxLength={50}
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
              {s}
            </View>
          ))}
        </View>
      )}

      {typing && !showSuggestions && history.length > 0 && (
        <View className="search__history">
          <View className="row row--between">
            <Text className="search__history-title">搜索历史</Text>
            <Text className="muted" onClick={clearHistory}>
              清空
            </Text>
          </View>
          <View className="search__chips">
            {history.map((h) => (
              <View key={h} className="search__chip" onClick={() => search(h)}>
                {h}
              </View>
            ))}
          </View>
        </View>
      )}

      {!typing && query && (
        <View>
          <SortTabs value={sort} onChange={setSort} />
          <ProductFeed
            feed={feed}
            emptyText={`没有找到“${submitted}”相关的商品`}
            onRetry={() => loadFeed(query, feed.items.length ? 'more' : 'reset')}
          />
        </View>
      )}
    </View>
  );
}
