import { createHash } from 'node:crypto';
import type { DemoUser, LoginResponse, UserView } from '@shop/shared';
import { DomainError } from '@shop/shared';
import type { WechatLogin } from '../providers/wechat-login/types';
import { newId } from '../lib/ids';
import { issueSession } from '../lib/session';
import { userRepo, type UserItem } from '../repositories/user-repo';
import { logger } from '../lib/http';
import { grantDrops } from './coupons';
import { recordInvite } from './invites';

function toUserView(u: UserItem): UserView {
  return { id: u.id, nickname: u.nickname, avatar: u.avatar, createdAt: u.createdAt, birthday: u.birthday ?? null };
}

/** Names shown until the shopper sets a profile: stable per user, never the openid; digits, so never read as a code. */
function defaultNickname(userId: string): string {
  const n = createHash('sha256').update(userId).digest().readUInt16BE(0) % 10_000;
  return `微信用户${String(n).padStart(4, '0')}`;
}

const DEFAULT_AVATAR = '/catalog-images/avatar-1.svg';

/**
 * Exchanges a wx.login code for our own session: code2session on the server (session_key stays here), then finds or
 * creates the user by openid.
 */
export async function login(
  code: string,
  deps: { wechatLogin: WechatLogin; now: number; inviteCode?: string },
): Promise<LoginResponse> {
  const { openid, unionid } = await deps.wechatLogin.code2session(code);
  let userId = await userRepo.userIdForOpenid(openid);
  let isNewUser = false;
  if (!userId) {
    const id = newId(deps.now);
    const created = await userRepo.create({
      id,
      openid,
      unionid: unionid ?? null,
      nickname: defaultNickname(id),
      avatar: DEFAULT_AVATAR,
      createdAt: deps.now,
      lastLoginAt: deps.now,
      defaultAddressId: null,
    });
    userId = created ? id : await userRepo.userIdForOpenid(openid);
    isNewUser = created;
    if (!userId) throw new DomainError('LOGIN_FAILED');
  }
  if (isNewUser && deps.inviteCode) await recordInvite(userId, deps.inviteCode, deps.now, deps.now);
  if (isNewUser) await welcomeGifts(userId, deps.now);
  const user = await userRepo.touchLogin(userId, deps.now);
  const session = await issueSession(user.id, deps.now);
  return { ...session, user: toUserView(user), isNewUser };
}

/** 新人礼包: the live `new_user_gift` drops, granted once, when the account is created. Never blocks the sign-up. */
export async function welcomeGifts(userId: string, now: number): Promise<void> {
  try {
    await grantDrops(userId, 'new_user_gift', { id: userId, level: 'NORMAL', isNew: true, segments: [] }, now);
  } catch (e) {
    logger.error('new-user coupons not granted', { userId, error: e as Error });
  }
}

export async function me(userId: string): Promise<UserView> {
  const user = await userRepo.get(userId);
  if (!user) throw new DomainError('UNAUTHORIZED');
  return toUserView(user);
}

/** Local stage: the seeded demo shoppers whose sandbox login codes the H5 app offers. */
export async function demoUsers(): Promise<{ users: DemoUser[] }> {
  return { users: await userRepo.demoUsers() };
}
