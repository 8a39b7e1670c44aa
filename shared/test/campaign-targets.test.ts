import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { validateCampaignFiles, type CatalogIndex } from '../src/campaigns/validate';

const WINDOW = { start: '2026-11-11 00:00', end: '2026-12-12 00:00' };
const catalog: CatalogIndex = {
  categoryIds: ['beauty'],
  products: [{ id: 'p-nuts-01', categoryId: 'food', skus: [{ id: 'sku-nuts', priceFen: 5990 }] }],
};
const manjian = (fields: Record<string, unknown>) => ({
  id: 'manjian',
  name: '测试满减',
  window: WINDOW,
  type: 'spend_and_save',
  tiers: [{ thresholdFen: 9900, offFen: 1000 }],
  ...fields,
});
const deal = { id: 'nuts-group', name: '坚果拼团', window: WINDOW, type: 'group_deal', productId: 'p-nuts-01', skus: [{ skuId: 'sku-nuts', groupPriceFen: 3990 }], groupSize: 3, timeLimitMinutes: 60, stockQuota: 10 };
const check = (...campaigns: Record<string, unknown>[]) =>
  validateCampaignFiles([{ path: 'campaigns/test/a.yaml', text: stringify({ campaigns }) }], { stage: 'test', catalog });

describe('banner targets', () => {
  it('reads each way of writing a target', () => {
    const result = check(
      manjian({ id: 'to-coupons', target: 'coupon_center' }),
      manjian({ id: 'to-flash', target: 'flash_list' }),
      manjian({ id: 'to-product', target: { productId: 'p-nuts-01' } }),
      manjian({ id: 'to-beauty', target: { categoryId: 'beauty' } }),
      manjian({ id: 'to-all', target: { categoryId: 'all' } }),
      manjian({ id: 'to-deal', target: { groupDeal: 'nuts-group' } }),
      deal,
    );
    expect(result.ok && result.config.campaigns.map((c) => c.target)).toEqual([
      { type: 'coupon_center' },
      { type: 'flash_list' },
      { type: 'product', productId: 'p-nuts-01' },
      { type: 'category', categoryId: 'beauty' },
      { type: 'category', categoryId: null },
      { type: 'group_deal', campaignId: 'nuts-group' },
      { type: 'group_deal', campaignId: 'nuts-group' },
    ]);
  });

  it('gives a campaign without one the place its type points to', () => {
    const result = check(manjian({ scope: { categoryIds: ['beauty'] } }), { ...manjian({ id: 'all' }) });
    expect(result.ok && result.config.campaigns.map((c) => c.target)).toEqual([
      { type: 'category', categoryId: 'beauty' },
      { type: 'category', categoryId: null },
    ]);
  });

  it('names every wrong target', () => {
    const result = check(
      manjian({ id: 'two', target: { productId: 'p-nuts-01', categoryId: 'beauty' } }),
      manjian({ id: 'typo', target: 'coupon_centre' }),
      manjian({ id: 'gone', target: { productId: 'p-gone' } }),
      manjian({ id: 'nocat', target: { categoryId: 'toys' } }),
      manjian({ id: 'nodeal', target: { groupDeal: 'no-such-deal' } }),
      { id: 'drop', name: '新人礼包', window: WINDOW, type: 'coupon_drop', templateIds: ['tpl'], trigger: 'new_user_gift', target: 'coupon_center' },
    );
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.map((e) => `${e.campaignId}: ${e.field}: ${e.message}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^two: target: 应为 coupon_center、flash_list/),
        expect.stringMatching(/^typo: target: /),
        'gone: target.productId: 商品 "p-gone" 不存在',
        'nocat: target.categoryId: 类目 "toys" 不存在',
        expect.stringMatching(/^nodeal: target.groupDeal: 拼团活动 "no-such-deal" 在本环境（test）中不存在/),
        expect.stringMatching(/^drop: target: 只有领券中心/),
      ]),
    );
  });
});
