/**
 * The group service (拼团): carries out what the pure rules in shared/src/group-buy decide, as conditional writes.
 * Seats are claimed at payment time (onGroupOrderPaid), never at order time; deadlines are applied by each group's
 * own schedule (groupDeadline) and by the sweeper as the safety net.
 */
import { randomBytes } from 'node:crypto';
import {
  DomainError,
  GROUP_REFUSALS,
  GROUP_STATUS_LABEL,
  deadlineOutcome,
  groupDeadline,
  groupPrice,
  groupTerms,
  joinBlocker,
  joinOrderExpiresAt,
  landingView,
  leaderOrderExpiresAt,
  leaderRefundOnSuccessFen,
  maskNickname,
  newShareToken,
  quote,
  seatDecision,
  seatMember,
  seatsLeft,
  GROUP_LANDING_CODE_PAGE,
  shareScene,
  sharePath,
  shareTitle,
  type CreateGroupOrderRequest,
  type GroupDealCampaign,
  type GroupDealView,
  type GroupQuoteRequest,
  type GroupQuoteView,
  type GroupLandingResponse,
  type GroupShareResponse,
  type MyGroupView,
  type OrderView,
  type Quote,
} from '@shop/shared';
import { config } from '../lib/config';
import { logger } from '../lib/http';
import { campaignConfig } from '../providers/campaign-config';
import { wechatMpShared, type PosterCode, type WechatMp } from '../providers/wechat-mp';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import { catalogRepo } from '../repositories/catalog-repo';
import { keyId } from '../repositories/batch';
import { groupRepo, type GroupItem, type MemberItem, type StoredGroup } from '../repositories/group-repo';
import { keys } from '../repositories/keys';
import { orderRepo } from '../repositories/order-repo';
import { addressSnapshot, type OrderItem, type ShippingAddress } from '../domain/order';
import { userRepo } from '../repositories/user-repo';
import { outOfStock, placeOrder, type KeyLookup, type PlacementKind, type ResolvedLine } from './placement';
import { shippingInfo } from './pricing';
import { requestRefund, type RefundReason } from './refunds';
import { sendGroupNotice, sendGroupNotices } from './group-notices';

async function deal(campaignId: string): Promise<GroupDealCampaign | null> {
  const { config: cfg } = await campaignConfig();
  const c = cfg.campaigns.find((x) => x.id === campaignId);
  return c && c.type === 'group_deal' ? c : null;
}

async function liveDeal(campaignId: string, now: number): Promise<GroupDealCampaign> {
  const d = await deal(campaignId);
  if (!d || !d.enabled || now < d.window.startAt || now >= d.window.endAt) throw new DomainError('NOT_FOUND', '拼团活动不存在或已结束');
  return d;
}

async function groupOfToken(token: string): Promise<StoredGroup> {
  const id = await groupRepo.groupIdOfToken(token);
  const g = id ? await groupRepo.get(id) : null;
  if (!g) throw new DomainError('NOT_FOUND', '拼团不存在');
  return g;
}

/** The terms that price a group order: the deal, its SKU and the group joined (none: the shopper starts one). */
type GroupTerms = Pick<CreateGroupOrderRequest, 'campaignId' | 'skuId' | 'groupToken'>;

/** A group order priced: one unit of the deal's SKU at the group (or leader) price, as a quote. */
interface PricedGroup {
  deal: GroupDealCampaign;
  role: 'leader' | 'member';
  joining: StoredGroup | null;
  quote: Quote;
  /** The shipping address read along, when one was named. */
  address: ShippingAddress | null;
}

/**
 * The one price step of a group order, for 确认拼团订单's quote and for placing the order: the live deal, the group
 * joined (refused when it cannot take the shopper), the SKU on shelf and in stock, then quote() at the deal's price
 * for the role. Reads the address and the checkout key (placement) in the same BatchGet as the SKU.
 */
async function priceGroup(
  userId: string,
  req: GroupTerms,
  line: ResolvedLine,
  now: number,
  read: { addressId?: string; key?: KeyLookup } = {},
): Promise<PricedGroup> {
  const d = await liveDeal(req.campaignId, now);
  if (!d.skus.some((s) => s.skuId === line.skuId)) throw new DomainError('SKU_NOT_FOUND');
  let joining: StoredGroup | null = null;
  if (req.groupToken) {
    joining = await groupOfToken(req.groupToken);
    if (joining.item.campaignId !== d.id) throw new DomainError('NOT_FOUND', '拼团不存在');
    const blocker = joinBlocker(joining.group, userId, now);
    if (blocker) throw new DomainError('ORDER_STATE_CONFLICT', GROUP_REFUSALS[blocker], { groupRefusal: blocker });
  }
  const role = joining ? 'member' : 'leader';
  const addressKey = read.addressId ? keys.address(userId, read.addressId) : null;
  const { skus, products, extra } = await catalogRepo.skusWithProducts([line], [...(addressKey ? [addressKey] : []), ...(read.key ? [read.key.key] : [])]);
  read.key?.seen(extra as Record<string, unknown>[]);
  const sku = skus.get(line.skuId);
  const product = products.get(line.productId);
  if (!sku || !product || sku.productId !== line.productId) throw new DomainError('SKU_NOT_FOUND', undefined, { skuId: line.skuId });
  if (!product.onShelf) throw new DomainError('OFF_SHELF', `商品已下架：${product.title}`, { skuId: line.skuId });
  if (sku.stock < line.quantity) throw outOfStock({ skuId: line.skuId, title: product.title, specText: sku.specText }, sku.stock);
  let address: ShippingAddress | null = null;
  if (addressKey) {
    address = (extra.find((i) => keyId(i as { PK: string; SK: string }) === keyId(addressKey)) as ShippingAddress | undefined) ?? null;
    if (!address) throw new DomainError('ADDRESS_NOT_FOUND');
  }
  const q = quote([
    { productId: line.productId, skuId: line.skuId, title: product.title, specText: sku.specText, image: sku.image ?? product.images[0], unitPriceFen: groupPrice(d, line.skuId, role), quantity: line.quantity },
  ]);
  return { deal: d, role, joining, quote: q, address };
}

/** The one line of a group order: one unit of the deal's SKU. */
async function groupLine(req: GroupTerms): Promise<ResolvedLine> {
  const d = await deal(req.campaignId);
  if (!d) throw new DomainError('NOT_FOUND', '拼团活动不存在或已结束');
  return { productId: d.productId, skuId: req.skuId, quantity: 1 };
}

/**
 * A group order as a kind of the placement pipeline: one unit of the deal's SKU at the group (or leader) price, with
 * the deal's stock quota and the shopper's limit counted in the placing transaction. Its line comes from the request,
 * so a retry hashes the same; the deal's campaign, the group joined and the inviter are its terms.
 */
const groupOrder: PlacementKind<CreateGroupOrderRequest> = {
  name: 'group',
  sourceType: 'buyNow',
  clearsCart: false,
  terms: (req) => [req.campaignId, req.groupToken ?? null, req.inviter ?? null],
  async resolve(_userId, req) {
    return [await groupLine(req)];
  },
  async price(userId, req, lines, now, key) {
    const [line] = lines;
    const { deal: d, role, joining, quote: q, address } = await priceGroup(userId, req, line, now, { addressId: req.addressId, key });
    if (!address) throw new DomainError('ADDRESS_NOT_FOUND');
    const window = config().paymentWindowMs;
    return {
      quote: q,
      address: addressSnapshot(address),
      // The group price is the deal's, not the list price: a list price edit does not refuse a group order.
      stock: [line],
      couponIds: [],
      flashSales: [],
      gifts: [],
      group: {
        campaignId: d.id,
        role,
        groupId: joining?.item.id ?? null,
        token: joining?.item.token ?? null,
        status: 'PENDING',
        inviter: req.inviter ?? null,
        take: { campaignId: d.id, quantity: line.quantity, quota: d.stockQuota, perUserLimit: d.perUserLimit },
      },
      deadlineAt: joining ? joinOrderExpiresAt(joining.group, now, window) : leaderOrderExpiresAt(d, now, window),
      note: joining ? '参团订单已提交，等待付款' : '开团订单已提交，等待付款',
    };
  },
};

/**
 * 确认拼团订单: what the order 确认开团 / 确认参团 places is charged (the line at the group or leader price, 运费,
 * discounts, 实付), from the group order's own price step, so the page and the charge cannot differ.
 */
export async function quoteGroupOrder(userId: string, req: GroupQuoteRequest, now: number): Promise<GroupQuoteView> {
  const { deal: d, role, quote: q } = await priceGroup(userId, req, await groupLine(req), now);
  const [line] = q.lines;
  const leaderPriceFen = distinctLeaderPriceFen(d, line.skuId);
  return {
    role,
    priceLabel: role === 'leader' && leaderPriceFen !== null ? '团长价' : '拼团价',
    memberPriceFen: role === 'leader' && leaderPriceFen !== null ? groupPrice(d, line.skuId, 'member') : null,
    line: {
      productId: line.productId,
      skuId: line.skuId,
      title: line.title,
      specText: line.specText,
      image: line.image,
      unitPriceFen: line.unitPriceFen,
      quantity: line.quantity,
      lineTotalFen: line.lineTotalFen,
    },
    subtotalFen: q.subtotalFen,
    shippingFen: q.shippingFen,
    shipping: shippingInfo(),
    discountFen: q.discountFen,
    discounts: q.discounts,
    payableFen: q.payableFen,
  };
}

/**
 * Starts (no token) or joins (token) a group: an ordinary order at the group price, placed by the placement pipeline
 * (key first, one transaction). A join is refused early when the group is obviously closed or full, but the seat
 * itself is only claimed when the payment is confirmed.
 */
export function createGroupOrder(userId: string, req: CreateGroupOrderRequest, now: number): Promise<OrderView> {
  return placeOrder(groupOrder, userId, req, now);
}

// ───────────── read models ─────────────

export async function groupDeals(productId: string, now: number): Promise<{ deals: GroupDealView[]; now: number }> {
  const { config: cfg } = await campaignConfig();
  const live = cfg.campaigns.flatMap((c) =>
    c.type === 'group_deal' && c.enabled && c.productId === productId && c.window.startAt <= now && now < c.window.endAt ? [c] : [],
  );
  const deals = await Promise.all(
    live.map(async (d): Promise<GroupDealView> => {
      const open = (await groupRepo.openOfDeal(d.id, 20)).filter((g) => g.status === 'OPEN' && g.deadline > now && g.memberCount < g.size);
      const leaders = await Promise.all(open.map((g) => userRepo.get(g.leaderUserId)));
      return {
        campaignId: d.id,
        name: d.name,
        productId: d.productId,
        groupSize: d.groupSize,
        timeLimitMinutes: d.timeLimitMinutes,
        leaderFree: d.leaderFree,
        endsAt: d.window.endAt,
        skus: d.skus.map((s) => ({ skuId: s.skuId, groupPriceFen: s.groupPriceFen, leaderPriceFen: groupPrice(d, s.skuId, 'leader') })),
        openGroups: open.map((g, i) => ({
          groupId: g.id,
          token: g.token,
          leaderNickname: maskNickname(leaders[i]?.nickname),
          leaderAvatar: leaders[i]?.avatar || null,
          seatsLeft: g.size - g.memberCount,
          deadlineAt: g.deadline,
        })),
      };
    }),
  );
  return { deals, now };
}

/** The deal of a group, when it still has the group's SKU (a config edit may have dropped either). */
async function dealOfSku(campaignId: string, skuId: string): Promise<GroupDealCampaign | null> {
  const d = await deal(campaignId);
  return d && d.skus.some((s) => s.skuId === skuId) ? d : null;
}

/** What the leader pays when it differs from what a joiner pays (null: the same price). */
function distinctLeaderPriceFen(d: GroupDealCampaign, skuId: string): number | null {
  const leader = groupPrice(d, skuId, 'leader');
  return leader === groupPrice(d, skuId, 'member') ? null : leader;
}

/**
 * The public landing page of a group. `viewerId` is the caller when a session came with the request (the route is
 * public): it only decides viewerRole, so a seated shopper is offered 邀请好友 and anyone else 参团.
 */
export async function groupLanding(token: string, now: number, viewerId: string | null = null): Promise<GroupLandingResponse> {
  const stored = await groupOfToken(token);
  const { item, members } = stored;
  const { skus, products } = await catalogRepo.skusWithProducts([{ productId: item.productId, skuId: item.skuId }]);
  const product = products.get(item.productId);
  const sku = skus.get(item.skuId);
  const d = await dealOfSku(item.campaignId, item.skuId);
  const groupPriceFen = d ? groupPrice(d, item.skuId, 'member') : (sku?.priceFen ?? 0);
  const seat = viewerId ? stored.group.members.find((m) => m.userId === viewerId && !m.robot) : undefined;
  const view = landingView(
    stored.group,
    members.map((m) => ({ userId: m.userId, nickname: m.nickname, avatarUrl: m.avatarUrl })),
    { id: item.productId, name: product?.title ?? '', imageUrl: sku?.image ?? product?.images[0] ?? null, priceFen: sku?.priceFen ?? 0, groupPriceFen },
  );
  return {
    groupId: view.groupId,
    token: item.token,
    campaignId: view.campaignId,
    status: view.status,
    statusLabel: view.statusLabel,
    product: view.product,
    skuId: item.skuId,
    size: view.size,
    seatsLeft: view.seatsLeft,
    deadlineAt: view.deadline,
    joinable: view.joinable && now < view.deadline,
    members: view.members,
    specText: sku?.specText ?? '',
    leaderPriceFen: d ? distinctLeaderPriceFen(d, item.skuId) : null,
    leaderFree: d ? leaderRefundOnSuccessFen(d, item.skuId) > 0 : false,
    timeLimitMinutes: d?.timeLimitMinutes ?? null,
    viewerRole: seat ? seat.role : null,
    now,
  };
}

export async function myGroups(userId: string, status: string | undefined, now: number): Promise<{ items: MyGroupView[]; now: number }> {
  const seats = await groupRepo.seatsOfUser(userId);
  const groups = await Promise.all(seats.map((s) => groupRepo.get(s.groupId)));
  const items: MyGroupView[] = [];
  for (const [i, s] of seats.entries()) {
    const g = groups[i];
    if (!g || !s.orderId || (status && g.item.status !== status)) continue;
    const order = await orderRepo.get(s.orderId);
    const d = s.role === 'leader' ? await dealOfSku(g.item.campaignId, g.item.skuId) : null;
    items.push({
      groupId: g.item.id,
      token: g.item.token,
      orderId: s.orderId,
      role: s.role,
      status: g.item.status,
      statusLabel: GROUP_STATUS_LABEL[g.item.status],
      productTitle: order?.lines[0]?.title ?? '',
      image: order?.lines[0]?.image ?? '',
      groupPriceFen: order?.lines[0]?.unitPriceFen ?? 0,
      priceLabel: d && distinctLeaderPriceFen(d, g.item.skuId) !== null ? '团长价' : '拼团价',
      size: g.item.size,
      seatsLeft: seatsLeft(g.group),
      deadlineAt: g.item.deadline,
    });
  }
  return { items, now };
}

/**
 * The poster's code for a group: the mini-program code from getwxacodeunlimit (scene `t=<token>`, the landing page)
 * where there is WeChat, the H5 link (drawn as a QR code) in the sandbox. A code is made once per share token and
 * kept in the table; if WeChat cannot make one, the poster falls back to the link and the next share tries again.
 */
async function posterCode(token: string, url: string, mp: WechatMp): Promise<PosterCode> {
  const key = keys.groupCode(token);
  const hit = await db().send(new GetCommand({ TableName: table(), Key: key }));
  if (hit.Item?.kind === 'wxacode' && typeof hit.Item.data === 'string') return { kind: 'wxacode', data: hit.Item.data };
  let code: PosterCode;
  try {
    code = await mp.posterCode({ scene: shareScene(token), page: GROUP_LANDING_CODE_PAGE, h5Url: url });
  } catch (e) {
    logger.warn('poster code not made; the poster shows the link', { token, error: e as Error });
    return { kind: 'url', data: url };
  }
  if (code.kind === 'wxacode') {
    await db()
      .send(new PutCommand({ TableName: table(), Item: { ...key, kind: code.kind, data: code.data } }))
      .catch((e: unknown) => logger.warn('poster code not cached', { token, error: e as Error }));
  }
  return code;
}

/** Share card and poster data (the poster code: see posterCode). */
export async function groupShare(userId: string, groupId: string, mp: WechatMp = wechatMpShared()): Promise<GroupShareResponse> {
  const stored = await groupRepo.get(groupId);
  if (!stored || !stored.members.some((m) => m.userId === userId)) throw new DomainError('NOT_FOUND', '拼团不存在');
  const { item } = stored;
  const order = stored.members.find((m) => m.userId === userId)?.orderId;
  const o = order ? await orderRepo.get(order) : null;
  const line = o?.lines[0];
  const path = sharePath(item.token);
  // The stage's web shop (locally the running stack's web server): the link a friend opens and the poster's QR code.
  const url = `${config().webBaseUrl}/#${path}`;
  return {
    token: item.token,
    title: shareTitle(line?.title ?? '拼团', seatsLeft(stored.group), line?.unitPriceFen ?? 0),
    path,
    url,
    imageUrl: line?.image ?? '',
    code: await posterCode(item.token, url, mp),
  };
}
