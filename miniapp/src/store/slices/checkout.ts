import type { CheckoutSource, OrderView, PayOrderResponse, QuoteView } from '@shop/shared';
import { ApiError, BAD_RESPONSE_MESSAGE, isApiError } from '../../api/errors';
import type { LoadStatus, Slice } from '../types';

export interface CheckoutState {
  source: CheckoutSource | null;
  addressId: string | null;
  quote: QuoteView | null;
  quoteStatus: LoadStatus;
  remark: string;
  /** One per visit of the checkout page; every retry of 提交订单 in that visit sends this same key. */
  idempotencyKey: string;
  submitting: boolean;
  /** The order this visit created (a second tap on 提交订单 goes straight to paying it). */
  order: OrderView | null;
}

export interface PaymentState {
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
export type PaymentOutcome = 'wechat-finished' | 'wechat-abandoned' | 'sandbox-open' | 'failed';

export interface CheckoutSlice {
  checkout: CheckoutState;
  payment: PaymentState;

  /** Starts a visit of the checkout page: new idempotency key, nothing quoted yet. */
  startCheckout(source: CheckoutSource, addressId?: string | null): void;
  setCheckoutAddress(addressId: string | null): Promise<void>;
  setRemark(remark: string): void;
  refreshQuote(): Promise<void>;
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
  remark: '',
  idempotencyKey: key,
  submitting: false,
  order: null,
});
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
      const { source, addressId } = get().checkout;
      if (!source) return;
      const mine = ++quoteSeq;
      patch({ quoteStatus: 'loading' });
      try {
        const quote = await deps.api.call('quote', { body: { source, addressId: addressId ?? undefined } });
        if (mine !== quoteSeq) return;
        patch({ quote, quoteStatus: 'ready' });
      } catch {
        if (mine !== quoteSeq) return;
        patch({ quoteStatus: 'error' });
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
      patch({ submitting: true });
      try {
        const order = await deps.api.call('createOrder', {
          body: { idempotencyKey: c.idempotencyKey, source: c.source, addressId: c.addressId, remark: c.remark.trim() },
        });
        if (!order?.id) {
          deps.toast(BAD_RESPONSE_MESSAGE);
          throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, 502);
        }
        patch({ order });
        // The cart lost the ordered lines on the server; the next visit of the cart tab reloads it.
        if (c.source.type === 'cart') get().resetCart();
        get().rememberOrder(order);
        return order;
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
