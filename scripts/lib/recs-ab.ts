/**
 * The recommendation A/B report: per variant, how often a recommended card was tapped (CTR = clicks / exposures) and
 * bought (conversion = purchases / exposures), each with a 95 % Wilson score interval, and the difference of each
 * variant's CTR from the first variant's with a 95 % interval (normal approximation of two proportions).
 * Counts are events (every exposure, click and purchase tagged with a variant), so the intervals treat events as
 * independent; a shopper who sees many cards counts many times.
 */
export interface AbEvent {
  kind: string;
  variant?: string;
  placement?: string;
}

export interface Rate {
  rate: number;
  low: number;
  high: number;
}

export interface VariantRow {
  variant: string;
  exposures: number;
  clicks: number;
  purchases: number;
  ctr: Rate;
  conversion: Rate;
  /** This variant's CTR minus the first variant's, with its 95 % interval (null for the first). */
  ctrLift: Rate | null;
}

const Z95 = 1.959964;
const round = (x: number) => Math.round(x * 1e5) / 1e5;

/** Wilson score interval for `k` successes in `n` trials (0–0 when n = 0). */
export function wilson(k: number, n: number, z = Z95): Rate {
  if (n === 0) return { rate: 0, low: 0, high: 0 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { rate: round(p), low: round(Math.max(0, centre - half)), high: round(Math.min(1, centre + half)) };
}

function difference(k1: number, n1: number, k0: number, n0: number): Rate | null {
  if (n1 === 0 || n0 === 0) return null;
  const p1 = k1 / n1;
  const p0 = k0 / n0;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
  return { rate: round(p1 - p0), low: round(p1 - p0 - Z95 * se), high: round(p1 - p0 + Z95 * se) };
}

/** The report over events of recommended cards (those with a variant), optionally of one placement. */
export function abReport(events: Iterable<AbEvent>, placement?: string): VariantRow[] {
  const counts = new Map<string, { exposures: number; clicks: number; purchases: number }>();
  for (const e of events) {
    if (!e.variant || (placement && e.placement !== placement)) continue;
    const c = counts.get(e.variant) ?? { exposures: 0, clicks: 0, purchases: 0 };
    if (e.kind === 'exposure') c.exposures++;
    else if (e.kind === 'click') c.clicks++;
    else if (e.kind === 'purchase') c.purchases++;
    else continue;
    counts.set(e.variant, c);
  }
  const variants = [...counts.keys()].sort();
  const base = counts.get(variants[0]!);
  return variants.map((variant, i) => {
    const c = counts.get(variant)!;
    return {
      variant,
      ...c,
      ctr: wilson(Math.min(c.clicks, c.exposures), c.exposures),
      conversion: wilson(Math.min(c.purchases, c.exposures), c.exposures),
      ctrLift: i === 0 || !base ? null : difference(Math.min(c.clicks, c.exposures), c.exposures, Math.min(base.clicks, base.exposures), base.exposures),
    };
  });
}
