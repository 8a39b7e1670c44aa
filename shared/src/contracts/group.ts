import { z } from 'zod';
import { EpochMs, FenAmount, Id, Label, Ref, Slug, Title, Url } from './common';

import { GROUP_STATUSES } from '../group-buy/types';
import { ShippingInfo } from './catalog';

const GroupStatusSchema = z.enum(GROUP_STATUSES);
/** A group is named after its leader's order: `g` + the order's ULID. */
export const GroupId = z.string().max(27, '拼团编号格式不正确').regex(/^g[0-9A-HJKMNP-TV-Z]{26}$/, '拼团编号格式不正确');

/** A group still open to join, as shown on product detail (去参团). */
const OpenGroupView = z.object({
  groupId: GroupId,
  token: Ref,
  leaderNickname: Label,
  leaderAvatar: Url.nullable(),
  seatsLeft: z.number().int().nonnegative(),
  deadlineAt: EpochMs,
});
type OpenGroupView = z.infer<typeof OpenGroupView>;

/** A live group deal of a product: 单独购买 ¥x next to 发起拼团 ¥y, and the groups one can join. */
export const GroupDealView = z.object({
  campaignId: Slug,
  name: Label,
  productId: Slug,
  groupSize: z.number().int().min(2).max(10),
  timeLimitMinutes: z.number().int().positive(),
  leaderFree: z.boolean(),
  endsAt: EpochMs,
  skus: z.array(z.object({ skuId: Slug, groupPriceFen: FenAmount, leaderPriceFen: FenAmount })),
  openGroups: z.array(OpenGroupView),
});
export type GroupDealView = z.infer<typeof GroupDealView>;
export const GroupDealsQuery = z.object({ productId: Slug });
export const GroupDealsResponse = z.object({ deals: z.array(GroupDealView), now: EpochMs });

/**
 * Start a group (no token) or join one (the share token). The order is at the group price and is paid with the
 * ordinary pay route; the seat is claimed when the payment notification arrives.
 */
export const CreateGroupOrderRequest = z.object({
  idempotencyKey: z.string().max(64, '提交标识格式不正确').regex(/^[A-Za-z0-9_-]{16,64}$/, '提交标识格式不正确'),
  campaignId: Slug,
  skuId: Slug,
  addressId: Id,
  /** The share token of the group to join; omit to start a new group. */
  groupToken: z.string().max(16, '拼团链接无效').regex(/^[A-Za-z0-9]{6,16}$/, '拼团链接无效').optional(),
  /** Who shared the link (their share token or user reference), for attribution. */
  inviter: z.string().max(64, '邀请人信息无效').optional(),
  remark: z.string().trim().max(100, '备注最多 100 字').default(''),
});
export type CreateGroupOrderRequest = z.infer<typeof CreateGroupOrderRequest>;

/**
 * 确认拼团订单's price: the order 确认开团 / 确认参团 would place for this deal, SKU and group (no token: start one),
 * priced by the same step that places it.
 */
export const GroupQuoteRequest = CreateGroupOrderRequest.pick({ campaignId: true, skuId: true, groupToken: true });
export type GroupQuoteRequest = z.infer<typeof GroupQuoteRequest>;
export const GroupQuoteView = z.object({
  role: z.enum(['leader', 'member']),
  /** What the line's price is: 团长价 when the leader pays less than a joiner, else 拼团价. */
  priceLabel: Label,
  /** What a joiner pays, when a leader pays less (null: the same price for everyone). */
  memberPriceFen: FenAmount.nullable(),
  line: z.object({
    productId: Slug,
    skuId: Slug,
    title: Title,
    specText: Label,
    image: Url,
    unitPriceFen: FenAmount,
    quantity: z.number().int().positive(),
    lineTotalFen: FenAmount,
  }),
  subtotalFen: FenAmount,
  shippingFen: FenAmount,
  /** The shipping rule charged (运费 ¥10，满 ¥99 包邮). */
  shipping: ShippingInfo,
  discountFen: FenAmount,
  discounts: z.array(z.object({ kind: Ref, label: Title, amountFen: FenAmount })),
  /** 实付: what the order placed now is charged. */
  payableFen: FenAmount,
});
export type GroupQuoteView = z.infer<typeof GroupQuoteView>;

/** What anyone who opens a share link sees, logged in or not: never an openid, phone, address or full nickname. */
export const GroupLandingResponse = z.object({
  groupId: GroupId,
  token: Ref,
  campaignId: Slug,
  status: GroupStatusSchema,
  statusLabel: Label,
  product: z.object({ id: Slug, name: Title, imageUrl: Url.nullable(), priceFen: FenAmount, groupPriceFen: FenAmount }),
  skuId: Slug,
  size: z.number().int(),
  seatsLeft: z.number().int().nonnegative(),
  deadlineAt: EpochMs,
  joinable: z.boolean(),
  members: z.array(z.object({ nickname: Label, avatarUrl: Url.nullable(), leader: z.boolean(), robot: z.boolean() })),
  /** The spec a joiner gets (the leader's SKU), e.g. 经典混合 15包. */
  specText: Label,
  /** The deal's terms for the rules: what the leader pays when it differs from the group price, 团长免单, time limit. */
  leaderPriceFen: FenAmount.nullable(),
  leaderFree: z.boolean(),
  timeLimitMinutes: z.number().int().positive().nullable(),
  /** The caller's seat in this group (null when logged out or not seated): decides 邀请好友 versus 参团. */
  viewerRole: z.enum(['leader', 'member']).nullable(),
  now: EpochMs,
});
export type GroupLandingResponse = z.infer<typeof GroupLandingResponse>;

/** 我的拼团. */
export const MyGroupView = z.object({
  groupId: GroupId,
  token: Ref,
  orderId: Id,
  role: z.enum(['leader', 'member']),
  status: GroupStatusSchema,
  statusLabel: Label,
  productTitle: Title,
  image: Url,
  groupPriceFen: FenAmount,
  /** What groupPriceFen is, in words: 团长价 when the leader paid a leader price, else 拼团价. */
  priceLabel: Label,
  size: z.number().int(),
  seatsLeft: z.number().int().nonnegative(),
  deadlineAt: EpochMs,
});
export type MyGroupView = z.infer<typeof MyGroupView>;
export const MyGroupsQuery = z.object({ status: GroupStatusSchema.optional() });
export const MyGroupsResponse = z.object({ items: z.array(MyGroupView), now: EpochMs });

/** Share card and poster data for a group (the path carries the short token and the inviter). */
export const GroupShareResponse = z.object({
  token: Ref,
  title: Title,
  /** Mini-program page path, starting with '/'. */
  path: Url.startsWith('/'),
  /** H5 link to the same landing page. */
  url: Url,
  imageUrl: Url,
  /** Poster code: a mini-program code image (production) or the H5 link to encode as a QR code (local). */
  code: z.object({ kind: z.enum(['wxacode', 'url']), data: z.string().max(1_000_000) }),
});
export type GroupShareResponse = z.infer<typeof GroupShareResponse>;

/** How an order takes part in a group (null for ordinary orders). */
export const OrderGroupInfo = z.object({
  campaignId: Slug,
  role: z.enum(['leader', 'member']),
  /** Null until the payment seats the shopper (a leader's group opens when the leader pays). */
  groupId: GroupId.nullable(),
  token: Ref.nullable(),
  /** PENDING = paid or unpaid but not seated yet. */
  status: z.enum(['PENDING', 'OPEN', 'SUCCESS', 'FAILED']),
  statusLabel: Label,
});
export type OrderGroupInfo = z.infer<typeof OrderGroupInfo>;
