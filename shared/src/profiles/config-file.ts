/**
 * Reads `profiles/<stage>.yaml` into the profiles configuration. Kept out of the package index (like the members and
 * campaigns readers) because it pulls in the YAML parser; the functions and scripts import it directly.
 */
import { parse } from 'yaml';
import { ProfilesConfigSchema, type ProfilesConfig } from './config';

export type ProfilesConfigResult = { ok: true; config: ProfilesConfig } | { ok: false; errors: string[] };

export function parseProfilesConfig(text: string, file: string): ProfilesConfigResult {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (e) {
    return { ok: false, errors: [`${file}: YAML 格式有误：${(e as Error).message}`] };
  }
  const result = ProfilesConfigSchema.safeParse(doc);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, errors: result.error.issues.map((i) => `${file}: ${i.path.join('.') || '-'}: ${i.message}`) };
}
