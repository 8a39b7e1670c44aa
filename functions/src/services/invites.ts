/**
 * 邀请好友: every shopper has a personal 邀请码 (random, made once, never the user id); a new account opened with it
 * records `invitedBy` once; the friend's first paid order then rewards the inviter (services/points.ts rewardInviter).
 */
import { randomBytes } from 'node:crypto';
import { maskNickname, type InviteView } from '@shop/shared';
import { DomainError } from '@shop/shared';
import type { OrderItem } from '../domain/order';
import { config } from '../lib/config';
import { logger } from '../lib/http';
import { membersConfig } from '../providers/members-config';
import { inviteRepo } from '../repositories/invite-repo';
import { pointsRepo } from '../repositories/points-repo';
import { userRepo } from '../repositories/user-repo';

/** Unambiguous letters and digits (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const DIGITS = '23456789';
const CODE_LENGTH = 8;
const CODE = /^[A-Z2-9]{8}$/;
const MAX_FRIENDS = 200;

/** 8 characters with at least one digit, so a code never reads like a word (or an all-capitals label). */
function randomCode(): string {
  const bytes = randomBytes(CODE_LENGTH + 2);
  const chars = Array.from(bytes.subarray(0, CODE_LENGTH), (b) => ALPHABET[b % ALPHABET.length]!);
  chars[bytes[CODE_LENGTH]! % CODE_LENGTH] = DIGITS[bytes[CODE_LENGTH + 1]! % DIGITS.length]!;
  return chars.join('');
}

/** The login page a friend opens: the mini-program path, and the web shop's link to it. */
function invitePath(code: string): string {
  return `/packageUser/pages/login/index?invite=${code}`;
}

/** The shopper's 邀请码, made on first use (a lost race reads the winner's). */
async function inviteCodeOf(userId: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const user = await userRepo.get(userId);
    if (!user) throw new DomainError('UNAUTHORIZED');
    if (user.inviteCode) return user.inviteCode;
    if (await inviteRepo.assign(userId, randomCode())) return (await userRepo.get(userId))!.inviteCode!;
  }
  throw new Error(`user ${userId}: no invite code could be assigned`);
}

/**
 * At the first login of a new account: records who invited it when `code` is a known 邀请码 of another shopper.
 * Never blocks the login (an unknown code records nothing).
 */
export async function recordInvite(userId: string, code: string, createdAt: number, now: number): Promise<boolean> {
  const normalized = code.trim().toUpperCase();
  if (!CODE.test(normalized)) return false;
  try {
    const inviter = await inviteRepo.ownerOf(normalized);
    if (!inviter || inviter === userId) return false;
    return await inviteRepo.recordInvitedBy(userId, inviter, createdAt, now);
  } catch (e) {
    logger.error('invite not recorded', { userId, error: e as Error });
    return false;
  }
}

/**
 * Who invited the payer of an order: the shopper whose 邀请码 opened the payer's account (`invitedBy`), else the
 * group-buy share the order came through (`group.inviter`). Null when nobody, or the payer themselves.
 */
export async function inviterOf(order: Pick<OrderItem, 'userId' | 'group'>): Promise<string | null> {
  const inviter = (await userRepo.get(order.userId))?.invitedBy ?? order.group?.inviter ?? null;
  return inviter && inviter !== order.userId ? inviter : null;
}

/** GET /v1/members/invite: code, link, rules, the friends who joined and what they earned the shopper. */
export async function inviteView(userId: string): Promise<InviteView> {
  const code = await inviteCodeOf(userId);
  const path = invitePath(code);
  const [friends, rewarded] = await Promise.all([inviteRepo.invitees(userId, MAX_FRIENDS), pointsRepo.entries(userId, 'INVITE#')]);
  const paidFriends = new Set(rewarded.map((e) => e.businessId.slice('INVITE#'.length)));
  const states = await Promise.all(
    friends.map(async (f) => paidFriends.has(f.id) || (await pointsRepo.paidOrders(f.id)).length > 0),
  );
  const points = membersConfig().points.invite.points;
  return {
    code,
    link: `${config().webBaseUrl}/#${path}`,
    path,
    rules: [
      '好友通过你的邀请链接或邀请码首次登录，即成为你邀请的好友',
      `好友完成首笔订单付款后，你可获得 ${points} 积分（每位好友一次）`,
      '每位完成首单的好友还计入会员等级的「邀请好友」成长',
    ],
    friends: friends.map((f, i) => ({ nickname: maskNickname(f.nickname), joinedAt: f.createdAt, firstOrderPaid: states[i] })),
    rewards: { points: rewarded.reduce((s, e) => s + e.delta + e.pendingDelta, 0), friendsRewarded: rewarded.length },
  };
}
