import type { CheckoutSource, OrderView, PayOrderResponse, QuoteView } from '@shop/shared';
import { formatFen } from '@shop/shared/src/money';
import { ApiError, BAD_RESPONSE_MESSAGE, isApiError } from '../../api/errors';
import type { LoadStatus, Slice } from '../types';

interface CheckoutState {
  source: CheckoutSource | null;
  addressId: string | null;
  quote: QuoteView | null;
  quoteStatus: LoadStatus;
  /**
   * The shopper's coupon choice for the next quote: undefined lets the server pick the best, [] uses none,
   * otherwise exactly these. The order is always submitted with the coupons of the quote on screen.
   */
  couponChoice: string[] | undefined;
  /** A re-quote for a new coupon choice is under way. */
  choosingCoupon: boolean;
  /**
   * The coupons of a submit whose outcome is unknown (no answer, or a server error): the order may exist, so every
   * retry with this visit's idempotency key sends them again, whatever a later quote shows.
   */
  unsettledCouponIds: string[] | null;
  /** The 积分抵扣 switch: on, the quote uses as many points as the order allows. */
  pointsOn: boolean;
  /** Points of a submit whose outcome is unknown: every retry with this visit's key sends them again. */
  unsettledPoints: number | null;
  remark: string;
  /** One per visit of the checkout page; every retry of 提交订单 in that visit sends this same key. */
  idempotencyKey: string;
  submitting: boolean;
  /** The order this visit created (a second tap on 提交订单 goes straight to paying it). */
  order: OrderView | null;
}

interface PaymentState {
  orderId: string | null;
  response: PayOrderResponse | null;
  /** The 模拟支付 sheet is open. */
  sandboxOpen: boolean;
  busy: boolean;
}

/**
 * How starting a payment ended on the client. None of them proves the order is paid: only the order's status,
 * read back from the server, does.
 */
type PaymentOutcome = 'wechat-finished' | 'wechat-abandoned' | 'sandbox-open' | 'failed';

export interface CheckoutSlice {
  checkout: CheckoutState;
  payment: PaymentState;

  /** Starts a visit of the checkout page: new idempotency key, nothing quoted yet. */
  startCheckout(source: CheckoutSource, addressId?: string | null): void;
  setCheckoutAddress(addressId: string | null): Promise<void>;
  setRemark(remark: string): void;
  refreshQuote(): Promise<void>;
  /**
   * Re-quotes with exactly these coupons ([] = none). When the server refuses the choice, the previous choice and
   * quote stay. Returns whether the new quote is on screen.
   */
  chooseCoupons(couponIds: string[]): Promise<boolean>;
  /** Turns 积分抵扣 on or off and re-quotes; when the server refuses, the switch and quote stay as they were. */
  setUsePoints(on: boolean): Promise<boolean>;
  /** Creates the order (or returns the one this visit already created). Throws on failure. */
  submitOrder(): Promise<OrderView>;
  startPayment(orderId: string): Promise<PaymentOutcome>;
  /** Answers the 模拟支付 sheet. Returns whether the sandbox accepted the action. */
  confirmSandbox(action: 'pay' | 'cancel'): Promise<boolean>;
  closePayment(): void;
  resetCheckout(): void;
}

const emptyCheckout = (key: string): CheckoutState => ({
  source: null,
  addressId: null,
  quote: null,
  quoteStatus: 'idle',
  couponChoice: undefined,
  choosingCoupon: false,
  unsettledCouponIds: null,
  pointsOn: false,
  unsettledPoints: null,
  remark: '',
  idempotencyKey: key,
  submitting: false,
  order: null,
});
/** A quote with every list present (a server older than the coupon fields leaves them out). */
function normalizeQuote(q: QuoteView): QuoteView {
  return {
    ...q,
    discounts: q.discounts ?? [],
    couponIds: q.couponIds ?? [],
    coupons: q.coupons ?? [],
    gifts: q.gifts ?? [],
    hints: q.hints ?? [],
  };
}

/**
 * The server answered and refused: no order was created, so the next submit may differ (a new quote, other coupons).
 * Anything else (no answer, a server error) leaves it open whether the order exists.
 */
export function isSettledRefusal(e: unknown): e is ApiError {
  return isApiError(e) && e.status >= 400 && e.status < 500;
}

/** What the 优惠券 row of checkout says about a quote, all from the server's answer. */
export function couponSummary(quote: Pick<QuoteView, 'couponIds' | 'coupons'>): {
  text: string;
  amountFen: number;
  state: 'chosen' | 'none' | 'unavailable';
} {
  const chosen = quote.coupons.filter((c) => quote.couponIds.includes(c.couponId));
  if (chosen.length > 0) {
    const amountFen = chosen.reduce((n, c) => n + c.amountFen, 0);
    return { text: chosen.length === 1 ? chosen[0]!.label : `已选 ${chosen.length} 张`, amountFen, state: 'chosen' };
  }
  const usable = quote.coupons.filter((c) => c.usable).length;
  if (usable > 0) return { text: `不使用优惠券（${usable} 张可用）`, amountFen: 0, state: 'none' };
  return { text: '无可用优惠券', amountFen: 0, state: 'unavailable' };
}

/**
 * The quote request; `couponIds` only when the shopper has chosen (omitted, the server picks the best); with 积分抵扣
 * on, `usePoints` asks for up to every point the shopper holds (the server uses what this order allows).
 */
function quoteBody(source: CheckoutSource, addressId: string | null, couponChoice: string[] | undefined, pointsOn = false, available = 0) {
  return {
    source,
    addressId: addressId ?? undefined,
    ...(couponChoice !== undefined ? { couponIds: [...couponChoice] } : {}),
    ...(pointsOn && available > 0 ? { usePoints: available } : {}),
  };
}

/** What the 积分抵扣 row says, from the quote: 可用 N 积分，抵 ¥X (or why none can be used); null when not offered. */
export function pointsSummary(quote: Pick<QuoteView, 'points'>): { text: string; usable: boolean } | null {
  const p = quote.points;
  if (!p) return null;
  if (p.available === 0) return { text: '暂无可用积分', usable: false };
  if (p.maxUsable === 0) return { text: `共 ${p.available} 积分，本单不可抵扣`, usable: false };
  return p.used > 0
    ? { text: `已用 ${p.used} 积分，抵 ${formatFen(p.deductionFen)}`, usable: true }
    : { text: `可用 ${p.maxUsable} 积分，抵 ${formatFen(p.maxDeductionFen)}`, usable: true };
}

const emptyPayment: PaymentState = { orderId: null, response: null, sandboxOpen: false, busy: false };

export const checkoutSlice: Slice<CheckoutSlice> = (set, get, deps) => {
  const patch = (p: Partial<CheckoutState>) => set((s) => ({ checkout: { ...s.checkout, ...p } }));
  const patchPay = (p: Partial<PaymentState>) => set((s) => ({ payment: { ...s.payment, ...p } }));
  let quoteSeq = 0;

  return {
    checkout: emptyCheckout(deps.newKey()),
    payment: emptyPayment,

    startCheckout(source, addressId = null) {
      set({ checkout: { ...emptyCheckout(deps.newKey()), source, addressId }, payment: emptyPayment });
    },

    async setCheckoutAddress(addressId) {
      patch({ addressId });
      await get().refreshQuote();
    },

    setRemark(remark) {
      patch({ remark });
    },

    async refreshQuote() {
      const { source, addressId, couponChoice, pointsOn, quote: shown } = get().checkout;
      if (!source) return;
      const mine = ++quoteSeq;
      patch({ quoteStatus: 'loading' });
      try {
        const body = quoteBody(source, addressId, couponChoice, pointsOn, shown?.points?.available ?? 0);
        const quote = normalizeQuote(await deps.api.call('quote', { body }));
        if (mine !== quoteSeq) return;
        patch({ quote, quoteStatus: 'ready' });
      } catch (e) {
        if (mine !== quoteSeq) return;
        if (couponChoice !== undefined && isApiError(e) && e.code === 'COUPON_NOT_USABLE') {
          // A chosen coupon went out of use (expired, taken by another order): let the server pick again.
          patch({ couponChoice: undefined });
          return get().refreshQuote();
        }
        patch({ quoteStatus: 'error' });
      }
    },

    async setUsePoints(on) {
      const { source, addressId, couponChoice, pointsOn: before, quote: shown } = get().checkout;
      if (!source) return false;
      const mine = ++quoteSeq;
      patch({ choosingCoupon: true, pointsOn: on });
      try {
        const body = quoteBody(source, addressId, couponChoice, on, shown?.points?.available ?? 0);
        const quote = normalizeQuote(await deps.api.call('quote', { body }));
        if (mine !== quoteSeq) return false;
        patch({ quote, quoteStatus: 'ready', choosingCoupon: false });
        return true;
      } catch {
        if (mine === quoteSeq) patch({ pointsOn: before, quote: shown, choosingCoupon: false });
        return false;
      }
    },

    async chooseCoupons(couponIds) {
      const { source, addressId, couponChoice: before, quote: shown, pointsOn } = get().checkout;
      if (!source) return false;
      const mine = ++quoteSeq;
      patch({ choosingCoupon: true, couponChoice: [...couponIds] });
      try {
        const body = quoteBody(source, addressId, couponIds, pointsOn, shown?.points?.available ?? 0);
        const quote = normalizeQuote(await deps.api.call('quote', { body }));
        if (mine !== quoteSeq) return false;
        patch({ quote, quoteStatus: 'ready', choosingCoupon: false });
        return true;
      } catch {
        // The client toasted the server's reason (优惠券不可用 …); what was on screen stays, and so does its choice.
        if (mine === quoteSeq) patch({ couponChoice: before, quote: shown, choosingCoupon: false });
        return false;
      }
    },

    async submitOrder() {
      const c = get().checkout;
      if (c.order) return c.order;
      if (c.submitting) throw new Error('already submitting');
      if (!c.source) throw new Error('no checkout source');
      if (!c.addressId) {
        deps.toast('请选择收货地址');
        throw new Error('no address');
      }
      // The coupons of the quote the shopper saw, as the server chose or confirmed them; never worked out here.
      const couponIds = c.unsettledCouponIds ?? (c.quote ? [...c.quote.couponIds] : undefined);
      // The points the quote on screen uses (as the server worked them out), or those of an unsettled submit.
      const usePoints = c.unsettledPoints ?? c.quote?.points?.used ?? 0;
      patch({ submitting: true });
      try {
        const order = await deps.api.call('createOrder', {
          body: {
            idempotencyKey: c.idempotencyKey,
            source: c.source,
            addressId: c.addressId,
            remark: c.remark.trim(),
            ...(couponIds ? { couponIds } : {}),
            ...(usePoints > 0 ? { usePoints } : {}),
          },
        });
        if (!order?.id) {
          deps.toast(BAD_RESPONSE_MESSAGE);
          throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, 502);
        }
        patch({ order, unsettledCouponIds: null, unsettledPoints: null });
        // The cart lost the ordered lines on the server; the next visit of the cart tab reloads it.
        if (c.source.type === 'cart') get().resetCart();
        get().rememberOrder(order);
        // The coupons it used are no longer 未使用.
        if (order.couponIds?.length) get().forgetMyCoupons();
        return order;
      } catch (e) {
        if (isSettledRefusal(e)) {
          patch({ unsettledCouponIds: null, unsettledPoints: null });
          // The coupon on screen can no longer be used: the next quote lets the server choose again.
          if (e.code === 'COUPON_NOT_USABLE') patch({ couponChoice: undefined });
        } else {
          patch({ ...(couponIds ? { unsettledCouponIds: couponIds } : {}), unsettledPoints: usePoints });
        }
        throw e;
      } finally {
        patch({ submitting: false });
      }
    },

    async startPayment(orderId) {
      patchPay({ orderId, response: null, sandboxOpen: false, busy: true });
      let res: PayOrderResponse;
      try {
        res = await deps.api.call('payOrder', { params: { orderId } });
      } catch {
        patchPay({ busy: false });
        return 'failed';
      }
      patchPay({ response: res });
      if (res.mode === 'sandbox') {
        patchPay({ sandboxOpen: true, busy: false });
        return 'sandbox-open';
      }
      try {
        await deps.requestPayment(res.params);
        return 'wechat-finished';
      } catch {
        return 'wechat-abandoned';
      } finally {
        patchPay({ busy: false });
      }
    },

    async confirmSandbox(action) {
      const res = get().payment.response;
      if (!res) return false;
      patchPay({ busy: true });
      try {
        await deps.api.call('sandboxPay', { body: { prepayId: res.prepayId, action } });
        patchPay({ sandboxOpen: false });
        return true;
      } catch (e) {
        // A payment past its deadline can't be answered any more; close the sheet and let the order page tell.
        if (isApiError(e) && e.status === 409) patchPay({ sandboxOpen: false });
        return false;
      } finally {
        patchPay({ busy: false });
      }
    },

    closePayment() {
      set({ payment: emptyPayment });
    },

    resetCheckout() {
      set({ checkout: emptyCheckout(deps.newKey()), payment: emptyPayment });
    },
  };
};
