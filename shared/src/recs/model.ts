/**
 * The recommendation model: what the shop learns from shoppers' behaviour, as plain JSON.
 *
 * Training reads every shopper's interactions (oldest first) and the catalogue's item metadata and keeps, per item, its
 * top-K neighbours. A neighbour's score blends three signals, each normalised by how common both items are:
 * - transition: what shoppers interact with AFTER this item, over several steps, nearer steps weighing more;
 * - co-occurrence: what shoppers interacted with BEFORE it (the same basket or habit, in either order);
 * - content: shared brand / category attributes (weighted by their rarity), which also covers items nobody has bought.
 * The list also records which signal contributed most (the reason shown to the shopper). Global and per-category
 * popularity lists and the newest items serve shoppers with no history.
 *
 * Pure and deterministic: no clock, no randomness, no I/O. The same code trains the live shop's model and the offline
 * evaluation's.
 */

export type EventKind = 'view' | 'click' | 'cart' | 'favorite' | 'purchase';

interface InteractionEvent {
  itemId: string;
  /** Time (epoch ms) or position; only the order and the gaps in positions matter to training. */
  at: number;
  kind?: EventKind;
  /** Overrides the kind's weight. */
  weight?: number;
}

export interface ShopperSequence {
  userId: string;
  /** Oldest first. */
  events: InteractionEvent[];
}

export interface ItemMeta {
  /** Brand, category and other attribute ids or names. */
  attributes: string[];
  category?: string;
  createdAt?: number;
}

export type NeighbourSource = 'co-occurrence' | 'transition' | 'content';
/** [itemId, score, the signal that contributed most]. */
export type Neighbour = [string, number, NeighbourSource];

export interface RecParams {
  /** Neighbours kept per item. */
  k: number;
  /** Pairs further apart than this many positions in a shopper's sequence are not counted. */
  window: number;
  /** A pair `d` positions apart counts `stepDecay^(d-1)`. */
  stepDecay: number;
  /** Weight of the forward (a then b) signal. */
  transitionWeight: number;
  /** Weight of the backward (b then a) signal, i.e. plain co-occurrence. */
  coOccurrenceWeight: number;
  /** A pair's count is divided by count(anchor)^anchorNorm · count(neighbour)^neighbourNorm. */
  anchorNorm: number;
  neighbourNorm: number;
  /** Weight of attribute similarity (IDF-weighted cosine). */
  contentWeight: number;
  /** Content similarity is multiplied by (1 + count(neighbour))^contentPopularity: popular look-alikes first. */
  contentPopularity: number;
  /** Attributes carried by more than this share of the items (and more than 20) are too general to liken items. */
  maxAttributeShare: number;
  /**
   * Session co-occurrence: any two items of one shopper's sequence of n items, however far apart, also count
   * sessionWeight · n^-sessionNorm (a long history says less about each of its pairs), in both directions.
   */
  sessionWeight: number;
  sessionNorm: number;
  /** Scoring: the i-th most recent item weighs recencyDecay^i. */
  recencyDecay: number;
  /** Scoring: at most this many recent items are used. */
  maxRecent: number;
  /** Scoring: popularity prior added to every candidate (times its normalised popularity). */
  popularityWeight: number;
  /** Scoring: weight of an anchor's category best-sellers. */
  categoryWeight: number;
  /** Length of the global popularity list; per-category lists and the newest list keep `listLength / 4`. */
  listLength: number;
  /** Weights of interaction kinds (an event's own `weight` wins). */
  kindWeights: Record<EventKind, number>;
}

/** Chosen on the Amazon Beauty validation split (docs/recommendations.md, Offline evaluation); kind weights by hand. */
export const DEFAULT_REC_PARAMS: RecParams = {
  k: 100,
  window: 8,
  stepDecay: 0.6,
  transitionWeight: 1,
  coOccurrenceWeight: 0.3,
  anchorNorm: 0.5,
  neighbourNorm: 0,
  contentWeight: 0.1,
  contentPopularity: 0.3,
  maxAttributeShare: 0.1,
  sessionWeight: 0.1,
  sessionNorm: 0.5,
  recencyDecay: 0.5,
  maxRecent: 20,
  popularityWeight: 0.01,
  categoryWeight: 0.05,
  listLength: 200,
  kindWeights: { view: 1, click: 1, favorite: 2, cart: 3, purchase: 4 },
};

export interface RecModel {
  version: 1;
  params: RecParams;
  /** Per item id: its neighbours, best first. */
  neighbours: Record<string, Neighbour[]>;
  /** [itemId, weighted interaction count], most popular first. */
  popular: [string, number][];
  /** Per category: [itemId, weighted count], most popular first. */
  categoryPopular: Record<string, [string, number][]>;
  /** Item ids with a createdAt, newest first. */
  newest: string[];
  /**
   * What the model was trained on: counts and an order-independent digest of the (userId, itemId) pairs. An evaluation
   * recomputes the digest of its training split and refuses a model trained on anything else (e.g. on test targets).
   */
  trainedOn: TrainingFingerprint;
}

interface TrainingFingerprint {
  users: number;
  events: number;
  /** Hex digest of the multiset of (userId, itemId) pairs, see `interactionDigest`. */
  digest: string;
}

export interface TrainingInput {
  sequences: readonly ShopperSequence[];
  items: Readonly<Record<string, ItemMeta>>;
}

/** FNV-1a over a string with a given offset basis, as an unsigned 32-bit integer. */
function fnv(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Order-independent digest of (userId, itemId) pairs: two 32-bit hash sums (mod 2^32) of every pair, so the same
 * interactions in any order give the same digest and one pair more or less gives another.
 * @public the offline evaluation's leak check recomputes it (scripts/lib/recs-eval.ts)
 */
export function interactionDigest(pairs: Iterable<readonly [string, string]>): string {
  let a = 0;
  let b = 0;
  for (const [userId, itemId] of pairs) {
    const key = `${userId}\u0000${itemId}`;
    a = (a + fnv(key, 0x811c9dc5)) >>> 0;
    b = (b + fnv(key, 0x01234567)) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function eventWeight(event: InteractionEvent, params: RecParams): number {
  if (event.weight !== undefined) return event.weight;
  return event.kind ? params.kindWeights[event.kind] : 1;
}

function topByCount(ids: readonly string[], counts: ReadonlyMap<string, number>, n: number): [string, number][] {
  return ids
    .map((id): [string, number] => [id, counts.get(id) ?? 0])
    .filter(([, c]) => c > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, n);
}

/** In a small catalogue every attribute is carried by a large share of it; up to this many items it still counts. */
const MIN_ATTRIBUTE_LIMIT = 20;

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** The first k of `list` in `order` (keeping only `keep`), without sorting the whole list: a bounded max-heap. */
function topK(list: readonly number[], order: (x: number, y: number) => number, k: number, keep: (x: number) => boolean): number[] {
  const heap: number[] = []; // heap[0] is the worst kept so far
  const worse = (x: number, y: number) => order(x, y) > 0;
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (const x of list) {
    if (!keep(x)) continue;
    if (heap.length < k) {
      heap.push(x);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i], heap[parent])) break;
        [heap[i], heap[parent]] = [heap[parent], heap[i]];
        i = parent;
      }
    } else if (k > 0 && worse(heap[0], x)) {
      heap[0] = x;
      down(0);
    }
  }
  return heap.sort(order);
}

/** Trains a model. Deterministic: the same input and params give the same JSON. */
export function trainModel(input: TrainingInput, params: Partial<RecParams> = {}): RecModel {
  const p: RecParams = { ...DEFAULT_REC_PARAMS, ...params, kindWeights: { ...DEFAULT_REC_PARAMS.kindWeights, ...params.kindWeights } };

  // Dense indices: every item seen in an event or in the catalogue.
  const index = new Map<string, number>();
  const ids: string[] = [];
  const idx = (id: string) => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      index.set(id, i);
      ids.push(id);
    }
    return i;
  };
  for (const id of Object.keys(input.items)) idx(id);

  const count: number[] = [];
  const forward: Map<number, number>[] = [];
  const backward: Map<number, number>[] = [];
  const bump = (maps: Map<number, number>[], a: number, b: number, w: number) => {
    let m = maps[a];
    if (!m) maps[a] = m = new Map();
    m.set(b, (m.get(b) ?? 0) + w);
  };
  const stepWeights = Array.from({ length: p.window + 1 }, (_, d) => (d === 0 ? 0 : p.stepDecay ** (d - 1)));

  let events = 0;
  const pairs: [string, string][] = [];
  for (const seq of input.sequences) {
    // A run of the same item (repeated views) counts once, with its strongest kind.
    const items: number[] = [];
    const weights: number[] = [];
    for (const event of seq.events) {
      events++;
      pairs.push([seq.userId, event.itemId]);
      const i = idx(event.itemId);
      const w = eventWeight(event, p);
      if (items.length > 0 && items[items.length - 1] === i) {
        weights[weights.length - 1] = Math.max(weights[weights.length - 1], w);
      } else {
        items.push(i);
        weights.push(w);
      }
    }
    const length = items.length;
    const session = p.sessionWeight > 0 && length > 0 ? p.sessionWeight * length ** -p.sessionNorm : 0;
    for (let x = 0; x < length; x++) {
      const a = items[x];
      count[a] = (count[a] ?? 0) + weights[x];
      const end = session > 0 ? length : Math.min(length, x + p.window + 1);
      for (let y = x + 1; y < end; y++) {
        const b = items[y];
        if (a === b) continue;
        const d = y - x;
        const w = ((d <= p.window ? stepWeights[d] : 0) + session) * Math.sqrt(weights[x] * weights[y]);
        bump(forward, a, b, w);
        bump(backward, b, a, w);
      }
    }
  }

  const n = ids.length;
  const counts = new Float64Array(n);
  for (let i = 0; i < n; i++) counts[i] = count[i] ?? 0;

  // Content: IDF-weighted attribute vectors, general attributes left out.
  const itemAttrs: number[][] = Array.from({ length: n }, () => []);
  const attrIndex = new Map<string, number>();
  const attrItems: number[][] = [];
  for (const [id, meta] of Object.entries(input.items)) {
    const i = index.get(id)!;
    for (const attr of new Set(meta.attributes)) {
      let a = attrIndex.get(attr);
      if (a === undefined) {
        a = attrItems.length;
        attrIndex.set(attr, a);
        attrItems.push([]);
      }
      attrItems[a].push(i);
      itemAttrs[i].push(a);
    }
  }
  const catalogueSize = Math.max(1, Object.keys(input.items).length);
  const idf = attrItems.map((list) =>
    list.length > 1 && list.length <= Math.max(p.maxAttributeShare * catalogueSize, MIN_ATTRIBUTE_LIMIT) ? Math.log(catalogueSize / list.length) : 0,
  );
  const attrNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const a of itemAttrs[i]) s += idf[a] * idf[a];
    attrNorm[i] = Math.sqrt(s);
  }

  const scratch = new Float64Array(n);
  const fwdPart = new Float64Array(n);
  const bwdPart = new Float64Array(n);
  const contentPart = new Float64Array(n);
  const seen = new Uint8Array(n);
  const touched: number[] = [];
  const touch = (b: number) => {
    if (!seen[b]) {
      seen[b] = 1;
      touched.push(b);
    }
  };
  const neighbours: Record<string, Neighbour[]> = {};
  const anchorPow = (c: number) => (c > 0 ? c ** p.anchorNorm : 1);
  const neighbourPow = Array.from(counts, (c) => (c > 0 ? c ** p.neighbourNorm : 1));
  const contentBoost = Array.from(counts, (c) => (1 + c) ** p.contentPopularity);

  for (let a = 0; a < n; a++) {
    touched.length = 0;
    const na = anchorPow(counts[a]);
    const fm = forward[a];
    if (fm && p.transitionWeight > 0) {
      for (const [b, c] of fm) {
        touch(b);
        fwdPart[b] = (p.transitionWeight * c) / (na * neighbourPow[b]);
      }
    }
    const bm = backward[a];
    if (bm && p.coOccurrenceWeight > 0) {
      for (const [b, c] of bm) {
        touch(b);
        bwdPart[b] = (p.coOccurrenceWeight * c) / (na * neighbourPow[b]);
      }
    }
    if (p.contentWeight > 0 && attrNorm[a] > 0) {
      for (const attr of itemAttrs[a]) {
        const w = idf[attr] * idf[attr];
        if (w === 0) continue;
        for (const b of attrItems[attr]) {
          if (b === a) continue;
          touch(b);
          contentPart[b] += w;
        }
      }
      for (const b of touched) {
        if (contentPart[b] > 0) contentPart[b] = (p.contentWeight * contentPart[b] * contentBoost[b]) / (attrNorm[a] * attrNorm[b]);
      }
    }
    for (const b of touched) scratch[b] = fwdPart[b] + bwdPart[b] + contentPart[b];
    const best = topK(touched, (x, y) => scratch[y] - scratch[x] || counts[y] - counts[x] || x - y, p.k, (b) => scratch[b] > 0);
    if (best.length > 0) {
      neighbours[ids[a]] = best.map((b): Neighbour => {
        const source: NeighbourSource =
          fwdPart[b] >= bwdPart[b] && fwdPart[b] >= contentPart[b]
            ? 'transition'
            : bwdPart[b] >= contentPart[b]
              ? 'co-occurrence'
              : 'content';
        return [ids[b], round(scratch[b]), source];
      });
    }
    for (const b of touched) {
      seen[b] = 0;
      scratch[b] = fwdPart[b] = bwdPart[b] = contentPart[b] = 0;
    }
  }

  const countById = new Map<string, number>();
  for (let i = 0; i < n; i++) if (counts[i] > 0) countById.set(ids[i], round(counts[i]));
  const byCategory = new Map<string, string[]>();
  for (const [id, meta] of Object.entries(input.items)) {
    if (!meta.category) continue;
    const list = byCategory.get(meta.category) ?? [];
    list.push(id);
    byCategory.set(meta.category, list);
  }
  const shortList = Math.max(1, Math.floor(p.listLength / 4));
  const categoryPopular: Record<string, [string, number][]> = {};
  for (const [category, list] of [...byCategory].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const top = topByCount(list, countById, shortList);
    if (top.length > 0) categoryPopular[category] = top;
  }
  const newest = Object.entries(input.items)
    .filter(([, meta]) => meta.createdAt !== undefined)
    .sort(([x, mx], [y, my]) => my.createdAt! - mx.createdAt! || (x < y ? -1 : x > y ? 1 : 0))
    .slice(0, shortList)
    .map(([id]) => id);

  return {
    version: 1,
    params: p,
    neighbours,
    popular: topByCount(ids, countById, p.listLength),
    categoryPopular,
    newest,
    trainedOn: { users: input.sequences.length, events, digest: interactionDigest(pairs) },
  };
}
