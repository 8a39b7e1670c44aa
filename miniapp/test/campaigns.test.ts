import { describe, expect, it } from 'vitest';
import type { FlashSaleItem } from '@shop/shared';
import { clockOffset, flashState, serverTime, soldPercent } from '../src/store/slices/campaigns';
import { formatCountdown } from '../src/utils/format';
import { fail, makeStore, ok } from './support/fakes';

const HOUR = 3_600_000;
const PHONE_NOW = 1_700_000_000_000;

function flash(over: Partial<FlashSaleItem> = {}): FlashSaleItem {
  return {
    campaignId: 'daily-flash',
    productId: 'p-test-flash-01',
    skuId: 'sku-test-flash-01',
    title: '测试秒杀',
    image: '/catalog-images/x.svg',
    priceFen: 990,
    originalPriceFen: 1990,
    quota: 10,
    sold: 3,
    perUserLimit: 1,
    startsAt: PHONE_NOW - HOUR,
    endsAt: PHONE_NOW + 2 * HOUR,
    soldOut: false,
    ...over,
  };
}

describe('campaigns slice', () => {
  it('counts down on the server clock: a phone an hour slow still shows the right time left', async () => {
    let phone = PHONE_NOW;
    const serverNow = PHONE_NOW + HOUR; // the phone is an hour behind
    const s = makeStore(
      {
        homeCampaigns: () => {
          phone += 200; // a 200 ms round trip
          return ok({ banners: [], flashSales: [flash({ endsAt: serverNow + 30 * 60_000 })], now: serverNow });
        },
      },
      { now: () => phone },
    );
    await s.store.getState().loadHomeCampaigns();
    const st = s.store.getState();
    expect(st.campaignsStatus).toBe('ready');
    expect(st.serverOffsetMs).toBe(HOUR - 100);
    // By the phone's own clock 90 minutes would be left; by the server's, 30.
    const at = serverTime(phone, st.serverOffsetMs);
    expect(flashState(st.flashSales[0]!, at)).toEqual({ phase: 'live', remainingMs: 30 * 60_000 - 100 });
  });

  it('hides the campaign sections quietly when the route fails (e.g. not deployed yet)', async () => {
    const s = makeStore({ homeCampaigns: () => fail(404, 'NOT_FOUND', '请求的内容不存在') });
    await s.store.getState().loadHomeCampaigns();
    expect(s.store.getState()).toMatchObject({ campaignsStatus: 'error', banners: [], flashSales: [] });
    expect(s.toasts).toEqual([]);
  });

  it('measures the offset at the middle of the round trip', () => {
    expect(clockOffset(10_000, 1_000, 3_000)).toBe(8_000);
    expect(clockOffset(1_000, 5_000, 5_000)).toBe(-4_000);
  });

  it('knows upcoming, live, sold-out and ended items, and how full the quota is', () => {
    const item = flash({ startsAt: 1_000, endsAt: 5_000 });
    expect(flashState(item, 500)).toEqual({ phase: 'upcoming', remainingMs: 500 });
    expect(flashState(item, 2_000)).toEqual({ phase: 'live', remainingMs: 3_000 });
    expect(flashState({ ...item, soldOut: true }, 2_000)).toEqual({ phase: 'soldOut', remainingMs: 3_000 });
    expect(flashState(item, 5_000)).toEqual({ phase: 'ended', remainingMs: 0 });
    expect(soldPercent(flash({ sold: 3, quota: 10 }))).toBe(30);
    expect(soldPercent(flash({ sold: 9, quota: 10, soldOut: true }))).toBe(100);
    expect(soldPercent(flash({ sold: 0, quota: 0 }))).toBe(0);
  });

  it('formats long countdowns with days', () => {
    expect(formatCountdown(65_000)).toBe('01:05');
    expect(formatCountdown(HOUR + 1_000)).toBe('1:00:01');
    expect(formatCountdown(2 * 24 * HOUR + 3 * HOUR + 4 * 60_000 + 5_000)).toBe('2天 03:04:05');
    expect(formatCountdown(-5)).toBe('00:00');
  });
});
