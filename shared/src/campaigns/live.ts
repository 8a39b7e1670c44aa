/**
 * Which campaigns a given shopper sees at a given moment. Pure: the clock and the shopper are parameters, so the
 * server, the mini-app preview and `campaigns:preview` agree, and tests need no fake timers.
 */
import { MEMBER_LEVEL_NAMES, type Campaign, type CampaignConfig, type MemberLevel } from './schema';
import { formatShanghaiTime, shanghaiParts } from './time';

export interface CampaignUser {
  id: string;
  level: MemberLevel;
  /** Has not placed a paid order yet (新用户); everyone else is returning (老用户). */
  isNew: boolean;
  /** Tags from the recommendations side (e.g. `beauty-lover`, `dormant-90d`). */
  segments: string[];
  /** `MM-DD` or `YYYY-MM-DD`; only the month is used (birthday drops run for the whole birthday month). */
  birthday?: string;
}

export type CampaignStatus = { live: true } | { live: false; reason: string };

/** UTF-8 bytes without TextEncoder, which some mini-program runtimes lack. */
function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/**
 * FNV-1a, 32-bit (offset basis 2166136261, prime 16777619) over the UTF-8 bytes: tiny, portable, stable forever.
 * @internal exported for its unit test (known vectors); abVariant is the way in.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * MurmurHash3's 32-bit finalizer. FNV-1a alone barely mixes the last characters of short keys, so sequential ids
 * (u-1, u-2, …) split 52/48 on a 50/50 experiment and 36/32/32 on thirds; after this step they split to within noise.
 */
function fmix32(hash: number): number {
  let h = hash >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The stable 32-bit bucket hash of a user in an experiment: fmix32(FNV-1a("<experiment>:<userId>")). */
function abHash(experiment: string, userId: string): number {
  return fmix32(fnv1a32(`${experiment}:${userId}`));
}

/**
 * The variant of an experiment a user is in: abHash scaled to [0, total weight), then walked through the variants in
 * the order written (weights 1:1:2 → the first quarter, the second quarter, the second half). The same user always
 * lands in the same variant; different experiments split independently; changing a weight moves only the users at
 * the boundaries that shift.
 */
export function abVariant(ab: { experiment: string; variants: { name: string; weight: number }[] }, userId: string): string {
  const total = ab.variants.reduce((s, v) => s + v.weight, 0);
  const point = Math.floor((abHash(ab.experiment, userId) / 2 ** 32) * total);
  let upTo = 0;
  for (const v of ab.variants) {
    upTo += v.weight;
    if (point < upTo) return v.name;
  }
  return ab.variants[ab.variants.length - 1].name;
}

const levelList = (levels: readonly MemberLevel[]) => levels.map((l) => MEMBER_LEVEL_NAMES[l]).join('、');

function birthdayMonth(birthday: string | undefined): number | undefined {
  const m = /^(?:\d{4}-)?(\d{2})-\d{2}$/.exec(birthday ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Why a campaign is or is not live for this shopper now; the reason is shown by `campaigns:preview`. */
export function campaignStatus(c: Campaign, at: number, user: CampaignUser): CampaignStatus {
  const no = (reason: string): CampaignStatus => ({ live: false, reason });
  if (!c.enabled) return no('已停用');
  if (at < c.window.startAt) return no(`未开始（${formatShanghaiTime(c.window.startAt)} 开始）`);
  if (at >= c.window.endAt) return no(`已结束（${formatShanghaiTime(c.window.endAt)}）`);

  const t = c.targeting;
  if (t.levels && !t.levels.includes(user.level)) return no(`仅限${levelList(t.levels)}会员`);
  if (user.isNew && !t.newUsers) return no('仅限老用户');
  if (!user.isNew && !t.returning) return no('仅限新用户');
  if (t.segments.length > 0 && !t.segments.some((s) => user.segments.includes(s)))
    return no(`仅限带有标签 ${t.segments.join('、')} 的用户`);
  if (t.ab) {
    const variant = abVariant(t.ab, user.id);
    if (!t.ab.show.includes(variant)) return no(`实验 ${t.ab.experiment} 分组 ${variant} 不参加`);
  }

  switch (c.type) {
    case 'member_day': {
      const today = shanghaiParts(at);
      if (c.weekday !== undefined && today.weekday !== c.weekday)
        return no(`今天不是会员日（每周${'一二三四五六日'[c.weekday - 1]}）`);
      if (c.dayOfMonth !== undefined && today.day !== c.dayOfMonth) return no(`今天不是会员日（每月 ${c.dayOfMonth} 日）`);
      if (c.percentByLevel[user.level] === undefined) return no(`${MEMBER_LEVEL_NAMES[user.level]}会员无会员日折扣`);
      return { live: true };
    }
    case 'points_multiplier':
      if (c.levels && !c.levels.includes(user.level)) return no(`仅限${levelList(c.levels)}会员`);
      return { live: true };
    case 'coupon_drop':
      if (c.trigger === 'new_user_gift' && !user.isNew) return no('新人礼仅发给新用户');
      if (c.trigger === 'win_back' && user.isNew) return no('召回券仅发给老用户');
      if (c.trigger === 'birthday') {
        const month = birthdayMonth(user.birthday);
        if (month === undefined) return no('未填写生日');
        if (month !== shanghaiParts(at).month) return no('仅在生日当月发放');
      }
      return { live: true };
    default:
      return { live: true };
  }
}

export function isCampaignLive(c: Campaign, at: number, user: CampaignUser): boolean {
  return campaignStatus(c, at, user).live;
}

/** Campaigns live for this shopper at `at`, highest priority first (then earliest start, then id, for a stable order). */
export function liveCampaigns(
  config: Pick<CampaignConfig, 'campaigns'>,
  ctx: { at: number; user: CampaignUser },
): Campaign[] {
  return config.campaigns
    .filter((c) => isCampaignLive(c, ctx.at, ctx.user))
    .sort((a, b) => b.priority - a.priority || a.window.startAt - b.window.startAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
