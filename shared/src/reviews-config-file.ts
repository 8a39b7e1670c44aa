/**
 * Reads `reviews/<stage>.yaml` into the reviews configuration. Kept out of the package index (like the members and
 * profiles readers) because it pulls in the YAML parser; the functions import it directly.
 */
import { parse } from 'yaml';
import { ReviewsConfigSchema, type ReviewsConfig } from './reviews-config';

export function parseReviewsConfig(text: string, file: string): { ok: true; config: ReviewsConfig } | { ok: false; errors: string[] } {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (e) {
    return { ok: false, errors: [`${file}: YAML 格式有误：${(e as Error).message}`] };
  }
  const result = ReviewsConfigSchema.safeParse(doc);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, errors: result.error.issues.map((i) => `${file}: ${i.path.join('.') || '-'}: ${i.message}`) };
}
