import type { OrderCounts, OrderTabKey, OrderView } from '@shop/shared';
import type { Slice } from '../types';

const ORDER_PAGE_SIZE = 10;

/** The order has left 待付款 (paid, or closed by the server at its deadline). */
export const leftPendingPayment = (o: OrderView) => o.status !== 'PENDING_PAYMENT';
/** No refund of the order is still under way. */
export const refundsSettled = (o: OrderView) => o.status !== 'REFUNDING' && o.refunds.every((r) => r.status !== 'REFUNDING');

interface OrderList {
  items: OrderView[];
  nextCursor: string | null;
  status: 'idle' | 'loading' | 'loadingMore' | 'ready' | 'error';
  done: boolean;
}
const EMPTY_LIST: OrderList = { items: [], nextCursor: null, status: 'idle', done: false };

interface PollOptions {
  attempts?: number;
  intervalMs?: number;
}

export interface OrdersSlice {
  orderLists: Partial<Record<OrderTabKey, OrderList>>;
  orders: Record<string, OrderView>;
  orderStatus: Record<string, 'loading' | 'ready' | 'error'>;
  /** Order ids whose payment result is being confirmed (支付结果确认中…). */
  polling: Record<string, boolean>;

  loadOrders(tab: OrderTabKey, mode: 'reset' | 'more'): Promise<void>;
  loadOrder(id: string, opts?: { silent?: boolean }): Promise<OrderView | undefined>;
  /**
   * Reads the order again until it leaves PENDING_PAYMENT or the attempts run out; the client's own idea of a
   * payment result is never trusted. Returns the last order read.
   */
  pollOrder(id: string, opts?: PollOptions): Promise<OrderView | undefined>;
  /**
   * Reads the order again (quietly, `polling` untouched) until `done` holds or the attempts run out; for changes the
   * server makes on its own: a 待付款 order closed at its deadline, a refund finishing. Returns the last order read.
   */
  watchOrder(id: string, done: (o: OrderView) => boolean, opts?: PollOptions): Promise<OrderView | undefined>;
  /**
   * Cancels an order: an unpaid one is closed; a paid, unshipped one is cancelled with a full refund (same route,
   * the server decides). Returns the order as the server answered, undefined when it refused.
   */
  cancelOrder(id: string): Promise<OrderView | undefined>;
  /** The numbers on 我的's order shortcuts (null until read, or logged out). */
  orderCounts: OrderCounts | null;
  loadOrderCounts(): Promise<void>;
  /**
   * 再次购买: puts the order's lines back in the cart through the cart API, one by one, and reads the cart again.
   * Lines the shop no longer sells (off shelf, spec gone, out of stock) are returned with the server's reason.
   */
  buyAgain(order: OrderView): Promise<{ added: number; refused: { title: string; reason: string }[] }>;
  /** Puts a fresh copy of an order everywhere it is shown. */
  rememberOrder(order: OrderView): void;
  resetOrders(): void;
}

export const ordersSlice: Slice<OrdersSlice> = (set, get, deps) => {
  const seq: Partial<Record<OrderTabKey, number>> = {};
  const patchList = (tab: OrderTabKey, p: Partial<OrderList>) =>
    set((s) => ({ orderLists: { ...s.orderLists, [tab]: { ...(s.orderLists[tab] ?? EMPTY_LIST), ...p } } }));

  return {
    orderLists: {},
    orders: {},
    orderStatus: {},
    polling: {},
    orderCounts: null,

    async loadOrderCounts() {
      try {
        set({ orderCounts: await deps.api.call('orderCounts', { silent: true }) });
      } catch {
        // The shortcuts show no numbers rather than wrong ones.
      }
    },

    async buyAgain(order) {
      let added = 0;
      const refused: { title: string; reason: string }[] = [];
      for (const l of order.lines) {
        try {
          await deps.api.call('addCartLine', { body: { productId: l.productId, skuId: l.skuId, quantity: l.quantity }, silent: true });
          added += 1;
        } catch (e) {
          refused.push({ title: `${l.title}（${l.specText}）`, reason: e instanceof Error ? e.message : '暂不可购买' });
        }
      }
      await get().fetchCart();
      return { added, refused };
    },

    async loadOrders(tab, mode) {
      const list = get().orderLists[tab] ?? EMPTY_LIST;
      if (mode === 'more' && (list.done || !list.nextCursor || list.status === 'loading' || list.status === 'loadingMore'))
        return;
      const mine = (seq[tab] = (seq[tab] ?? 0) + 1);
      patchList(tab, { status: mode === 'reset' ? 'loading' : 'loadingMore' });
      try {
        const page = await deps.api.call('listOrders', {
          query: { tab, cursor: mode === 'more' ? (list.nextCursor ?? undefined) : undefined, limit: ORDER_PAGE_SIZE },
        });
        if (seq[tab] !== mine) return;
        const before = mode === 'more' ? (get().orderLists[tab]?.items ?? []) : [];
        const seen = new Set(before.map((o) => o.id));
        patchList(tab, {
          items: [...before, ...page.items.filter((o) => !seen.has(o.id))],
          nextCursor: page.nextCursor,
          done: page.nextCursor === null,
          status: 'ready',
        });
      } catch {
        if (seq[tab] !== mine) return;
        patchList(tab, { status: 'error' });
      }
    },

    async loadOrder(id, opts = {}) {
      if (!get().orders[id]) set((s) => ({ orderStatus: { ...s.orderStatus, [id]: 'loading' } }));
      try {
        const order = await deps.api.call('getOrder', { params: { orderId: id }, silent: opts.silent });
        get().rememberOrder(order);
        set((s) => ({ orderStatus: { ...s.orderStatus, [id]: 'ready' } }));
        return get().orders[order.id] ?? order;
      } catch {
        set((s) => ({ orderStatus: { ...s.orderStatus, [id]: s.orders[id] ? 'ready' : 'error' } }));
        return undefined;
      }
    },

    async pollOrder(id, opts = {}) {
      const attempts = opts.attempts ?? 8;
      const interval = opts.intervalMs ?? 1500;
      set((s) => ({ polling: { ...s.polling, [id]: true } }));
      let last: OrderView | undefined;
      try {
        for (let i = 0; i < attempts; i++) {
          if (i > 0) await deps.sleep(interval);
          last = (await get().loadOrder(id, { silent: true })) ?? last;
          if (last && last.status !== 'PENDING_PAYMENT') break;
        }
        return last;
      } finally {
        set((s) => ({ polling: { ...s.polling, [id]: false } }));
      }
    },

    async watchOrder(id, done, opts = {}) {
      const attempts = opts.attempts ?? 5;
      const interval = opts.intervalMs ?? 2000;
      let last: OrderView | undefined;
      for (let i = 0; i < attempts; i++) {
        if (i > 0) await deps.sleep(interval);
        last = (await get().loadOrder(id, { silent: true })) ?? last;
        if (last && done(last)) break;
      }
      return last;
    },

    async cancelOrder(id) {
      const wasPaid = get().orders[id]?.status === 'PAID';
      try {
        get().rememberOrder(await deps.api.call('cancelOrder', { params: { orderId: id } }));
        const order = get().orders[id]!;
        const refunded = wasPaid || order.refunds.length > 0;
        deps.toast(refunded ? '订单已取消，款项将原路退回' : '订单已取消', refunded ? 'none' : 'success');
        return order;
      } catch {
        return undefined;
      }
    },

    rememberOrder(fresh) {
      // Every list present, whatever version of the server answered.
      const order: OrderView = { ...fresh, refunds: fresh.refunds ?? [], couponIds: fresh.couponIds ?? [], discounts: fresh.discounts ?? [] };
      set((s) => {
        const lists: OrdersSlice['orderLists'] = {};
        for (const [tab, list] of Object.entries(s.orderLists) as [OrderTabKey, OrderList][]) {
          lists[tab] = list.items.some((o) => o.id === order.id)
            ? { ...list, items: list.items.map((o) => (o.id === order.id ? order : o)) }
            : list;
        }
        return { orders: { ...s.orders, [order.id]: order }, orderLists: lists };
      });
    },

    resetOrders() {
      set({ orderLists: {}, orders: {}, orderStatus: {}, polling: {}, orderCounts: null });
    },
  };
};
