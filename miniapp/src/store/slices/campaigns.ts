import type { CampaignBanner, FlashSaleItem } from '@shop/shared';
import type { LoadStatus, Slice } from '../types';

/**
 * How far the phone's clock is behind the server's (ms; negative when it is ahead). The server read its clock
 * somewhere between sending and receiving, so its `now` is taken as of the middle of the round trip.
 */
export function clockOffset(serverNow: number, sentAt: number, receivedAt: number): number {
  return Math.round(serverNow - (sentAt + receivedAt) / 2);
}

/** The server's time now, from the phone's clock and the offset measured with `clockOffset`. */
export function serverTime(phoneNow: number, offsetMs: number): number {
  return phoneNow + offsetMs;
}

export type FlashPhase = 'upcoming' | 'live' | 'soldOut' | 'ended';

/** Where a flash sale item stands at server time `at`, and the ms left to the next change (start or end). */
export function flashState(item: Pick<FlashSaleItem, 'startsAt' | 'endsAt' | 'soldOut'>, at: number): { phase: FlashPhase; remainingMs: number } {
  if (at >= item.endsAt) return { phase: 'ended', remainingMs: 0 };
  if (at < item.startsAt) return { phase: 'upcoming', remainingMs: item.startsAt - at };
  return { phase: item.soldOut ? 'soldOut' : 'live', remainingMs: item.endsAt - at };
}

/** Share of the quota sold, 0–100 (a sold-out item is full whatever the counts say). */
export function soldPercent(item: Pick<FlashSaleItem, 'sold' | 'quota' | 'soldOut'>): number {
  if (item.soldOut) return 100;
  if (item.quota <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((item.sold * 100) / item.quota)));
}

export interface CampaignsSlice {
  banners: CampaignBanner[];
  flashSales: FlashSaleItem[];
  campaignsStatus: LoadStatus;
  /** serverTime = phone time + this; countdowns use it, never the phone's clock alone. */
  serverOffsetMs: number;
  loadHomeCampaigns(): Promise<void>;
}

export const campaignsSlice: Slice<CampaignsSlice> = (set, _get, deps) => {
  let seq = 0;
  return {
    banners: [],
    flashSales: [],
    campaignsStatus: 'idle',
    serverOffsetMs: 0,

    async loadHomeCampaigns() {
      const mine = ++seq;
      set((s) => ({ campaignsStatus: s.campaignsStatus === 'ready' ? 'ready' : 'loading' }));
      const sentAt = deps.now();
      try {
        // Silent: 首页 just leaves the campaign sections out when they can't be read.
        const res = await deps.api.call('homeCampaigns', { silent: true });
        if (mine !== seq) return;
        set({
          banners: res.banners ?? [],
          flashSales: res.flashSales ?? [],
          serverOffsetMs: typeof res.now === 'number' ? clockOffset(res.now, sentAt, deps.now()) : 0,
          campaignsStatus: 'ready',
        });
      } catch {
        if (mine !== seq) return;
        set({ banners: [], flashSales: [], campaignsStatus: 'error' });
      }
    },
  };
};
