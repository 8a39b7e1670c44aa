/**
 * Coupon arithmetic: what one coupon takes off a cart, what a set of coupons takes off together, and which set is
 * best. Pure and in integer fen; the server decides with it, the mini-app previews with it.
 *
 * Stacking, when the order rules allow more than one coupon:
 * - each coupon's usability and threshold are judged on the amounts after promotions, independently of the others
 *   (a 满99减10 stays usable next to a 无门槛 5 元 even though together they leave less than ¥99);
 * - they are then applied one after another, narrowest scope first (products, then categories, then all), percent
 *   coupons before fixed ones, each taking at most what is left of its own lines, so no line goes below zero.
 */
import { allocateDiscount } from '../quote';
import type { Fen } from '../money';
import type { CouponKind, CouponTemplate, PromotionScope } from '../campaigns/schema';
import { formatShanghaiTime, DAY_MS } from '../campaigns/time';
import { yuan, zheLabel } from '../campaigns/format';

type CouponStatus = 'UNUSED' | 'LOCKED' | 'USED' | 'EXPIRED';

/** A coupon a shopper holds (one claim of a template). */
export interface Coupon {
  id: string;
  templateId: string;
  /** Display name from the template, e.g. 满99减10. */
  name?: string;
  kind: CouponKind;
  /** 0 for no-threshold coupons. */
  thresholdFen: Fen;
  /** Amount off for fixed and no-threshold coupons; 0 for percent coupons. */
  offFen: Fen;
  /** Percent coupons: the share paid, 88 = 88折. */
  percent?: number;
  /** Percent coupons: the most they take off. */
  capFen?: Fen;
  scope: PromotionScope;
  /** Usable from validFrom (inclusive) to validTo (exclusive), epoch ms. */
  validFrom: number;
  validTo: number;
  status: CouponStatus;
  stackable?: boolean;
}

/** One cart line as coupons see it: what is left to pay on it after promotions. */
export interface CouponLine {
  productId: string;
  categoryId: string;
  amountFen: Fen;
  /** False for lines that take no coupon (flash-sale prices are final). */
  couponEligible?: boolean;
}

type CouponCheck =
  | { usable: true; amountFen: Fen; eligibleFen: Fen }
  | { usable: false; amountFen: 0; reason: string };

export interface CouponRules {
  /** How many coupons one order may use. */
  maxCouponsPerOrder: number;
  /** Whether coupons marked stackable may be combined at all; false means one coupon per order. */
  stackableAllowed: boolean;
}

export const DEFAULT_COUPON_RULES: CouponRules = { maxCouponsPerOrder: 1, stackableAllowed: true };

export function inScope(scope: PromotionScope, line: { productId: string; categoryId: string }): boolean {
  if (scope.type === 'all') return true;
  if (scope.type === 'categories') return scope.categoryIds.includes(line.categoryId);
  return scope.productIds.includes(line.productId);
}

/** How the coupon reads on its face: 满99减10 / 88折 最高减50 / 无门槛减5. */
export function couponLabel(c: Pick<Coupon, 'kind' | 'thresholdFen' | 'offFen' | 'percent' | 'capFen'>): string {
  const y = (fen: Fen) => yuan(fen).slice(1);
  if (c.kind === 'fixed') return `满${y(c.thresholdFen)}减${y(c.offFen)}`;
  if (c.kind === 'no_threshold') return `无门槛减${y(c.offFen)}`;
  const head = c.thresholdFen > 0 ? `满${y(c.thresholdFen)}享` : '';
  return `${head}${zheLabel(c.percent ?? 100)}${c.capFen ? ` 最高减${y(c.capFen)}` : ''}`;
}

/** The coupon a claim of `template` at `claimedAt` creates. */
export function couponFromTemplate(template: CouponTemplate, claim: { id: string; claimedAt: number }): Coupon {
  const validity = template.validity;
  const [validFrom, validTo] =
    validity.type === 'window'
      ? [validity.startAt, validity.endAt]
      : [claim.claimedAt, claim.claimedAt + validity.days * DAY_MS];
  return {
    id: claim.id,
    templateId: template.id,
    name: template.name,
    kind: template.kind,
    thresholdFen: template.kind === 'no_threshold' ? 0 : template.thresholdFen,
    offFen: template.kind === 'percent' ? 0 : template.offFen,
    ...(template.kind === 'percent' ? { percent: template.percent, capFen: template.capFen } : {}),
    scope: template.scope,
    validFrom,
    validTo,
    status: 'UNUSED',
    stackable: template.stackable,
  };
}

/**
 * What one coupon would take off these lines at `at`, or why it cannot be used. Checks in the order a shopper
 * would ask: is it still mine to use, is it valid now, does it cover anything I'm buying, have I spent enough.
 * @internal exported for its unit test; bestSelection and chosenSelection are the way in.
 */
export function couponDiscount(coupon: Coupon, lines: CouponLine[], at: number): CouponCheck {
  const no = (reason: string): CouponCheck => ({ usable: false, amountFen: 0, reason });
  if (coupon.status === 'USED') return no('已使用');
  if (coupon.status === 'LOCKED') return no('已被待支付订单占用');
  if (coupon.status === 'EXPIRED' || at >= coupon.validTo) return no('已过期');
  if (at < coupon.validFrom) return no(`不在有效期（${formatShanghaiTime(coupon.validFrom)} 起可用）`);

  const covered = lines.filter((l) => inScope(coupon.scope, l));
  if (covered.length === 0) return no('不适用于所选商品');
  const eligible = covered.filter((l) => l.couponEligible !== false);
  if (eligible.length === 0) return no('限时抢购商品不可用券');
  const eligibleFen = eligible.reduce((s, l) => s + l.amountFen, 0);

  if (eligibleFen < coupon.thresholdFen) {
    const what = coupon.scope.type === 'all' ? '' : '适用商品';
    return no(`${what}未满 ${yuan(coupon.thresholdFen)} 可用，还差 ${yuan(coupon.thresholdFen - eligibleFen)}`);
  }
  const nominal =
    coupon.kind === 'percent'
      ? Math.min(Math.floor((eligibleFen * (100 - (coupon.percent ?? 100))) / 100), coupon.capFen ?? Infinity)
      : coupon.offFen;
  return { usable: true, amountFen: Math.min(nominal, eligibleFen), eligibleFen };
}

interface AppliedCoupon {
  couponId: string;
  amountFen: Fen;
  /** This coupon's share of each line, aligned with the lines given; sums to amountFen. */
  perLineFen: Fen[];
}

const scopeRank = (s: PromotionScope) => (s.type === 'products' ? 0 : s.type === 'categories' ? 1 : 2);

/** The order coupons of one selection are applied in (see the file comment). */
function couponApplyOrder(a: Coupon, b: Coupon): number {
  return (
    scopeRank(a.scope) - scopeRank(b.scope) ||
    (a.kind === 'percent' ? 0 : 1) - (b.kind === 'percent' ? 0 : 1) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * What a set of coupons takes off together, or null if any of them is unusable on these lines, given each coupon's
 * own check (computed once per coupon, not once per set). Does not judge whether the set is allowed by the order rules
 * (see `selectionAllowed`).
 */
function applyChecked(
  lines: CouponLine[],
  coupons: Coupon[],
  checkOf: (c: Coupon) => CouponCheck,
): { totalFen: Fen; applied: AppliedCoupon[] } | null {
  const remaining = lines.map((l) => l.amountFen);
  const applied: AppliedCoupon[] = [];
  for (const coupon of [...coupons].sort(couponApplyOrder)) {
    const check = checkOf(coupon);
    if (!check.usable) return null;
    const idx = lines.flatMap((l, i) => (inScope(coupon.scope, l) && l.couponEligible !== false ? [i] : []));
    const left = idx.reduce((s, i) => s + remaining[i], 0);
    const amountFen = Math.min(check.amountFen, left);
    const parts = allocateDiscount(idx.map((i) => remaining[i]), amountFen);
    const perLineFen = lines.map(() => 0);
    idx.forEach((i, k) => {
      perLineFen[i] = parts[k];
      remaining[i] -= parts[k];
    });
    applied.push({ couponId: coupon.id, amountFen, perLineFen });
  }
  // Report in the order the shopper chose them in, not the order of application.
  applied.sort((a, b) => coupons.findIndex((c) => c.id === a.couponId) - coupons.findIndex((c) => c.id === b.couponId));
  return { totalFen: applied.reduce((s, a) => s + a.amountFen, 0), applied };
}

/**
 * Whether the order rules allow using these coupons together.
 * @internal exported for its unit test; bestSelection and chosenSelection are the way in.
 */
export function selectionAllowed(coupons: Coupon[], rules: CouponRules): boolean {
  if (coupons.length > Math.max(0, rules.maxCouponsPerOrder)) return false;
  if (coupons.length <= 1) return true;
  return rules.stackableAllowed && coupons.every((c) => c.stackable === true);
}

export interface CouponReason {
  couponId: string;
  usable: boolean;
  /** Why it is not applied (absent for the coupons in use). */
  reason?: string;
  /** In use: what it takes off; usable but not chosen: what it would take off alone; unusable: 0. */
  amountFen: Fen;
}

export interface CouponSelection {
  couponIds: string[];
  totalFen: Fen;
  applied: AppliedCoupon[];
  reasons: CouponReason[];
}

/** Better = more off; then fewer coupons (keep the rest for later); then the one expiring soonest; then by id. */
function better(a: { total: number; coupons: Coupon[] }, b: { total: number; coupons: Coupon[] }): boolean {
  if (a.total !== b.total) return a.total > b.total;
  if (a.coupons.length !== b.coupons.length) return a.coupons.length < b.coupons.length;
  const ends = (s: Coupon[]) => s.map((c) => c.validTo).sort((x, y) => x - y);
  const ea = ends(a.coupons);
  const eb = ends(b.coupons);
  for (let i = 0; i < ea.length; i++) if (ea[i] !== eb[i]) return ea[i] < eb[i];
  const ids = (s: Coupon[]) => s.map((c) => c.id).sort().join('\u0000');
  return ids(a.coupons) < ids(b.coupons);
}

/** Above this many candidate sets, only the stackable coupons worth the most on their own are combined. */
const MAX_COMBINATIONS = 100_000;

function combinations<T>(items: T[], size: number, visit: (pick: T[]) => void, start = 0, pick: T[] = []): void {
  if (pick.length === size) return visit(pick);
  for (let i = start; i <= items.length - (size - pick.length); i++) {
    pick.push(items[i]);
    combinations(items, size, visit, i + 1, pick);
    pick.pop();
  }
}

function countCombinations(n: number, maxSize: number): number {
  let total = 0;
  let c = 1;
  for (let k = 1; k <= Math.min(n, maxSize); k++) {
    c = (c * (n - k + 1)) / k;
    total += c;
  }
  return total;
}

/**
 * The allowed set of coupons that takes the most off, and for every other coupon why it is not used. Exhaustive over
 * the allowed sets (one coupon per order by default, so usually just the usable coupons one by one).
 */
export function bestSelection(
  lines: CouponLine[],
  coupons: Coupon[],
  rules: CouponRules = DEFAULT_COUPON_RULES,
  at: number,
): CouponSelection {
  const checks = new Map(coupons.map((c) => [c.id, couponDiscount(c, lines, at)]));
  const candidates = coupons.filter((c) => {
    const check = checks.get(c.id)!;
    return check.usable && check.amountFen > 0;
  });

  let best: { total: number; coupons: Coupon[]; applied: AppliedCoupon[] } = { total: 0, coupons: [], applied: [] };
  const consider = (set: Coupon[]) => {
    const result = applyChecked(lines, set, (c) => checks.get(c.id)!);
    if (!result) return;
    const next = { total: result.totalFen, coupons: [...set], applied: result.applied };
    if (best.coupons.length === 0 ? next.total > 0 : better(next, best)) best = next;
  };

  for (const c of candidates) consider([c]);
  const maxSize = Math.max(0, rules.maxCouponsPerOrder);
  if (maxSize > 1 && rules.stackableAllowed) {
    let stackable = candidates.filter((c) => c.stackable === true);
    while (stackable.length > 2 && countCombinations(stackable.length, maxSize) > MAX_COMBINATIONS) {
      stackable = [...stackable].sort((a, b) => checks.get(b.id)!.amountFen - checks.get(a.id)!.amountFen).slice(0, -1);
    }
    for (let size = 2; size <= Math.min(maxSize, stackable.length); size++) combinations(stackable, size, consider);
  }

  return finish(coupons, checks, best, rules);
}

function finish(
  coupons: Coupon[],
  checks: Map<string, CouponCheck>,
  chosen: { total: number; coupons: Coupon[]; applied: AppliedCoupon[] },
  rules: CouponRules,
  rejected: Map<string, string> = new Map(),
): CouponSelection {
  const used = new Map(chosen.applied.map((a) => [a.couponId, a]));
  const canJoin = (c: Coupon) => selectionAllowed([...chosen.coupons, c], rules);
  const reasons = coupons.map((c): CouponReason => {
    const check = checks.get(c.id)!;
    const inUse = used.get(c.id);
    if (inUse) return { couponId: c.id, usable: true, amountFen: inUse.amountFen };
    if (!check.usable) return { couponId: c.id, usable: false, reason: check.reason, amountFen: 0 };
    const why =
      rejected.get(c.id) ??
      (check.amountFen === 0
        ? '当前金额下优惠为 ¥0'
        : chosen.coupons.length === 0
          ? '未选择'
          : chosen.coupons.length >= rules.maxCouponsPerOrder
            ? rules.maxCouponsPerOrder === 1
              ? '每单限用 1 张优惠券，已选择更优惠的券'
              : `每单最多使用 ${rules.maxCouponsPerOrder} 张优惠券`
            : !canJoin(c)
              ? '不可与已选优惠券同时使用'
              : '与已选优惠券同时使用无额外优惠');
    return { couponId: c.id, usable: true, reason: why, amountFen: check.amountFen };
  });
  return { couponIds: chosen.applied.map((a) => a.couponId), totalFen: chosen.total, applied: chosen.applied, reasons };
}

/**
 * The shopper's own choice instead of the best one. Chosen coupons that are unusable, or that the order rules do not
 * allow together, are left out with a reason; the server compares `couponIds` with what was asked for and refuses
 * the order if they differ, rather than charging a price the shopper did not see.
 */
export function chosenSelection(
  lines: CouponLine[],
  coupons: Coupon[],
  chosenIds: string[],
  rules: CouponRules = DEFAULT_COUPON_RULES,
  at: number,
): CouponSelection {
  const checks = new Map(coupons.map((c) => [c.id, couponDiscount(c, lines, at)]));
  const rejected = new Map<string, string>();
  const picked: Coupon[] = [];
  for (const id of new Set(chosenIds)) {
    const c = coupons.find((x) => x.id === id);
    if (!c || !checks.get(id)!.usable) continue;
    if (!selectionAllowed([...picked, c], rules)) {
      rejected.set(id, picked.length >= rules.maxCouponsPerOrder ? `每单最多使用 ${rules.maxCouponsPerOrder} 张优惠券` : '不可与已选优惠券同时使用');
      continue;
    }
    picked.push(c);
  }
  const result = applyChecked(lines, picked, (c) => checks.get(c.id)!) ?? { totalFen: 0, applied: [] };
  return finish(coupons, checks, { total: result.totalFen, coupons: picked, applied: result.applied }, rules, rejected);
}
