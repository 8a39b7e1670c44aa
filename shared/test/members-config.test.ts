import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCampaignFiles } from '../src/campaigns/validate';
import { membersReferenceErrors, parseMembersConfig } from '../src/members/config-file';

const ROOT = path.resolve(__dirname, '../..');
const stages = fs.readdirSync(path.join(ROOT, 'members')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));

function campaignTemplates(stage: string): string[] {
  const dir = path.join(ROOT, 'campaigns', stage);
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => ({ path: `campaigns/${stage}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
  const result = validateCampaignFiles(files, { stage });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config.couponTemplates.map((t) => t.id);
}

describe('members/<stage>.yaml', () => {
  it.each(stages)('%s parses, and every 积分商城 coupon names a coupon template of the same stage', (stage) => {
    const file = `members/${stage}.yaml`;
    const parsed = parseMembersConfig(fs.readFileSync(path.join(ROOT, file), 'utf8'), file);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    if (!parsed.ok) return;
    expect(parsed.config.levels.tiers.map((t) => t.level)).toEqual(['NORMAL', 'SILVER', 'GOLD', 'PLATINUM', 'DIAMOND']);
    expect(membersReferenceErrors(parsed.config, campaignTemplates(stage), file)).toEqual([]);
  });

  it('refuses, in words naming the file and the field, a coupon item whose template does not exist', () => {
    const parsed = parseMembersConfig(
      'mall:\n  items:\n    - { id: c1, name: 十元券, points: 100, kind: coupon, couponTemplateId: tpl-gone, stock: 5 }\n',
      'members/x.yaml',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(membersReferenceErrors(parsed.config, ['tpl-full-99-10'], 'members/x.yaml')).toEqual([
      'members/x.yaml: mall.items.c1.couponTemplateId: 积分商城商品“十元券”引用的优惠券模板 tpl-gone 不存在',
    ]);
    expect(membersReferenceErrors(parsed.config, ['tpl-gone'], 'members/x.yaml')).toEqual([]);
  });

  it('refuses broken YAML and tiers out of order with the file name in each message', () => {
    const broken = parseMembersConfig('points:\n  order:\n   pointsPerYuan: [\n', 'members/y.yaml');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors[0]).toMatch(/^members\/y\.yaml: YAML 格式有误/);
    const order = parseMembersConfig(
      'levels:\n  tiers:\n    - { level: SILVER, minSpendFen: 0, benefits: {} }\n    - { level: NORMAL, minSpendFen: 100, benefits: {} }\n',
      'members/z.yaml',
    );
    expect(order.ok).toBe(false);
    if (!order.ok) expect(order.errors.join('\n')).toMatch(/^members\/z\.yaml: levels\.tiers/m);
  });
});
