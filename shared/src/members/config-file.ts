/**
 * Reads `members/<stage>.yaml` into the member configuration. Kept out of the package index (like
 * campaigns/validate.ts) because it pulls in the YAML parser; the functions import it directly.
 */
import { parse } from 'yaml';
import { MembersConfigSchema, type MembersConfig } from './config';

export type MembersConfigResult = { ok: true; config: MembersConfig } | { ok: false; errors: string[] };

export function parseMembersConfig(text: string, file: string): MembersConfigResult {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (e) {
    return { ok: false, errors: [`${file}: YAML 格式有误：${(e as Error).message}`] };
  }
  const result = MembersConfigSchema.safeParse(doc);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, errors: result.error.issues.map((i) => `${file}: ${i.path.join('.') || '-'}: ${i.message}`) };
}

/**
 * What the member file promises that the stage's campaign files must keep: every 积分商城 coupon names a coupon
 * template that exists. Checked by `campaigns:check` with the campaigns of the same stage.
 */
export function membersReferenceErrors(config: MembersConfig, couponTemplateIds: readonly string[], file: string): string[] {
  const known = new Set(couponTemplateIds);
  return config.mall.items
    .filter((i) => i.kind === 'coupon' && !known.has(i.couponTemplateId!))
    .map((i) => `${file}: mall.items.${i.id}.couponTemplateId: 积分商城商品“${i.name}”引用的优惠券模板 ${i.couponTemplateId} 不存在`);
}
