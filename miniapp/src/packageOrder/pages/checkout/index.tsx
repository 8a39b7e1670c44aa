import { Input, Switch, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { Location } from '@nutui/icons-react-taro';
import type { CheckoutSource } from '@shop/shared';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { couponSummary, isSettledRefusal, pickDefaultAddress, pointsSummary, useShop } from '../../../store';
import { couponText, formatFen } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import { CouponSheet } from '../../components/CouponSheet';
import { AmountBreakdown, GiftList, LineList } from '../../components/LineList';
import { SandboxPaySheet } from '../../components/SandboxPaySheet';
import { askForOrderNotices, payOrder, payResultUrl } from '../../components/payFlow';
import '../../components/order.scss';
import './index.scss';

function parseSource(params: Record<string, string | undefined>): CheckoutSource | null {
  if (params.source === 'cart') return { type: 'cart' };
  if (params.source === 'buyNow' && params.productId && params.skuId) {
    const quantity = Number(params.quantity ?? '1');
    if (!Number.isInteger(quantity) || quantity < 1) return null;
    return { type: 'buyNow', productId: params.productId, skuId: params.skuId, quantity };
  }
  return null;
}

export default function CheckoutPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const source = parseSource(params);
  const checkout = useShop((s) => s.checkout);
  const addresses = useShop((s) => s.addresses);
  const addressesStatus = useShop((s) => s.addressesStatus);
  const { startCheckout, loadAddresses, setCheckoutAddress, setRemark, submitOrder, refreshQuote, setUsePoints } = useShop.getState();
  const started = useRef(false);
  const [couponSheet, setCouponSheet] = useState(false);

  useDidShow(() => {
    if (!source || !useShop.getState().isLoggedIn()) return;
    if (!started.current) {
      // A new visit: a new idempotency key, kept for every retry of 提交订单 on this page.
      started.current = true;
      startCheckout(source);
    }
    void (async () => {
      const list = await loadAddresses();
      const current = useShop.getState().checkout.addressId;
      if (current && list.some((a) => a.id === current)) {
        if (!useShop.getState().checkout.quote) await refreshQuote();
        return;
      }
      await setCheckoutAddress(pickDefaultAddress(list)?.id ?? null);
    })();
  });

  if (!source) return <EmptyState status="error" text="结算参数有误" />;
  if (!loggedIn) return <ListSkeleton />;

  const address = addresses.find((a) => a.id === checkout.addressId);
  const quote = checkout.quote;
  const coupon = quote ? couponSummary(quote) : null;
  // One chosen coupon reads as everywhere else (its name and label); several as the summary says.
  const chosenCoupons = quote ? quote.coupons.filter((c) => quote.couponIds.includes(c.couponId)) : [];
  const couponName = chosenCoupons.length === 1 ? couponText(chosenCoupons[0]!) : coupon?.text;
  const points = quote ? pointsSummary(quote) : null;
  const memberBenefits = quote?.member?.benefits ?? [];

  const chooseAddress = () => {
    if (addresses.length === 0) {
      void Taro.navigateTo({ url: withQuery(PAGES.addressEdit, { select: 1 }) });
    } else {
      void Taro.navigateTo({ url: withQuery(PAGES.addresses, { select: 1 }) });
    }
  };

  const submit = async () => {
    if (checkout.submitting || useShop.getState().payment.busy) return;
    if (!checkout.addressId) {
      void Taro.showToast({ title: '请选择收货地址', icon: 'none' });
      return;
    }
    askForOrderNotices();
    let orderId: string;
    try {
      orderId = (await submitOrder()).id;
    } catch (e) {
      // The client showed why. Refused (price, stock, coupon): the quote may be stale, read it again. No answer or a
      // server error: the order may exist, and a retry must send what this one sent, so the quote stays.
      if (isSettledRefusal(e)) void refreshQuote();
      return;
    }
    await payOrder(orderId, (url) => Taro.redirectTo({ url }));
  };

  return (
    <View className="page page--with-bar checkout">
      <View className="card address-card e2e-address-card" onClick={chooseAddress}>
        <Location className="address-card__icon" size={20} />
        {address ? (
          <View className="address-card__main">
            <View className="address-card__who">
              {address.name}
              <Text className="address-card__phone">{address.phone}</Text>
            </View>
            <View className="address-card__detail">
              {address.province} {address.city} {address.district} {address.detail}
            </View>
          </View>
        ) : (
          <View className="address-card__main address-card__empty">
            {addressesStatus === 'loading' ? '加载地址中…' : addresses.length ? '请选择收货地址' : '添加收货地址'}
          </View>
        )}
        <Text className="muted">›</Text>
      </View>

      {!quote && checkout.quoteStatus !== 'error' && <ListSkeleton count={1} rows={4} />}
      {!quote && checkout.quoteStatus === 'error' && (
        <EmptyState status="error" text="订单信息加载失败" actionText="重新加载" onAction={refreshQuote} />
      )}
      {quote && (
        <View>
          <View className="card">
            <View className="card__title">商品（共 {quote.itemCount} 件）</View>
            <LineList lines={quote.lines} />
            <GiftList gifts={quote.gifts} />
          </View>
          <View
            className={`card coupon-row e2e-coupon-row ${coupon?.state === 'chosen' ? '' : 'coupon-row--muted'}`}
            data-state={coupon?.state}
            onClick={() => setCouponSheet(true)}
          >
            <Text>优惠券</Text>
            <View className="coupon-row__value ellipsis">
              {coupon?.state === 'chosen' ? (
                <>
                  <Text className="coupon-row__label">{couponName}</Text>
                  <Text className="price e2e-coupon-amount">-{formatFen(coupon.amountFen)}</Text>
                </>
              ) : (
                <Text>{checkout.choosingCoupon ? '计算中…' : coupon?.text}</Text>
              )}
            </View>
            <Text className="muted">›</Text>
          </View>
          {points && (
            <View className="card coupon-row e2e-points-row" data-used={quote.points?.used ?? 0}>
              <Text>积分抵扣</Text>
              <View className="coupon-row__value ellipsis">
                <Text className={points.usable ? '' : 'muted'}>{points.text}</Text>
              </View>
              <Switch
                className="e2e-points-switch"
                checked={checkout.pointsOn && (quote.points?.used ?? 0) > 0}
                disabled={!points.usable || checkout.choosingCoupon}
                color="#e93b3d"
                onChange={(e) => void setUsePoints(e.detail.value)}
              />
            </View>
          )}
          {memberBenefits.length > 0 && (
            <View className="card hints e2e-member-benefits">
              <View className="card__title">{quote.member?.levelName}会员权益</View>
              {memberBenefits.map((b) => (
                <View className="row" key={b.label}>
                  <Text className="grow">{b.label}</Text>
                  {b.amountFen > 0 && <Text className="price">-{formatFen(b.amountFen)}</Text>}
                </View>
              ))}
            </View>
          )}
          {quote.hints.length > 0 && (
            <View className="hints">
              {quote.hints.map((h) => (
                <View className="e2e-hint" key={h}>
                  {h}
                </View>
              ))}
            </View>
          )}
          <View className="card">
            <AmountBreakdown amounts={quote} />
          </View>
          <View className="card checkout__remark row">
            <Text className="checkout__remark-label">备注</Text>
            <Input
              className="grow e2e-remark"
              value={checkout.remark}
              maxlength={100}
              placeholder="选填，最多 100 字"
              onInput={(e) => setRemark(e.detail.value)}
            />
          </View>
        </View>
      )}

      <View className="bottom-bar checkout__bar">
        <View className="grow checkout__total">
          <Text>实付款：</Text>
          <Text className="price price--large">{quote ? formatFen(quote.payableFen) : '--'}</Text>
        </View>
        <View
          className={`btn e2e-submit-order ${!quote || checkout.submitting || checkout.choosingCoupon ? 'btn--disabled' : ''}`}
          onClick={() => quote && !checkout.choosingCoupon && submit()}
        >
          {checkout.submitting ? '提交中…' : '提交订单'}
        </View>
      </View>

      <CouponSheet visible={couponSheet && !!quote} onClose={() => setCouponSheet(false)} />

      <SandboxPaySheet
        onFinished={(r) => {
          const id = useShop.getState().checkout.order?.id;
          if (id) void Taro.redirectTo({ url: payResultUrl(id, r === 'pay') });
        }}
      />
    </View>
  );
}
