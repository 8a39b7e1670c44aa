import type { TrackingView } from '@shop/shared';
import type { Slice } from '../types';

/**
 * 物流 and 确认收货 on the order page: the parcels and their timelines as the server reports them (newest event first,
 * plain Chinese), and receipt through the API (idempotent). The weapp's WeChat confirm component is opened by the
 * page; the API call after it records the receipt at once whatever WeChat's push does.
 */
export interface FulfilmentSlice {
  tracking: Record<string, TrackingView>;
  receiving: boolean;
  loadTracking(orderId: string): Promise<TrackingView | null>;
  /** 确认收货; true when the order is received (the order and its timeline are read again). */
  receiveOrder(orderId: string): Promise<boolean>;
}

export const fulfilmentSlice: Slice<FulfilmentSlice> = (set, get, deps) => ({
  tracking: {},
  receiving: false,

  async loadTracking(orderId) {
    try {
      const view = await deps.api.call('orderTracking', { params: { orderId }, silent: true });
      set({ tracking: { ...get().tracking, [orderId]: view } });
      return view;
    } catch {
      // The order page shows no parcel card rather than an error.
      return null;
    }
  },

  async receiveOrder(orderId) {
    if (get().receiving) return false;
    set({ receiving: true });
    try {
      get().rememberOrder(await deps.api.call('receiveOrder', { params: { orderId } }));
      deps.toast('已确认收货', 'success');
      await get().loadTracking(orderId);
      return true;
    } catch {
      return false;
    } finally {
      set({ receiving: false });
    }
  },
});

/** The line under the parcel card: 还剩 N 天自动确认收货 (whole days, at least 1), or ''. */
export function autoReceiptText(view: Pick<TrackingView, 'autoReceiptAt'> | undefined, now: number): string {
  if (!view?.autoReceiptAt) return '';
  const days = Math.max(1, Math.ceil((view.autoReceiptAt - now) / (24 * 3600 * 1000)));
  return `还剩 ${days} 天自动确认收货`;
}
