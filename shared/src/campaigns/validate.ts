/**
 * Checks a stage's campaign files as a whole: YAML syntax, each campaign and coupon template against the schema, and
 * the rules that span files (unique ids, templates a drop refers to, one flash price per SKU at a time) or need the
 * catalog. The same function guards `campaigns:check`, the local reload and the AppConfig push, so an operator sees
 * the same message everywhere.
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import {
  CampaignSchema,
  CouponTemplateSchema,
  KNOWN_FIELDS,
  campaignErrorMap,
  type Campaign,
  type CampaignConfig,
  type CouponTemplate,
  type PromotionScope,
} from './schema';
import { formatShanghaiTime } from './time';
import { yuan } from './format';

export interface CampaignFileText {
  /** Shown in messages as written, e.g. `campaigns/prod/promotions.yaml`. */
  path: string;
  text: string;
}

export interface CampaignError {
  file: string;
  /** The campaign's or coupon template's id, when the entry has one. */
  campaignId?: string;
  /** Path inside the campaign (`tiers[1].offFen`), or inside the file when the entry has no id (`campaigns[2].id`). */
  field: string;
  message: string;
}

export type CampaignValidation = { ok: true; config: CampaignConfig } | { ok: false; errors: CampaignError[] };

/** What the catalog checks need: which categories, products and SKUs exist, and the SKUs' prices. */
export interface CatalogIndex {
  categoryIds: string[];
  products: { id: string; categoryId: string; skus: { id: string; priceFen: number }[] }[];
}

export interface ValidateOptions {
  stage?: string;
  /** When given, product, SKU and category ids are checked against it, and sale prices against list prices. */
  catalog?: CatalogIndex;
}

type Path = (string | number)[];

function formatPath(path: Path): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

/** Closest known field name within two edits, for "是否应为 …？". */
function suggestField(key: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of KNOWN_FIELDS) {
    // Also against the name without its unit, so `treshold` finds `thresholdFen`.
    const lower = name.toLowerCase();
    const d = Math.min(editDistance(key.toLowerCase(), lower), editDistance(key.toLowerCase(), lower.replace(/fen$/, '')));
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

function unknownFieldMessage(key: string): string {
  const guess = suggestField(key);
  return guess && guess !== key ? `未知字段（是否应为 ${guess}？）` : '未知字段';
}

/** zod issues → one error per problem; an unknown key becomes an error on that key, with a spelling suggestion. */
function issuesToErrors(issues: z.ZodIssue[], file: string, campaignId: string | undefined, prefix: Path): CampaignError[] {
  const out: CampaignError[] = [];
  // A misspelt field also leaves the real one missing; the "did you mean" line already says both, so "必填" on the
  // real field would only repeat it.
  const misspelt = new Set(
    issues.flatMap((i) =>
      i.code === 'unrecognized_keys' ? i.keys.map((k) => formatPath([...i.path, suggestField(k) ?? k])) : [],
    ),
  );
  for (const issue of issues) {
    if (issue.code === 'invalid_type' && issue.received === 'undefined' && misspelt.has(formatPath(issue.path))) continue;
    const where = campaignId === undefined ? [...prefix, ...issue.path] : issue.path;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ file, campaignId, field: formatPath([...where, key]), message: unknownFieldMessage(key) });
    } else {
      out.push({ file, campaignId, field: formatPath(where) || '(文件)', message: issue.message });
    }
  }
  return out;
}

/** The YAML parser's messages for the mistakes people make by hand, in Chinese; anything else falls back by code. */
const YAML_MESSAGES: [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  [/^Map keys must be unique/, '同一层级出现了重复的字段'],
  [/^Tabs are not allowed as indentation/, '不能用 Tab 缩进，请用空格'],
  [/^Sequence item without - indicator/, '列表项缺少“- ”，或缩进与上一项不一致'],
  [/^All mapping items must start at the same column/, '同一层级的字段缩进不一致'],
  [/^Missing closing ("|')quote/, '引号没有闭合'],
  [/^Flow sequence .* end with a \]/, '方括号 [ 没有闭合'],
  [/^Flow map .* end with a \}/, '花括号 { 没有闭合'],
  [/^Nested mappings are not allowed in compact mappings/, '一行里出现了两个“键: 值”（含冒号的文本请加引号）'],
  [/^Plain value cannot start with reserved character (\S)/, (m) => `值不能以 ${m[1]} 开头（请给这个值加引号）`],
];

const YAML_CODES: Record<string, string> = {
  BAD_INDENT: '缩进不正确',
  MISSING_CHAR: '缺少必要的符号（引号或括号未闭合？）',
  UNEXPECTED_TOKEN: '出现了无法识别的内容（缩进或冒号不对？）',
  BLOCK_AS_IMPLICIT_KEY: '字段名位置出现了嵌套内容（缩进不对？）',
  MULTILINE_IMPLICIT_KEY: '字段名不能跨行（少了冒号或缩进不对？）',
};

function yamlMessage(e: { code: string; message: string }): string {
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  for (const [pattern, text] of YAML_MESSAGES) {
    const m = pattern.exec(first);
    if (m) return typeof text === 'string' ? text : text(m);
  }
  return YAML_CODES[e.code] ?? first;
}

/** 热门搜索 words operators put first on the search page (services/search.ts adds top sellers after them). */
const HotSearches = z.array(z.string().trim().min(1, '热门搜索词不能为空').max(20, '热门搜索词最多 20 个字')).max(20, '热门搜索词最多 20 个');

const FileShape = z
  .object({
    campaigns: z.array(z.unknown()).optional(),
    couponTemplates: z.array(z.unknown()).optional(),
    hotSearches: HotSearches.optional(),
  })
  .strict();

interface Entry<T> {
  file: string;
  index: number;
  rawId?: string;
  value?: T;
}

const idOf = (raw: unknown): string | undefined => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
};

export function validateCampaignFiles(files: CampaignFileText[], options: ValidateOptions = {}): CampaignValidation {
  const errors: CampaignError[] = [];
  const campaigns: Entry<Campaign>[] = [];
  const templates: Entry<CouponTemplate>[] = [];
  const hotSearches: string[] = [];

  for (const { path: file, text } of files) {
    const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
      // Only the first: the parser's later errors are usually the same mistake seen again further down.
      const e = doc.errors[0];
      const pos = e.linePos?.[0];
      errors.push({ file, field: 'YAML', message: `${pos ? `第 ${pos.line} 行第 ${pos.col} 列：` : ''}${yamlMessage(e)}` });
      continue;
    }
    const raw: unknown = doc.toJS();
    if (raw === null || raw === undefined) {
      errors.push({ file, field: '(文件)', message: '文件为空，应包含 campaigns 和/或 couponTemplates 列表' });
      continue;
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ file, field: '(文件)', message: '文件顶层应为对象，包含 campaigns 和/或 couponTemplates 列表' });
      continue;
    }
    const shape = FileShape.safeParse(raw, { errorMap: campaignErrorMap });
    if (!shape.success) {
      errors.push(...issuesToErrors(shape.error.issues, file, undefined, []));
      continue;
    }
    for (const word of shape.data.hotSearches ?? []) if (!hotSearches.includes(word)) hotSearches.push(word);
    (shape.data.campaigns ?? []).forEach((item, index) => {
      const rawId = idOf(item);
      const parsed = CampaignSchema.safeParse(item, { errorMap: campaignErrorMap });
      if (parsed.success) campaigns.push({ file, index, rawId, value: parsed.data });
      else {
        campaigns.push({ file, index, rawId });
        errors.push(...issuesToErrors(parsed.error.issues, file, rawId, ['campaigns', index]));
      }
    });
    (shape.data.couponTemplates ?? []).forEach((item, index) => {
      const rawId = idOf(item);
      const parsed = CouponTemplateSchema.safeParse(item, { errorMap: campaignErrorMap });
      if (parsed.success) templates.push({ file, index, rawId, value: parsed.data });
      else {
        templates.push({ file, index, rawId });
        errors.push(...issuesToErrors(parsed.error.issues, file, rawId, ['couponTemplates', index]));
      }
    });
  }

  errors.push(...stageErrors(campaigns, templates, options));
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      ...(options.stage ? { stage: options.stage } : {}),
      campaigns: campaigns.map((c) => c.value!),
      couponTemplates: templates.map((t) => t.value!),
      ...(hotSearches.length ? { hotSearches } : {}),
    },
  };
}

function duplicateIds<T>(entries: Entry<T>[], what: string): CampaignError[] {
  const firstFile = new Map<string, string>();
  const out: CampaignError[] = [];
  for (const e of entries) {
    if (e.rawId === undefined) continue;
    const seen = firstFile.get(e.rawId);
    if (seen !== undefined) out.push({ file: e.file, campaignId: e.rawId, field: 'id', message: `${what} id "${e.rawId}" 重复（已在 ${seen} 中使用）` });
    else firstFile.set(e.rawId, e.file);
  }
  return out;
}

function stageErrors(campaigns: Entry<Campaign>[], templates: Entry<CouponTemplate>[], options: ValidateOptions): CampaignError[] {
  const out: CampaignError[] = [...duplicateIds(campaigns, '活动'), ...duplicateIds(templates, '券模板')];
  const stage = options.stage ? `（${options.stage}）` : '';
  const templateIds = new Set(templates.map((t) => t.rawId).filter((id): id is string => id !== undefined));
  const templateById = new Map(templates.filter((t) => t.value).map((t) => [t.value!.id, t.value!]));
  const parsed = campaigns.filter((c): c is Entry<Campaign> & { value: Campaign } => c.value !== undefined);
  const err = (c: Entry<Campaign> & { value: Campaign }, field: Path, message: string) =>
    out.push({ file: c.file, campaignId: c.value.id, field: formatPath(field), message });

  for (const c of parsed) {
    if (c.value.type !== 'coupon_drop') continue;
    c.value.templateIds.forEach((tid, i) => {
      if (!templateIds.has(tid)) return err(c, ['templateIds', i], `券模板 "${tid}" 在本环境${stage}中不存在`);
      const t = templateById.get(tid);
      if (t?.validity.type === 'window' && t.validity.endAt <= c.value.window.startAt)
        err(c, ['templateIds', i], `券模板 "${tid}" 的有效期在 ${formatShanghaiTime(t.validity.endAt)} 已结束，早于发券开始时间`);
    });
  }

  // A banner that opens a group deal needs that deal in the same stage.
  const groupDeals = new Set(parsed.filter((c) => c.value.type === 'group_deal').map((c) => c.value.id));
  for (const c of parsed) {
    const t = c.value.target;
    if (t.type === 'group_deal' && !groupDeals.has(t.campaignId))
      err(c, ['target', 'groupDeal'], `拼团活动 "${t.campaignId}" 在本环境${stage}中不存在（应为某个 type: group_deal 活动的 id）`);
  }

  // A SKU with two flash prices at once would make the price depend on evaluation order.
  const flash = parsed.filter((c) => c.value.type === 'flash_sale' && c.value.enabled);
  flash.forEach((c, i) => {
    if (c.value.type !== 'flash_sale') return;
    for (const earlier of flash.slice(0, i)) {
      if (earlier.value.type !== 'flash_sale') continue;
      const overlap = earlier.value.window.startAt < c.value.window.endAt && c.value.window.startAt < earlier.value.window.endAt;
      if (!overlap) continue;
      const skus = new Set(earlier.value.items.map((it) => it.skuId));
      c.value.items.forEach((it, j) => {
        if (skus.has(it.skuId)) err(c, ['items', j, 'skuId'], `SKU "${it.skuId}" 同时参加秒杀活动 "${earlier.value.id}"（时间重叠）`);
      });
    }
  });

  // One experiment must split users the same way wherever it is used, or a shopper lands in two variants.
  const experiments = new Map<string, { id: string; key: string }>();
  for (const c of parsed) {
    const ab = c.value.targeting.ab;
    if (!ab) continue;
    const key = JSON.stringify(ab.variants.map((v) => [v.name, v.weight]));
    const first = experiments.get(ab.experiment);
    if (!first) experiments.set(ab.experiment, { id: c.value.id, key });
    else if (first.key !== key)
      err(c, ['targeting', 'ab', 'variants'], `实验 "${ab.experiment}" 的分组与活动 "${first.id}" 中的定义不一致（同一实验须使用相同的分组和权重）`);
  }

  if (options.catalog) out.push(...catalogErrors(parsed, templates, options.catalog));
  return out;
}

function catalogErrors(
  campaigns: (Entry<Campaign> & { value: Campaign })[],
  templates: Entry<CouponTemplate>[],
  catalog: CatalogIndex,
): CampaignError[] {
  const out: CampaignError[] = [];
  const categories = new Set(catalog.categoryIds);
  const products = new Map(catalog.products.map((p) => [p.id, new Map(p.skus.map((s) => [s.id, s.priceFen]))]));

  const check = (file: string, id: string) => {
    const push = (field: Path, message: string) => out.push({ file, campaignId: id, field: formatPath(field), message });
    return {
      scope(scope: PromotionScope, at: Path) {
        if (scope.type === 'categories')
          scope.categoryIds.forEach((cid, i) => categories.has(cid) || push([...at, 'categoryIds', i], `类目 "${cid}" 不存在`));
        if (scope.type === 'products')
          scope.productIds.forEach((pid, i) => products.has(pid) || push([...at, 'productIds', i], `商品 "${pid}" 不存在`));
      },
      /** Returns the SKU's list price when the pair exists. */
      sku(productId: string, skuId: string, productAt: Path, skuAt: Path): number | undefined {
        const skus = products.get(productId);
        if (!skus) return void push(productAt, `商品 "${productId}" 不存在`);
        const price = skus.get(skuId);
        if (price === undefined) push(skuAt, `SKU "${skuId}" 不属于商品 "${productId}"`);
        return price;
      },
      push,
    };
  };

  for (const { file, value: c } of campaigns) {
    const at = check(file, c.id);
    // A target taken from the campaign's own scope is reported once, by the scope check below.
    const scope = 'scope' in c ? c.scope : undefined;
    const t = c.target;
    if (t.type === 'product' && !products.has(t.productId) && !(scope?.type === 'products' && scope.productIds.includes(t.productId)))
      at.push(['target', 'productId'], `商品 "${t.productId}" 不存在`);
    if (t.type === 'category' && t.categoryId !== null && !categories.has(t.categoryId) && !(scope?.type === 'categories' && scope.categoryIds.includes(t.categoryId)))
      at.push(['target', 'categoryId'], `类目 "${t.categoryId}" 不存在`);
    switch (c.type) {
      case 'spend_and_save':
      case 'member_day':
        at.scope(c.scope, ['scope']);
        break;
      case 'gift_with_purchase':
        at.scope(c.scope, ['scope']);
        at.sku(c.gift.productId, c.gift.skuId, ['gift', 'productId'], ['gift', 'skuId']);
        break;
      case 'flash_sale':
        c.items.forEach((item, i) => {
          const price = at.sku(item.productId, item.skuId, ['items', i, 'productId'], ['items', i, 'skuId']);
          if (price !== undefined && item.priceFen >= price) at.push(['items', i, 'priceFen'], `秒杀价应低于售价（${yuan(price)}）`);
        });
        break;
      case 'group_deal':
        if (!products.has(c.productId)) {
          at.push(['productId'], `商品 "${c.productId}" 不存在`);
          break;
        }
        c.skus.forEach((s, i) => {
          const price = at.sku(c.productId, s.skuId, ['productId'], ['skus', i, 'skuId']);
          if (price !== undefined && s.groupPriceFen >= price) at.push(['skus', i, 'groupPriceFen'], `拼团价应低于售价（${yuan(price)}）`);
        });
        break;
      default:
        break;
    }
  }
  for (const t of templates) if (t.value) check(t.file, t.value.id).scope(t.value.scope, ['scope']);
  return out;
}
