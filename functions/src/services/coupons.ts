/**
 * Coupons as shoppers meet them: 领券中心 (templates dropped by live `claim_center` campaigns), claiming one, 我的优惠券,
 * and the 新人礼包 handed out on sign-up. Using a coupon is part of checkout (services/checkout.ts).
 */
import {
  COUPON_STATUS_LABEL,
  DomainError,
  abVariant,
  campaignStatus,
  couponFromTemplate,
  couponLabel,
  formatShanghaiTime,
  liveCampaigns,
  type CampaignConfig,
  type CampaignUser,
  type ClaimableCoupon,
  type CouponDropCampaign,
  type CouponTemplate,
  type CouponView,
  type DropTrigger,
  type ListCouponsQuery,
  type PromotionScope,
} from '@shop/shared';
import { newId } from '../lib/ids';
import { logger } from '../lib/http';
import { campaignConfig } from '../providers/campaign-config';
import { catalogRepo } from '../repositories/catalog-repo';
import { couponRepo, type ClaimOutcome, type CouponItem } from '../repositories/coupon-repo';
import { pointsRepo } from '../repositories/points-repo';
import { orderRepo } from '../repositories/order-repo';
import { shopperSegments } from './segments';

/** Someone browsing without a session sees what a new shopper would. */
const VISITOR: CampaignUser = { id: 'visitor', level: 'NORMAL', isNew: true, segments: [] };

/** The shopper as campaigns target them: member level, 新/老用户, and the segment tags of their profile at `now`. */
export async function campaignUser(userId: string | null, now = Date.now()): Promise<CampaignUser> {
  if (!userId) return VISITOR;
  const [member, hasPaid, segments] = await Promise.all([pointsRepo.member(userId), orderRepo.hasPaidOrder(userId), shopperSegments(userId, now)]);
  return { id: userId, level: member?.level ?? 'NORMAL', isNew: !hasPaid, segments };
}

// ───────────── labels ─────────────

const CATEGORY_NAMES_TTL_MS = 60_000;
let categoryNames: { at: number; names: Promise<Map<string, string>> } | undefined;

/** Category names for "限美妆护肤" labels; cached a minute per container (categories rarely change). */
function categoryNameMap(now: number): Promise<Map<string, string>> {
  if (!categoryNames || now - categoryNames.at > CATEGORY_NAMES_TTL_MS) {
    const names = catalogRepo.categories().then((cs) => new Map(cs.map((c) => [c.id, c.name])));
    names.catch(() => (categoryNames = undefined));
    categoryNames = { at: now, names };
  }
  return categoryNames.names;
}

function scopeLabel(scope: PromotionScope, names: Map<string, string>): string {
  if (scope.type === 'all') return '全场通用';
  if (scope.type === 'categories') return `限${scope.categoryIds.map((id) => names.get(id) ?? id).join('、')}`;
  return '限指定商品';
}

function validityLabel(t: CouponTemplate): string {
  return t.validity.type === 'window'
    ? `${formatShanghaiTime(t.validity.startAt)} 至 ${formatShanghaiTime(t.validity.endAt)}`
    : `领取后 ${t.validity.days} 天内有效`;
}

/** EXPIRED is never written: an unused coupon past its end simply reads as expired. */
function displayStatus(c: CouponItem, now: number): CouponView['status'] {
  return c.status === 'UNUSED' && c.validTo <= now ? 'EXPIRED' : c.status;
}

function toCouponView(c: CouponItem, names: Map<string, string>, now: number): CouponView {
  const label = couponLabel(c);
  const status = displayStatus(c, now);
  return {
    id: c.id,
    templateId: c.templateId,
    name: c.name ?? label,
    label,
    kind: c.kind,
    thresholdFen: c.thresholdFen,
    offFen: c.offFen,
    percent: c.percent ?? null,
    capFen: c.capFen ?? null,
    scopeLabel: scopeLabel(c.scope, names),
    validFrom: c.validFrom,
    validTo: c.validTo,
    status,
    statusLabel: COUPON_STATUS_LABEL[status],
    orderId: c.orderId ?? null,
  };
}

// ───────────── 领券中心 ─────────────

const claimCenterDrops = (config: CampaignConfig) =>
  config.campaigns.filter((c): c is CouponDropCampaign => c.type === 'coupon_drop' && c.trigger === 'claim_center');

/** A drop hidden from this shopper's A/B variant is not shown at all (the reason would only confuse). */
const hiddenByExperiment = (c: CouponDropCampaign, user: CampaignUser) =>
  c.targeting.ab !== undefined && !c.targeting.ab.show.includes(abVariant(c.targeting.ab, user.id));

/** Why this shopper cannot claim from this drop now (null = they can). */
function dropRefusal(drop: CouponDropCampaign, template: CouponTemplate, user: CampaignUser, now: number): string | null {
  const status = campaignStatus(drop, now, user);
  if (!status.live) return status.reason;
  if (template.validity.type === 'window' && template.validity.endAt <= now) return '已过期';
  return null;
}

export async function couponCenter(userId: string | null, now: number): Promise<{ items: ClaimableCoupon[] }> {
  const [{ config }, user] = await Promise.all([campaignConfig(), campaignUser(userId, now)]);
  const templates = new Map(config.couponTemplates.map((t) => [t.id, t]));
  // Drops open now, highest priority first; a template dropped twice shows once, from a drop this shopper can use.
  const drops = claimCenterDrops(config)
    .filter((d) => d.enabled && d.window.startAt <= now && now < d.window.endAt && !hiddenByExperiment(d, user))
    .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
  const offers = new Map<string, { template: CouponTemplate; refusal: string | null }>();
  for (const d of drops) {
    for (const id of d.templateIds) {
      const template = templates.get(id);
      if (!template) continue;
      const refusal = dropRefusal(d, template, user, now);
      const seen = offers.get(id);
      if (!seen || (seen.refusal !== null && refusal === null)) offers.set(id, { template, refusal });
    }
  }
  const ids = [...offers.keys()];
  const [{ claimed, mine }, names] = await Promise.all([couponRepo.claimCounts(ids, userId), categoryNameMap(now)]);
  return {
    items: ids.map((id) => {
      const { template: t, refusal } = offers.get(id)!;
      const remaining = Math.max(0, t.totalStock - (claimed.get(id) ?? 0));
      const claimedByMe = mine.get(id) ?? 0;
      const reason = refusal ?? (remaining === 0 ? '已领完' : claimedByMe >= t.perUserLimit ? '已达领取上限' : null);
      const coupon = couponFromTemplate(t, { id: 'preview', claimedAt: now });
      return {
        templateId: t.id,
        name: t.name,
        label: couponLabel(coupon),
        scopeLabel: scopeLabel(t.scope, names),
        validityLabel: validityLabel(t),
        remaining,
        totalStock: t.totalStock,
        perUserLimit: t.perUserLimit,
        claimedByMe,
        canClaim: reason === null,
        reason,
      };
    }),
  };
}

// ───────────── claiming ─────────────

/**
 * One coupon of `template` from `drop` to the shopper, within the template's stock and per-user limit (the claim's one
 * transaction); `once` (a scheduled drop's grant key) makes it at most once per shopper and period.
 */
export async function grant(
  userId: string,
  template: CouponTemplate,
  drop: CouponDropCampaign,
  now: number,
  once?: { PK: string; SK: string },
): Promise<{ outcome: ClaimOutcome; coupon: CouponItem }> {
  const coupon: CouponItem = {
    ...couponFromTemplate(template, { id: newId(now), claimedAt: now }),
    userId,
    claimedAt: now,
    trigger: drop.trigger,
    campaignId: drop.id,
    orderId: null,
    lockedAt: null,
    usedAt: null,
  };
  const outcome = await couponRepo.claim(coupon, { totalStock: template.totalStock, perUserLimit: template.perUserLimit }, once);
  return { outcome, coupon };
}

/**
 * 领取: only a template a live `claim_center` drop offers this shopper, within its stock and per-user limit (both
 * checked in the claim's one transaction, never from a read).
 */
export async function claimCoupon(userId: string, templateId: string, now: number): Promise<CouponView> {
  const [{ config }, user] = await Promise.all([campaignConfig(), campaignUser(userId, now)]);
  const template = config.couponTemplates.find((t) => t.id === templateId);
  if (!template) throw new DomainError('COUPON_NOT_FOUND');
  const drops = claimCenterDrops(config).filter((d) => d.templateIds.includes(templateId));
  if (drops.length === 0) throw new DomainError('COUPON_NOT_CLAIMABLE', '该优惠券不在领券中心发放');
  const refusals = drops.map((d) => dropRefusal(d, template, user, now));
  const open = drops.find((_, i) => refusals[i] === null);
  if (!open) throw new DomainError('COUPON_NOT_CLAIMABLE', `该优惠券暂不可领取：${refusals[0]}`);
  const { outcome, coupon } = await grant(userId, template, open, now);
  if (outcome === 'sold_out') throw new DomainError('COUPON_SOLD_OUT');
  if (outcome === 'limit_reached') throw new DomainError('COUPON_LIMIT_REACHED', `每人限领 ${template.perUserLimit} 张`);
  if (outcome === 'busy') throw new DomainError('RATE_LIMITED', '领券人数较多，请稍后再试');
  return toCouponView(coupon, await categoryNameMap(now), now);
}

/**
 * Coupons a drop hands out by itself (trigger `new_user_gift` on sign-up): every template of every live drop of that
 * trigger, each within its stock and limit. A coupon that cannot be granted (sold out, already held) is skipped:
 * a gift never blocks the sign-up that triggered it.
 */
export async function grantDrops(userId: string, trigger: DropTrigger, user: CampaignUser, now: number): Promise<number> {
  const { config } = await campaignConfig();
  const templates = new Map(config.couponTemplates.map((t) => [t.id, t]));
  const drops = liveCampaigns(config, { at: now, user }).filter(
    (c): c is CouponDropCampaign => c.type === 'coupon_drop' && c.trigger === trigger,
  );
  let granted = 0;
  for (const drop of drops) {
    for (const id of drop.templateIds) {
      const template = templates.get(id);
      if (!template || (template.validity.type === 'window' && template.validity.endAt <= now)) continue;
      const { outcome } = await grant(userId, template, drop, now);
      if (outcome === 'claimed') granted++;
      else logger.info('drop coupon not granted', { userId, templateId: id, outcome });
    }
  }
  return granted;
}

// ───────────── 我的优惠券 ─────────────

export async function myCoupons(userId: string, q: ListCouponsQuery, now: number): Promise<{ items: CouponView[] }> {
  const [held, names] = await Promise.all([couponRepo.listForUser(userId), categoryNameMap(now)]);
  const views = held.map((c) => toCouponView(c, names, now));
  // 未使用 also lists coupons held by an unpaid order (使用中): cancelling the order gives them back.
  const tab = (v: CouponView) => (v.status === 'LOCKED' ? 'UNUSED' : v.status);
  const items = views.filter((v) => tab(v) === q.status);
  const usedAt = new Map(held.map((c) => [c.id, c.usedAt ?? 0]));
  items.sort((a, b) =>
    q.status === 'UNUSED'
      ? a.validTo - b.validTo || (a.id < b.id ? -1 : 1)
      : q.status === 'USED'
        ? (usedAt.get(b.id) ?? 0) - (usedAt.get(a.id) ?? 0)
        : b.validTo - a.validTo,
  );
  return { items };
}
