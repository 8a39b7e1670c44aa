import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { db } from '../lib/dynamo';

export type CancellationCode = 'ConditionalCheckFailed' | 'TransactionConflict' | 'None' | string;

/** A refused transaction, with the reason DynamoDB gave for each item (same order as the items sent). */
export class TransactionRefused extends Error {
  override readonly name = 'TransactionRefused';
  constructor(
    readonly reasons: { code: CancellationCode; item?: Record<string, unknown> }[],
    readonly labels: string[],
  ) {
    super(`transaction refused: ${reasons.map((r, i) => `${labels[i]}=${r.code}`).join(', ')}`);
  }
  /** Labels of the items whose condition failed. */
  failed(): string[] {
    return this.reasons.flatMap((r, i) => (r.code === 'ConditionalCheckFailed' ? [this.labels[i]] : []));
  }
  conflicted(): boolean {
    return this.reasons.some((r) => r.code === 'TransactionConflict') && this.failed().length === 0;
  }
}

export type LabelledItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number] & { label: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One TransactWriteItems. Each item carries a label so a refusal says which rule failed (which SKU ran out, whether
 * the idempotency key already existed). Conflicts with a concurrent transaction on the same items are retried with
 * jittered backoff: they say nothing about the business rules, only that someone else got there first.
 */
export async function transact(items: LabelledItem[], options: { maxConflictRetries?: number } = {}): Promise<void> {
  const labels = items.map((i) => i.label);
  const TransactItems = items.map(({ label: _label, ...rest }) => rest);
  const maxRetries = options.maxConflictRetries ?? 12;
  for (let attempt = 0; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems, ReturnConsumedCapacity: 'NONE' }));
      return;
    } catch (e) {
      if (!(e instanceof TransactionCanceledException) && (e as Error).name !== 'TransactionCanceledException') throw e;
      const reasons = ((e as TransactionCanceledException).CancellationReasons ?? []).map((r) => ({
        code: r.Code ?? 'None',
        // The exception is not unmarshalled by the document client: the old item arrives in attribute-value form.
        item: r.Item ? unmarshall(r.Item as Parameters<typeof unmarshall>[0]) : undefined,
      }));
      const refused = new TransactionRefused(reasons, labels);
      if (refused.conflicted() && attempt < maxRetries) {
        await sleep(Math.random() * Math.min(400, 10 * 2 ** attempt));
        continue;
      }
      throw refused;
    }
  }
}

/** True for a failed single-item condition (PutItem/UpdateItem/DeleteItem). */
export function isConditionFailed(e: unknown): boolean {
  return (e as Error)?.name === 'ConditionalCheckFailedException';
}
