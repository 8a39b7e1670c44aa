import { beforeAll, describe, expect, it } from 'vitest';
import { campaignFolder, freshTable } from '../../tests/support/table';
import { call } from '../../tests/support/http';
import { testProduct } from '../../tests/support/shop';
import * as campaigns from '../src/handlers/campaigns';
import * as catalog from '../src/handlers/catalog';
import * as searchHandlers from '../src/handlers/search';

/** Five products of their own, each in one deal or none, so every tag has a reason and a product without it. */
const YAML = `
couponTemplates:
  - id: tpl-home-5
    name: 指定商品立减5元
    kind: no_threshold
    offFen: 500
    scope: { productIds: [p-home-coupon] }
    validity: { type: days_after_claim, days: 7 }
    totalStock: 100
campaigns:
  - id: home-claim
    name: 领券中心
    type: coupon_drop
    trigger: claim_center
    templateIds: [tpl-home-5]
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
  - id: home-flash
    name: 首页秒杀
    type: flash_sale
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    items:
      - { productId: p-home-flash, skuId: sku-home-flash-sku0, priceFen: 990, quota: 10, perUserLimit: 1 }
  - id: home-group
    name: 首页拼团
    type: group_deal
    productId: p-home-group
    skus: [{ skuId: sku-home-group-sku0, groupPriceFen: 3990 }]
    groupSize: 2
    timeLimitMinutes: 60
    stockQuota: 10
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
  - id: home-manjian
    name: 家居满减
    type: spend_and_save
    tiers: [{ thresholdFen: 10000, offFen: 1000 }]
    target: { groupDeal: home-group }
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
  - id: home-gold-flash
    name: 金卡专享秒杀
    type: flash_sale
    targeting: { levels: [GOLD] }
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    items:
      - { productId: p-home-plain, skuId: sku-home-plain-sku0, priceFen: 990, quota: 10, perUserLimit: 1 }
`;

beforeAll(async () => {
  await freshTable({ CAMPAIGNS_DIR: campaignFolder({ 'home.yaml': YAML }) });
  await testProduct('p-home-flash', 10, 5900);
  await testProduct('p-home-group', 10, 5900);
  await testProduct('p-home-coupon', 10, 5900);
  await testProduct('p-home-free', 10, 12900);
  await testProduct('p-home-plain', 10, 5900);
});

describe('首页', () => {
  it('every banner says where it goes', async () => {
    const res = await call(campaigns.homeCampaigns);
    expect(res.status).toBe(200);
    const targets = Object.fromEntries(res.body.banners.map((b: { campaignId: string; target: unknown }) => [b.campaignId, b.target]));
    expect(targets).toEqual({
      'home-claim': { type: 'coupon_center' },
      'home-flash': { type: 'flash_list' },
      'home-group': { type: 'group_deal', campaignId: 'home-group', productId: 'p-home-group' },
      'home-manjian': { type: 'group_deal', campaignId: 'home-group', productId: 'p-home-group' },
    });
  });

  it('cards carry the tags of the deals live for everyone, in the list and in search', async () => {
    const tagsOf = (items: { id: string; tags: { label: string }[] }[]) =>
      Object.fromEntries(items.filter((p) => p.id.startsWith('p-home-')).map((p) => [p.id, p.tags.map((t) => t.label)]));
    const list = await call(catalog.listProducts, { query: { categoryId: 'home', limit: '50' } });
    expect(list.status).toBe(200);
    expect(tagsOf(list.body.items)).toEqual({
      'p-home-flash': ['秒杀'],
      'p-home-group': ['拼团'],
      'p-home-coupon': ['券'],
      // ¥129 alone reaches the free-shipping threshold (¥99).
      'p-home-free': ['包邮'],
      // A flash sale for gold members only tags nothing: a card is the same for every shopper.
      'p-home-plain': [],
    });
    const found = await call(searchHandlers.searchProducts, { query: { q: '测试商品', limit: '50' } });
    expect(found.status).toBe(200);
    expect(tagsOf(found.body.items)['p-home-flash']).toEqual(['秒杀']);
  });
});
