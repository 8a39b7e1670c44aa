/**
 * The table's stream on this machine. In the cloud, Lambda reads the DynamoDB stream (NEW_AND_OLD_IMAGES) and hands
 * batches to the stream handlers; locally nothing does, so this reads DynamoDB Local's real stream of a table and
 * delivers the records the way Lambda's event source mapping does:
 * - per shard, in order, in batches of at most `batchSize`, each batch as `{ Records }` in Lambda's event shape
 *   (images in DynamoDB JSON, ApproximateCreationDateTime in epoch seconds);
 * - the position per shard is remembered (TRIM_HORIZON on first use, then after the last record handled); closed
 *   shards are finished before their children, and new shards are picked up on every pass;
 * - ReportBatchItemFailures: `batchItemFailures: [{ itemIdentifier: SequenceNumber }]` keeps everything before the
 *   first failed record and redelivers from it on the next drain/poll (records after it in the same batch come again
 *   too, as on Lambda); a handler that throws, or names an identifier not in the batch, fails the whole batch. After
 *   `maxRetries` redeliveries of the same first-failed record it is logged and skipped.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  TrimmedDataAccessException,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';

/** One record as Lambda hands it to a DynamoDB stream handler. */
export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    ApproximateCreationDateTime?: number;
    Keys: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
}

interface StreamBatchResult {
  batchItemFailures?: { itemIdentifier: string }[];
}

export type StreamHandler = (event: { Records: StreamRecord[] }) => Promise<StreamBatchResult | void | undefined>;

export interface StreamReaderOptions {
  endpoint: string;
  tableName: string;
  region?: string;
  /** Redeliveries of the same failed record; when the last one fails too it is logged and skipped (default 3). */
  maxRetries?: number;
  log?: (line: string) => void;
}

export interface StreamReader {
  /**
   * Delivers every record not yet handled, batch by batch, and returns how many records were handed to `handler`
   * (redeliveries included) once a full pass over all shards found nothing new. A shard whose batch reported a
   * failure waits for the next drain/poll.
   */
  drain(handler: StreamHandler, options?: { batchSize?: number }): Promise<number>;
  /** Drains every `everyMs` (one drain at a time; errors are logged, not thrown) until stopped. */
  poll(handler: StreamHandler, everyMs: number, options?: { batchSize?: number }): { stop(): Promise<void> };
}

interface ShardState {
  /** The last sequence number handled (undefined: start at TRIM_HORIZON). */
  after?: string;
  /** The shard is closed and everything in it was handled. */
  finished: boolean;
  /** The first failed record and how many times it has been redelivered. */
  failing?: { seq: string; retries: number };
}

/** GetRecords answers empty this many times in a row before a shard counts as caught up (DynamoDB Local can lag). */
const EMPTY_READS_TO_BE_SURE = 2;

/**
 * The streams client reads an empty map attribute back as `{}` (no type key), which no unmarshaller accepts: put the
 * `M` back, at any depth, so images look exactly like Lambda's.
 */
function normalizeImage(image: Record<string, unknown>): Record<string, unknown> {
  const fix = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const av = v as Record<string, unknown>;
    const [type] = Object.keys(av);
    if (type === undefined) return { M: {} };
    if (type === 'M') return { M: normalizeImage(av.M as Record<string, unknown>) };
    if (type === 'L') return { L: (av.L as unknown[]).map(fix) };
    return av;
  };
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, fix(v)]));
}

function toLambdaRecord(r: _Record, streamArn: string, region: string): StreamRecord {
  const d = r.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: r.eventID ?? '',
    eventName: r.eventName as StreamRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      Keys: (d.Keys ?? {}) as Record<string, unknown>,
      ...(d.NewImage ? { NewImage: normalizeImage(d.NewImage as Record<string, unknown>) } : {}),
      ...(d.OldImage ? { OldImage: normalizeImage(d.OldImage as Record<string, unknown>) } : {}),
      SequenceNumber: d.SequenceNumber ?? '',
      ...(d.SizeBytes !== undefined ? { SizeBytes: d.SizeBytes } : {}),
      ...(d.StreamViewType ? { StreamViewType: d.StreamViewType } : {}),
    },
  };
}

/** Parents before children; otherwise by the first sequence number. */
function inProcessingOrder(shards: Shard[]): Shard[] {
  const byId = new Map(shards.map((s) => [s.ShardId!, s]));
  const depth = (s: Shard): number => {
    let n = 0;
    for (let p = s.ParentShardId; p && byId.has(p) && n < shards.length; p = byId.get(p)!.ParentShardId) n++;
    return n;
  };
  const start = (s: Shard) => BigInt(s.SequenceNumberRange?.StartingSequenceNumber ?? '0');
  return [...shards].sort((a, b) => depth(a) - depth(b) || (start(a) < start(b) ? -1 : start(a) > start(b) ? 1 : 0));
}

export function createStreamReader(options: StreamReaderOptions): StreamReader {
  const region = options.region ?? 'local';
  const maxRetries = options.maxRetries ?? 3;
  const log = options.log ?? ((line: string) => console.warn(`[table-stream] ${line}`));
  const client = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const shards = new Map<string, ShardState>();
  let streamArn: string | undefined;
  let draining: Promise<number> | undefined;

  async function resolveStreamArn(): Promise<string> {
    if (streamArn) return streamArn;
    const out = await client.send(new ListStreamsCommand({ TableName: options.tableName }));
    const arn = out.Streams?.find((s) => s.TableName === options.tableName)?.StreamArn;
    if (!arn) throw new Error(`table ${options.tableName} has no stream`);
    streamArn = arn;
    return arn;
  }

  async function listShards(arn: string): Promise<Shard[]> {
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await client.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }));
      all.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return all;
  }

  async function iteratorFor(arn: string, shardId: string, state: ShardState): Promise<string | undefined> {
    try {
      const out = await client.send(
        new GetShardIteratorCommand(
          state.after
            ? { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.after }
            : { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' },
        ),
      );
      return out.ShardIterator;
    } catch (e) {
      if (!(e instanceof TrimmedDataAccessException) || !state.after) throw e;
      log(`shard ${shardId}: records after ${state.after} were trimmed; continuing from the oldest record kept`);
      state.after = undefined;
      return iteratorFor(arn, shardId, state);
    }
  }

  /**
   * Hands one batch to the handler. Returns how far the shard got: 'all' (position after the last record) or the
   * index of the first record to deliver again.
   */
  async function deliver(handler: StreamHandler, shardId: string, state: ShardState, batch: StreamRecord[]): Promise<number | 'all'> {
    let failedAt: number | 'all' = 'all';
    try {
      const result = await handler({ Records: batch });
      const failures = result?.batchItemFailures ?? [];
      for (const f of failures) {
        const i = batch.findIndex((r) => r.dynamodb.SequenceNumber === f?.itemIdentifier);
        const at = i < 0 ? 0 : i; // an identifier not in the batch fails the whole batch, as on Lambda
        failedAt = failedAt === 'all' ? at : Math.min(failedAt, at);
      }
    } catch (e) {
      log(`shard ${shardId}: the handler threw (${(e as Error).message}); the whole batch will be delivered again`);
      failedAt = 0;
    }
    if (failedAt === 'all') {
      state.after = batch[batch.length - 1]!.dynamodb.SequenceNumber;
      state.failing = undefined;
      return 'all';
    }
    const seq = batch[failedAt]!.dynamodb.SequenceNumber;
    if (failedAt > 0) state.after = batch[failedAt - 1]!.dynamodb.SequenceNumber;
    const retries = state.failing?.seq === seq ? state.failing.retries + 1 : 0;
    if (retries >= maxRetries) {
      log(`shard ${shardId}: record ${seq} (${batch[failedAt]!.eventName}) still failing after ${maxRetries} retries; skipped`);
      state.after = seq;
      state.failing = undefined;
      return failedAt + 1 >= batch.length ? 'all' : failedAt + 1;
    }
    state.failing = { seq, retries };
    return failedAt;
  }

  /** Reads one shard from its position until it is caught up, closed, or a batch failed. Returns records delivered. */
  async function readShard(
    arn: string,
    shard: Shard,
    state: ShardState,
    handler: StreamHandler,
    batchSize: number,
  ): Promise<number> {
    const shardId = shard.ShardId!;
    let iterator = await iteratorFor(arn, shardId, state);
    let delivered = 0;
    let empty = 0;
    while (iterator) {
      let out;
      try {
        out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
      } catch (e) {
        if (!(e instanceof ExpiredIteratorException)) throw e;
        iterator = await iteratorFor(arn, shardId, state);
        continue;
      }
      const records = (out.Records ?? []).map((r) => toLambdaRecord(r, arn, region));
      if (!out.NextShardIterator) {
        // A closed shard read to its end.
        if (records.length === 0) {
          state.finished = true;
          return delivered;
        }
      }
      if (records.length === 0) {
        if (++empty >= EMPTY_READS_TO_BE_SURE) return delivered;
        iterator = out.NextShardIterator;
        continue;
      }
      empty = 0;
      let batch = records;
      for (;;) {
        delivered += batch.length;
        const reached = await deliver(handler, shardId, state, batch);
        if (reached === 'all') break;
        // Skipped a record that kept failing: the rest of this batch is delivered now; otherwise wait for next time.
        if (state.failing) return delivered;
        batch = batch.slice(reached);
      }
      if (!out.NextShardIterator) {
        state.finished = true;
        return delivered;
      }
      iterator = out.NextShardIterator;
    }
    state.finished = true;
    return delivered;
  }

  async function drainOnce(handler: StreamHandler, batchSize: number): Promise<number> {
    const arn = await resolveStreamArn();
    // Shards whose batch failed in this drain: they wait for the next drain/poll.
    const blocked = new Set<string>();
    let total = 0;
    for (;;) {
      const listed = inProcessingOrder(await listShards(arn));
      const present = new Set(listed.map((s) => s.ShardId!));
      // Shards gone from the list were trimmed away; forget them.
      for (const id of shards.keys()) if (!present.has(id)) shards.delete(id);
      let pass = 0;
      for (const shard of listed) {
        const id = shard.ShardId!;
        const state = shards.get(id) ?? { finished: false };
        shards.set(id, state);
        if (state.finished || blocked.has(id)) continue;
        // A child waits until its parent is finished (records of one item stay in order across a shard split).
        const parent = shard.ParentShardId;
        if (parent && present.has(parent) && !shards.get(parent)?.finished) continue;
        pass += await readShard(arn, shard, state, handler, batchSize);
        if (state.failing) blocked.add(id);
      }
      total += pass;
      if (pass === 0) return total;
    }
  }

  function drain(handler: StreamHandler, opts: { batchSize?: number } = {}): Promise<number> {
    const batchSize = Math.max(1, Math.min(1000, opts.batchSize ?? 100));
    // One drain at a time per reader: two at once would deliver the same records twice.
    const run = (draining ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => drainOnce(handler, batchSize));
    draining = run;
    return run.finally(() => {
      if (draining === run) draining = undefined;
    });
  }

  function poll(handler: StreamHandler, everyMs: number, opts: { batchSize?: number } = {}): { stop(): Promise<void> } {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let current: Promise<unknown> = Promise.resolve();
    let failing = false;
    const tick = () => {
      if (stopped) return;
      current = drain(handler, opts)
        .then(() => {
          if (failing) log('reading the table stream again');
          failing = false;
        })
        .catch((e) => {
          // The table or DynamoDB Local may be away for a moment (restart): ask again from scratch next time, and
          // say so once, not every tick.
          streamArn = undefined;
          if (!failing) log(`could not read the table stream (retrying every ${everyMs} ms): ${(e as Error).message}`);
          failing = true;
        })
        .finally(() => {
          if (!stopped) {
            timer = setTimeout(tick, everyMs);
            timer.unref();
          }
        });
    };
    timer = setTimeout(tick, 0);
    timer.unref();
    return {
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        await current;
      },
    };
  }

  return { drain, poll };
}
