/**
 * Offline evaluation of the recommendation model on the Amazon Beauty 5-core data (S3-Rec protocol, full ranking).
 *
 * This adapter only reads the files and turns them into the model's input; training and scoring are the shop's own
 * `trainModel` / `recommendFor` from shared/src/recs.
 * - Validation: fit on every shopper's seq[:-2], rank all items for seq[-2] (seq[:-2] removed from the ranking).
 * - Test: fit on seq[:-1], rank all items for seq[-1] (seq[:-1] removed). Parameters are chosen on validation only.
 * A model whose training fingerprint differs from the split's training data is refused before any scoring.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  hitRateAt,
  interactionDigest,
  ndcgAt,
  recommendFor,
  trainModel,
  type ItemMeta,
  type RecModel,
  type RecParams,
  type ShopperSequence,
} from '../../shared/src/recs/index';

const BEAUTY_DIR = path.resolve(import.meta.dirname, '../../../shared/datasets/amazon-beauty');


export interface BeautyData {
  /** Per shopper: [userId, item ids oldest first]. */
  users: [string, string[]][];
  items: Record<string, ItemMeta>;
  itemCount: number;
}

export function loadBeauty(dataFile = path.join(BEAUTY_DIR, 'Beauty.txt'), attributesFile?: string): BeautyData {
  const users: [string, string[]][] = [];
  const itemIds = new Set<string>();
  for (const line of fs.readFileSync(dataFile, 'utf8').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2) continue;
    const [userId, ...seq] = parts;
    for (const id of seq) itemIds.add(id);
    users.push([userId, seq]);
  }
  const attrFile = attributesFile ?? path.join(path.dirname(dataFile), 'Beauty_item2attributes.json');
  const raw: Record<string, number[]> = fs.existsSync(attrFile) ? JSON.parse(fs.readFileSync(attrFile, 'utf8')) : {};
  const items: Record<string, ItemMeta> = {};
  for (const id of itemIds) items[id] = { attributes: (raw[id] ?? []).map(String) };
  return { users, items, itemCount: itemIds.size };
}

export type Split = 'validation' | 'test';

/** The history a split fits on and ranks from: seq[:-2] for validation, seq[:-1] for test. */
function history(seq: readonly string[], split: Split): string[] {
  return seq.slice(0, split === 'validation' ? -2 : -1);
}

function target(seq: readonly string[], split: Split): string {
  return seq[seq.length - (split === 'validation' ? 2 : 1)];
}

export function trainingInput(data: BeautyData, split: Split): { sequences: ShopperSequence[]; items: Record<string, ItemMeta> } {
  // Beauty has no timestamps: the position stands for the time.
  const sequences = data.users.map(([userId, seq]) => ({
    userId,
    events: history(seq, split).map((itemId, at) => ({ itemId, at })),
  }));
  return { sequences, items: data.items };
}

/** Refuses a model that was not trained on exactly this split's training data (e.g. one that saw a held-out target). */
function assertTrainedOnSplit(model: RecModel, data: BeautyData, split: Split): void {
  const pairs: [string, string][] = [];
  for (const [userId, seq] of data.users) for (const itemId of history(seq, split)) pairs.push([userId, itemId]);
  const expected = interactionDigest(pairs);
  if (model.trainedOn.digest !== expected || model.trainedOn.events !== pairs.length) {
    throw new Error(
      `model refused for the ${split} split: trained on ${model.trainedOn.events} interactions (digest ` +
        `${model.trainedOn.digest}), the split's training data has ${pairs.length} (digest ${expected}); ` +
        'a model that saw a held-out item cannot be evaluated',
    );
  }
}

export interface Metrics {
  'HR@5': number;
  'HR@10': number;
  'HR@20': number;
  'NDCG@5': number;
  'NDCG@10': number;
  'NDCG@20': number;
  /** Share of the catalogue that appears in some shopper's top 10. */
  coverage: number;
  /** Mean over top-10 lists of the mean pairwise attribute distance (1 − Jaccard). */
  diversity: number;
  /** Mean self-information −log2(popularity share) of the top-10 items. */
  novelty: number;
  users: number;
}

/** Scores a split with a trained model (after the leak check). `every` > 1 scores every n-th shopper only. */
export function scoreSplit(model: RecModel, data: BeautyData, split: Split, every = 1): Metrics {
  assertTrainedOnSplit(model, data, split);
  const sums = { 'HR@5': 0, 'HR@10': 0, 'HR@20': 0, 'NDCG@5': 0, 'NDCG@10': 0, 'NDCG@20': 0, diversity: 0, novelty: 0 };
  const covered = new Set<string>();
  const popularity = new Map<string, number>();
  for (const [, seq] of data.users) for (const id of history(seq, split)) popularity.set(id, (popularity.get(id) ?? 0) + 1);
  const totalUsers = data.users.length;
  const attrs = new Map(Object.entries(data.items).map(([id, m]) => [id, new Set(m.attributes)]));
  let users = 0;
  for (let u = 0; u < data.users.length; u += every) {
    const seq = data.users[u][1];
    const seen = history(seq, split);
    const recent = seen.map((itemId, at) => ({ itemId, at }));
    const ranked = recommendFor(model, recent, { k: 20, exclude: seen }).map((r) => r.itemId);
    const t = target(seq, split);
    for (const k of [5, 10, 20] as const) {
      sums[`HR@${k}`] += hitRateAt(ranked, t, k);
      sums[`NDCG@${k}`] += ndcgAt(ranked, t, k);
    }
    const top = ranked.slice(0, 10);
    for (const id of top) {
      covered.add(id);
      sums.novelty += -Math.log2(Math.max(1, popularity.get(id) ?? 0) / totalUsers) / top.length;
    }
    let distance = 0;
    let pairs = 0;
    for (let i = 0; i < top.length; i++) {
      for (let j = i + 1; j < top.length; j++) {
        const a = attrs.get(top[i]) ?? new Set<string>();
        const b = attrs.get(top[j]) ?? new Set<string>();
        let shared = 0;
        for (const x of a) if (b.has(x)) shared++;
        const union = a.size + b.size - shared;
        distance += union === 0 ? 0 : 1 - shared / union;
        pairs++;
      }
    }
    sums.diversity += pairs > 0 ? distance / pairs : 0;
    users++;
  }
  const r = (x: number) => Math.round((x / users) * 1e4) / 1e4;
  return {
    'HR@5': r(sums['HR@5']),
    'HR@10': r(sums['HR@10']),
    'HR@20': r(sums['HR@20']),
    'NDCG@5': r(sums['NDCG@5']),
    'NDCG@10': r(sums['NDCG@10']),
    'NDCG@20': r(sums['NDCG@20']),
    coverage: Math.round((covered.size / data.itemCount) * 1e4) / 1e4,
    diversity: r(sums.diversity),
    novelty: Math.round((sums.novelty / users) * 100) / 100,
    users,
  };
}

/** Trains on a split's training data and scores it; returns the metrics and the training seconds. */
function runSplit(data: BeautyData, split: Split, params: Partial<RecParams>, every = 1): { metrics: Metrics; trainSeconds: number } {
  const started = performance.now();
  const model = trainModel(trainingInput(data, split), params);
  const trainSeconds = Math.round((performance.now() - started) / 10) / 100;
  return { metrics: scoreSplit(model, data, split, every), trainSeconds };
}

/** What each signal adds: validation metrics with one signal switched off at a time. */
const ABLATIONS: [string, Partial<RecParams>][] = [
  ['without transitions', { transitionWeight: 0 }],
  ['without co-occurrence', { coOccurrenceWeight: 0 }],
  ['without content', { contentWeight: 0 }],
  ['without session co-occurrence', { sessionWeight: 0 }],
  ['one step only', { window: 1, sessionWeight: 0 }],
  ['last item only', { maxRecent: 1 }],
  ['without popularity prior', { popularityWeight: 0 }],
];

export interface BeautyReport {
  params: RecParams;
  validation: Metrics;
  test: Metrics;
  trainSeconds: number;
  ablation: { variant: string; 'HR@10': number; 'NDCG@10': number }[];
}

/**
 * The full evaluation: validation (with the ablation), then the test split once. `every` > 1 samples shoppers (for
 * quick runs; the reported numbers use every shopper).
 */
export function evaluateBeauty(options: { dataFile?: string; params?: Partial<RecParams>; every?: number; ablation?: boolean } = {}): BeautyReport {
  const data = loadBeauty(options.dataFile);
  const params = { ...options.params };
  const every = options.every ?? 1;
  const validation = runSplit(data, 'validation', params, every);
  const ablation = (options.ablation ?? true)
    ? ABLATIONS.map(([variant, change]) => {
        const m = runSplit(data, 'validation', { ...params, ...change }, every).metrics;
        return { variant, 'HR@10': m['HR@10'], 'NDCG@10': m['NDCG@10'] };
      })
    : [];
  const started = performance.now();
  const model = trainModel(trainingInput(data, 'test'), params);
  const trainSeconds = Math.round((performance.now() - started) / 10) / 100;
  const test = scoreSplit(model, data, 'test', every);
  return { params: model.params, validation: validation.metrics, test, trainSeconds, ablation };
}

/** Values tried per parameter by the tuner (coordinate ascent on validation NDCG@10 + HR@10). */
const SEARCH_SPACE: Partial<Record<keyof RecParams, number[]>> = {
  contentWeight: [0.02, 0.05, 0.1, 0.2],
  neighbourNorm: [0, 0.1, 0.25, 0.5],
  anchorNorm: [0, 0.25, 0.5, 0.75, 1],
  coOccurrenceWeight: [0.3, 0.6, 1],
  maxRecent: [5, 10, 20],
  stepDecay: [0.3, 0.5, 0.7, 0.85],
  window: [3, 6, 8, 10, 15],
  sessionWeight: [0, 0.05, 0.1, 0.2],
  sessionNorm: [0.5, 1],
  recencyDecay: [0.3, 0.5, 0.7, 0.85],
  contentPopularity: [0, 0.3, 0.6, 1],
  maxAttributeShare: [0.03, 0.1, 0.3],
  popularityWeight: [0, 0.001, 0.01, 0.05],
  k: [50, 100, 200],
};

/**
 * Coordinate ascent over SEARCH_SPACE on the validation split only (the test split is never read). `every` samples
 * shoppers to keep a pass short; `log` receives each trial.
 */
export function tuneOnValidation(
  options: { dataFile?: string; start?: Partial<RecParams>; every?: number; passes?: number; log?: (line: string) => void } = {},
): Partial<RecParams> {
  const data = loadBeauty(options.dataFile);
  const every = options.every ?? 4;
  const objective = (m: Metrics) => m['NDCG@10'] + m['HR@10'];
  let best: Partial<RecParams> = { ...options.start };
  // Scoring-only parameters are tried on the same trained model.
  const scoringOnly = new Set<keyof RecParams>(['recencyDecay', 'maxRecent', 'popularityWeight', 'categoryWeight']);
  const input = trainingInput(data, 'validation');
  let model = trainModel(input, best);
  let bestScore = objective(scoreSplit(model, data, 'validation', every));
  options.log?.(`start ${JSON.stringify(best)} → ${bestScore.toFixed(4)}`);
  for (let pass = 0; pass < (options.passes ?? 2); pass++) {
    let improved = false;
    for (const [key, values] of Object.entries(SEARCH_SPACE) as [keyof RecParams, number[]][]) {
      for (const value of values) {
        if (model.params[key] === value) continue;
        const trial = { ...best, [key]: value };
        const trialModel = scoringOnly.has(key) ? { ...model, params: { ...model.params, [key]: value } } : trainModel(input, trial);
        const metrics = scoreSplit(trialModel, data, 'validation', every);
        const score = objective(metrics);
        options.log?.(`${key}=${value} → ${score.toFixed(4)} (HR@10 ${metrics['HR@10']}, NDCG@10 ${metrics['NDCG@10']})`);
        if (score > bestScore) {
          best = trial;
          model = trialModel;
          bestScore = score;
          improved = true;
        }
      }
    }
    options.log?.(`pass ${pass + 1}: ${JSON.stringify(best)} → ${bestScore.toFixed(4)}`);
    if (!improved) break;
  }
  return best;
}
