import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../lib/dynamo';
import type { Key } from './keys';

export const keyId = (k: { PK: unknown; SK: unknown }) => `${String(k.PK)}|${String(k.SK)}`;

/**
 * Items by key, in BatchGetItem chunks of 100 (consistent reads by default), with unprocessed keys retried.
 * Returns a map from `PK|SK` to the item; missing items are absent.
 */
export async function batchGet(wanted: Key[], options: { consistent?: boolean } = {}): Promise<Map<string, Record<string, unknown>>> {
  const unique = new Map(wanted.map((k) => [keyId(k), k]));
  const found = new Map<string, Record<string, unknown>>();
  const chunks: Key[][] = [];
  const all = [...unique.values()];
  for (let i = 0; i < all.length; i += 100) chunks.push(all.slice(i, i + 100));
  await Promise.all(
    chunks.map(async (chunk) => {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [table()]: { Keys: chunk.map((k) => ({ PK: k.PK, SK: k.SK })), ConsistentRead: options.consistent ?? true },
      };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        const out = await db().send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[table()] ?? []) found.set(keyId(item as Key), item);
        request = out.UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }),
  );
  return found;
}
