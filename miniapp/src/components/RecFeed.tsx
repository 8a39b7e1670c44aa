import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, type ReactNode } from 'react';
import type { RecCard, RecPlacement } from '@shop/shared';
import { EMPTY_RECS, recsKey, useShop } from '../store';
import { observeHalfVisible } from '../utils/tracker';
import { PAGES, goLogin, withQuery } from '../utils/nav';
import { FeedFooter } from './Feed';
import { ProductCard } from './ProductCard';
import { EmptyState, ListSkeleton } from './States';
import './RecFeed.scss';

interface Props {
  placement: RecPlacement;
  /** The product the page is about (看了又看 / 买了又买). */
  productId?: string;
  title?: string;
  /**
   * 猜你喜欢: skeleton while the first page loads, the empty and error states, and the paging footer (the page asks
   * for the next page when scrolled to the bottom). Otherwise the section shows one page and is absent when empty.
   */
  feed?: boolean;
  /** Shown instead when the list is empty or failed (a placement without a state of its own). */
  fallback?: ReactNode;
  className?: string;
}

/** The class the list's cards are found by (the mini-program's selectors know classes, not attributes). */
const listClass = (key: string) => `rec-list-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/**
 * Recommended products with the reason each is there (因为你浏览了… / 同类热销) and a 不感兴趣 control. A card at least
 * half on screen is reported once per load; opening one carries the placement and variant to the product page.
 */
export function RecFeed({ placement, productId, title, feed = false, fallback, className = '' }: Props) {
  const key = recsKey(placement, productId);
  const list = useShop((s) => s.recs[key] ?? EMPTY_RECS);
  const { loadRecs } = useShop.getState();
  const seen = useRef<{ loadId: number; ids: Set<string> }>({ loadId: -1, ids: new Set() });
  const cls = listClass(key);

  useEffect(() => {
    void loadRecs(placement, 'refresh', productId);
  }, [placement, productId, loadRecs]);
  useDidShow(() => {
    // After the page that was on top is gone (its view reported), so the list follows what was just looked at.
    setTimeout(() => void useShop.getState().loadRecs(placement, 'refresh', productId), 0);
  });

  useEffect(() => {
    if (list.items.length === 0) return undefined;
    if (seen.current.loadId !== list.loadId) seen.current = { loadId: list.loadId, ids: new Set() };
    const { loadId, ids } = seen.current;
    return observeHalfVisible(`.${cls} .rec-card`, (data) => {
      const id = data.productId;
      if (!id || ids.has(id) || seen.current.loadId !== loadId) return;
      ids.add(id);
      const position = Number(data.position);
      useShop.getState().track({
        kind: 'exposure',
        productId: id,
        placement,
        variant: list.variant,
        ...(Number.isInteger(position) && position >= 0 ? { position } : {}),
      });
    });
  }, [cls, placement, list.loadId, list.items.length, list.variant]);

  const open = (card: RecCard) => {
    const tag = { placement, variant: list.variant };
    const { track, rememberRec } = useShop.getState();
    track({ kind: 'click', productId: card.product.id, ...tag });
    rememberRec(card.product.id, tag);
    void Taro.navigateTo({ url: withQuery(PAGES.product, { id: card.product.id, from: placement, v: list.variant }) });
  };
  const dislike = (card: RecCard) => {
    if (!useShop.getState().isLoggedIn()) {
      goLogin();
      return;
    }
    void useShop.getState().dislikeRec(card.product.id);
  };

  const retry = () => void loadRecs(placement, list.items.length ? 'more' : 'reset', productId);
  if (list.items.length === 0) {
    if (list.status === 'idle' || list.status === 'loading') {
      if (!feed) return null;
      return (
        <View className={`rec-feed ${className}`}>
          {title && <View className="rec-feed__title">{title}</View>}
          <ListSkeleton count={4} />
        </View>
      );
    }
    if (fallback) return <>{fallback}</>;
    if (!feed) return null;
    return (
      <View className={`rec-feed ${className}`}>
        {title && <View className="rec-feed__title">{title}</View>}
        {list.status === 'error' ? (
          <EmptyState status="error" text="推荐加载失败" actionText="重新加载" onAction={retry} />
        ) : (
          <EmptyState text="暂时没有为你推荐的商品" />
        )}
      </View>
    );
  }

  return (
    <View className={`rec-feed ${cls} e2e-rec-feed ${className}`} data-placement={placement} data-variant={list.variant}>
      {title && (
        <View className="rec-feed__title">
          <Text>{title}</Text>
        </View>
      )}
      <View className="product-grid">
        {list.items.map((card, i) => (
          <View
            key={card.product.id}
            className="rec-card e2e-rec-card"
            data-product-id={card.product.id}
            data-category={card.product.categoryId}
            data-position={String(i)}
            data-reason={card.reason.kind}
          >
            <ProductCard product={card.product} onOpen={() => open(card)} />
            <View className="rec-card__reason ellipsis e2e-rec-reason">{card.reason.text}</View>
            <View className="rec-card__dislike e2e-rec-dislike" aria-label="不感兴趣" onClick={() => dislike(card)}>
              <Text className="rec-card__dislike-x">×</Text>
            </View>
          </View>
        ))}
      </View>
      {feed && <FeedFooter status={list.status === 'loading' ? 'ready' : list.status} done={list.done} onRetry={retry} />}
    </View>
  );
}
