import { z } from 'zod';
import { DomainError } from '@shop/shared';

/**
 * The one format of every list cursor: base64url of `{"s": scope, "p": position}`. The scope names the list that issued
 * the cursor and, for a shopper's own lists, their partition (e.g. `USER#<uid>#ORDERS`), so a cursor only ever continues
 * the list it came from: one from another shopper, another tab or another list is refused. The position is checked
 * against the list's own schema before anything reaches DynamoDB, so no hand-made cursor can turn into a 500.
 */
const MAX_CURSOR_CHARS = 512;
const CURSOR_INVALID_MESSAGE = '分页参数无效，请刷新后重试';

function invalid(): DomainError {
  return new DomainError('VALIDATION_FAILED', CURSOR_INVALID_MESSAGE);
}

export function encodeCursor(scope: string, position: Record<string, string | number>): string {
  const cursor = Buffer.from(JSON.stringify({ s: scope, p: position })).toString('base64url');
  // A list never issues a cursor it would refuse.
  if (cursor.length > MAX_CURSOR_CHARS) throw new Error(`cursor for ${scope} is ${cursor.length} characters`);
  return cursor;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The position a cursor of this scope carries; undefined for no cursor (the first page); VALIDATION_FAILED otherwise. */
export function decodeCursor<S extends z.ZodTypeAny>(cursor: string | undefined, scope: string, position: S): z.infer<S> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (cursor.length > MAX_CURSOR_CHARS || !BASE64URL.test(cursor)) throw invalid();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid();
  const { s, p } = json as { s?: unknown; p?: unknown };
  if (s !== scope) throw invalid();
  const parsed = position.safeParse(p);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
