/**
 * What 首页 shows of the campaigns: a banner per live campaign and the flash-sale items with how many are sold, for
 * the shopper (or a visitor), with the server's clock so countdowns do not trust the phone's.
 */
import {
  inScope,
  isCampaignLive,
  shippingFor,
  liveCampaigns,
  yuan,
  zheLabel,
  type Campaign,
  type CampaignBanner,
  type FlashSaleCampaign,
  type FlashSaleItem,
  type HomeCampaignsResponse,
  type ProductSummary,
  type PromotionScope,
} from '@shop/shared';
import { campaignConfig } from '../providers/campaign-config';
import { campaignRepo } from '../repositories/campaign-repo';
import { catalogRepo } from '../repositories/catalog-repo';
import { campaignUser } from './coupons';

/** Flash sales starting within this long are shown ahead, with a countdown to their start. */
const UPCOMING_FLASH_MS = 24 * 3600 * 1000;

const short = (fen: number) => yuan(fen).slice(1);

/** The line under a banner's title when the operator wrote no description. */
function summary(c: Campaign): string | null {
  switch (c.type) {
    case 'spend_and_save':
      return c.tiers.map((t) => `满${short(t.thresholdFen)}减${short(t.offFen)}`).join('，');
    case 'gift_with_purchase':
      return `满${short(c.thresholdFen)}送赠品`;
    case 'flash_sale':
      return '限时抢购，抢完即止';
    case 'member_day': {
      const best = Math.min(...Object.values(c.percentByLevel).filter((p): p is number => p !== undefined));
      const day = c.weekday !== undefined ? `每周${'一二三四五六日'[c.weekday - 1]}` : `每月 ${c.dayOfMonth} 日`;
      return `${day}会员日，最低${zheLabel(best)}`;
    }
    case 'points_multiplier':
      return `购物积分 ${c.multiplier} 倍`;
    case 'group_deal':
      return `${c.groupSize} 人成团，拼团更优惠`;
    case 'coupon_drop':
      // Only the claim centre is something to tap on; the other drops arrive by themselves.
      return c.trigger === 'claim_center' ? '好券限量领取' : null;
    default:
      return null;
  }
}

/** Where a banner goes: the campaign's target, with a group deal's product (the page that offers 发起拼团). */
function bannerTarget(c: Campaign, all: Campaign[]): CampaignBanner['target'] | null {
  const t = c.target;
  if (t.type !== 'group_deal') return t;
  const deal = all.find((d) => d.id === t.campaignId && d.type === 'group_deal');
  return deal?.type === 'group_deal' ? { type: 'group_deal', campaignId: deal.id, productId: deal.productId } : null;
}

type ProductTag = ProductSummary['tags'][number];
const TAG_ORDER: ProductTag[] = [
  { kind: 'flash', label: '秒杀' },
  { kind: 'group', label: '拼团' },
  { kind: 'coupon', label: '券' },
  { kind: 'free_shipping', label: '包邮' },
];

/**
 * The tags of product cards, from what is live for every shopper now: 秒杀 (a flash price running), 拼团 (a group
 * deal open), 券 (a coupon in the claim centre covers it), 包邮 (one unit at its lowest price already ships free).
 * Campaigns for some shoppers only (levels, segments, experiments) tag nothing: a card is the same for everyone.
 */
export async function tagProducts(products: ProductSummary[], now: number): Promise<ProductSummary[]> {
  const [{ config }, visitor] = await Promise.all([campaignConfig(), campaignUser(null)]);
  const live = liveCampaigns(config, { at: now, user: visitor });
  const flash = new Set<string>();
  const group = new Set<string>();
  const couponScopes: PromotionScope[] = [];
  const templates = new Map(config.couponTemplates.map((t) => [t.id, t]));
  for (const c of live) {
    if (c.type === 'flash_sale') for (const i of c.items) flash.add(i.productId);
    if (c.type === 'group_deal') group.add(c.productId);
    if (c.type === 'coupon_drop' && c.trigger === 'claim_center')
      for (const id of c.templateIds) {
        const t = templates.get(id);
        if (t) couponScopes.push(t.scope);
      }
  }
  return products.map((p) => {
    const has: Record<ProductTag['kind'], boolean> = {
      flash: flash.has(p.id),
      group: group.has(p.id),
      coupon: couponScopes.some((scope) => inScope(scope, { productId: p.id, categoryId: p.categoryId })),
      free_shipping: p.priceFromFen > 0 && shippingFor(p.priceFromFen) === 0,
    };
    return { ...p, tags: TAG_ORDER.filter((t) => has[t.kind]) };
  });
}

export async function homeCampaigns(userId: string | null, now: number): Promise<HomeCampaignsResponse> {
  const [{ config }, user] = await Promise.all([campaignConfig(), campaignUser(userId, now)]);
  const live = liveCampaigns(config, { at: now, user });

  const banners: CampaignBanner[] = live.flatMap((c) => {
    const subtitle = summary(c);
    const target = bannerTarget(c, config.campaigns);
    if (subtitle === null || target === null) return [];
    return [{ campaignId: c.id, type: c.type, title: c.name, subtitle: c.description ?? subtitle, endsAt: c.window.endAt, target }];
  });

  const sales = config.campaigns
    .filter((c): c is FlashSaleCampaign => c.type === 'flash_sale')
    .filter(
      (c) =>
        isCampaignLive(c, now, user) ||
        (c.window.startAt > now && c.window.startAt - now <= UPCOMING_FLASH_MS && isCampaignLive(c, c.window.startAt, user)),
    )
    .sort((a, b) => a.window.startAt - b.window.startAt || b.priority - a.priority);
  const refs = sales.flatMap((c) => c.items.map((i) => ({ campaignId: c.id, productId: i.productId, skuId: i.skuId })));
  const [catalog, sold] = await Promise.all([
    refs.length ? catalogRepo.skusWithProducts(refs) : { skus: new Map(), products: new Map() },
    campaignRepo.flashSold(refs),
  ]);

  const flashSales: FlashSaleItem[] = sales.flatMap((c) =>
    c.items.flatMap((item) => {
      const sku = catalog.skus.get(item.skuId);
      const product = catalog.products.get(item.productId);
      if (!sku || !product || !product.onShelf) return [];
      const soldUnits = Math.min(item.quota, sold.get(`${c.id}#${item.skuId}`) ?? 0);
      return [
        {
          campaignId: c.id,
          productId: item.productId,
          skuId: item.skuId,
          title: product.title,
          image: sku.image ?? product.images[0],
          priceFen: item.priceFen,
          originalPriceFen: sku.priceFen,
          quota: item.quota,
          sold: soldUnits,
          perUserLimit: item.perUserLimit,
          startsAt: c.window.startAt,
          endsAt: c.window.endAt,
          soldOut: soldUnits >= item.quota || sku.stock <= 0,
        },
      ];
    }),
  );
  return { banners, flashSales, now };
}
