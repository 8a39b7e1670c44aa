// The rule module itself, not the package index: the index carries every zod contract into the main package.
import { AFTER_SALE_TYPE_LABEL, AFTER_SALE_TYPES, afterSaleRefusal, type AfterSaleType } from '@shop/shared/src/after-sales';
import type { AfterSaleView, ApiBody, OrderView, UploadTicket } from '@shop/shared';
import type { LoadStatus, Slice } from '../types';

/** The types of 售后 an order can have now, each with why not (from the same rule the server applies). */
export function afterSaleChoices(order: Pick<OrderView, 'status' | 'transactionId' | 'group' | 'afterSaleUntil'>): { type: AfterSaleType; label: string; refusal: string | null }[] {
  return AFTER_SALE_TYPES.map((type) => ({
    type,
    label: AFTER_SALE_TYPE_LABEL[type],
    refusal: afterSaleRefusal(
      { status: order.status, transactionId: order.transactionId, group: order.group ? { status: order.group.status } : null, afterSaleUntil: order.afterSaleUntil },
      type,
      Date.now(),
    ),
  }));
}

/** Whether the order page offers 申请售后 at all. */
export function canApplyAfterSale(order: Pick<OrderView, 'status' | 'transactionId' | 'group' | 'afterSaleUntil'>): boolean {
  return afterSaleChoices(order).some((c) => c.refusal === null);
}

export interface AfterSalesSlice {
  afterSales: Record<string, AfterSaleView>;
  afterSaleList: { ids: string[]; cursor: string | null; status: LoadStatus };
  afterSaleBusy: boolean;

  /** 售后列表: the first page (reset) or the next one. */
  loadAfterSales(reset: boolean): Promise<void>;
  loadAfterSale(id: string): Promise<AfterSaleView | null>;
  /** 申请售后; the new request, or null when refused (the client showed why). */
  applyAfterSale(body: ApiBody<'createAfterSale'>): Promise<AfterSaleView | null>;
  withdrawAfterSale(id: string): Promise<boolean>;
  shipAfterSaleReturn(id: string, carrier: string, trackingNo: string): Promise<boolean>;
  /** A presigned PUT for one photo. */
  uploadTicket(body: ApiBody<'createUpload'>): Promise<UploadTicket>;
}

export const afterSalesSlice: Slice<AfterSalesSlice> = (set, get, deps) => {
  const keep = (v: AfterSaleView) => set({ afterSales: { ...get().afterSales, [v.id]: v } });
  const busy = async <T>(run: () => Promise<T>): Promise<T | null> => {
    if (get().afterSaleBusy) return null;
    set({ afterSaleBusy: true });
    try {
      return await run();
    } catch {
      return null;
    } finally {
      set({ afterSaleBusy: false });
    }
  };
  return {
    afterSales: {},
    afterSaleList: { ids: [], cursor: null, status: 'idle' },
    afterSaleBusy: false,

    async loadAfterSales(reset) {
      const before = get().afterSaleList;
      if (before.status === 'loading' || (!reset && !before.cursor)) return;
      set({ afterSaleList: { ...before, status: 'loading' } });
      try {
        const page = await deps.api.call('listAfterSales', { query: { limit: 20, ...(reset || !before.cursor ? {} : { cursor: before.cursor }) } });
        const map = { ...get().afterSales };
        for (const v of page.items) map[v.id] = v;
        const shown = reset ? [] : before.ids;
        const ids = [...shown, ...page.items.map((v) => v.id).filter((id) => !shown.includes(id))];
        set({ afterSales: map, afterSaleList: { ids, cursor: page.nextCursor, status: 'ready' } });
      } catch {
        set({ afterSaleList: { ...before, status: 'error' } });
      }
    },

    async loadAfterSale(id) {
      try {
        const v = await deps.api.call('getAfterSale', { params: { afterSaleId: id } });
        keep(v);
        return v;
      } catch {
        return null;
      }
    },

    async applyAfterSale(body) {
      const v = await busy(() => deps.api.call('createAfterSale', { body }));
      if (!v) return null;
      keep(v);
      set({ afterSaleList: { ...get().afterSaleList, ids: [v.id, ...get().afterSaleList.ids.filter((id) => id !== v.id)] } });
      deps.toast('申请已提交', 'success');
      return v;
    },

    async withdrawAfterSale(id) {
      const v = await busy(() => deps.api.call('withdrawAfterSale', { params: { afterSaleId: id } }));
      if (!v) return false;
      keep(v);
      deps.toast('已撤销申请', 'success');
      return true;
    },

    async shipAfterSaleReturn(id, carrier, trackingNo) {
      const v = await busy(() => deps.api.call('shipAfterSaleReturn', { params: { afterSaleId: id }, body: { carrier, trackingNo } }));
      if (!v) return false;
      keep(v);
      deps.toast('已提交退货单号', 'success');
      return true;
    },

    uploadTicket(body) {
      return deps.api.call('createUpload', { body });
    },
  };
};
