/**
 * A shopper's profile as pure rules: what one batch of behaviour events or one paid order adds to it, and what it says
 * at a given moment (interests with time decay, price band, RFM scores, lifecycle stage, segments). No clock of its
 * own: every function takes `now`, so tests move time by passing another number.
 */
import type { BehaviourKind } from '../contracts/events';
import { DEFAULT_EVENT_WEIGHTS, LIFECYCLE_NAMES, type LifecycleStage, type ProfilesConfig, type SegmentRule } from './config';

const DAY_MS = 24 * 3600 * 1000;

export interface RecentItem {
  productId: string;
  kind: BehaviourKind;
  at: number;
}

/**
 * Weights as of `at` (they all halve every half-life after it), and the price band's weighted log sums.
 * @internal
 */
export interface InterestState {
  at: number;
  cats: Record<string, number>;
  attrs: Record<string, number>;
  /** Σw, Σw·ln(price), Σw·ln(price)² over the products that drew interest. */
  price: { w: number; l: number; l2: number };
}

interface OrderStats {
  count: number;
  spentFen: number;
  firstPaidAt: number | null;
  lastPaidAt: number | null;
  /** The last orders applied (newest last), so a redelivered order is not counted twice. */
  ids: string[];
}

export interface ShopperProfile {
  firstSeenAt: number | null;
  lastEventAt: number | null;
  /** Newest first, one entry per product and kind. */
  recent: RecentItem[];
  interests: InterestState;
  orders: OrderStats;
}

/** What a product says about taste: its category, its price and its attributes (keywords). */
export interface ProductFacts {
  categoryId: string;
  priceFen: number;
  attributes: string[];
}

export interface ProfileEvent {
  kind: BehaviourKind;
  productId?: string;
  at: number;
  dwellMs?: number;
}

export interface PaidOrderFacts {
  id: string;
  paidAt: number;
  paidFen: number;
  lines: { productId: string; unitPriceFen: number; quantity: number }[];
}

/** @internal */
export interface Rfm {
  r: number;
  f: number;
  m: number;
}

export interface ProfileSummary {
  lifecycle: LifecycleStage;
  /** 新客 / 活跃 / 沉睡 / 流失风险 */
  lifecycleName: string;
  rfm: Rfm;
  orders: number;
  spentFen: number;
  lastPaidAt: number | null;
  lastActiveAt: number | null;
  /** Top interests with their share of the whole (0–1), largest first. */
  categories: { id: string; share: number }[];
  attributes: { id: string; share: number }[];
  priceBand: { lowFen: number; highFen: number } | null;
  segments: string[];
}

/** Orders remembered for idempotency; a stream redelivers in order, so the last few are enough. */
const APPLIED_ORDERS_KEPT = 20;
/** Products' keywords counted as attributes, at most. */
const ATTRIBUTES_PER_PRODUCT = 5;
/** Below this decayed weight an interest is forgotten. */
const FORGET_BELOW = 1e-3;
/** Decayed interest below this total says nothing yet (shares and the band are not trusted). */
const MIN_EVIDENCE = 1;

export function emptyProfile(): ShopperProfile {
  return {
    firstSeenAt: null,
    lastEventAt: null,
    recent: [],
    interests: { at: 0, cats: {}, attrs: {}, price: { w: 0, l: 0, l2: 0 } },
    orders: { count: 0, spentFen: 0, firstPaidAt: null, lastPaidAt: null, ids: [] },
  };
}

function factor(fromAt: number, toAt: number, halfLifeDays: number): number {
  return Math.pow(2, -(toAt - fromAt) / (halfLifeDays * DAY_MS));
}

/**
 * The interests as of `to` (every weight halved per half-life since `state.at`); never moves backwards.
 * @internal used by the profile's own rules; exported for its unit test
 */
export function decayInterests(state: InterestState, to: number, halfLifeDays: number): InterestState {
  if (to <= state.at) return state;
  const f = state.at === 0 ? 1 : factor(state.at, to, halfLifeDays);
  const scale = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, w]) => [k, w * f]).filter(([, w]) => (w as number) >= FORGET_BELOW));
  return { at: to, cats: scale(state.cats), attrs: scale(state.attrs), price: { w: state.price.w * f, l: state.price.l * f, l2: state.price.l2 * f } };
}

function keepTop(m: Record<string, number>, n: number): Record<string, number> {
  const entries = Object.entries(m);
  if (entries.length <= n) return m;
  return Object.fromEntries(entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n));
}

/** Weight one event of this kind adds (a short view counts from half up to full at `fullDwellMs`). */
function eventWeight(e: ProfileEvent, cfg: ProfilesConfig): number {
  const w = cfg.interests.weights[e.kind] ?? DEFAULT_EVENT_WEIGHTS[e.kind];
  if (e.kind !== 'view') return w;
  return w * (0.5 + 0.5 * Math.min(1, (e.dwellMs ?? 0) / cfg.interests.fullDwellMs));
}

function attributesOf(facts: ProductFacts): string[] {
  return [...new Set(facts.attributes.map((a) => a.trim().toLowerCase()).filter((a) => a.length > 0 && a.length <= 64))].slice(0, ATTRIBUTES_PER_PRODUCT);
}

function addInterest(state: InterestState, at: number, facts: ProductFacts, weight: number, cfg: ProfilesConfig): InterestState {
  if (weight <= 0) return state;
  const s = decayInterests(state, at, cfg.interests.halfLifeDays);
  // An event older than the state counts as decayed to the state's time.
  const w = at < s.at ? weight * factor(at, s.at, cfg.interests.halfLifeDays) : weight;
  const cats = { ...s.cats, [facts.categoryId]: (s.cats[facts.categoryId] ?? 0) + w };
  const attrs = { ...s.attrs };
  for (const a of attributesOf(facts)) attrs[a] = (attrs[a] ?? 0) + w;
  const price = { ...s.price };
  if (facts.priceFen > 0) {
    const ln = Math.log(facts.priceFen);
    price.w += w;
    price.l += w * ln;
    price.l2 += w * ln * ln;
  }
  return { at: s.at, cats: keepTop(cats, cfg.interests.maxCategories), attrs: keepTop(attrs, cfg.interests.maxAttributes), price };
}

function addRecent(recent: RecentItem[], items: RecentItem[], limit: number): RecentItem[] {
  const all = [...items, ...recent].sort((a, b) => b.at - a.at);
  const seen = new Set<string>();
  const out: RecentItem[] = [];
  for (const r of all) {
    const key = `${r.productId}#${r.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
    if (out.length >= limit) break;
  }
  return out;
}

/** Kinds that enter the recent items (exposures are too many to mean interest; a purchase comes from the paid order). */
const RECENT_KINDS = new Set<BehaviourKind>(['view', 'click', 'cart', 'favorite', 'share']);

/**
 * The profile after a batch of newly stored events: recent items, interests (products the catalog knows), the last
 * time the shopper was seen. Purchases are left to the paid order (applyPaidOrder), the server's own truth.
 */
export function applyEvents(profile: ShopperProfile, events: ProfileEvent[], facts: Map<string, ProductFacts>, cfg: ProfilesConfig): ShopperProfile {
  if (events.length === 0) return profile;
  let interests = profile.interests;
  const recent: RecentItem[] = [];
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    if (!e.productId) continue;
    if (RECENT_KINDS.has(e.kind)) recent.push({ productId: e.productId, kind: e.kind, at: e.at });
    const f = facts.get(e.productId);
    if (f && e.kind !== 'purchase') interests = addInterest(interests, e.at, f, eventWeight(e, cfg), cfg);
  }
  const times = events.map((e) => e.at);
  return {
    ...profile,
    firstSeenAt: Math.min(profile.firstSeenAt ?? Infinity, ...times),
    lastEventAt: Math.max(profile.lastEventAt ?? 0, ...times),
    // Newest first, so that of two events at the same moment the later one in the batch leads.
    recent: addRecent(profile.recent, recent.reverse(), cfg.events.recentLimit),
    interests,
  };
}

/**
 * The profile after a paid order: RFM's order count, spend and times always; the bought products' interests and
 * recent items only when `behaviour` (the shopper's 行为数据 consent). Null when this order was applied already.
 */
export function applyPaidOrder(profile: ShopperProfile, order: PaidOrderFacts, facts: Map<string, ProductFacts>, cfg: ProfilesConfig, behaviour: boolean): ShopperProfile | null {
  if (profile.orders.ids.includes(order.id)) return null;
  const o = profile.orders;
  const orders: OrderStats = {
    count: o.count + 1,
    spentFen: o.spentFen + order.paidFen,
    firstPaidAt: Math.min(o.firstPaidAt ?? Infinity, order.paidAt),
    lastPaidAt: Math.max(o.lastPaidAt ?? 0, order.paidAt),
    ids: [...o.ids, order.id].slice(-APPLIED_ORDERS_KEPT),
  };
  if (!behaviour) return { ...profile, orders };
  let interests = profile.interests;
  for (const line of order.lines) {
    const f = facts.get(line.productId);
    if (f) interests = addInterest(interests, order.paidAt, { ...f, priceFen: line.unitPriceFen }, eventWeight({ kind: 'purchase', at: order.paidAt }, cfg), cfg);
  }
  const bought = order.lines.map((l): RecentItem => ({ productId: l.productId, kind: 'purchase', at: order.paidAt }));
  return { ...profile, orders, interests, recent: addRecent(profile.recent, bought, cfg.events.recentLimit) };
}

/** The profile without a product's recent entries (`null`: without any), when 足迹 are deleted. */
export function forgetRecent(profile: ShopperProfile, productId: string | null): ShopperProfile {
  return { ...profile, recent: productId === null ? [] : profile.recent.filter((r) => r.productId !== productId) };
}

function score(value: number, thresholds: readonly number[]): number {
  return 1 + thresholds.filter((t) => value >= t).length;
}

/** @internal used by summarizeProfile; exported for its unit test */
export function rfmScores(profile: ShopperProfile, now: number, cfg: ProfilesConfig): Rfm {
  const o = profile.orders;
  if (o.count === 0 || o.lastPaidAt === null) return { r: 0, f: 0, m: 0 };
  const days = Math.max(0, now - o.lastPaidAt) / DAY_MS;
  const r = 5 - cfg.rfm.recencyDays.filter((t) => days > t).length;
  return { r, f: score(o.count, cfg.rfm.frequencyOrders), m: score(o.spentFen, cfg.rfm.monetaryFen) };
}

function lastActiveAt(profile: ShopperProfile): number | null {
  const times = [profile.lastEventAt, profile.orders.lastPaidAt].filter((t): t is number => t !== null);
  return times.length ? Math.max(...times) : null;
}

/**
 * 新客: no paid order and first seen within `newDays`; 沉睡: nothing for `dormantDays`; 流失风险: a buyer still around
 * whose last paid order is older than `churnRiskDays`; 活跃: everyone else. `createdAt` is the account's creation.
 * @internal used by summarizeProfile and segments; exported for its unit test
 */
export function lifecycleStage(profile: ShopperProfile, now: number, cfg: ProfilesConfig, createdAt: number | null = null): LifecycleStage {
  const { newDays, dormantDays, churnRiskDays } = cfg.lifecycle;
  const firstSeen = Math.min(profile.firstSeenAt ?? Infinity, createdAt ?? Infinity);
  const active = Math.max(lastActiveAt(profile) ?? 0, createdAt ?? 0);
  const o = profile.orders;
  if (o.count === 0 && (firstSeen === Infinity || now - firstSeen <= newDays * DAY_MS)) return 'new';
  if (now - active > dormantDays * DAY_MS) return 'dormant';
  if (o.count > 0 && o.lastPaidAt !== null && now - o.lastPaidAt > churnRiskDays * DAY_MS) return 'churn_risk';
  return 'active';
}

function shares(m: Record<string, number>): { id: string; share: number }[] {
  const total = Object.values(m).reduce((a, b) => a + b, 0);
  if (total <= 0) return [];
  return Object.entries(m)
    .map(([id, w]) => ({ id, share: w / total }))
    .sort((a, b) => b.share - a.share || a.id.localeCompare(b.id));
}

/**
 * The price band (fen) the shopper's interest sits in: one spread either side of the weighted log-mean.
 * @internal used by summarizeProfile; exported for its unit test
 */
export function priceBand(profile: ShopperProfile): { lowFen: number; highFen: number } | null {
  const { w, l, l2 } = profile.interests.price;
  if (w <= 0) return null;
  const mean = l / w;
  const spread = Math.max(Math.sqrt(Math.max(0, l2 / w - mean * mean)), Math.log(1.2));
  return { lowFen: Math.round(Math.exp(mean - spread)), highFen: Math.round(Math.exp(mean + spread)) };
}

function matches(rule: SegmentRule, ctx: { profile: ShopperProfile; now: number; cfg: ProfilesConfig; createdAt: number | null }): boolean {
  const { profile, now, cfg, createdAt } = ctx;
  const conditions = Object.keys(rule).filter((k) => k !== 'minShare');
  if (conditions.length === 0) return false;
  const interests = decayInterests(profile.interests, now, cfg.interests.halfLifeDays);
  const evidence = Object.values(interests.cats).reduce((a, b) => a + b, 0) >= MIN_EVIDENCE;
  const minShare = rule.minShare ?? 0.2;
  if (rule.lifecycle && !rule.lifecycle.includes(lifecycleStage(profile, now, cfg, createdAt))) return false;
  if (rule.category !== undefined && !(evidence && (shares(interests.cats).find((s) => s.id === rule.category)?.share ?? 0) >= minShare)) return false;
  if (rule.attribute !== undefined) {
    const a = rule.attribute.toLowerCase();
    if (!(evidence && (shares(interests.attrs).find((s) => s.id === a)?.share ?? 0) >= minShare)) return false;
  }
  if (rule.minRfm) {
    const rfm = rfmScores(profile, now, cfg);
    if ((rule.minRfm.r ?? 0) > rfm.r || (rule.minRfm.f ?? 0) > rfm.f || (rule.minRfm.m ?? 0) > rfm.m) return false;
  }
  if (rule.inactiveDays !== undefined) {
    const last = Math.max(lastActiveAt(profile) ?? 0, createdAt ?? 0);
    if (last === 0 || now - last < rule.inactiveDays * DAY_MS) return false;
  }
  if (rule.minOrders !== undefined && profile.orders.count < rule.minOrders) return false;
  if (rule.maxOrders !== undefined && profile.orders.count > rule.maxOrders) return false;
  if (rule.priceBandMaxFen !== undefined || rule.priceBandMinFen !== undefined) {
    const band = evidence ? priceBand(profile) : null;
    if (!band) return false;
    const mid = Math.round(Math.sqrt(band.lowFen * band.highFen));
    if (rule.priceBandMaxFen !== undefined && mid > rule.priceBandMaxFen) return false;
    if (rule.priceBandMinFen !== undefined && mid < rule.priceBandMinFen) return false;
  }
  return true;
}

/** The segment tags (config order) this profile carries at `now`: what campaign targeting reads as `user.segments`. */
export function segmentsOf(profile: ShopperProfile, now: number, cfg: ProfilesConfig, createdAt: number | null = null): string[] {
  return cfg.segments.filter((s) => matches(s.when, { profile, now, cfg, createdAt })).map((s) => s.id);
}

export function summarizeProfile(profile: ShopperProfile, now: number, cfg: ProfilesConfig, createdAt: number | null = null): ProfileSummary {
  const lifecycle = lifecycleStage(profile, now, cfg, createdAt);
  const round = (xs: { id: string; share: number }[], n: number) => xs.slice(0, n).map((x) => ({ id: x.id, share: Math.round(x.share * 1000) / 1000 }));
  return {
    lifecycle,
    lifecycleName: LIFECYCLE_NAMES[lifecycle],
    rfm: rfmScores(profile, now, cfg),
    orders: profile.orders.count,
    spentFen: profile.orders.spentFen,
    lastPaidAt: profile.orders.lastPaidAt,
    lastActiveAt: lastActiveAt(profile),
    categories: round(shares(profile.interests.cats), 5),
    attributes: round(shares(profile.interests.attrs), 10),
    priceBand: priceBand(profile),
    segments: segmentsOf(profile, now, cfg, createdAt),
  };
}
