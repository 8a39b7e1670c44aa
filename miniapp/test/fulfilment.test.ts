import { describe, expect, it } from 'vitest';
import type { TrackingView } from '@shop/shared';
import { autoReceiptText } from '../src/store/slices/fulfilment';
import { LOGIN, ORDER_ID, fail, makeStore, ok, order } from './support/fakes';

const DAY = 24 * 3600 * 1000;

function tracking(over: Partial<TrackingView> = {}): TrackingView {
  return {
    orderId: ORDER_ID,
    autoReceiptAt: 1_700_000_000_000 + 3.5 * DAY,
    parcels: [
      {
        parcelNo: 1,
        carrier: 'shunfeng',
        carrierName: '顺丰速运',
        trackingNo: 'SF1234567890',
        lines: [{ skuId: 'sku-1', title: '口红', quantity: 1 }],
        shippedAt: 1,
        stage: 'OUT_FOR_DELIVERY',
        stageLabel: '派送中',
        deliveredAt: null,
        events: [{ at: 3, stage: 'OUT_FOR_DELIVERY', stageLabel: '派送中', text: '快递员正在派件' }],
      },
    ],
    ...over,
  };
}

async function loggedIn(handlers: Parameters<typeof makeStore>[0]) {
  const s = makeStore({ login: () => ok(LOGIN), ...handlers });
  await s.store.getState().loginWithCode('demo-1');
  return s;
}

describe('物流 and 确认收货', () => {
  it('keeps the order’s parcels as the server reports them; a failed read leaves no card', async () => {
    const s = await loggedIn({ orderTracking: () => ok(tracking()) });
    expect(await s.store.getState().loadTracking(ORDER_ID)).not.toBeNull();
    expect(s.store.getState().tracking[ORDER_ID]!.parcels[0]!.stageLabel).toBe('派送中');
    const broken = await loggedIn({ orderTracking: () => fail(500, 'INTERNAL', '服务繁忙') });
    expect(await broken.store.getState().loadTracking(ORDER_ID)).toBeNull();
    expect(broken.store.getState().tracking[ORDER_ID]).toBeUndefined();
  });

  it('确认收货 calls the API once however often it is tapped, and shows the received order', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const s = await loggedIn({
      receiveOrder: async () => (await gate, ok(order({ status: 'COMPLETED', statusLabel: '已完成' }))),
      orderTracking: () => ok(tracking({ autoReceiptAt: null })),
    });
    const first = s.store.getState().receiveOrder(ORDER_ID);
    expect(await s.store.getState().receiveOrder(ORDER_ID)).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(s.requests.filter((r) => r.name === 'receiveOrder')).toHaveLength(1);
    expect(s.store.getState().orders[ORDER_ID]!.status).toBe('COMPLETED');
    expect(s.toasts).toContain('已确认收货');
    expect(s.store.getState().receiving).toBe(false);
  });

  it('a refused receipt keeps the order as it was', async () => {
    const s = await loggedIn({ receiveOrder: () => fail(409, 'ORDER_STATE_CONFLICT', '订单状态为「待发货」，不能确认收货') });
    expect(await s.store.getState().receiveOrder(ORDER_ID)).toBe(false);
    expect(s.toasts).toContain('订单状态为「待发货」，不能确认收货');
  });

  it('says how many whole days are left before the automatic receipt', () => {
    expect(autoReceiptText(tracking(), 1_700_000_000_000)).toBe('还剩 4 天自动确认收货');
    expect(autoReceiptText(tracking(), 1_700_000_000_000 + 3.5 * DAY + 1)).toBe('还剩 1 天自动确认收货');
    expect(autoReceiptText(tracking({ autoReceiptAt: null }), 0)).toBe('');
  });
});
