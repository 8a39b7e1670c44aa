import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Checkbox, InputNumber } from '@nutui/nutui-react-taro';
import type { CartLineView } from '@shop/shared';
import { CART_LINE_STATE_LABEL } from '../../constants/labels';
import { MAX_QUANTITY_PER_LINE } from '@shop/shared/src/quote';
import { resolveAsset } from '../../api/assets';
import { RecFeed } from '../../components/RecFeed';
import { EmptyState, ListSkeleton } from '../../components/States';
import { useCartBadge } from '../../components/useCartBadge';
import { allSelected, canCheckout, invalidLines, selectableLines, useShop } from '../../store';
import { formatFen } from '../../utils/format';
import { PAGES, goLogin, withQuery } from '../../utils/nav';
import './index.scss';

/**
 * H5 draws its tab bar inside the viewport (Taro's --taro-tabbar-height), the mini-program's is native and below
 * the page. Inline, because Taro's CSS transform rewrites that variable's name in style sheets.
 */
const TAB_PAGE_BAR_STYLE = process.env.TARO_ENV === 'h5' ? { bottom: 'var(--taro-tabbar-height, 50px)' } : undefined;

function CartLine({ line, busy }: { line: CartLineView; busy: boolean }) {
  const { setLineQuantity, setLineSelected, removeLine } = useShop.getState();
  const stateLabel = CART_LINE_STATE_LABEL[line.state];
  const maxQty = Math.max(1, Math.min(line.stock || line.quantity, MAX_QUANTITY_PER_LINE));
  const priceDiff = line.unitPriceFen - line.addedPriceFen;

  const confirmRemove = async () => {
    const res = await Taro.showModal({ title: '删除商品', content: '确定从购物车删除该商品吗？', confirmColor: '#e93b3d' });
    if (res.confirm) await removeLine(line.skuId);
  };

  return (
    <View className={`cart-line e2e-cart-line ${line.purchasable ? '' : 'cart-line--invalid'}`} data-sku-id={line.skuId}>
      <View className="cart-line__check e2e-cart-check">
        <Checkbox
          checked={line.selected}
          disabled={(!line.purchasable && !line.selected) || busy}
          onChange={(v) => setLineSelected(line.skuId, v)}
        />
      </View>
      <Image
        className="cart-line__image"
        src={resolveAsset(line.image)}
        mode="aspectFill"
        onClick={() => Taro.navigateTo({ url: withQuery(PAGES.product, { id: line.productId }) })}
      />
      <View className="cart-line__body">
        <View className="cart-line__title ellipsis-2">{line.title}</View>
        {line.specText && <View className="cart-line__spec ellipsis">{line.specText}</View>}
        {stateLabel && (
          <View className="cart-line__state">
            <Text className={`tag ${line.purchasable ? '' : 'tag--gray'} e2e-cart-line-state`}>{stateLabel}</Text>
            {line.state === 'PRICE_CHANGED' && priceDiff !== 0 && (
              <Text className="muted cart-line__diff">
                {priceDiff < 0 ? `比加入时降价 ${formatFen(-priceDiff)}` : `比加入时涨价 ${formatFen(priceDiff)}`}
              </Text>
            )}
            {line.state === 'INSUFFICIENT_STOCK' && <Text className="muted cart-line__diff">仅剩 {line.stock} 件</Text>}
          </View>
        )}
        {line.priceNote && <View className="muted cart-line__note e2e-cart-line-note">{line.priceNote}</View>}
        <View className="cart-line__foot">
          <View className="cart-line__price">
            {line.priceLabel && <Text className="tag cart-line__label e2e-cart-line-label">{line.priceLabel}</Text>}
            <Text className="price e2e-cart-line-price">{formatFen(line.unitPriceFen)}</Text>
            {line.crossedOutFen !== null && <Text className="price--origin">{formatFen(line.crossedOutFen)}</Text>}
            {line.memberPriceFen != null && <Text className="tag cart-line__label e2e-cart-line-member">会员价 {formatFen(line.memberPriceFen)}</Text>}
          </View>
          {line.purchasable || line.state === 'INSUFFICIENT_STOCK' ? (
            <InputNumber
              className="e2e-cart-qty"
              value={line.quantity}
              min={1}
              max={maxQty}
              disabled={busy}
              // Typing applies on leaving the box; the steppers at once.
              onChange={(v, e) => {
                if ((e as { type?: string } | undefined)?.type === 'input') return;
                void setLineQuantity(line.skuId, Math.min(Math.max(1, Math.floor(Number(v)) || 1), maxQty));
              }}
            />
          ) : (
            <Text className="muted">x{line.quantity}</Text>
          )}
        </View>
      </View>
      <View className="cart-line__delete e2e-cart-delete" onClick={confirmRemove}>
        删除
      </View>
    </View>
  );
}

export default function CartPage() {
  const loggedIn = useShop((s) => s.token !== null);
  const cart = useShop((s) => s.cart);
  const status = useShop((s) => s.cartStatus);
  const busySku = useShop((s) => s.cartBusySku);
  const { fetchCart, selectAll, clearInvalidLines, setActiveCategory } = useShop.getState();
  useCartBadge();

  useDidShow(() => {
    if (useShop.getState().isLoggedIn()) void fetchCart();
  });
  usePullDownRefresh(async () => {
    await fetchCart();
    Taro.stopPullDownRefresh();
  });

  if (!loggedIn) {
    return (
      <View className="page">
        <EmptyState text="登录后查看购物车" actionText="去登录" onAction={() => goLogin({ redirect: PAGES.cart })} />
      </View>
    );
  }
  if (!cart) {
    return (
      <View className="page">
        {status === 'error' ? (
          <EmptyState status="error" text="购物车加载失败" actionText="重新加载" onAction={fetchCart} />
        ) : (
          <ListSkeleton count={3} />
        )}
      </View>
    );
  }
  if (cart.lines.length === 0) {
    return (
      <View className="page">
        <EmptyState text="购物车还是空的" actionText="去逛逛" onAction={() => Taro.switchTab({ url: PAGES.home })} />
        <RecFeed placement="cart" title="猜你喜欢" />
      </View>
    );
  }

  const invalid = invalidLines(cart);
  const valid = cart.lines.filter((l) => !invalid.includes(l));
  const goAddOn = (categoryId: string | null) => {
    setActiveCategory(categoryId);
    void Taro.switchTab({ url: PAGES.category });
  };
  const everySelected = allSelected(cart);
  const hasSelectable = selectableLines(cart).length > 0;
  const ok = canCheckout(cart);
  const goCheckout = () => {
    if (!ok) {
      void Taro.showToast({
        title: cart.selectedCount === 0 ? '请选择要结算的商品' : '请取消勾选已失效的商品',
        icon: 'none',
      });
      return;
    }
    void Taro.navigateTo({ url: withQuery(PAGES.checkout, { source: 'cart' }) });
  };

  return (
    <View className="page page--with-bar cart">
      {cart.progress.length > 0 && (
        <View className="cart__progress">
          {cart.progress.map((p) => (
            <View className="cart__progress-row e2e-cart-progress" key={p.campaignId}>
              <Text className="tag cart__progress-tag">{p.name}</Text>
              <Text className="grow cart__progress-text">{p.text}</Text>
              {!p.reached || p.text.includes('再买') ? (
                <Text className="cart__progress-go e2e-cart-add-on" onClick={() => goAddOn(p.categoryId)}>
                  去凑单 ›
                </Text>
              ) : null}
            </View>
          ))}
        </View>
      )}
      <View className="cart__list">
        {valid.map((l) => (
          <CartLine key={l.skuId} line={l} busy={busySku === l.skuId || busySku === '*'} />
        ))}
      </View>
      {invalid.length > 0 && (
        <View className="cart__invalid e2e-cart-invalid">
          <View className="row row--between cart__invalid-head">
            <Text>失效商品 {invalid.length} 件</Text>
            <Text className="cart__invalid-clear e2e-cart-clear-invalid" onClick={() => void clearInvalidLines()}>
              清空失效商品
            </Text>
          </View>
          {invalid.map((l) => (
            <CartLine key={l.skuId} line={l} busy={busySku === l.skuId || busySku === '*'} />
          ))}
        </View>
      )}
      <RecFeed placement="cart" title="猜你喜欢" />
      <View className="bottom-bar cart-bar" style={TAB_PAGE_BAR_STYLE}>
        <View className="cart-bar__all e2e-cart-select-all">
          <Checkbox
            checked={everySelected}
            disabled={!hasSelectable || busySku !== null}
            label="全选"
            onChange={(v) => selectAll(v)}
          />
        </View>
        <View className="cart-bar__total grow">
          <View>
            <Text>合计：</Text>
            <Text className="price price--large e2e-cart-total">{formatFen(cart.selectedTotalFen)}</Text>
          </View>
          {cart.selectedCount > 0 && (
            <View className="cart-bar__sub">
              {cart.savedFen > 0 && <Text className="cart-bar__saved e2e-cart-saved">已优惠 {formatFen(cart.savedFen)} </Text>}
              <Text className="muted e2e-cart-shipping">{cart.shippingFen > 0 ? `含运费 ${formatFen(cart.shippingFen)}` : '免运费'}</Text>
            </View>
          )}
        </View>
        <View className={`btn e2e-checkout ${ok ? '' : 'btn--disabled'}`} onClick={goCheckout}>
          去结算{cart.selectedCount > 0 ? `(${cart.selectedCount})` : ''}
        </View>
      </View>
    </View>
  );
}
