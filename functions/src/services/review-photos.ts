/**
 * The photos of a review, a 追评 or a piece of feedback, as the shopper names them and as a page shows them. This is
 * the one place that decides both, so the upload step can be swapped in here alone.
 *
 * For now a photo is named by its address on the shop's own origin (`/…`) or an https address, kept as it is; once
 * the shop's uploads route issues object keys, `acceptPhotos` checks each key was issued to this shopper and is stored,
 * and `photoUrls` turns keys into links.
 */
import { DomainError } from '@shop/shared';

const SHOWN = /^(\/[A-Za-z0-9/_.%-]+|https:\/\/[A-Za-z0-9/_.:%-]+)$/;

/** The photos a request names, checked and without repeats (in the order given). */
export async function acceptPhotos(_userId: string, refs: readonly string[]): Promise<string[]> {
  const unique = [...new Set(refs)];
  for (const ref of unique) if (!SHOWN.test(ref)) throw new DomainError('VALIDATION_FAILED', '图片无效，请重新上传');
  return unique;
}

/** What a page shows for stored photos. */
export async function photoUrls(refs: readonly string[]): Promise<string[]> {
  return [...refs];
}
