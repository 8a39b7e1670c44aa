/**
 * Recommendations as served: one placement's ranked cards for a shopper (or a visitor), each with its reason in words.
 * Reads: the cached shelf; the model head, the shopper's profile and 不感兴趣 list (one BatchGetItem); then the neighbour
 * lists of the shopper's recent products (one more BatchGetItem). Scoring, the reasons and the diversity re-rank are the
 * model's own code in shared/src/recs, the same the offline evaluation measures.
 */
import { z } from 'zod';
import { DomainError, abVariant, type ProductSummary, type RecCard, type RecPlacement, type RecsPage, type RecsQuery } from '@shop/shared';
import {
  DEFAULT_REC_PARAMS,
  diversify,
  recommendFor,
  reasonText,
  type EventKind,
  type ItemMeta,
  type RecModel,
  type Recommendation,
  type RecentItem,
} from '../../../shared/src/recs';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { recRepo, type RecModelHead } from '../repositories/rec-repo';
import { shelf } from './catalog';
import { usable } from './segments';

/**
 * The running experiment: A re-ranks for variety (at most 2 of one category in any 5 cards), B shows the model's
 * ranking as it is. The variant is a stable hash of the shopper's id; events of recommended cards carry it.
 */
const EXPERIMENT = { experiment: 'recs-diversity-1', variants: [{ name: 'A', weight: 1 }, { name: 'B', weight: 1 }] };
/** The longest list one placement pages through (猜你喜欢 then ends with a line). */
const MAX_LIST = 120;
const SCORED_KINDS: ReadonlySet<string> = new Set<EventKind>(['view', 'click', 'cart', 'favorite', 'purchase']);
const REASON_KIND = { 'because-viewed': 'because_viewed', 'also-bought': 'also_bought', 'category-hot': 'category_hot', new: 'new', popular: 'popular' } as const;

function variantOf(userId: string | null): string {
  return userId ? abVariant(EXPERIMENT, userId) : EXPERIMENT.variants[0]!.name;
}

/** A title short enough for a card's reason line. */
function shortName(title: string): string {
  const first = title.split(/\s+/)[0] ?? title;
  return first.length > 12 ? `${first.slice(0, 11)}…` : first;
}

/** The model's ranked lists, topped up from the live shelf (new products, or no model trained yet). */
function rankedLists(head: RecModelHead | null, summaries: ProductSummary[]) {
  const bySales = [...summaries].sort((a, b) => b.sales - a.sales || a.id.localeCompare(b.id));
  const popular: [string, number][] = [...(head?.popular ?? [])];
  const known = new Set(popular.map(([id]) => id));
  for (const s of bySales) if (!known.has(s.id)) popular.push([s.id, 0]);
  const categoryPopular: Record<string, [string, number][]> = {};
  for (const [cat, list] of Object.entries(head?.categoryPopular ?? {})) categoryPopular[cat] = [...list];
  for (const s of bySales) {
    const list = (categoryPopular[s.categoryId] ??= []);
    if (!list.some(([id]) => id === s.id)) list.push([s.id, 0]);
  }
  const newest = [...new Set([...[...summaries].sort((a, b) => b.createdAt - a.createdAt).slice(0, 20).map((s) => s.id), ...(head?.newest ?? [])])];
  return { popular, categoryPopular, newest };
}

const RecsPosition = z.object({ o: z.number().int().min(0).max(MAX_LIST), t: z.number().int().nonnegative() }).strict();

export async function recommendations(userId: string | null, q: RecsQuery, now = Date.now()): Promise<RecsPage> {
  const scope = `recs:${q.placement}:${q.productId ?? ''}`;
  const position = decodeCursor(q.cursor, scope, RecsPosition);
  const offset = position?.o ?? 0;
  // Later pages rank as the first did: the history is read as it was when the first page was asked for.
  const asOf = position?.t ?? now;
  const [{ summaries, keywords }, { head, shopper: state, disliked }] = await Promise.all([shelf(now), recRepo.servingReads(userId)]);
  const onShelf = new Map(summaries.map((s) => [s.id, s]));
  const personal = !!state?.privacy.personalizedRecs;
  const history: RecentItem[] = personal
    ? usable(state!).recent
        .filter((r) => SCORED_KINDS.has(r.kind) && r.at <= asOf)
        .map((r) => ({ itemId: r.productId, at: r.at, kind: r.kind as EventKind }))
    : [];
  const anchor = q.placement.startsWith('pdp_') ? q.productId! : null;
  // 看了又看 / 买了又买 are about the page's product first; the shopper's own history follows it.
  const recent: RecentItem[] = anchor ? [{ itemId: anchor, at: asOf + 1, kind: q.placement === 'pdp_also_bought' ? 'purchase' : 'view' }, ...history] : history;

  const exclude = new Set<string>([...disliked, ...(anchor ? [anchor] : [])]);
  // The feeds offer what the shopper has not looked at yet (the evaluation ranks the same way: history removed); the
  // product page may still show a product seen or bought before next to the one on screen.
  if (!anchor) for (const r of history) exclude.add(r.itemId);
  for (const s of summaries) if (s.stock === 0) exclude.add(s.id);

  const anchors = [...new Set(recent.map((r) => r.itemId))].slice(0, (head?.params ?? DEFAULT_REC_PARAMS).maxRecent);
  const neighbours = head ? await recRepo.neighbours(head.version, anchors) : {};
  const model: RecModel = {
    version: 1,
    params: head?.params ?? DEFAULT_REC_PARAMS,
    neighbours,
    ...rankedLists(head, summaries),
    trainedOn: head?.trainedOn ?? { users: 0, events: 0, digest: '' },
  };
  const itemMeta: Record<string, ItemMeta> = {};
  for (const s of summaries) {
    itemMeta[s.id] = { category: s.categoryId, attributes: [`cat:${s.categoryId}`, ...(keywords.get(s.id)?.slice(2) ?? [])], createdAt: s.createdAt };
  }
  const ranked = recommendFor(model, recent, { k: MAX_LIST * 2, exclude, dislikedItems: disliked, itemMeta }).filter((r) => onShelf.has(r.itemId));
  const variant = variantOf(userId);
  const ordered: Recommendation[] = (variant === 'A' ? diversify(ranked, (id) => onShelf.get(id)?.categoryId) : ranked).slice(0, MAX_LIST);

  const titleOf = (id: string) => {
    const s = onShelf.get(id);
    return s ? shortName(s.title) : undefined;
  };
  const items: RecCard[] = ordered.slice(offset, offset + q.limit).map((r) => ({
    product: onShelf.get(r.itemId)!,
    reason: {
      kind: REASON_KIND[r.reason.kind],
      text: reasonText(r.reason, titleOf),
      ...(r.reason.anchorItemId && onShelf.has(r.reason.anchorItemId) ? { anchorProductId: r.reason.anchorItemId } : {}),
    },
  }));
  const next = offset + q.limit;
  return {
    items,
    nextCursor: next < ordered.length ? encodeCursor(scope, { o: next, t: asOf }) : null,
    placement: q.placement as RecPlacement,
    variant,
    personalized: history.length > 0,
  };
}

/** 不感兴趣: the product leaves this shopper's recommendations for good (an unknown product is refused). */
export async function dislike(userId: string, productId: string, now = Date.now()): Promise<{ ok: true; dislikedCount: number }> {
  const { summaries } = await shelf(now);
  if (!summaries.some((s) => s.id === productId)) throw new DomainError('NOT_FOUND', '商品不存在或已下架');
  return { ok: true, dislikedCount: await recRepo.addDislike(userId, productId, now) };
}
