import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useRef } from 'react';
import { Location } from '@nutui/icons-react-taro';
import { resolveAsset } from '../../../api/assets';
import { EmptyState, ListSkeleton } from '../../../components/States';
import { pickDefaultAddress, useShop } from '../../../store';
import { formatFen } from '../../../utils/format';
import { useRequireLogin } from '../../../utils/hooks';
import { PAGES, withQuery } from '../../../utils/nav';
import { SandboxPaySheet } from '../../../packageOrder/components/SandboxPaySheet';
import { AmountBreakdown } from '../../../packageOrder/components/LineList';
import '../../../packageOrder/components/order.scss';

/**
 * One-shot consent for the group result messages (subscribe messages; template ids fixed at build time from
 * SHOP_GROUP_TEMPLATE_IDS). Never waited for and never an error: declining only means no message.
 */
function askForGroupNotices(): void {
  if (process.env.TARO_ENV !== 'weapp' || GROUP_NOTICE_TEMPLATES.length === 0) return;
  Taro.requestSubscribeMessage({ tmplIds: GROUP_NOTICE_TEMPLATES, entityIds: [] } as never).catch(() => undefined);
}
import './index.scss';

/**
 * 确认拼团订单: start a group (no `t`) or join one (`t` = its share token). Address, then the order as the server
 * quotes it (the line at the group or leader price, 运费, discounts, 实付: what 确认开团 / 确认参团 is charged), then
 * payment; afterwards the group page, as the server has it.
 */
export default function GroupBuyPage() {
  const loggedIn = useRequireLogin();
  const { params } = useRouter();
  const campaignId = params.campaignId ?? '';
  const skuId = params.skuId ?? '';
  const token = params.t || undefined;
  const quote = useShop((s) => s.groupQuote);
  const quoteStatus = useShop((s) => s.groupQuoteStatus);
  const quoteError = useShop((s) => s.groupQuoteError);
  const addressId = useShop((s) => s.checkout.addressId);
  const addresses = useShop((s) => s.addresses);
  const addressesStatus = useShop((s) => s.addressesStatus);
  const submitting = useShop((s) => s.groupSubmitting);
  const { loadAddresses, setCheckoutAddress, startGroupOrder, resetCheckout, loadGroupQuote } = useShop.getState();
  const requote = () => void loadGroupQuote({ campaignId, skuId, groupToken: token });
  const started = useRef(false);

  useDidShow(() => {
    if (!campaignId || !skuId || !useShop.getState().isLoggedIn()) return;
    if (!started.current) {
      // A new visit: a new idempotency key for 提交订单, and no address chosen for another checkout.
      started.current = true;
      startGroupOrder();
      resetCheckout();
    }
    // Priced again on every return to the page (a group may have filled meanwhile).
    requote();
    void (async () => {
      const list = await loadAddresses();
      const current = useShop.getState().checkout.addressId;
      if (!current || !list.some((a) => a.id === current)) await setCheckoutAddress(pickDefaultAddress(list)?.id ?? null);
    })();
  });

  if (!campaignId || !skuId) return <EmptyState status="error" text="拼团参数有误" />;
  if (!loggedIn) return <ListSkeleton />;

  const address = addresses.find((a) => a.id === addressId);
  const line = quote?.line;

  const chooseAddress = () =>
    Taro.navigateTo({ url: withQuery(addresses.length ? PAGES.addresses : PAGES.addressEdit, { select: 1 }) });

  /** Paid (or the cashier closed): read the order until it is seated, then show its group. */
  const finish = async (orderId: string) => {
    void Taro.showLoading({ title: '确认支付结果…' });
    try {
      const t = await useShop.getState().settleGroupOrder(orderId, token);
      const order = useShop.getState().orders[orderId];
      if (t && order && order.status !== 'PENDING_PAYMENT') {
        void Taro.redirectTo({ url: withQuery(PAGES.groupLanding, { t }) });
      } else {
        void Taro.redirectTo({ url: withQuery(PAGES.order, { id: orderId }) });
      }
    } finally {
      Taro.hideLoading();
    }
  };

  const submit = async () => {
    const st = useShop.getState();
    // Only ever the order on screen: nothing is placed before the server has priced it.
    if (st.groupSubmitting || st.payment.busy || !st.groupQuote) return;
    // WeChat only sends 拼团成功/拼团失败 messages the shopper agreed to, and asks only from a tap: ask first.
    askForGroupNotices();
    if (!addressId) {
      void Taro.showToast({ title: '请选择收货地址', icon: 'none' });
      return;
    }
    let orderId: string;
    try {
      orderId = (await st.submitGroupOrder({ campaignId, skuId, addressId, groupToken: token, inviter: params.inviter })).id;
    } catch {
      return; // the client showed why
    }
    const outcome = await useShop.getState().startPayment(orderId);
    if (outcome === 'sandbox-open') return;
    if (outcome === 'failed' || outcome === 'wechat-abandoned') {
      if (outcome === 'wechat-abandoned') void Taro.showToast({ title: '支付未完成', icon: 'none' });
      void Taro.redirectTo({ url: withQuery(PAGES.order, { id: orderId }) });
      return;
    }
    await finish(orderId);
  };

  return (
    <View className="page page--with-bar group-buy">
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

      {!quote && quoteStatus !== 'error' && <ListSkeleton count={1} rows={4} />}
      {!quote && quoteStatus === 'error' && (
        <EmptyState status="error" text={quoteError ?? '订单信息加载失败'} actionText="重新加载" onAction={requote} />
      )}
      {quote && line && (
        <View>
          <View className="card row group-buy__line">
            {line.image ? <Image className="group-buy__image" src={resolveAsset(line.image)} mode="aspectFill" /> : null}
            <View className="grow group-buy__info">
              <View className="ellipsis-2">{line.title}</View>
              {line.specText ? <View className="muted">{line.specText}</View> : null}
              <View className="row group-buy__price">
                <Text className="group-buy__label">{quote.priceLabel}</Text>
                <Text className="price e2e-group-line-price" data-fen={line.unitPriceFen}>
                  {formatFen(line.unitPriceFen)}
                </Text>
                <Text className="muted group-buy__qty">
                  {quote.role === 'member' ? '参团' : '开团'} × {line.quantity}
                </Text>
              </View>
              {quote.memberPriceFen !== null && (
                <View className="muted e2e-group-member-price">
                  参团价 {formatFen(quote.memberPriceFen)}，团长开团享 {formatFen(line.unitPriceFen)}
                </View>
              )}
            </View>
          </View>
          <View className="card">
            <AmountBreakdown amounts={quote} />
            <View className="muted group-buy__shipping e2e-group-shipping-rule">{quote.shipping.text}</View>
          </View>
        </View>
      )}
      <View className="card muted group-buy__note">
        {token ? '付款后即占座，满员即成团发货；' : '付款后开团，邀请好友参团，满员即成团发货；'}
        未在时限内成团将自动原路退款。
      </View>

      <View className="bottom-bar">
        <View className="grow">
          <Text>实付：</Text>
          <Text className="price price--large e2e-payable e2e-group-payable" data-fen={quote?.payableFen}>
            {quote ? formatFen(quote.payableFen) : '--'}
          </Text>
        </View>
        <View className={`btn e2e-submit-order ${submitting || !quote ? 'btn--disabled' : ''}`} onClick={submit}>
          {submitting ? '提交中…' : token ? '确认参团' : '确认开团'}
        </View>
      </View>

      <SandboxPaySheet
        onFinished={(r) => {
          const id = useShop.getState().groupOrder?.id;
          if (!id) return;
          if (r === 'pay') void finish(id);
          else void Taro.redirectTo({ url: withQuery(PAGES.order, { id }) });
        }}
      />
    </View>
  );
}
