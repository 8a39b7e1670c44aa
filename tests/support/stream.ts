import { inject } from 'vitest';
import { createStreamReader, type StreamHandler, type StreamReader } from '../../scripts/lib/table-stream';

/** One reader per table, so each drain continues where the last one stopped (as Lambda's stream position does). */
const readers = new Map<string, StreamReader>();

/** The stream reader of the current test's table (process.env.TABLE_NAME, set by freshTable). */
export function tableStream(tableName = process.env.TABLE_NAME): StreamReader {
  if (!tableName) throw new Error('TABLE_NAME is not set: call freshTable() first');
  let reader = readers.get(tableName);
  if (!reader) {
    reader = createStreamReader({ endpoint: inject('dynamoEndpoint'), tableName });
    readers.set(tableName, reader);
  }
  return reader;
}

/**
 * Hands every table change not yet handled to `handler` (e.g. jobs.onTableChange), batch by batch as Lambda would,
 * and returns how many records were delivered once the stream has nothing new.
 */
export function drainStream(handler: StreamHandler, options?: { batchSize?: number }): Promise<number> {
  return tableStream().drain(handler, options);
}

/** Runs every reaction the table's changes so far call for (the production stream handler), as Lambda would. */
export async function drainReactions(): Promise<number> {
  const { onTableChange } = await import('../../functions/src/handlers/jobs');
  return drainStream(onTableChange as StreamHandler);
}
