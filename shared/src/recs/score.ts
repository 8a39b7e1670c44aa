/**
 * Online scoring: a shopper's recent items → ranked recommendations, each with a reason; and the diversity re-rank.
 * Pure: the caller reads the model (or the neighbour lists it needs) and the shopper's history and passes them in.
 */
import type { EventKind, ItemMeta, Neighbour, NeighbourSource, RecModel } from './model';

export interface RecentItem {
  itemId: string;
  /** Time (epoch ms) or position: only the order matters (newest weighs most). */
  at: number;
  kind?: EventKind;
  weight?: number;
}

type ReasonKind = 'because-viewed' | 'also-bought' | 'category-hot' | 'new' | 'popular';

export interface Reason {
  kind: ReasonKind;
  /** The shopper's item this one is recommended for (because-viewed, also-bought, and category-hot when known). */
  anchorItemId?: string;
}

export interface Recommendation {
  itemId: string;
  score: number;
  reason: Reason;
}

export interface RecommendOptions {
  /** How many to return. */
  k: number;
  /** Never shown: bought, hidden, 不感兴趣, off-shelf, out of stock. */
  exclude?: Iterable<string>;
  /** 不感兴趣 items (also excluded): their neighbours and items sharing their attributes are down-weighted. */
  dislikedItems?: readonly string[];
  /** Attributes (brand, category) the shopper turned down: items carrying them are down-weighted. */
  dislikedAttributes?: readonly string[];
  /** A down-weighted item's score is multiplied by this (default 0.3). */
  dislikePenalty?: number;
  /** Catalogue metadata: categories of items the model does not know yet, attributes for down-weighting, new items. */
  itemMeta?: Readonly<Record<string, ItemMeta>>;
}

const SOURCE_REASON: Record<NeighbourSource, ReasonKind> = {
  transition: 'because-viewed',
  'co-occurrence': 'also-bought',
  content: 'because-viewed',
};

interface Candidate {
  score: number;
  best: number;
  reason: Reason;
}

/**
 * Ranks items for a shopper from their recent items. Neighbours of recent items score by the anchor's recency and kind
 * weight; a small popularity prior breaks ties; then the anchors' category best-sellers, the newest and the most
 * popular items fill the list, so a shopper with no history still gets `k` items (popular, new and per-category).
 */
export function recommendFor(model: RecModel, recent: readonly RecentItem[], options: RecommendOptions): Recommendation[] {
  const p = model.params;
  const excluded = new Set(options.exclude ?? []);
  for (const id of options.dislikedItems ?? []) excluded.add(id);
  const meta = options.itemMeta ?? {};

  // Newest first, one entry per item (its most recent occurrence, strongest weight).
  const ordered = [...recent].sort((x, y) => y.at - x.at);
  const anchors: { itemId: string; weight: number }[] = [];
  const anchorSeen = new Set<string>();
  for (const r of ordered) {
    if (anchorSeen.has(r.itemId)) continue;
    anchorSeen.add(r.itemId);
    const kindWeight = r.weight ?? (r.kind ? p.kindWeights[r.kind] : 1);
    anchors.push({ itemId: r.itemId, weight: p.recencyDecay ** anchors.length * kindWeight });
    if (anchors.length >= p.maxRecent) break;
  }

  const candidates = new Map<string, Candidate>();
  const add = (itemId: string, score: number, reason: Reason) => {
    if (excluded.has(itemId)) return;
    const c = candidates.get(itemId);
    if (!c) candidates.set(itemId, { score, best: score, reason });
    else {
      c.score += score;
      if (score > c.best) {
        c.best = score;
        c.reason = reason;
      }
    }
  };

  for (const anchor of anchors) {
    const list: readonly Neighbour[] = model.neighbours[anchor.itemId] ?? [];
    for (const [itemId, s, source] of list) {
      add(itemId, anchor.weight * s, { kind: SOURCE_REASON[source], anchorItemId: anchor.itemId });
    }
    const category = meta[anchor.itemId]?.category;
    const hot = category ? model.categoryPopular[category] : undefined;
    if (hot && hot.length > 0 && p.categoryWeight > 0) {
      const top = hot[0][1];
      for (const [itemId, c] of hot) {
        add(itemId, (anchor.weight * p.categoryWeight * c) / top, { kind: 'category-hot', anchorItemId: anchor.itemId });
      }
    }
  }

  // Popularity prior: a small bonus for every popular candidate (and the tie-break among equals).
  const topCount = model.popular.length > 0 ? model.popular[0][1] : 1;
  if (p.popularityWeight > 0 && candidates.size > 0) {
    for (const [itemId, c] of model.popular) {
      const cand = candidates.get(itemId);
      if (cand) cand.score += (p.popularityWeight * c) / topCount;
    }
  }

  // 不感兴趣: neighbours of a disliked item and items sharing a disliked attribute weigh less.
  const penalty = options.dislikePenalty ?? 0.3;
  const dislikedNeighbours = new Set<string>();
  const dislikedAttributes = new Set(options.dislikedAttributes ?? []);
  for (const id of options.dislikedItems ?? []) {
    for (const [n] of model.neighbours[id] ?? []) dislikedNeighbours.add(n);
    for (const attr of meta[id]?.attributes ?? []) dislikedAttributes.add(attr);
  }
  const downWeighted = (itemId: string) =>
    dislikedNeighbours.has(itemId) || (meta[itemId]?.attributes ?? []).some((a) => dislikedAttributes.has(a));
  if (dislikedNeighbours.size > 0 || dislikedAttributes.size > 0) {
    for (const [itemId, c] of candidates) if (downWeighted(itemId)) c.score *= penalty;
  }

  const ranked: Recommendation[] = [...candidates]
    .sort(([x, cx], [y, cy]) => cy.score - cx.score || (x < y ? -1 : x > y ? 1 : 0))
    .map(([itemId, c]) => ({ itemId, score: c.score, reason: c.reason }));
  const out = ranked.slice(0, options.k);
  if (out.length >= options.k) return out;

  // Fill: new items, then best-sellers of the shopper's categories (or of every category when there is no history),
  // then the overall best-sellers, interleaved so a new shopper sees all three kinds.
  const taken = new Set(out.map((r) => r.itemId));
  const newest = [...model.newest];
  if (options.itemMeta) {
    const known = new Set(newest);
    for (const [id, m] of Object.entries(options.itemMeta)) if (m.createdAt !== undefined && !known.has(id)) newest.push(id);
    newest.sort((x, y) => (meta[y]?.createdAt ?? 0) - (meta[x]?.createdAt ?? 0) || (x < y ? -1 : x > y ? 1 : 0));
  }
  const anchorCategories = anchors.map((a) => meta[a.itemId]?.category).filter((c): c is string => !!c);
  const categories = anchorCategories.length > 0 ? [...new Set(anchorCategories)] : Object.keys(model.categoryPopular);
  const categoryHot: { itemId: string; anchorItemId?: string }[] = [];
  const perCategory = categories.map((c) => model.categoryPopular[c] ?? []);
  for (let rank = 0; perCategory.some((l) => rank < l.length); rank++) {
    perCategory.forEach((list, i) => {
      if (rank < list.length) {
        const anchor = anchors.find((a) => meta[a.itemId]?.category === categories[i]);
        categoryHot.push({ itemId: list[rank][0], anchorItemId: anchor?.itemId });
      }
    });
  }
  const streams: Recommendation[][] = [
    newest.map((itemId) => ({ itemId, score: 0, reason: { kind: 'new' } })),
    categoryHot.map(({ itemId, anchorItemId }) => ({
      itemId,
      score: 0,
      reason: anchorItemId ? { kind: 'category-hot', anchorItemId } : { kind: 'category-hot' },
    })),
    model.popular.map(([itemId]) => ({ itemId, score: 0, reason: { kind: 'popular' } })),
  ];
  // With history, popularity order alone fills (the most likely next items); without, the three kinds take turns.
  const order = anchors.length > 0 ? [streams[2], streams[1], streams[0]] : streams;
  const cursors = order.map(() => 0);
  const takeFrom = (s: number): boolean => {
    const stream = order[s];
    while (cursors[s] < stream.length) {
      const r = stream[cursors[s]++];
      if (excluded.has(r.itemId) || taken.has(r.itemId) || (downWeighted(r.itemId) && anchors.length === 0)) continue;
      taken.add(r.itemId);
      out.push(r);
      return true;
    }
    return false;
  };
  if (anchors.length > 0) {
    for (let s = 0; s < order.length && out.length < options.k; s++) while (out.length < options.k && takeFrom(s));
  } else {
    let progressed = true;
    while (out.length < options.k && progressed) {
      progressed = false;
      for (let s = 0; s < order.length && out.length < options.k; s++) if (takeFrom(s)) progressed = true;
    }
  }
  return out;
}

/** The reason as the shopper reads it. `nameOf` gives an item's display name. */
export function reasonText(reason: Reason, nameOf: (itemId: string) => string | undefined): string {
  const anchor = reason.anchorItemId ? nameOf(reason.anchorItemId) : undefined;
  switch (reason.kind) {
    case 'because-viewed':
      return anchor ? `因为你浏览了${anchor}` : '猜你喜欢';
    case 'also-bought':
      return anchor ? `买了${anchor}的人也买了` : '买了又买';
    case 'category-hot':
      return '同类热销';
    case 'new':
      return '新品推荐';
    case 'popular':
      return '大家都在买';
  }
}

export interface DiversifyOptions {
  /** At most this many items of one category in any window of `window` consecutive items (default 2 in 5). */
  maxPerCategory?: number;
  window?: number;
}

/**
 * Category caps over a sliding window: walks the ranking and defers an item whose category already fills the window,
 * so a feed never shows a long run of one category. No item is dropped: deferred items follow when nothing else fits.
 */
export function diversify<T extends { itemId: string }>(
  ranked: readonly T[],
  categoryOf: (itemId: string) => string | undefined,
  opts: DiversifyOptions = {},
): T[] {
  const cap = opts.maxPerCategory ?? 2;
  const window = opts.window ?? 5;
  const pending = [...ranked];
  const out: T[] = [];
  while (pending.length > 0) {
    const recent = out.slice(-(window - 1)).map((r) => categoryOf(r.itemId));
    let pick = pending.findIndex((r) => {
      const c = categoryOf(r.itemId);
      return c === undefined || recent.filter((x) => x === c).length < cap;
    });
    if (pick < 0) pick = 0;
    out.push(pending.splice(pick, 1)[0]);
  }
  return out;
}
