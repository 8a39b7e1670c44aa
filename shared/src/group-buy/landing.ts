/**
 * What the group landing page may show. The page is public (anyone holding a link sees it before logging in), so
 * its data is built field by field from an allow-list: no openid, phone, address, user id, order id or full
 * nickname can reach it, whatever the caller passes in.
 */
import type { Fen } from '../money';
import { seatsLeft } from './state';
import { GROUP_STATUS_LABEL, type Group, type GroupStatus } from './types';

/** Shown for a member without a nickname (WeChat's own default since profile access was restricted). */
const DEFAULT_NICKNAME = '微信用户';
/** How robot members are shown: flagged, never dressed up as people. */
const ROBOT_NICKNAME = '系统补位';

/**
 * A nickname with all but its first character hidden: 小明 → 小*, 张三丰 → 张**, longer names → first + ***
 * (three stars at most, so the length of a long name is not given away either). A one-character name would be shown
 * whole by that rule, so it becomes '*'. Characters are counted by code point, so an emoji is one character.
 */
export function maskNickname(name: string | null | undefined): string {
  const chars = Array.from((name ?? '').trim());
  if (chars.length === 0) return DEFAULT_NICKNAME;
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

/** Profile data as the service has it; anything beyond nickname and avatar is ignored. */
export interface LandingMemberProfile {
  userId: string;
  nickname?: string | null;
  avatarUrl?: string | null;
  [other: string]: unknown;
}

export interface LandingProduct {
  id: string;
  name: string;
  imageUrl?: string | null;
  /** 单独购买 price. */
  priceFen: Fen;
  /** The price a joiner pays (groupPrice(deal, skuId, 'member')). */
  groupPriceFen: Fen;
  [other: string]: unknown;
}

interface LandingMember {
  nickname: string;
  avatarUrl: string | null;
  leader: boolean;
  robot: boolean;
}

export interface GroupLandingView {
  groupId: string;
  campaignId: string;
  status: GroupStatus;
  statusLabel: string;
  product: { id: string; name: string; imageUrl: string | null; priceFen: Fen; groupPriceFen: Fen };
  size: number;
  seatsLeft: number;
  /** Epoch ms; the page counts down to it. */
  deadline: number;
  /** Open with seats left (the deadline is checked again when a joiner pays). */
  joinable: boolean;
  members: LandingMember[];
}

/** Only http(s) image URLs pass, so nothing else can be smuggled into an <image> src. */
/** Only web addresses and site-relative paths (our own catalog images) pass; anything else (javascript:, data:) is dropped. */
function publicUrl(url: unknown): string | null {
  return typeof url === 'string' && (/^https?:\/\/[^\s]+$/.test(url) || /^\/[A-Za-z0-9._~\/-]+$/.test(url)) ? url : null;
}

export function landingView(group: Group, members: LandingMemberProfile[], product: LandingProduct): GroupLandingView {
  const profiles = new Map(members.map((p) => [p.userId, p]));
  const left = seatsLeft(group);
  return {
    groupId: group.id,
    campaignId: group.campaignId,
    status: group.status,
    statusLabel: GROUP_STATUS_LABEL[group.status],
    product: {
      id: product.id,
      name: product.name,
      imageUrl: publicUrl(product.imageUrl),
      priceFen: product.priceFen,
      groupPriceFen: product.groupPriceFen,
    },
    size: group.terms.size,
    seatsLeft: left,
    deadline: group.deadline,
    joinable: group.status === 'OPEN' && left > 0,
    members: group.members.map((m): LandingMember => {
      if (m.robot) return { nickname: ROBOT_NICKNAME, avatarUrl: null, leader: false, robot: true };
      const profile = profiles.get(m.userId);
      return {
        nickname: maskNickname(profile?.nickname),
        avatarUrl: publicUrl(profile?.avatarUrl),
        leader: m.role === 'leader',
        robot: false,
      };
    }),
  };
}
