import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, useRouter, useUnload } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { dealMinPriceFen, groupRemainingMs, joinableGroups } from '../../../store';
import { formatCountdown } from '../../../utils/format';
import { useTicker } from '../../../utils/hooks';
import { Cart } from '@nutui/icons-react-taro';
import { resolveAsset } from '../../../api/assets';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { useShop } from '../../../store';
import { formatCount, formatFen } from '../../../utils/format';
import { PAGES, goLogin, withQuery } from '../../../utils/nav';
import { clampQuantity, findSku, initialSelection, maxQuantity, selectionText, type SpecSelection } from '../../../utils/sku';
import { SpecSheet, dealProduct, type SpecSheetMode } from '../../components/SpecSheet';
import { PriceArea, PromotionsArea } from '../../components/PriceArea';
import { BackHome } from '../../../components/BackHome';
import { RecFeed } from '../../../components/RecFeed';
import { recTagFrom } from '../../../utils/tracker';
import { Description } from '../../components/Description';
import { FavoriteButton } from '../../components/Favorite';
import { Guarantees } from '../../components/Guarantees';
import { ReviewSection } from '../../components/ReviewSection';
import { ServiceButton } from '../../components/Service';
import { ShareButton } from '../../components/Share';
import './index.scss';

/** What starting a group costs at least: the leader's price (the group price when the deal has none). */
const dealLeaderMinFen = (deal: { skus: { leaderPriceFen: number }[] }) => Math.min(...deal.skus.map((s) => s.leaderPriceFen));
/** What a gallery picture shows, for screen readers and when it does not load. */
const imageAlt = (title: string, i: number, count: number) => (count > 1 ? `${title}（第 ${i + 1} 张，共 ${count} 张）` : title);

export default function ProductDetailPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const product = useShop((s) => s.products[id]);
  const status = useShop((s) => s.productStatus[id] ?? 'idle');
  const busy = useShop((s) => s.cartBusySku !== null);
  const deals = useShop((s) => s.groupDeals[id]?.deals);
  const offset = useShop((s) => s.serverOffsetMs);
  const { loadProduct, addToCart, loadGroupDeals } = useShop.getState();
  const phoneNow = useTicker(!!deals?.length);
  const serverNow = phoneNow + offset;
  const deal = deals?.find((d) => d.endsAt > serverNow && d.skus.length > 0);

  const [sheet, setSheet] = useState<{ visible: boolean; mode: SpecSheetMode; group?: boolean }>({ visible: false, mode: 'both' });
  const [selection, setSelection] = useState<SpecSelection>({});
  const [quantity, setQuantity] = useState(1);
  const [current, setCurrent] = useState(0);

  useEffect(() => {
    if (id) {
      void loadProduct(id, true);
      void loadGroupDeals(id);
    }
  }, [id, loadProduct, loadGroupDeals]);
  // 浏览: how long the page was on screen, reported when it is hidden or closed (tagged when a recommendation led here).
  useEffect(() => {
    const tag = recTagFrom(params);
    if (id && tag) useShop.getState().rememberRec(id, tag);
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps
  useDidShow(() => {
    if (id) useShop.getState().startView(id);
  });
  const reportView = () => {
    if (id) useShop.getState().endView(id);
  };
  useDidHide(reportView);
  useUnload(reportView);
  useEffect(() => {
    if (product) setSelection(initialSelection(product));
  }, [product?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (product) Taro.setNavigationBarTitle({ title: product.title }).catch(() => undefined);
  }, [product?.title]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!id) return <EmptyState text="商品不存在" />;
  if (!product) {
    if (status === 'error')
      return (
        <View className="page">
          <EmptyState status="error" text="商品加载失败" actionText="重新加载" onAction={() => loadProduct(id, true)} />
        </View>
      );
    return (
      <View className="page">
        <ListSkeleton count={2} rows={4} />
      </View>
    );
  }

  const sku = findSku(product, selection);
  const unavailable = !product.onShelf || product.stock === 0;

  const openSheet = (mode: SpecSheetMode, group = false) => {
    // The group sheet offers only the deal's specs: a choice outside the deal starts over.
    if (group && deal && sku && !deal.skus.some((d) => d.skuId === sku.id)) setSelection(initialSelection(dealProduct(product, deal)));
    setSheet({ visible: true, mode, group });
  };
  const groupSheet = sheet.group && deal ? deal : undefined;
  /** 去参团 from the group sheet: the group closest to full. */
  const onJoinGroup = () => {
    const open = deal ? [...joinableGroups(deal, serverNow)].sort((a, b) => a.seatsLeft - b.seatsLeft) : [];
    if (!open[0]) return;
    setSheet((v) => ({ ...v, visible: false }));
    void Taro.navigateTo({ url: withQuery(PAGES.groupLanding, { t: open[0].token }) });
  };
  const changeSelection = (s: SpecSelection) => {
    setSelection(s);
    setQuantity((q) => clampQuantity(q, maxQuantity(findSku(product, s))));
  };

  /** The SKU to act on, or a toast saying what is missing. */
  const chosenSku = () => {
    if (!sku) {
      void Taro.showToast({ title: selectionText(product, selection), icon: 'none' });
      return undefined;
    }
    if (sku.stock === 0) {
      void Taro.showToast({ title: '该规格已售罄', icon: 'none' });
      return undefined;
    }
    return sku;
  };

  const onAddToCart = async () => {
    const s = chosenSku();
    if (!s) return;
    if (!useShop.getState().isLoggedIn()) {
      setSheet((v) => ({ ...v, visible: false }));
      goLogin();
      return;
    }
    const ok = await addToCart({ productId: product.id, skuId: s.id, quantity: clampQuantity(quantity, maxQuantity(s)) });
    if (ok) setSheet((v) => ({ ...v, visible: false }));
  };

  /** 发起拼团: the chosen SKU at the deal's price, on the group order page. */
  const onStartGroup = () => {
    const s = chosenSku();
    if (!s || !deal) return;
    if (!deal.skus.some((d) => d.skuId === s.id)) {
      void Taro.showToast({ title: '该规格不参与拼团', icon: 'none' });
      return;
    }
    setSheet((v) => ({ ...v, visible: false }));
    const url = withQuery(PAGES.groupBuy, { campaignId: deal.campaignId, skuId: s.id, productId: product.id });
    if (!useShop.getState().isLoggedIn()) {
      goLogin({ redirect: url });
      return;
    }
    void Taro.navigateTo({ url });
  };

  const onBuyNow = () => {
    if (sheet.group) {
      onStartGroup();
      return;
    }
    const s = chosenSku();
    if (!s) return;
    setSheet((v) => ({ ...v, visible: false }));
    const url = withQuery(PAGES.checkout, {
      source: 'buyNow',
      productId: product.id,
      skuId: s.id,
      quantity: clampQuantity(quantity, maxQuantity(s)),
    });
    if (!useShop.getState().isLoggedIn()) {
      goLogin({ redirect: url });
      return;
    }
    void Taro.navigateTo({ url });
  };

  const images = product.images.length ? product.images : [product.image];

  return (
    <View className="page page--with-bar product">
      <View className="product__gallery">
        <BackHome />
        <ShareButton product={product} />
        <Swiper className="product__swiper" circular={images.length > 1} onChange={(e) => setCurrent(e.detail.current)}>
          {images.map((src, i) => (
            <SwiperItem key={`${src}-${i}`}>
              <Image
                className="product__image"
                src={resolveAsset(src)}
                mode="aspectFill"
                ariaLabel={imageAlt(product.title, i, images.length)}
                nativeProps={{ alt: imageAlt(product.title, i, images.length) }}
                onClick={() =>
                  Taro.previewImage({ urls: images.map((u) => resolveAsset(u)), current: resolveAsset(src) }).catch(
                    () => undefined,
                  )
                }
              />
            </SwiperItem>
          ))}
        </Swiper>
        {images.length > 1 && (
          <View className="product__indicator">
            {current + 1}/{images.length}
          </View>
        )}
      </View>

      <View className="card product__info">
        <View className="row row--between">
          <PriceArea product={product} sku={sku} />
          <Text className="muted product__sales">已售 {formatCount(product.sales)}</Text>
        </View>
        <View className="product__title e2e-product-title">{product.title}</View>
        {product.subtitle && <View className="product__subtitle">{product.subtitle}</View>}
      </View>

      <PromotionsArea product={product} onClaimed={() => void loadProduct(id, true)} />

      <View className="card product__spec row row--between e2e-open-spec" onClick={() => openSheet('both')}>
        <Text className="muted product__spec-label">规格</Text>
        <Text className="grow ellipsis">{selectionText(product, selection)}</Text>
        <Text className="muted">›</Text>
      </View>

      {deal && (
        <View className="card product__groups e2e-group-deal" data-campaign-id={deal.campaignId}>
          <View className="card__title">
            {deal.groupSize}人团 · 拼团价 <Text className="price">{formatFen(dealMinPriceFen(deal) ?? 0)}</Text> 起
            {dealLeaderMinFen(deal) < (dealMinPriceFen(deal) ?? 0) && (
              <Text className="product__leader e2e-group-leader-price"> · 团长价 {formatFen(dealLeaderMinFen(deal))} 起</Text>
            )}
          </View>
          {joinableGroups(deal, serverNow).length === 0 && <View className="muted">暂无可参加的团，快来发起拼团吧</View>}
          {joinableGroups(deal, serverNow)
            .slice(0, 5)
            .map((g) => (
              <View className="row row--between product__group e2e-open-group" data-group-id={g.groupId} key={g.groupId}>
                <Text className="grow ellipsis">{g.leaderNickname} 的团</Text>
                <View className="product__group-meta">
                  <View>
                    还差 <Text className="price e2e-group-seats">{g.seatsLeft}</Text> 人
                  </View>
                  <View className="muted e2e-group-countdown">
                    剩余 {formatCountdown(groupRemainingMs(g.deadlineAt, phoneNow, offset))}
                  </View>
                </View>
                <View
                  className="btn btn--small"
                  onClick={() => Taro.navigateTo({ url: withQuery(PAGES.groupLanding, { t: g.token }) })}
                >
                  去参团
                </View>
              </View>
            ))}
        </View>
      )}

      <Guarantees guarantees={product.guarantees} />
      <ReviewSection productId={product.id} />
      <Description product={product} />
      <RecFeed placement="pdp_also_viewed" productId={product.id} title="看了又看" />
      <RecFeed placement="pdp_also_bought" productId={product.id} title="买了又买" />

      <View className="bottom-bar product__bar">
        <View className="product__bar-icon" onClick={() => Taro.switchTab({ url: PAGES.cart })}>
          <Cart size={20} />
          <Text className="product__bar-icon-text">购物车</Text>
        </View>
        <ServiceButton />
        <FavoriteButton productId={product.id} />
        {unavailable ? (
          <View className="btn btn--disabled grow">{product.onShelf ? '已售罄' : '商品已下架'}</View>
        ) : deal ? (
          <View className="row grow">
            <View className="btn btn--orange grow product__bar-price e2e-buy-now" onClick={() => openSheet('buy')}>
              <Text>单独购买</Text>
              <Text className="product__bar-sub">{formatFen(product.priceBand.minFen)}</Text>
            </View>
            <View className="btn grow product__bar-price e2e-start-group" onClick={() => openSheet('buy', true)}>
              <Text>发起拼团</Text>
              <Text className="product__bar-sub e2e-start-group-price">{formatFen(dealLeaderMinFen(deal))}</Text>
            </View>
          </View>
        ) : (
          <View className="row grow">
            <View className="btn btn--orange grow e2e-add-to-cart" onClick={() => openSheet('cart')}>
              加入购物车
            </View>
            <View className="btn grow e2e-buy-now" onClick={() => openSheet('buy')}>
              立即购买
            </View>
          </View>
        )}
      </View>

      <SpecSheet
        product={groupSheet ? dealProduct(product, groupSheet) : product}
        visible={sheet.visible}
        mode={sheet.mode}
        selection={selection}
        quantity={quantity}
        busy={busy}
        onSelectionChange={changeSelection}
        onQuantityChange={setQuantity}
        onClose={() => setSheet((v) => ({ ...v, visible: false }))}
        onAddToCart={onAddToCart}
        onBuyNow={onBuyNow}
        group={
          groupSheet
            ? { deal: groupSheet, canJoin: joinableGroups(groupSheet, serverNow).length > 0, onStart: onStartGroup, onJoin: onJoinGroup }
            : undefined
        }
      />
    </View>
  );
}
