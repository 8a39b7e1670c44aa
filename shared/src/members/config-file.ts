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
