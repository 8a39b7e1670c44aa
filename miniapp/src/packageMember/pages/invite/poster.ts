import type { PosterLayout } from '../../../components/poster/draw';

/**
 * 邀请海报: the shopper's avatar and nickname, what a friend finds in the shop, the 邀请码 and a QR code of the invite
 * link (the server has no mini-program code for invites, so the link is the code in the mini-program too).
 */
export function invitePoster(inviter: { nickname: string; avatarSrc: string | null; code: string; link: string }): PosterLayout {
  return {
    header: '邀你一起来逛好物商城',
    image: inviter.avatarSrc ? { src: inviter.avatarSrc, shape: 'round' } : null,
    title: `${inviter.nickname} 邀请你加入`,
    highlight: `邀请码 ${inviter.code}`,
    lines: ['登录即成会员，签到领积分', '积分抵现金，兑换好礼', '升级会员享专属折扣'],
    footer: '长按识别，登录领会员福利',
    code: { kind: 'url', data: inviter.link },
  };
}
