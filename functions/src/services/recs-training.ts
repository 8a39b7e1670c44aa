/**
 * The recommendation model's training run: the last days of behaviour events → shopper sequences → the model
 * (shared/src/recs trainModel, the code the offline evaluation measures) → its neighbour lists and head in the table.
 * Input and output formats are in docs/recommendations.md, so a distributed job can produce the same output.
 */
import { trainModel, type EventKind, type ItemMeta, type ShopperSequence } from '../../../shared/src/recs';
import { newId } from '../lib/ids';
import { eventRepo } from '../repositories/event-repo';
import { recRepo } from '../repositories/rec-repo';
import { shelf } from './catalog';

const DAY_MS = 24 * 3600 * 1000;
/** How many days of events one run learns from (raw events are kept longer than this). */
const TRAINING_DAYS = 60;
const TRAINED_KINDS: ReadonlySet<string> = new Set<EventKind>(['view', 'click', 'cart', 'favorite', 'purchase']);

export async function trainAndPublish(now = Date.now(), days = TRAINING_DAYS) {
  const started = Date.now();
  const byUser = new Map<string, ShopperSequence>();
  let events = 0;
  for await (const e of eventRepo.readBetween(now - days * DAY_MS, now)) {
    if (!e.productId || !TRAINED_KINDS.has(e.kind)) continue;
    let seq = byUser.get(e.userId);
    if (!seq) byUser.set(e.userId, (seq = { userId: e.userId, events: [] }));
    seq.events.push({ itemId: e.productId, at: e.at, kind: e.kind as EventKind });
    events++;
  }
  const { summaries, keywords } = await shelf(now);
  const items: Record<string, ItemMeta> = {};
  for (const s of summaries) {
    items[s.id] = { category: s.categoryId, attributes: [`cat:${s.categoryId}`, ...(keywords.get(s.id)?.slice(2) ?? [])], createdAt: s.createdAt };
  }
  const sequences = [...byUser.values()];
  for (const s of sequences) s.events.sort((a, b) => a.at - b.at);
  const model = trainModel({ sequences, items });
  const version = newId(now);
  const { lists } = await recRepo.publish(model, version, now);
  return { version, shoppers: sequences.length, events, products: summaries.length, lists, ms: Date.now() - started };
}
