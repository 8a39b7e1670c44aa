import type { FootprintView, PrivacySettings } from '@shop/shared';
import type { LoadStatus, Slice } from '../types';

type PrivacyKey = keyof PrivacySettings;

/** One day of 足迹: its heading (今天 / 昨天 / 11月25日 / 2023年11月25日) and its products, latest first. */
export interface FootprintDay {
  label: string;
  items: FootprintView[];
}

const startOfDay = (ms: number) => {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
};

/** The heading of the (phone's local) day `ms` falls on, seen from `now`. */
export function footprintDayLabel(ms: number, now: number): string {
  const day = startOfDay(ms);
  const today = startOfDay(now);
  // A view stamped a little after the phone's clock still reads as today.
  if (day >= today) return '今天';
  const yesterday = new Date(today);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day === yesterday.getTime()) return '昨天';
  const d = new Date(ms);
  const md = `${d.getMonth() + 1}月${d.getDate()}日`;
  return d.getFullYear() === new Date(now).getFullYear() ? md : `${d.getFullYear()}年${md}`;
}

/** 足迹 grouped by day, in the order the server gave them (latest view first). */
export function footprintDays(items: FootprintView[], now: number): FootprintDay[] {
  const days = new Map<string, FootprintDay>();
  for (const item of items) {
    const label = footprintDayLabel(item.viewedAt, now);
    const day = days.get(label) ?? { label, items: [] };
    day.items.push(item);
    days.set(label, day);
  }
  return [...days.values()];
}

export interface PrivacySlice {
  /** 个性化推荐 and 行为数据 as the server last said them (null until read). */
  privacy: PrivacySettings | null;
  privacyStatus: LoadStatus;
  /** The switches with a change under way. */
  privacyBusy: Partial<Record<PrivacyKey, boolean>>;
  /** 足迹, latest view first, page by page. */
  footprints: FootprintView[];
  footprintsCursor: string | null;
  footprintsStatus: LoadStatus;
  /** Product ids whose 足迹 is being deleted. */
  footprintBusy: Record<string, boolean>;
  footprintsClearing: boolean;

  loadPrivacy(): Promise<void>;
  /**
   * Turns one switch on or off at once; the server's answer then sets both. On a refusal the switch goes back to what
   * it was (the message is toasted) and false is returned.
   */
  setPrivacy(key: PrivacyKey, value: boolean): Promise<boolean>;
  /** The first page (reset) or the next one. */
  loadFootprints(reset: boolean): Promise<void>;
  removeFootprint(productId: string): Promise<boolean>;
  clearFootprints(): Promise<boolean>;
  resetPrivacy(): void;
}

const initial = {
  privacy: null,
  privacyStatus: 'idle' as LoadStatus,
  privacyBusy: {},
  footprints: [],
  footprintsCursor: null,
  footprintsStatus: 'idle' as LoadStatus,
  footprintBusy: {},
  footprintsClearing: false,
};

export const privacySlice: Slice<PrivacySlice> = (set, get, deps) => ({
  ...initial,

  async loadPrivacy() {
    if (!get().token) return;
    if (get().privacyStatus === 'loading') return;
    set({ privacyStatus: 'loading' });
    try {
      const privacy = await deps.api.call('getPrivacy');
      // A switch changed while this was on its way keeps the value the shopper chose.
      const busy = get().privacyBusy;
      const mine = get().privacy;
      set({
        privacy: {
          personalizedRecs: busy.personalizedRecs && mine ? mine.personalizedRecs : privacy.personalizedRecs,
          behaviourData: busy.behaviourData && mine ? mine.behaviourData : privacy.behaviourData,
        },
        privacyStatus: 'ready',
      });
    } catch {
      set({ privacyStatus: get().privacy ? 'ready' : 'error' });
    }
  },

  async setPrivacy(key, value) {
    const before = get().privacy;
    if (!before || get().privacyBusy[key]) return false;
    if (before[key] === value) return true;
    set({ privacy: { ...before, [key]: value }, privacyBusy: { ...get().privacyBusy, [key]: true } });
    try {
      const privacy = await deps.api.call('setPrivacy', { body: { [key]: value } });
      // The other switch may have a change of its own under way: it keeps what it shows until its own answer comes.
      const other: PrivacyKey = key === 'behaviourData' ? 'personalizedRecs' : 'behaviourData';
      const shown = get().privacy;
      set({ privacy: get().privacyBusy[other] && shown ? { ...privacy, [other]: shown[other] } : privacy });
      deps.toast(value ? '已开启' : '已关闭', 'success');
      return true;
    } catch {
      const now = get().privacy;
      if (now) set({ privacy: { ...now, [key]: before[key] } });
      return false;
    } finally {
      set({ privacyBusy: { ...get().privacyBusy, [key]: false } });
    }
  },

  async loadFootprints(reset) {
    const cursor = reset ? undefined : get().footprintsCursor;
    if (!reset && !cursor) return;
    if (get().footprintsStatus === 'loading') return;
    set({ footprintsStatus: 'loading' });
    try {
      const page = await deps.api.call('listFootprints', { query: { limit: 20, ...(cursor ? { cursor } : {}) } });
      const shown = reset ? [] : get().footprints;
      const seen = new Set(shown.map((f) => f.productId));
      set({
        footprints: [...shown, ...page.items.filter((f) => !seen.has(f.productId))],
        footprintsCursor: page.nextCursor,
        footprintsStatus: 'ready',
      });
    } catch {
      set({ footprintsStatus: reset || get().footprints.length === 0 ? 'error' : 'ready' });
    }
  },

  async removeFootprint(productId) {
    if (get().footprintBusy[productId]) return false;
    set({ footprintBusy: { ...get().footprintBusy, [productId]: true } });
    try {
      await deps.api.call('removeFootprint', { params: { productId } });
      set({ footprints: get().footprints.filter((f) => f.productId !== productId) });
      deps.toast('已删除', 'success');
      return true;
    } catch {
      return false;
    } finally {
      set({ footprintBusy: { ...get().footprintBusy, [productId]: false } });
    }
  },

  async clearFootprints() {
    if (get().footprintsClearing) return false;
    set({ footprintsClearing: true });
    try {
      await deps.api.call('clearFootprints');
      set({ footprints: [], footprintsCursor: null, footprintsStatus: 'ready' });
      deps.toast('足迹已清空', 'success');
      return true;
    } catch {
      return false;
    } finally {
      set({ footprintsClearing: false });
    }
  },

  resetPrivacy() {
    set({ ...initial });
  },
});
