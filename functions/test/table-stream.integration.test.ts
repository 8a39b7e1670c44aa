import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from '../../tests/support/table';
import { drainStream } from '../../tests/support/stream';
import type { StreamRecord } from '../../scripts/lib/table-stream';
import { db, table } from '../src/lib/dynamo';

/** Collects what a handler is given, answering with the failures `fail` picks. */
function recorder(fail: (r: StreamRecord) => boolean = () => false) {
  const seen: StreamRecord[] = [];
  const batches: number[] = [];
  const handler = async (event: { Records: StreamRecord[] }) => {
    batches.push(event.Records.length);
    seen.push(...event.Records);
    return {
      batchItemFailures: event.Records.filter(fail).map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })),
    };
  };
  return { seen, batches, handler };
}

const key = (id: string) => ({ PK: `STREAMTEST#${id}`, SK: 'ITEM' });
const put = (id: string, n: number) => db().send(new PutCommand({ TableName: table(), Item: { ...key(id), n } }));
const bump = (id: string) =>
  db().send(new UpdateCommand({ TableName: table(), Key: key(id), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } }));
const describeRecord = (r: StreamRecord) => {
  const k = unmarshall(r.dynamodb.Keys as never).PK as string;
  const oldN = r.dynamodb.OldImage ? unmarshall(r.dynamodb.OldImage as never).n : null;
  const newN = r.dynamodb.NewImage ? unmarshall(r.dynamodb.NewImage as never).n : null;
  return `${r.eventName} ${k.split('#')[1]} ${oldN}→${newN}`;
};

beforeAll(async () => {
  await freshTable();
});

describe('the local table stream', () => {
  it('delivers writes on a fresh table in order, with old and new images, and nothing twice', async () => {
    await put('a', 1);
    await bump('a');
    await put('b', 10);
    await bump('a');
    await db().send(new DeleteCommand({ TableName: table(), Key: key('b') }));

    const first = recorder();
    expect(await drainStream(first.handler)).toBe(5);
    expect(first.seen.map(describeRecord)).toEqual([
      'INSERT a null→1',
      'MODIFY a 1→2',
      'INSERT b null→10',
      'MODIFY a 2→3',
      'REMOVE b 10→null',
    ]);
    // Lambda's event shape: DynamoDB JSON images, sequence numbers increasing, the table's stream as the source.
    const r = first.seen[1]!;
    expect(r.eventSource).toBe('aws:dynamodb');
    expect(r.eventSourceARN).toContain(process.env.TABLE_NAME!);
    expect(r.dynamodb.NewImage).toMatchObject({ PK: { S: 'STREAMTEST#a' }, n: { N: '2' } });
    expect(r.dynamodb.OldImage).toMatchObject({ n: { N: '1' } });
    const seqs = first.seen.map((x) => BigInt(x.dynamodb.SequenceNumber));
    expect([...seqs].sort((x, y) => (x < y ? -1 : 1))).toEqual(seqs);

    const again = recorder();
    expect(await drainStream(again.handler)).toBe(0);
    expect(again.seen).toHaveLength(0);

    await bump('a');
    const later = recorder();
    expect(await drainStream(later.handler)).toBe(1);
    expect(later.seen.map(describeRecord)).toEqual(['MODIFY a 3→4']);
  });

  it('delivers in batches of at most batchSize, in order', async () => {
    for (let i = 0; i < 7; i++) await put(`batch-${i}`, i);
    const rec = recorder();
    expect(await drainStream(rec.handler, { batchSize: 3 })).toBe(7);
    expect(Math.max(...rec.batches)).toBeLessThanOrEqual(3);
    expect(rec.seen.map((r) => unmarshall(r.dynamodb.NewImage as never).n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('redelivers from a reported failure on the next drain, and nothing before it', async () => {
    for (let i = 0; i < 5; i++) await put(`fail-${i}`, i);
    const n = (r: StreamRecord) => unmarshall(r.dynamodb.NewImage as never).n as number;

    // Record 2 fails once: 0 and 1 are kept; 2 (and 3, 4 of the same batch, as on Lambda) come on the next drain.
    let failed = false;
    const first = recorder((r) => {
      if (n(r) !== 2 || failed) return false;
      failed = true;
      return true;
    });
    expect(await drainStream(first.handler)).toBe(5);
    expect(first.seen.map(n)).toEqual([0, 1, 2, 3, 4]);

    const second = recorder();
    expect(await drainStream(second.handler)).toBe(3);
    expect(second.seen.map(n)).toEqual([2, 3, 4]);

    const third = recorder();
    expect(await drainStream(third.handler)).toBe(0);
  });

  it('gives up on a record that keeps failing after a bounded number of retries, and moves on', async () => {
    await put('poison', 1);
    await put('after-poison', 2);
    const attempts: string[] = [];
    const handler = async (event: { Records: StreamRecord[] }) => {
      attempts.push(...event.Records.map(describeRecord));
      return {
        batchItemFailures: event.Records.filter((r) => describeRecord(r) === 'INSERT poison null→1').map((r) => ({
          itemIdentifier: r.dynamodb.SequenceNumber,
        })),
      };
    };
    for (let i = 0; i < 6; i++) await drainStream(handler);
    // Delivered once and retried three times, then skipped; the record after it is then handled exactly once more.
    expect(attempts.filter((a) => a === 'INSERT poison null→1')).toHaveLength(4);
    const after = attempts.filter((a) => a === 'INSERT after-poison null→2');
    // It rode along in each failed batch (Lambda redelivers the rest of the batch too), then once on its own.
    expect(after).toHaveLength(5);
    expect(await drainStream(handler)).toBe(0);
  });

  it('treats a handler that throws as a failure of the whole batch', async () => {
    await put('throws', 1);
    let calls = 0;
    const count = await drainStream(async () => {
      calls++;
      throw new Error('boom');
    });
    expect(count).toBe(1);
    const rec = recorder();
    expect(await drainStream(rec.handler)).toBe(1);
    expect(rec.seen.map(describeRecord)).toEqual(['INSERT throws null→1']);
    expect(calls).toBe(1);
  });
});
