import { z } from 'zod';

/** Sortable ids (ULID, 26 Crockford base32 characters). */
export const Id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, '编号格式不正确');
/** Catalog ids are readable slugs chosen by operators (e.g. `p-lipstick-01`, `sku-lipstick-01-red`). */
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, '编号格式不正确');
export const FenAmount = z.number().int().nonnegative();
export const EpochMs = z.number().int().nonnegative();
export const Cursor = z.string().max(512).optional();
export const Limit = z.coerce.number().int().min(1).max(50).default(20);

export function page<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
