import { ScrollView, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Popup } from '@nutui/nutui-react-taro';
import { CheckChecked, CheckNormal } from '@nutui/icons-react-taro';
import type { QuoteCouponOption } from '@shop/shared';
import { CouponFace } from '../../components/CouponFace';
import { useShop } from '../../store';
import { formatDate, formatFen } from '../../utils/format';
import { PAGES } from '../../utils/nav';
import './CouponSheet.scss';

function Radio({ on }: { on: boolean }) {
  return on ? <CheckChecked size={20} color="#e93b3d" /> : <CheckNormal size={20} color="#cccccc" />;
}

function Option({ c, chosen, onPick }: { c: QuoteCouponOption; chosen: boolean; onPick?: () => void }) {
  return (
    <View
      className={`coupon-option e2e-coupon-option ${c.usable ? '' : 'coupon-option--off'}`}
      data-coupon-id={c.couponId}
      data-usable={c.usable ? 'true' : 'false'}
      data-chosen={chosen ? 'true' : 'false'}
      onClick={() => c.usable && onPick?.()}
    >
      <CouponFace label={c.label} className="coupon-option__face" />
      <View className="coupon-option__body">
        <View className="coupon-option__name ellipsis">{c.name}</View>
        <View className="muted">有效期至 {formatDate(c.validTo)}</View>
        {c.usable && c.amountFen > 0 && <View className="coupon-option__save">本单可减 {formatFen(c.amountFen)}</View>}
        {!c.usable && c.reason && <View className="coupon-option__reason">{c.reason}</View>}
      </View>
      {c.usable && (
        <View className="coupon-option__radio">
          <Radio on={chosen} />
        </View>
      )}
    </View>
  );
}

/**
 * 选择优惠券: every coupon the shopper holds, as the quote judged it. A usable one (or 不使用优惠券) re-quotes with
 * exactly that choice; unusable ones are shown greyed with the server's reason.
 */
export function CouponSheet({ visible, onClose }: { visible: boolean; onClose: () => void }) {
  const quote = useShop((s) => s.checkout.quote);
  const busy = useShop((s) => s.checkout.choosingCoupon);
  const { chooseCoupons } = useShop.getState();
  if (!quote) return null;

  const usable = quote.coupons.filter((c) => c.usable);
  const unusable = quote.coupons.filter((c) => !c.usable);
  const isChosen = (id: string) => quote.couponIds.includes(id);

  const pick = async (ids: string[]) => {
    if (busy) return;
    const same = ids.length === quote.couponIds.length && ids.every((id) => quote.couponIds.includes(id));
    if (same) {
      onClose();
      return;
    }
    if (await chooseCoupons(ids)) onClose();
  };

  return (
    <Popup visible={visible} position="bottom" round closeable title="选择优惠券" onClose={onClose}>
      <View className="coupon-sheet e2e-coupon-sheet">
        <ScrollView scrollY className="coupon-sheet__list">
          {quote.coupons.length === 0 && (
            <View className="coupon-sheet__empty">
              <View className="muted">暂无优惠券</View>
              <View
                className="btn btn--small btn--ghost coupon-sheet__go"
                onClick={() => {
                  onClose();
                  void Taro.navigateTo({ url: PAGES.couponCenter });
                }}
              >
                去领券中心
              </View>
            </View>
          )}
          {usable.length > 0 && <View className="coupon-sheet__group">可用优惠券（{usable.length}）</View>}
          {usable.map((c) => (
            <Option key={c.couponId} c={c} chosen={isChosen(c.couponId)} onPick={() => void pick([c.couponId])} />
          ))}
          {usable.length > 0 && (
            <View className="coupon-option coupon-option--none e2e-coupon-none" onClick={() => void pick([])}>
              <View className="grow">不使用优惠券</View>
              <View className="coupon-option__radio">
                <Radio on={quote.couponIds.length === 0} />
              </View>
            </View>
          )}
          {unusable.length > 0 && <View className="coupon-sheet__group">不可用优惠券（{unusable.length}）</View>}
          {unusable.map((c) => (
            <Option key={c.couponId} c={c} chosen={false} />
          ))}
        </ScrollView>
        {busy && <View className="coupon-sheet__busy muted">正在计算优惠…</View>}
      </View>
    </Popup>
  );
}
