/** Ranking metrics for one shopper and one held-out target (averaged over shoppers by the caller). */

/**
 * 1 when the target is among the first k of the ranking, else 0.
 * @public the offline evaluation's metric (scripts/lib/recs-eval.ts)
 */
export function hitRateAt(ranked: readonly string[], target: string, k: number): number {
  const rank = ranked.indexOf(target);
  return rank >= 0 && rank < k ? 1 : 0;
}

/**
 * 1 / log2(rank + 2) for the target's 0-based rank within the first k, else 0 (one relevant item: IDCG = 1).
 * @public the offline evaluation's metric (scripts/lib/recs-eval.ts)
 */
export function ndcgAt(ranked: readonly string[], target: string, k: number): number {
  const rank = ranked.indexOf(target);
  return rank >= 0 && rank < k ? 1 / Math.log2(rank + 2) : 0;
}
