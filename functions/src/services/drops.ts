/**
 * The scheduled coupon drops of the campaign files (`coupon_drop` with trigger birthday, share_reward, win_back) grant
 * by themselves, exactly once per shopper and period: every coupon of a grant is claimed in one transaction with a
 * `DROPGRANT#<campaign>#<period>#<template>` item put only if new, so a job that runs twice (or two at once) grants
 * once. The period is the birthday's year, the invited friend (share_reward), or the last paid order before the
 * shopper went quiet (win_back: a shopper who comes back and goes quiet again is welcomed again).
 *
 *   birthday      daily job: shoppers whose birthday (on the profile, set by PUT /v1/me/birthday) is this month
 *   share_reward  the table's stream: a friend's first paid order that came through the shopper's share (their
 *                 invite code, `invitedBy`, else group.inviter)
 *   win_back      daily job: shoppers whose last paid order is older than the drop's `dormant-<N>d` segment (90 days)
 */
import {
  DomainError,
  liveCampaigns,
  shanghaiParts,
  type CampaignUser,
  type CouponDropCampaign,
  type MemberLevel,
} from '@shop/shared';
import { logger } from '../lib/http';
import { campaignConfig } from '../providers/campaign-config';
import { dropRepo } from '../repositories/drop-repo';
import { keys } from '../repositories/keys';
import { orderRepo } from '../repositories/order-repo';
import { pointsRepo } from '../repositories/points-repo';
import type { OrderItem } from '../domain/order';
import { grant } from './coupons';
import { inviterOf } from './invites';

type ScheduledTrigger = 'birthday' | 'share_reward' | 'win_back';

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_DORMANT_DAYS = 90;

/** The shopper as drops target them: their level, whether they have paid, their birthday. */
async function dropUser(userId: string, extra: Partial<CampaignUser> = {}): Promise<CampaignUser> {
  const [member, birthday, hasPaid] = await Promise.all([pointsRepo.member(userId), dropRepo.birthdayOf(userId), orderRepo.hasPaidOrder(userId)]);
  return {
    id: userId,
    level: (member?.level as MemberLevel | undefined) ?? 'NORMAL',
    isNew: !hasPaid,
    segments: [],
    ...(birthday ? { birthday } : {}),
    ...extra,
  };
}

/**
 * Grants every coupon of the live drops of `trigger` for this shopper and period, once. Returns the coupons granted
 * now (0 when the period was granted before, the drop is not live for the shopper, or a coupon is sold out).
 */
async function grantOnce(userId: string, trigger: ScheduledTrigger, period: string, user: CampaignUser, now: number, only?: (d: CouponDropCampaign) => boolean): Promise<number> {
  const { config } = await campaignConfig();
  const templates = new Map(config.couponTemplates.map((t) => [t.id, t]));
  const drops = liveCampaigns(config, { at: now, user }).filter(
    (c): c is CouponDropCampaign => c.type === 'coupon_drop' && c.trigger === trigger && (!only || only(c)),
  );
  let granted = 0;
  for (const drop of drops) {
    for (const id of drop.templateIds) {
      const template = templates.get(id);
      if (!template || (template.validity.type === 'window' && template.validity.endAt <= now)) continue;
      const { outcome } = await grant(userId, template, drop, now, keys.dropGrant(userId, drop.id, period, id));
      if (outcome === 'claimed') granted++;
      else if (outcome !== 'already') logger.info('drop coupon not granted', { userId, campaignId: drop.id, templateId: id, outcome });
    }
  }
  return granted;
}

// ───────────── birthday ─────────────

const BIRTHDAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Sets the shopper's birthday (`MM-DD`) on their profile, indexed by month for the birthday drop. */
export async function setBirthday(userId: string, birthday: string): Promise<{ birthday: string }> {
  if (!BIRTHDAY.test(birthday)) throw new DomainError('VALIDATION_FAILED', '生日格式应为 月-日，如 03-18');
  if (!(await dropRepo.setBirthday(userId, birthday))) throw new DomainError('NOT_FOUND', '用户不存在');
  return { birthday };
}

// ───────────── win_back ─────────────

/** `dormant-<N>d` in a win_back drop's targeting says how long "quiet" is. */
function dormantDays(drop: CouponDropCampaign): { days: number; segment: string | null } {
  for (const s of drop.targeting.segments) {
    const m = /^dormant-(\d+)d$/.exec(s);
    if (m) return { days: Number(m[1]), segment: s };
  }
  return { days: DEFAULT_DORMANT_DAYS, segment: null };
}

// ───────────── the job and the stream ─────────────

/** The daily job: birthday and win_back drops, each once per shopper and period however often it runs. */
export async function runDropJobs(now: number): Promise<{ birthday: number; winBack: number }> {
  const { config } = await campaignConfig();
  const today = shanghaiParts(now);
  let birthday = 0;
  for (const userId of await dropRepo.birthdayShoppers(String(today.month).padStart(2, '0'))) {
    birthday += await grantOnce(userId, 'birthday', String(today.year), await dropUser(userId), now);
  }
  let winBack = 0;
  const winBackDrops = config.campaigns.filter((c): c is CouponDropCampaign => c.type === 'coupon_drop' && c.trigger === 'win_back' && c.enabled);
  for (const drop of winBackDrops) {
    const { days, segment } = dormantDays(drop);
    for (const q of await dropRepo.quietSince(now - days * DAY_MS)) {
      const user = await dropUser(q.userId, segment ? { segments: [segment] } : {});
      winBack += await grantOnce(q.userId, 'win_back', q.orderId, user, now, (d) => d.id === drop.id);
    }
  }
  return { birthday, winBack };
}

/**
 * What a change of the table means for drops (called once per stream record): an order that became PAID is the
 * payer's last paid order (win_back), and a friend's first paid order through a share rewards the sharer.
 */
export async function onChangeForDrops(change: { next: Record<string, any> | null; previous: Record<string, any> | null }, now: number): Promise<string> {
  const { next, previous } = change;
  if (next?.type !== 'order' || next.status !== 'PAID' || previous?.status === 'PAID' || !next.paidAt) return 'none';
  const order = next as OrderItem;
  await dropRepo.notePaid(order.userId, order.id, order.paidAt!);
  const inviter = await inviterOf(order);
  if (!inviter) return 'drops-paid';
  const paid = await pointsRepo.paidOrders(order.userId);
  const earlier = paid.some((o) => o.id !== order.id && (o.paidAt < order.paidAt! || (o.paidAt === order.paidAt && o.id < order.id)));
  if (earlier) return 'drops-paid';
  const granted = await grantOnce(inviter, 'share_reward', `FRIEND-${order.userId}`, await dropUser(inviter), now);
  return granted ? 'drops-share-reward' : 'drops-paid';
}
