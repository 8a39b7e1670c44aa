import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BehaviourKind } from '@shop/shared';
import { db, table } from '../lib/dynamo';
import { EVENT_SHARDS, keys } from './keys';
import { transact, TransactionRefused, type LabelledItem } from './transactions';
import { profileRepo, type FootprintItem, type ProfileWrite } from './profile-repo';

/** One behaviour event as kept (server time `at`); what the trainer reads back. */
export interface StoredEvent {
  id: string;
  userId: string;
  kind: BehaviourKind;
  at: number;
  productId?: string;
  q?: string;
  placement?: string;
  variant?: string;
  dwellMs?: number;
  position?: number;
  skuId?: string;
  quantity?: number;
  orderId?: string;
}

/** Short attribute names: events are the table's most numerous items. */
const COMPACT: Record<Exclude<keyof StoredEvent, 'id'>, string> = {
  userId: 'u',
  kind: 'k',
  at: 't',
  productId: 'p',
  q: 'q',
  placement: 'pl',
  variant: 'v',
  dwellMs: 'd',
  position: 'pos',
  skuId: 's',
  quantity: 'n',
  orderId: 'o',
};
const FIELDS = Object.entries(COMPACT) as [Exclude<keyof StoredEvent, 'id'>, string][];

function compact(e: StoredEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, attr] of FIELDS) if (e[field] !== undefined) out[attr] = e[field];
  return out;
}

function expand(item: Record<string, unknown>): StoredEvent {
  const e: Record<string, unknown> = { id: item.SK };
  for (const [field, attr] of FIELDS) if (item[attr] !== undefined) e[field] = item[attr];
  return e as unknown as StoredEvent;
}

/** A batch to store: the events (each with the day it is keyed under), the profile's new state and the 足迹 rows. */
export interface EventBatch {
  userId: string;
  events: { day: string; event: StoredEvent }[];
  /** Epoch seconds after which DynamoDB deletes the raw events. */
  ttl: number;
  profile: ProfileWrite;
  footprints: FootprintItem[];
}

export type StoreOutcome =
  | { kind: 'stored' }
  | { kind: 'duplicates'; ids: string[] }
  | { kind: 'consent_off' }
  | { kind: 'profile_moved' }
  | { kind: 'busy' };

const MAX_TRANSACTION_ITEMS = 100;

export const eventRepo = {
  /**
   * One transaction: the shopper's 行为数据 consent checked on the user item, each event put only if its id is new
   * (`attribute_not_exists`), the profile put only over the revision it was computed from, and the 足迹 rows. So a
   * re-sent event is refused by its own key, a profile never counts an event twice, and nothing at all is written
   * once consent is off. 足迹 rows that do not fit in the 100 items go in a second transaction with the same check.
   */
  async store(batch: EventBatch): Promise<StoreOutcome> {
    const consent = profileRepo.consentCheck(batch.userId);
    const items: LabelledItem[] = [
      consent,
      profileRepo.profilePut(batch.userId, batch.profile),
      ...batch.events.map(({ day, event }) => ({
        label: `event:${event.id}`,
        Put: {
          TableName: table(),
          Item: { ...keys.event(day, batch.userId, event.id), ...compact(event), ttl: batch.ttl },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })),
    ];
    const room = MAX_TRANSACTION_ITEMS - items.length;
    const first = batch.footprints.slice(0, room).map(profileRepo.footprintPut);
    const rest = batch.footprints.slice(room).map(profileRepo.footprintPut);
    try {
      await transact([...items, ...first]);
    } catch (e) {
      if (!(e instanceof TransactionRefused)) throw e;
      const failed = e.failed();
      if (failed.includes(consent.label)) return { kind: 'consent_off' };
      const dups = failed.filter((l) => l.startsWith('event:')).map((l) => l.slice('event:'.length));
      if (dups.length) return { kind: 'duplicates', ids: dups };
      if (failed.length) return { kind: 'profile_moved' };
      if (e.conflicted()) return { kind: 'busy' };
      throw e;
    }
    if (rest.length) {
      try {
        await transact([consent, ...rest]);
      } catch (e) {
        // Consent turned off between the two: those 足迹 rows are simply not written.
        if (!(e instanceof TransactionRefused)) throw e;
      }
    }
    return { kind: 'stored' };
  },

  /**
   * Every event kept for the UTC days `fromDay`…`toDay` (YYYY-MM-DD, inclusive), day by day; within a day the shards
   * are read side by side and their events come sorted by time. Cheap for the trainer: one Query per shard and day
   * (paged), no scan, no index.
   */
  async *readDays(fromDay: string, toDay: string): AsyncGenerator<StoredEvent> {
    for (let day = fromDay; day <= toDay; day = nextDay(day)) {
      const shards = await Promise.all(Array.from({ length: EVENT_SHARDS }, (_, shard) => readPartition(keys.eventPartition(day, shard))));
      yield* shards.flat().sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    }
  },

  /** Events whose server time is in [from, to): the days covering it, read as above. */
  async *readBetween(from: number, to: number): AsyncGenerator<StoredEvent> {
    // A day's partition may hold events of the neighbouring day near midnight (keyed by the client's event id).
    const first = dayOf(from - DAY_MS);
    const last = dayOf(to + DAY_MS);
    for await (const e of eventRepo.readDays(first, last)) if (e.at >= from && e.at < to) yield e;
  },
};

const DAY_MS = 24 * 3600 * 1000;

/** The UTC day (YYYY-MM-DD) of an epoch-ms time. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function nextDay(day: string): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + DAY_MS);
}

async function readPartition(pk: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey }),
    );
    out.push(...(page.Items ?? []).map(expand));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}
