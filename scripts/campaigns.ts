/**
 * Operators' tool for the campaign files in campaigns/<stage>/*.yaml.
 *
 *   tsx scripts/campaigns.ts check [--stage local]
 *       Validates one stage (default: every stage). One line per problem, `file: campaign id: field: message`,
 *       exit code 1 if there is any; otherwise `OK: N campaigns, M coupon templates (stage)`.
 *
 *   tsx scripts/campaigns.ts preview --stage local [--at 2026-11-25T10:00:00+08:00] [--user <who>]… [--cart <sku:qty,…>]
 *       What is live for whom at that moment, and what a sample cart costs them. <who> is a demo login code
 *       (demo-xiaoming, demo-xiaohong, demo-laowang, demo-tester) or a description such as
 *       `level:GOLD,new,seg:beauty-lover,id:u-42,birthday:11-20`. Without --user, every demo user is shown.
 *       A shopper's user id (26-character ULID) reads that shopper from the running local shop (`npm start`): their
 *       level, 新/老用户, birthday, and the segment tags their profile gives them at --at (profiles/local.yaml).
 *
 *   tsx scripts/campaigns.ts bundle --stage prod [--out campaigns-prod.json]
 *       Checks the stage and writes it as the one JSON document an AWS AppConfig push carries:
 *       {"files": [{"path": "campaigns/prod/coupons.yaml", "text": "<the YAML>"}, …]} (docs/campaigns.md).
 *
 * The local and dev stages are also checked against the seed catalog (ids exist, sale prices below list prices);
 * prod is checked against the schema only, since its catalog lives in the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CAMPAIGN_TYPE_NAMES,
  MEMBER_LEVELS,
  MEMBER_LEVEL_NAMES,
  campaignStatus,
  formatShanghaiTime,
  parseShanghaiTime,
  yuan,
  zheLabel,
  type Campaign,
  type CampaignConfig,
  type CampaignUser,
  type MemberLevel,
  type PricingLine,
  type PromotionScope,
} from '../shared/src/campaigns/index';
import { validateCampaignFiles, type CampaignError, type CatalogIndex } from '../shared/src/campaigns/validate';
import { couponFromTemplate, couponLabel, priceCheckout } from '../shared/src/coupons/index';
import { quote, shippingTerms } from '../shared/src/quote';
import { membersReferenceErrors, parseMembersConfig } from '../shared/src/members/config-file';
import { DEFAULT_MEMBERS_CONFIG, benefitLabels, benefitsOf, type MembersConfig } from '../shared/src/members/index';
import { categories, demoUsers, products } from './seed/catalog-data';

const ROOT = path.resolve(import.meta.dirname, '..');
const CAMPAIGNS_DIR = path.join(ROOT, 'campaigns');
const SEED_CATALOG_STAGES = new Set(['local', 'dev']);

const seedCatalog: CatalogIndex = {
  categoryIds: categories.map((c) => c.id),
  products: products.map((p) => ({ id: p.id, categoryId: p.categoryId, skus: p.skus.map((s) => ({ id: s.id, priceFen: s.priceFen })) })),
};

function stages(): string[] {
  return fs
    .readdirSync(CAMPAIGNS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A stage's files in name order, with paths relative to the repository as they appear in messages. */
function readStageFiles(stage: string): { path: string; text: string }[] {
  const dir = path.join(CAMPAIGNS_DIR, stage);
  if (!fs.existsSync(dir)) fail(`没有这个环境的活动目录: campaigns/${stage}（已有: ${stages().join(', ')}）`);
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: path.relative(ROOT, path.join(dir, f)), text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

function checkStage(stage: string) {
  return validateCampaignFiles(readStageFiles(stage), {
    stage,
    ...(SEED_CATALOG_STAGES.has(stage) ? { catalog: seedCatalog } : {}),
  });
}

const errorLine = (e: CampaignError) => `${e.file}: ${e.campaignId ?? '-'}: ${e.field}: ${e.message}`;

// ───────────── arguments ─────────────

function parseArgs(argv: string[]): { command?: string; flags: Map<string, string[]> } {
  const flags = new Map<string, string[]>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s);
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`--${name} 缺少取值`);
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else if (!command) command = arg;
    else fail(`多余的参数: ${arg}`);
  }
  return { command, flags };
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const USAGE = `用法:
  campaigns.ts check [--stage <stage>]
  campaigns.ts preview --stage <stage> [--at <时间>] [--user <演示用户或描述>]… [--cart <sku:数量,…>]
  campaigns.ts bundle --stage <stage> [--out <文件>]     生成推送到 AppConfig 的 JSON
    --at    ISO 时间（2026-11-25T10:00:00+08:00）或北京时间（"2026-11-25 10:00"），默认现在
    --user  demo-xiaoming | demo-xiaohong | demo-laowang | demo-tester
            或 level:GOLD,new|returning,seg:<标签>,id:<用户 id>,birthday:MM-DD
            或本地商城（npm start）里的用户 id（26 位），读取其等级、生日和画像标签`;

function parseAt(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const local = parseShanghaiTime(text);
  if (local !== null) return local;
  const iso = Date.parse(text);
  if (!/T/.test(text) || Number.isNaN(iso)) fail(`无法识别的时间: ${text}`);
  return iso;
}

/** Preview personas for the seed's demo logins (the seed gives them no level or history; these make them differ). */
const PERSONAS: Record<string, Omit<CampaignUser, 'id'>> = {
  'demo-xiaoming': { level: 'NORMAL', isNew: true, segments: [] },
  'demo-xiaohong': { level: 'GOLD', isNew: false, segments: ['beauty-lover'], birthday: '11-20' },
  'demo-laowang': { level: 'DIAMOND', isNew: false, segments: ['dormant-90d'] },
  'demo-tester': { level: 'SILVER', isNew: false, segments: [] },
};

function parseUser(spec: string): { label: string; user: CampaignUser } {
  const demo = demoUsers.find((u) => u.code === spec);
  if (demo) return { label: `${demo.nickname} ${demo.code}`, user: { id: demo.openid, ...PERSONAS[demo.code] } };
  const user: CampaignUser = { id: 'preview-user', level: 'NORMAL', isNew: false, segments: [] };
  for (const token of spec.split(',').map((t) => t.trim()).filter(Boolean)) {
    const [key, value = ''] = token.split(/:(.*)/s);
    if (key === 'new') user.isNew = true;
    else if (key === 'returning') user.isNew = false;
    else if (key === 'level') {
      const level = (MEMBER_LEVELS as readonly string[]).includes(value.toUpperCase())
        ? (value.toUpperCase() as MemberLevel)
        : MEMBER_LEVELS.find((l) => MEMBER_LEVEL_NAMES[l] === value);
      if (!level) fail(`未知会员等级: ${value}（可用 ${MEMBER_LEVELS.join(' / ')}）`);
      user.level = level;
    } else if (key === 'seg' || key === 'segment') user.segments.push(value);
    else if (key === 'id') user.id = value;
    else if (key === 'birthday') user.birthday = value;
    else fail(`无法识别的用户描述: ${token}`);
  }
  return { label: spec, user };
}

const USER_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A shopper of the running local shop, as its functions target them at `at` (level, 新/老用户, birthday, segments). */
async function shopUser(userId: string, at: number): Promise<{ label: string; user: CampaignUser }> {
  const { localFunctionEnv } = await import('./lib/stack');
  const dataDir = path.resolve(process.env.SHOP_DATA_DIR ?? path.join(ROOT, '.local'));
  Object.assign(
    process.env,
    localFunctionEnv({ dynamoEndpoint: `http://127.0.0.1:${process.env.DYNAMO_PORT ?? 8000}`, apiPort: 3000, secretsFile: path.join(dataDir, 'secrets.json') }),
    // Another table of the same DynamoDB (tests) when named.
    process.env.SHOP_TABLE ? { TABLE_NAME: process.env.SHOP_TABLE } : {},
  );
  const { campaignUser } = await import('../functions/src/services/coupons');
  const { shopperContext } = await import('../functions/src/services/profiles');
  const { profileRepo } = await import('../functions/src/repositories/profile-repo');
  try {
    const state = await profileRepo.read(userId);
    if (!state.exists) fail(`本地商城里没有这个用户: ${userId}`);
    const [user, context] = await Promise.all([campaignUser(userId, at), shopperContext(userId, at)]);
    const { userRepo } = await import('../functions/src/repositories/user-repo');
    const birthday = (await userRepo.get(userId))?.birthday;
    const p = context.profile;
    const label = p ? `${userId} 画像 ${p.lifecycleName} · RFM ${p.rfm.r}/${p.rfm.f}/${p.rfm.m} · ${p.orders} 单` : userId;
    return { label, user: { ...user, ...(birthday ? { birthday } : {}) } };
  } catch (e) {
    if ((e as { code?: string }).code === 'ECONNREFUSED' || /ECONNREFUSED|connect/i.test(String((e as Error).message))) {
      fail(`连不上本地商城的数据库（DYNAMO_PORT ${process.env.DYNAMO_PORT ?? 8000}）：先运行 npm start`);
    }
    throw e;
  }
}

const SAMPLE_CART = [
  'sku-lipstick-01-red-full:1',
  'sku-essence-01-30ml-single:1',
  'sku-powerbank-01-10k-white:1',
  'sku-nuts-01-classic-15:2',
  'sku-tshirt-01-white-m:1',
].join(',');

function cartLines(spec: string): PricingLine[] {
  return spec.split(',').map((item) => {
    const [skuId, qty = '1'] = item.trim().split(':');
    const product = products.find((p) => p.skus.some((s) => s.id === skuId));
    const sku = product?.skus.find((s) => s.id === skuId);
    if (!product || !sku) fail(`样例购物车里的 SKU 不在种子商品中: ${skuId}`);
    const quantity = Number(qty);
    if (!Number.isInteger(quantity) || quantity < 1) fail(`数量应为正整数: ${item}`);
    return {
      productId: product.id,
      skuId: sku.id,
      categoryId: product.categoryId,
      title: product.title,
      specText: Object.values(sku.specs).join(' / '),
      image: sku.image ?? product.images[0] ?? '',
      unitPriceFen: sku.priceFen,
      quantity,
    };
  });
}

// ───────────── describing campaigns ─────────────

const categoryName = (id: string) => categories.find((c) => c.id === id)?.name ?? id;

function scopeLabel(scope: PromotionScope): string {
  if (scope.type === 'all') return '全场';
  if (scope.type === 'categories') return scope.categoryIds.map(categoryName).join('、');
  return `指定商品 ${scope.productIds.join('、')}`;
}

const DROP_NAMES = { new_user_gift: '新人礼', share_reward: '分享奖励', birthday: '生日礼', win_back: '召回', claim_center: '领券中心' };

function describe(c: Campaign): string {
  switch (c.type) {
    case 'coupon_drop':
      return `${DROP_NAMES[c.trigger]}：发放 ${c.templateIds.join('、')}`;
    case 'spend_and_save':
      return `${c.tiers.map((t) => `满${yuan(t.thresholdFen).slice(1)}减${yuan(t.offFen).slice(1)}`).join(' / ')}（${scopeLabel(c.scope)}）`;
    case 'gift_with_purchase':
      return `满${yuan(c.thresholdFen).slice(1)}赠 ${c.gift.skuId} ×${c.gift.quantity}（${scopeLabel(c.scope)}）`;
    case 'flash_sale':
      return `${c.items.map((i) => `${i.skuId} 秒杀 ${yuan(i.priceFen)}（限购 ${i.perUserLimit}，共 ${i.quota} 件）`).join('；')}`;
    case 'member_day': {
      const day = c.weekday !== undefined ? `每周${'一二三四五六日'[c.weekday - 1]}` : `每月 ${c.dayOfMonth} 日`;
      const rates = MEMBER_LEVELS.filter((l) => c.percentByLevel[l] !== undefined)
        .map((l) => `${MEMBER_LEVEL_NAMES[l]}${zheLabel(c.percentByLevel[l]!)}`)
        .join(' ');
      return `${day}：${rates}`;
    }
    case 'points_multiplier':
      return `积分 ×${c.multiplier}`;
    case 'group_deal':
      return `${c.groupSize}人团，${c.skus.map((s) => `${s.skuId} ${yuan(s.groupPriceFen)}`).join('、')}，成团时限 ${c.timeLimitMinutes} 分钟`;
  }
}

/** The stage's member configuration (members/<stage>.yaml; all defaults without one). */
function membersOf(stage: string): MembersConfig {
  const file = path.join(ROOT, 'members', `${stage}.yaml`);
  if (!fs.existsSync(file)) return DEFAULT_MEMBERS_CONFIG;
  const result = parseMembersConfig(fs.readFileSync(file, 'utf8'), `members/${stage}.yaml`);
  if (!result.ok) fail(result.errors.join('\n'));
  return result.config;
}

function userLine(u: CampaignUser): string {
  const bits = [`${MEMBER_LEVEL_NAMES[u.level]}会员`, u.isNew ? '新用户' : '老用户'];
  if (u.segments.length) bits.push(`标签 ${u.segments.join('、')}`);
  if (u.birthday) bits.push(`生日 ${u.birthday}`);
  bits.push(`id ${u.id}`);
  return bits.join(' · ');
}

function preview(config: CampaignConfig, stage: string, at: number, who: { label: string; user: CampaignUser }[], cart: PricingLine[]) {
  const out: string[] = [];
  out.push(`预览 ${stage} @ ${formatShanghaiTime(at)}（北京时间）= ${new Date(at).toISOString()}`);
  for (const { label, user } of who) {
    out.push('', `== ${label}（${userLine(user)}）`);
    const benefits = benefitsOf(user.level, membersOf(stage).levels.tiers);
    out.push(`会员权益（${MEMBER_LEVEL_NAMES[user.level]}）: ${benefitLabels(benefits).join('、') || '（无）'}`);
    const statuses = config.campaigns.map((c) => ({ c, s: campaignStatus(c, at, user) }));
    out.push('生效的活动:');
    const live = statuses.filter((x) => x.s.live);
    if (live.length === 0) out.push('  （无）');
    for (const { c } of live.sort((a, b) => b.c.priority - a.c.priority))
      out.push(`  [${CAMPAIGN_TYPE_NAMES[c.type]}] ${c.id} ${c.name}：${describe(c)}`);
    out.push('未生效:');
    for (const { c, s } of statuses) if (!s.live) out.push(`  [${CAMPAIGN_TYPE_NAMES[c.type]}] ${c.id} ${c.name}：${s.reason}`);

    // The shopper is assumed to hold one coupon of every template, claimed now, so every coupon shows its verdict.
    const coupons = config.couponTemplates.map((t) => couponFromTemplate(t, { id: t.id, claimedAt: at }));
    // Priced as the server prices it: the level's member price and free shipping too.
    const priced = priceCheckout(cart, { campaigns: config.campaigns, coupons, user, at, memberDiscountPercent: benefits.discountPercent });
    const q = quote(priced.lines, {
      discounts: priced.discounts,
      ...(benefits.freeShipping ? { shipping: { feeFen: shippingTerms().feeFen, freeFromFen: 0 } } : {}),
    });
    out.push('样例购物车:');
    priced.lines.forEach((l, i) => {
      const flash = priced.flashSaleLines.find((f) => f.lineIndex === i);
      const price = flash?.applied ? `${yuan(flash.originalPriceFen)} → 秒杀 ${yuan(l.unitPriceFen)}` : yuan(l.unitPriceFen);
      const note = flash && !flash.applied ? `（未享秒杀价：${flash.reason}）` : '';
      const off = priced.perLineDiscountFen[i];
      out.push(`  ${l.skuId}  ${price} × ${l.quantity}${note}  优惠 -${yuan(off)}  实付 ${yuan(l.unitPriceFen * l.quantity - off)}`);
    });
    out.push('优惠明细:');
    if (priced.discounts.length === 0) out.push('  （无）');
    for (const d of priced.discounts) out.push(`  ${d.label}  -${yuan(d.amountFen)}`);
    out.push('优惠券（假设每种各持有 1 张）:');
    for (const r of priced.couponReasons) {
      const c = coupons.find((x) => x.id === r.couponId)!;
      const head = `${c.name ?? c.templateId}（${couponLabel(c)}）`;
      out.push(priced.couponIds.includes(r.couponId) ? `  ✓ ${head}  -${yuan(r.amountFen)}` : `  ✗ ${head}：${r.reason}`);
    }
    for (const g of priced.gifts) out.push(`赠品: ${g.label} ${g.skuId} ×${g.quantity}${g.given ? '' : `（${g.reason}）`}`);
    for (const h of priced.hints) out.push(`凑单提示: ${h.campaignId} ${h.message}`);
    out.push(`积分倍数: ×${priced.pointsMultiplier}`);
    out.push(`商品金额 ${yuan(q.subtotalFen)}  优惠 -${yuan(q.discountFen)}  运费 ${yuan(q.shippingFen)}  应付 ${yuan(q.payableFen)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

// ───────────── main ─────────────

const { command, flags } = parseArgs(process.argv.slice(2));
const stageFlag = flags.get('stage')?.at(-1);

if (command === 'check') {
  let failed = false;
  for (const stage of stageFlag ? [stageFlag] : stages()) {
    const result = checkStage(stage);
    if (result.ok) {
      process.stdout.write(`OK: ${result.config.campaigns.length} campaigns, ${result.config.couponTemplates.length} coupon templates (${stage})\n`);
    } else {
      failed = true;
      for (const e of result.errors) process.stdout.write(`${errorLine(e)}\n`);
    }
    // The stage's member programme: its schema, and the coupon templates its 积分商城 hands out.
    const membersFile = `members/${stage}.yaml`;
    if (fs.existsSync(path.join(ROOT, membersFile))) {
      const members = parseMembersConfig(fs.readFileSync(path.join(ROOT, membersFile), 'utf8'), membersFile);
      const errors = members.ok
        ? result.ok
          ? membersReferenceErrors(members.config, result.config.couponTemplates.map((t) => t.id), membersFile)
          : []
        : members.errors;
      if (errors.length > 0) {
        failed = true;
        for (const e of errors) process.stdout.write(`${e}\n`);
      } else if (members.ok) {
        process.stdout.write(`OK: ${members.config.levels.tiers.length} member tiers, ${members.config.mall.items.length} 积分商城 items (${membersFile})\n`);
      }
    }
  }
  process.exit(failed ? 1 : 0);
} else if (command === 'preview') {
  const stage = stageFlag ?? 'local';
  const result = checkStage(stage);
  if (!result.ok) {
    for (const e of result.errors) process.stdout.write(`${errorLine(e)}\n`);
    process.stdout.write(`${stage} 的活动文件有错误，先修正再预览。\n`);
    process.exit(1);
  }
  const at = parseAt(flags.get('at')?.at(-1));
  const specs = flags.get('user') ?? demoUsers.map((u) => u.code);
  const users = [];
  for (const spec of specs) users.push(USER_ID.test(spec) ? await shopUser(spec, at) : parseUser(spec));
  preview(result.config, stage, at, users, cartLines(flags.get('cart')?.at(-1) ?? SAMPLE_CART));
  // A shop user's preview opened the database client: do not wait for its idle connections.
  if (specs.some((s) => USER_ID.test(s))) process.exit(0);
} else if (command === 'bundle') {
  // The document an AppConfig push carries: the stage's files as they are, so the functions (and AppConfig's
  // validator) check exactly what campaigns:check checked, with the same file names in their messages.
  const stage = stageFlag ?? fail('bundle 需要 --stage');
  const result = checkStage(stage);
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${errorLine(e)}\n`);
    process.exit(1);
  }
  const document = `${JSON.stringify({ files: readStageFiles(stage) })}\n`;
  const out = flags.get('out')?.at(-1);
  if (out) fs.writeFileSync(out, document);
  else process.stdout.write(document);
} else {
  fail(command ? `未知命令: ${command}` : '缺少命令');
}
