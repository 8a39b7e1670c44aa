import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CampaignSchema, formatShanghaiTime, parseShanghaiTime, shanghaiParts } from '../src/campaigns/index';
import { validateCampaignFiles, type CampaignError, type CatalogIndex } from '../src/campaigns/validate';
import { categories, products } from '../../scripts/seed/catalog-data';

const WINDOW = { start: '2026-11-11 00:00', end: '2026-11-12 00:00' };
const TEMPLATE = {
  id: 'tpl-99-10',
  name: '满99减10',
  kind: 'fixed',
  thresholdFen: 9900,
  offFen: 1000,
  validity: { type: 'days_after_claim', days: 7 },
  totalStock: 100,
};
const campaign = (fields: Record<string, unknown>) => ({ id: 'c1', name: '测试活动', window: WINDOW, ...fields });
const manjian = (fields: Record<string, unknown> = {}) =>
  campaign({ type: 'spend_and_save', tiers: [{ thresholdFen: 9900, offFen: 1000 }], ...fields });
const flash = (fields: Record<string, unknown> = {}) =>
  campaign({
    type: 'flash_sale',
    items: [{ productId: 'p-powerbank-01', skuId: 'sku-powerbank-01-10k-white', priceFen: 5900, quota: 10, perUserLimit: 1 }],
    ...fields,
  });
const memberDay = (fields: Record<string, unknown> = {}) =>
  campaign({ type: 'member_day', weekday: 3, percentByLevel: { GOLD: 95 }, ...fields });
const groupDeal = (fields: Record<string, unknown> = {}) =>
  campaign({
    type: 'group_deal',
    productId: 'p-nuts-01',
    skus: [{ skuId: 'sku-nuts-01-classic-15', groupPriceFen: 3990 }],
    groupSize: 3,
    timeLimitMinutes: 60,
    stockQuota: 100,
    ...fields,
  });
const yamlOf = (doc: Record<string, unknown>) => stringify(doc);

const catalog: CatalogIndex = {
  categoryIds: categories.map((c) => c.id),
  products: products.map((p) => ({ id: p.id, categoryId: p.categoryId, skus: p.skus.map((s) => ({ id: s.id, priceFen: s.priceFen })) })),
};

interface BrokenCase {
  name: string;
  files: { path: string; text: string }[];
  expected: CampaignError[];
  withCatalog?: boolean;
}

const one = (name: string, doc: Record<string, unknown> | string, expected: Omit<CampaignError, 'file'>, withCatalog = false): BrokenCase => ({
  name,
  files: [{ path: 'campaigns/test/a.yaml', text: typeof doc === 'string' ? doc : yamlOf(doc) }],
  expected: [{ file: 'campaigns/test/a.yaml', ...expected }],
  withCatalog,
});

const BROKEN: BrokenCase[] = [
  one('YAML: a list item indented unlike its siblings', 'campaigns:\n  - id: a\n   name: b\n', {
    field: 'YAML',
    message: '第 3 行第 1 列：列表项缺少“- ”，或缩进与上一项不一致',
  }),
  one('YAML: the same key twice', 'campaigns:\n  - id: a\n    id: b\n', { field: 'YAML', message: '第 3 行第 5 列：同一层级出现了重复的字段' }),
  one('YAML: a tab for indentation', 'campaigns:\n\t- id: a\n', { field: 'YAML', message: '第 2 行第 1 列：不能用 Tab 缩进，请用空格' }),
  one('YAML: an unclosed quote', 'campaigns:\n  - id: "a\n', { field: 'YAML', message: '第 3 行第 1 列：引号没有闭合' }),
  one('an empty file', '# 只有注释\n', { field: '(文件)', message: '文件为空，应包含 campaigns 和/或 couponTemplates 列表' }),
  one('a misspelt top-level key', { campaign: [] }, { field: 'campaign', message: '未知字段（是否应为 campaigns？）' }),
  one('an unknown campaign type', { campaigns: [campaign({ type: 'lucky_draw' })] }, {
    campaignId: 'c1',
    field: 'type',
    message: '应为 coupon_drop | spend_and_save | gift_with_purchase | flash_sale | member_day | points_multiplier | group_deal 之一',
  }),
  one('a campaign without an id', { campaigns: [{ ...manjian(), id: undefined }] }, { field: 'campaigns[0].id', message: '必填' }),
  one('an id that is not a slug', { campaigns: [manjian({ id: 'Double11!' })] }, {
    campaignId: 'Double11!',
    field: 'id',
    message: '应为小写字母、数字和连字符（2–48 位），例如 double11-manjian',
  }),
  one('a name without Chinese', { campaigns: [manjian({ name: 'Big Sale' })] }, {
    campaignId: 'c1',
    field: 'name',
    message: '应为中文名称（会展示给顾客）',
  }),
  one('a window in the wrong format', { campaigns: [manjian({ window: { start: '2026/11/11 00:00', end: WINDOW.end } })] }, {
    campaignId: 'c1',
    field: 'window.start',
    message: '时间格式应为 YYYY-MM-DD HH:mm（北京时间），例如 2026-11-11 00:00',
  }),
  one('a date that does not exist', { campaigns: [manjian({ window: { start: '2026-02-30 00:00', end: WINDOW.end } })] }, {
    campaignId: 'c1',
    field: 'window.start',
    message: '时间格式应为 YYYY-MM-DD HH:mm（北京时间），例如 2026-11-11 00:00',
  }),
  one('a window that ends before it starts', { campaigns: [manjian({ window: { start: '2026-11-12 00:00', end: '2026-11-11 00:00' } })] }, {
    campaignId: 'c1',
    field: 'window.end',
    message: '结束时间应晚于开始时间（2026-11-12 00:00）',
  }),
  one('满减 tiers not ascending', { campaigns: [manjian({ tiers: [{ thresholdFen: 19900, offFen: 2000 }, { thresholdFen: 9900, offFen: 3000 }] })] }, {
    campaignId: 'c1',
    field: 'tiers[1].thresholdFen',
    message: '门槛应高于上一档（¥199）',
  }),
  one('满减 taking off the whole threshold', { campaigns: [manjian({ tiers: [{ thresholdFen: 9900, offFen: 9900 }] })] }, {
    campaignId: 'c1',
    field: 'tiers[0].offFen',
    message: '减免金额应小于门槛（¥99）',
  }),
  one('a higher tier giving less', { campaigns: [manjian({ tiers: [{ thresholdFen: 9900, offFen: 1000 }, { thresholdFen: 19900, offFen: 800 }] })] }, {
    campaignId: 'c1',
    field: 'tiers[1].offFen',
    message: '减免金额应高于上一档（¥10）',
  }),
  one('an amount in yuan instead of fen', { campaigns: [manjian({ tiers: [{ thresholdFen: 99.5, offFen: 1000 }] })] }, {
    campaignId: 'c1',
    field: 'tiers[0].thresholdFen',
    message: '应为整数（单位：分，¥99 写作 9900）',
  }),
  one('a misspelt field', { campaigns: [manjian({ tiers: [{ threshold: 9900, thresholdFen: 9900, offFen: 1000 }] })] }, {
    campaignId: 'c1',
    field: 'tiers[0].threshold',
    message: '未知字段（是否应为 thresholdFen？）',
  }),
  one('a field in the wrong case, reported once (not also as missing)', {
    campaigns: [flash({ items: [{ productId: 'p', skuId: 's', pricefen: 100, quota: 1, perUserLimit: 1 }] })],
  }, { campaignId: 'c1', field: 'items[0].pricefen', message: '未知字段（是否应为 priceFen？）' }),
  one('a member level that does not exist', { campaigns: [manjian({ targeting: { levels: ['GLOD'] } })] }, {
    campaignId: 'c1',
    field: 'targeting.levels[0]',
    message: '应为 NORMAL(普通) | SILVER(银卡) | GOLD(金卡) | PLATINUM(白金) | DIAMOND(钻石) 之一，实际为 "GLOD"',
  }),
  one('targeting that excludes everyone', { campaigns: [manjian({ targeting: { newUsers: false, returning: false } })] }, {
    campaignId: 'c1',
    field: 'targeting',
    message: 'newUsers 与 returning 不能同时为 false（没有顾客能参加）',
  }),
  one('an A/B test whose weights are all zero', {
    campaigns: [manjian({ targeting: { ab: { experiment: 'e1', variants: [{ name: 'A', weight: 0 }, { name: 'B', weight: 0 }], show: ['B'] } } })],
  }, { campaignId: 'c1', field: 'targeting.ab.variants', message: '分组权重之和应大于 0' }),
  one('an A/B test showing a variant it does not define', {
    campaigns: [manjian({ targeting: { ab: { experiment: 'e1', variants: [{ name: 'A', weight: 1 }, { name: 'B', weight: 1 }], show: ['C'] } } })],
  }, { campaignId: 'c1', field: 'targeting.ab.show[0]', message: '分组 "C" 未在 variants 中定义' }),
  one('a coupon drop of a template the stage lacks', {
    campaigns: [campaign({ type: 'coupon_drop', trigger: 'claim_center', templateIds: ['tpl-missing'] })],
    couponTemplates: [TEMPLATE],
  }, { campaignId: 'c1', field: 'templateIds[0]', message: '券模板 "tpl-missing" 在本环境（test）中不存在' }),
  one('a coupon drop of a template that expired before the drop starts', {
    campaigns: [campaign({ type: 'coupon_drop', trigger: 'claim_center', templateIds: ['tpl-99-10'] })],
    couponTemplates: [{ ...TEMPLATE, validity: { type: 'window', start: '2026-10-01 00:00', end: '2026-11-01 00:00' } }],
  }, { campaignId: 'c1', field: 'templateIds[0]', message: '券模板 "tpl-99-10" 的有效期在 2026-11-01 00:00 已结束，早于发券开始时间' }),
  one('a coupon drop with an unknown trigger', {
    campaigns: [campaign({ type: 'coupon_drop', trigger: 'lottery', templateIds: ['tpl-99-10'] })],
    couponTemplates: [TEMPLATE],
  }, {
    campaignId: 'c1',
    field: 'trigger',
    message: '应为 new_user_gift | share_reward | birthday | win_back | claim_center 之一，实际为 "lottery"',
  }),
  one('a free flash sale', { campaigns: [flash({ items: [{ productId: 'p', skuId: 's', priceFen: 0, quota: 1, perUserLimit: 1 }] })] }, {
    campaignId: 'c1',
    field: 'items[0].priceFen',
    message: '秒杀价应大于 0',
  }),
  one('a per-user limit above the flash quota', { campaigns: [flash({ items: [{ productId: 'p', skuId: 's', priceFen: 100, quota: 3, perUserLimit: 5 }] })] }, {
    campaignId: 'c1',
    field: 'items[0].perUserLimit',
    message: '每人限购（5）不能超过活动库存（3）',
  }),
  one('a member day on both a weekday and a date', { campaigns: [memberDay({ dayOfMonth: 18 })] }, {
    campaignId: 'c1',
    field: 'weekday',
    message: 'weekday 与 dayOfMonth 须且只能填写一个',
  }),
  one('a member day on the 31st', { campaigns: [memberDay({ weekday: undefined, dayOfMonth: 31 })] }, {
    campaignId: 'c1',
    field: 'dayOfMonth',
    message: '应在 1–28 之间（保证每个月都有这一天）',
  }),
  one('a member-day percent of 100', { campaigns: [memberDay({ percentByLevel: { GOLD: 100 } })] }, {
    campaignId: 'c1',
    field: 'percentByLevel.GOLD',
    message: '应在 1–99 之间（88 表示 88折，即按原价的 88% 付款）',
  }),
  one('a member day for nobody', { campaigns: [memberDay({ percentByLevel: {} })] }, {
    campaignId: 'c1',
    field: 'percentByLevel',
    message: '至少为一个会员等级设置折扣',
  }),
  one('a points multiplier of 1', { campaigns: [campaign({ type: 'points_multiplier', multiplier: 1 })] }, {
    campaignId: 'c1',
    field: 'multiplier',
    message: '倍数应大于 1',
  }),
  one('a group of 11', { campaigns: [groupDeal({ groupSize: 11 })] }, { campaignId: 'c1', field: 'groupSize', message: '成团人数应在 2–10 之间' }),
  one('a group deadline longer than the campaign', { campaigns: [groupDeal({ timeLimitMinutes: 2880 })] }, {
    campaignId: 'c1',
    field: 'timeLimitMinutes',
    message: '成团时限（2880 分钟）不能超过活动时长（1440 分钟）',
  }),
  one('a free leader who also has a leader price', {
    campaigns: [groupDeal({ leaderFree: true, skus: [{ skuId: 'sku-nuts-01-classic-15', groupPriceFen: 3990, leaderPriceFen: 2990 }] })],
  }, { campaignId: 'c1', field: 'skus[0].leaderPriceFen', message: '团长免单（leaderFree: true）时不能再设置 leaderPriceFen' }),
  one('a scope naming both categories and products', { campaigns: [manjian({ scope: { categoryIds: ['beauty'], productIds: ['p-mask-01'] } })] }, {
    campaignId: 'c1',
    field: 'scope',
    message: '应为 all、{categoryIds: [...]} 或 {productIds: [...]}',
  }),
  one('a percent coupon of 0', { couponTemplates: [{ ...TEMPLATE, kind: 'percent', percent: 0, capFen: 5000, offFen: undefined, thresholdFen: 0 }] }, {
    campaignId: 'tpl-99-10',
    field: 'percent',
    message: '应在 1–99 之间（88 表示 88折，即按原价的 88% 付款）',
  }),
  one('a fixed coupon worth its threshold', { couponTemplates: [{ ...TEMPLATE, offFen: 9900 }] }, {
    campaignId: 'tpl-99-10',
    field: 'offFen',
    message: '减免金额应小于使用门槛（¥99）',
  }),
  one('a per-user coupon limit above the stock', { couponTemplates: [{ ...TEMPLATE, totalStock: 1, perUserLimit: 2 }] }, {
    campaignId: 'tpl-99-10',
    field: 'perUserLimit',
    message: '每人限领（2）不能超过总库存（1）',
  }),
  one('a coupon valid for 0 days', { couponTemplates: [{ ...TEMPLATE, validity: { type: 'days_after_claim', days: 0 } }] }, {
    campaignId: 'tpl-99-10',
    field: 'validity.days',
    message: '应 ≥ 1',
  }),
  one('a gift SKU of another product', {
    campaigns: [campaign({ type: 'gift_with_purchase', thresholdFen: 29900, gift: { productId: 'p-mask-01', skuId: 'sku-cleanser-01' } })],
  }, { campaignId: 'c1', field: 'gift.skuId', message: 'SKU "sku-cleanser-01" 不属于商品 "p-mask-01"' }, true),
  one('a flash price not below the list price', {
    campaigns: [flash({ items: [{ productId: 'p-powerbank-01', skuId: 'sku-powerbank-01-10k-white', priceFen: 9900, quota: 10, perUserLimit: 1 }] })],
  }, { campaignId: 'c1', field: 'items[0].priceFen', message: '秒杀价应低于售价（¥99）' }, true),
  one('a category that does not exist', { campaigns: [manjian({ scope: { categoryIds: ['beuaty'] } })] }, {
    campaignId: 'c1',
    field: 'scope.categoryIds[0]',
    message: '类目 "beuaty" 不存在',
  }, true),
  one('one SKU in two overlapping flash sales', { campaigns: [flash(), flash({ id: 'c2' })] }, {
    campaignId: 'c2',
    field: 'items[0].skuId',
    message: 'SKU "sku-powerbank-01-10k-white" 同时参加秒杀活动 "c1"（时间重叠）',
  }),
  one('one experiment split two ways', {
    campaigns: [
      manjian({ targeting: { ab: { experiment: 'e1', variants: [{ name: 'A', weight: 1 }, { name: 'B', weight: 1 }], show: ['B'] } } }),
      manjian({ id: 'c2', targeting: { ab: { experiment: 'e1', variants: [{ name: 'A', weight: 1 }, { name: 'B', weight: 3 }], show: ['B'] } } }),
    ],
  }, {
    campaignId: 'c2',
    field: 'targeting.ab.variants',
    message: '实验 "e1" 的分组与活动 "c1" 中的定义不一致（同一实验须使用相同的分组和权重）',
  }),
  {
    name: 'the same campaign id in two files',
    files: [
      { path: 'campaigns/test/a.yaml', text: yamlOf({ campaigns: [manjian()] }) },
      { path: 'campaigns/test/b.yaml', text: yamlOf({ campaigns: [manjian()] }) },
    ],
    expected: [{ file: 'campaigns/test/b.yaml', campaignId: 'c1', field: 'id', message: '活动 id "c1" 重复（已在 campaigns/test/a.yaml 中使用）' }],
  },
];

describe('campaign files: every broken file gets its exact message', () => {
  it('has at least 20 broken examples', () => {
    expect(BROKEN.length).toBeGreaterThanOrEqual(20);
  });

  it.each(BROKEN.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = validateCampaignFiles(c.files, { stage: 'test', ...(c.withCatalog ? { catalog } : {}) });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual(c.expected);
  });

  it('reports every mistake of a campaign at once, not just the first', () => {
    const result = validateCampaignFiles([
      {
        path: 'a.yaml',
        text: yamlOf({
          campaigns: [manjian({ window: { start: 'soon', end: WINDOW.end }, tiers: [{ thresholdFen: 9900, offFen: 9900 }], priorty: 1 })],
        }),
      },
    ]);
    expect(result.ok ? [] : result.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'window.start: 时间格式应为 YYYY-MM-DD HH:mm（北京时间），例如 2026-11-11 00:00',
      'priorty: 未知字段（是否应为 priority？）',
      'tiers[0].offFen: 减免金额应小于门槛（¥99）',
    ]);
  });

  it('names the entry by position when it has no id', () => {
    const result = validateCampaignFiles([{ path: 'a.yaml', text: yamlOf({ couponTemplates: [TEMPLATE, { ...TEMPLATE, id: undefined }] }) }]);
    expect(result.ok ? [] : result.errors).toEqual([{ file: 'a.yaml', field: 'couponTemplates[1].id', message: '必填' }]);
  });
});

describe('campaign windows are Asia/Shanghai wall-clock time stored as UTC', () => {
  it('reads 2026-11-11 00:00 as 2026-11-10T16:00:00Z', () => {
    expect(parseShanghaiTime('2026-11-11 00:00')).toBe(Date.parse('2026-11-10T16:00:00Z'));
    expect(parseShanghaiTime('2026-12-31 23:59:59')).toBe(Date.parse('2026-12-31T15:59:59Z'));
  });

  it('uses +08:00 all year round (no daylight saving in China)', () => {
    for (const month of ['01', '04', '07', '10']) {
      expect(parseShanghaiTime(`2027-${month}-15 08:00`)).toBe(Date.parse(`2027-${month}-15T00:00:00Z`));
    }
  });

  it('refuses impossible or differently written times', () => {
    for (const text of ['2026-02-29 00:00', '2026-13-01 00:00', '2026-11-11 24:00', '2026-11-11', '2026-11-11T00:00', '2026/11/11 00:00']) {
      expect(parseShanghaiTime(text)).toBeNull();
    }
    expect(parseShanghaiTime('2028-02-29 12:00')).toBe(Date.parse('2028-02-29T04:00:00Z'));
  });

  it('gives the parsed campaign its window in epoch ms, start inclusive and end exclusive', () => {
    const c = CampaignSchema.parse(manjian());
    expect(c.window).toEqual({ startAt: Date.parse('2026-11-10T16:00:00Z'), endAt: Date.parse('2026-11-11T16:00:00Z') });
    expect(formatShanghaiTime(c.window.startAt)).toBe('2026-11-11 00:00');
  });

  it('knows the Shanghai weekday and date across the UTC midnight', () => {
    // 2026-11-25 07:30 Shanghai is still 2026-11-24 in UTC.
    expect(shanghaiParts(Date.parse('2026-11-24T23:30:00Z'))).toMatchObject({ year: 2026, month: 11, day: 25, weekday: 3, hour: 7 });
  });
});

describe('the shipped campaign files', () => {
  const root = path.resolve(import.meta.dirname, '../../campaigns');
  const stages = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory());

  it.each(stages)('%s passes the check, with one campaign of every type', (stage) => {
    const files = fs
      .readdirSync(path.join(root, stage))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => ({ path: f, text: fs.readFileSync(path.join(root, stage, f), 'utf8') }));
    const result = validateCampaignFiles(files, { stage, catalog });
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    expect(new Set(result.config.campaigns.map((c) => c.type))).toEqual(
      new Set(['coupon_drop', 'spend_and_save', 'gift_with_purchase', 'flash_sale', 'member_day', 'points_multiplier', 'group_deal']),
    );
    expect(new Set(result.config.couponTemplates.map((t) => t.kind))).toEqual(new Set(['fixed', 'percent', 'no_threshold']));
  });

  it('covers local, dev and prod', () => {
    expect(stages.sort()).toEqual(['dev', 'local', 'prod']);
  });
});
