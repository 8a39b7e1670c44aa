import { describe, expect, it } from 'vitest';
import type { AfterSaleView } from '@shop/shared';
import { afterSaleChoices, canApplyAfterSale } from '../src/store/slices/after-sales';
import { LOGIN, ORDER_ID, fail, makeStore, ok, order } from './support/fakes';

function view(id: string, over: Partial<AfterSaleView> = {}): AfterSaleView {
  return {
    id,
    orderId: ORDER_ID,
    type: 'RETURN_REFUND',
    typeLabel: '退货退款',
    state: 'REQUESTED',
    stateLabel: '申请中',
    line: { productId: 'p-1', skuId: 'sku-1', title: '口红', specText: '红色', image: '/x.svg' },
    quantity: 1,
    reason: 'QUALITY',
    reasonLabel: '质量问题',
    description: '',
    photos: [],
    refundFen: 2566,
    refund: null,
    returnAddress: null,
    returnShipment: null,
    rejectReason: null,
    deadline: null,
    actions: ['WITHDRAW'],
    timeline: [],
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}

async function loggedIn(handlers: Parameters<typeof makeStore>[0]) {
  const s = makeStore({ login: () => ok(LOGIN), ...handlers });
  await s.store.getState().loginWithCode('demo-1');
  return s;
}

describe('which 售后 an order offers', () => {
  it('an unshipped order: 仅退款 only; a received one: 退货退款 only; an unpaid or running group order: none', () => {
    const paid = order({ status: 'PAID', transactionId: 'tx' });
    expect(afterSaleChoices(paid).map((c) => [c.label, c.refusal])).toEqual([
      ['仅退款', null],
      ['退货退款', '订单尚未发货，请选择仅退款'],
    ]);
    expect(afterSaleChoices(order({ status: 'SHIPPED', transactionId: 'tx' })).every((c) => c.refusal === null)).toBe(true);
    expect(afterSaleChoices(order({ status: 'COMPLETED', transactionId: 'tx' })).map((c) => c.refusal === null)).toEqual([false, true]);
    expect(canApplyAfterSale(order())).toBe(false);
    expect(canApplyAfterSale(order({ status: 'REFUNDED', transactionId: 'tx' }))).toBe(false);
    const group = order({ status: 'PAID', transactionId: 'tx', group: { status: 'OPEN' } as never });
    expect(canApplyAfterSale(group)).toBe(false);
  });
});

describe('the after-sales slice', () => {
  it('applies, lists newest first without repeats, and keeps what withdraw and ship-back answer', async () => {
    const a = view(`${ORDER_ID}-1`);
    const b = view(`${ORDER_ID}-2`, { state: 'AWAITING_RETURN', actions: ['WITHDRAW', 'SHIP_RETURN'] });
    const s = await loggedIn({
      createAfterSale: () => ok(b, 201),
      listAfterSales: () => ok({ items: [b, a], nextCursor: null }),
      withdrawAfterSale: () => ok({ ...a, state: 'WITHDRAWN', stateLabel: '已撤销', actions: [] }),
      shipAfterSaleReturn: (req) => {
        expect(req.body).toEqual({ carrier: '顺丰速运', trackingNo: 'SF1' });
        return ok({ ...b, state: 'RETURNING', stateLabel: '退货中', actions: [] });
      },
    });
    const st = () => s.store.getState();
    const created = await st().applyAfterSale({ orderId: ORDER_ID, skuId: 'sku-1', quantity: 1, type: 'RETURN_REFUND', reason: 'QUALITY' });
    expect(created?.id).toBe(b.id);
    expect(s.toasts).toContain('申请已提交');
    await st().loadAfterSales(true);
    expect(st().afterSaleList).toMatchObject({ ids: [b.id, a.id], cursor: null, status: 'ready' });
    expect(await st().withdrawAfterSale(a.id)).toBe(true);
    expect(st().afterSales[a.id].stateLabel).toBe('已撤销');
    expect(await st().shipAfterSaleReturn(b.id, '顺丰速运', 'SF1')).toBe(true);
    expect(st().afterSales[b.id].state).toBe('RETURNING');
  });

  it('a refused request leaves nothing behind and says why', async () => {
    const s = await loggedIn({ createAfterSale: () => fail(409, 'AFTER_SALE_OPEN', '该商品已有进行中的售后申请') });
    const r = await s.store.getState().applyAfterSale({ orderId: ORDER_ID, skuId: 'sku-1', quantity: 1, type: 'REFUND_ONLY', reason: 'NOT_WANTED' });
    expect(r).toBeNull();
    expect(s.store.getState().afterSaleList.ids).toEqual([]);
    expect(s.store.getState().afterSaleBusy).toBe(false);
    expect(s.toasts).toContain('该商品已有进行中的售后申请');
  });
});
