/**
 * Search and suggestions over the shelf (services/catalog.ts `shelf()`, cached a few seconds per container).
 *
 * Every product's names (title, subtitle, keywords) are indexed with their pinyin once per shelf read (`pinyin-pro`,
 * offline, converted once per distinct text per container); a query is converted the same way. The matching rules
 * (characters, full pinyin, initials, homophones, 模糊音, one wrong character, and their ranking) are in
 * shared/src/search.ts. 热门搜索 = the operators' `hotSearches` from the stage's campaign files, then the top
 * sellers' first keywords.
 */
import { createHash } from 'node:crypto';
import { pinyin } from 'pinyin-pro';
import { z } from 'zod';
import type { ProductSummary, SearchPage, SearchQuery, SearchSort } from '@shop/shared';
import { matchName, matchProduct, searchName, searchWords, type SearchName } from '../../../shared/src/search';
import { decodeCursor, encodeCursor } from '../lib/cursor';
import { logger } from '../lib/http';
import { campaignConfig } from '../providers/campaign-config';
import { profileRepo } from '../repositories/profile-repo';
import { shelf } from './catalog';
import { usable } from './segments';

const MAX_SUGGESTIONS = 8;
const MAX_HOT = 10;
const ALTERNATIVES = 6;

const toSyllables = (text: string) => pinyin(text, { toneType: 'none', type: 'array', v: true });

/** Names by their text: a shelf refresh converts only what is new. Bounded so a changing catalog cannot grow it. */
const nameCache = new Map<string, SearchName>();
function nameOf(text: string, secondary: boolean): SearchName {
  const key = `${secondary ? 's' : 'n'}${text}`;
  let name = nameCache.get(key);
  if (!name) {
    if (nameCache.size > 20_000) nameCache.clear();
    name = searchName(text, toSyllables, secondary);
    nameCache.set(key, name);
  }
  return name;
}

interface Entry {
  summary: ProductSummary;
  /** Title, keywords, then the subtitle (secondary). */
  names: SearchName[];
  /** Original texts of the keywords and title, for suggestions. */
  keywords: string[];
  title: string;
}

let indexed: { shelf: object; entries: Entry[] } | undefined;

async function searchIndex(): Promise<Entry[]> {
  const current = await shelf();
  if (indexed?.shelf === current) return indexed.entries;
  const entries = current.summaries.map((summary) => {
    const [title, subtitle, ...keywords] = current.keywords.get(summary.id) ?? [summary.title, summary.subtitle];
    return {
      summary,
      names: [nameOf(title, false), ...keywords.map((k) => nameOf(k, false)), nameOf(subtitle, true)],
      keywords,
      title,
    };
  });
  indexed = { shelf: current, entries };
  return entries;
}

const byTopSales = (a: ProductSummary, b: ProductSummary) => b.sales - a.sales || a.id.localeCompare(b.id);

const COMPARATORS: Record<Exclude<SearchSort, 'relevance'>, (a: ProductSummary, b: ProductSummary) => number> = {
  sales: (a, b) => b.sales - a.sales,
  price_asc: (a, b) => a.priceFromFen - b.priceFromFen,
  price_desc: (a, b) => b.priceFromFen - a.priceFromFen,
  newest: (a, b) => b.createdAt - a.createdAt,
};

/** A round price for a band edge: ¥10 steps under ¥200, ¥50 under ¥1000, else ¥100. */
function roundPrice(fen: number): number {
  const step = fen < 20_000 ? 1_000 : fen < 100_000 ? 5_000 : 10_000;
  return Math.max(step, Math.round(fen / step) * step);
}

/** Up to three bands splitting the hits' prices in thirds, at round prices. */
function priceBands(prices: number[]): SearchPage['priceBands'] {
  const sorted = [...prices].sort((a, b) => a - b);
  if (sorted.length < 3 || sorted[0] === sorted[sorted.length - 1]) return [];
  const edges = [...new Set([roundPrice(sorted[Math.floor(sorted.length / 3)]), roundPrice(sorted[Math.floor((2 * sorted.length) / 3)])])].filter(
    (e) => e > sorted[0] && e <= sorted[sorted.length - 1],
  );
  if (edges.length === 0) return [];
  return [0, ...edges].map((minFen, i) => ({ minFen, maxFen: edges[i] ?? null }));
}

const SearchPosition = z.object({ o: z.number().int().min(0).max(100_000) }).strict();

/**
 * The shopper's interest in each category as a share of all their interest (0…1), when they allow personalisation.
 * Every weight of a profile decays alike, so shares need no clock.
 */
async function interestShares(userId: string | null): Promise<Map<string, number>> {
  if (!userId) return new Map();
  const state = await profileRepo.read(userId);
  if (!state.privacy.personalizedRecs) return new Map();
  const cats = Object.entries(usable(state).interests.cats);
  const total = cats.reduce((a, [, w]) => a + w, 0);
  return new Map(total > 0 ? cats.map(([id, w]) => [id, w / total]) : []);
}

export async function searchProducts(q: SearchQuery, userId: string | null = null): Promise<SearchPage> {
  const [entries, interest] = await Promise.all([searchIndex(), q.sort === 'relevance' ? interestShares(userId) : new Map<string, number>()]);
  const words = searchWords(q.q).map((w) => nameOf(w, false));
  // Match scores are whole numbers a tier apart; the shopper's interest (under 1) reorders only within a tier.
  const hits = entries
    .map((e) => ({ p: e.summary, match: matchProduct(words, e.names) }))
    .filter((h) => h.match > 0)
    .map((h) => ({ p: h.p, score: h.match + 0.9 * (interest.get(h.p.categoryId) ?? 0) }));

  const perCategory = new Map<string, number>();
  for (const h of hits) perCategory.set(h.p.categoryId, (perCategory.get(h.p.categoryId) ?? 0) + 1);
  const categories = [...perCategory].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));

  const inStockOnly = q.inStock === 'true';
  const kept = hits.filter(
    (h) =>
      (!q.categoryId || h.p.categoryId === q.categoryId) &&
      (q.minPriceFen === undefined || h.p.priceFromFen >= q.minPriceFen) &&
      (q.maxPriceFen === undefined || h.p.priceFromFen <= q.maxPriceFen) &&
      (!inStockOnly || h.p.stock > 0),
  );
  // Sold-out products sink to the end (as in listings); ties keep a stable order by id so pages never overlap.
  kept.sort(
    (a, b) =>
      Number(a.p.stock === 0) - Number(b.p.stock === 0) ||
      (q.sort === 'relevance' ? b.score - a.score || byTopSales(a.p, b.p) : COMPARATORS[q.sort](a.p, b.p)) ||
      a.p.id.localeCompare(b.p.id),
  );

  const filters = [words.map((w) => w.text).join(' '), q.categoryId ?? '', q.minPriceFen ?? '', q.maxPriceFen ?? '', inStockOnly].join('\u0000');
  const scope = `search:${q.sort}:${createHash('sha256').update(filters).digest('base64url').slice(0, 16)}`;
  const offset = decodeCursor(q.cursor, scope, SearchPosition)?.o ?? 0;
  const end = offset + q.limit;
  const alternatives =
    kept.length === 0 && offset === 0
      ? entries.map((e) => e.summary).filter((p) => p.stock > 0).sort(byTopSales).slice(0, ALTERNATIVES)
      : [];

  return {
    items: kept.slice(offset, end).map((h) => h.p),
    nextCursor: end < kept.length ? encodeCursor(scope, { o: end }) : null,
    total: kept.length,
    categories,
    priceBands: priceBands(hits.map((h) => h.p.priceFromFen)),
    alternatives,
  };
}

/** The operators' 热门搜索 words; a campaign configuration that cannot be read leaves only the top sellers. */
async function configuredHotSearches(): Promise<string[]> {
  try {
    return (await campaignConfig()).config.hotSearches ?? [];
  } catch (e) {
    logger.warn('hot searches from the campaign files unavailable', { error: e as Error });
    return [];
  }
}

export async function suggest(text: string): Promise<{ suggestions: string[] }> {
  const entries = await searchIndex();
  const ranked = [...entries].sort((a, b) => byTopSales(a.summary, b.summary));
  const words = searchWords(text);
  if (words.length === 0) {
    const out = new Set(await configuredHotSearches());
    for (const e of ranked) if (out.size < MAX_HOT) out.add(e.keywords[0] ?? e.title);
    return { suggestions: [...out].slice(0, MAX_HOT) };
  }
  const typed = words.map((w) => nameOf(w, false));
  // A keyword or title is suggested when every typed word matches it; the best match first, then the better seller.
  const found = new Map<string, { score: number; rank: number }>();
  ranked.forEach((e, rank) => {
    const candidates = [...e.keywords.map((k) => ({ k, title: false })), { k: e.title, title: true }];
    for (const { k, title } of candidates) {
      const name = nameOf(k, false);
      const score = Math.min(...typed.map((w) => matchName(w, name))) - (title ? 1 : 0);
      if (score <= 0) continue;
      const prior = found.get(k);
      if (!prior || prior.score < score) found.set(k, { score, rank: prior ? Math.min(prior.rank, rank) : rank });
    }
  });
  const suggestions = [...found]
    .sort(([, a], [, b]) => b.score - a.score || a.rank - b.rank)
    .slice(0, MAX_SUGGESTIONS)
    .map(([k]) => k);
  return { suggestions };
}
