import { z } from 'zod';

/** Sortable ids (ULID, 26 Crockford base32 characters). */
export const Id = z.string().max(26, '编号格式不正确').regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, '编号格式不正确');
/** Catalog ids are readable slugs chosen by operators (e.g. `p-lipstick-01`, `sku-lipstick-01-red`). */
export const Slug = z.string().max(64, '编号格式不正确').regex(/^[a-z0-9][a-z0-9-]{0,63}$/, '编号格式不正确');
export const FenAmount = z.number().int().nonnegative();
export const EpochMs = z.number().int().nonnegative();
/** The longest list cursor any list issues (functions/src/lib/cursor.ts). */
const MAX_CURSOR_LENGTH = 512;
export const Cursor = z.string().max(MAX_CURSOR_LENGTH, '分页参数无效，请刷新后重试').optional();
export const Limit = z.coerce.number().int().min(1).max(50).default(20);

/**
 * Bounded strings of what the server sends back. Every string in a contract has a maximum length (a test walks them
 * all): requests are refused above it, and a response field says how long it can be.
 */
export const Label = z.string().max(100);
export const Title = z.string().max(200);
export const Url = z.string().max(2048);
export const LongText = z.string().max(20_000);
/** A short code or external reference (WeChat transaction ids, refund numbers, share tokens, kinds). */
export const Ref = z.string().max(64);

export function page<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().max(MAX_CURSOR_LENGTH).nullable() });
}
