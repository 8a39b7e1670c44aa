/**
 * The stage's reviews configuration (the tags a review may pick, the banned words), as the functions see it:
 * `reviews/<stage>.yaml`, bundled with every function (serverless.yml `package.patterns`) like the member file. No
 * file = the defaults (shared/src/reviews.ts); a file that fails the schema keeps the last good configuration (the
 * defaults when none was good yet) and logs why. Locally the file is looked at again at most once a second, so
 * `npm start` picks up an edit; in a Lambda it is read once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_REVIEWS_CONFIG, type ReviewsConfig } from '@shop/shared';
import { parseReviewsConfig } from '../../../shared/src/reviews-config-file';
import { config } from '../lib/config';
import { logger } from '../lib/http';

/** REVIEWS_DIR when set (tests), else `reviews/` beside the function code in a Lambda, else under the working directory. */
function reviewsFile(env: NodeJS.ProcessEnv, stage: string): string {
  const dirs = [env.REVIEWS_DIR, env.LAMBDA_TASK_ROOT && path.join(env.LAMBDA_TASK_ROOT, 'reviews'), path.join(process.cwd(), 'reviews')];
  const dir = dirs.find((d) => d && fs.existsSync(d)) ?? env.REVIEWS_DIR ?? path.join(process.cwd(), 'reviews');
  return path.join(dir, `${stage}.yaml`);
}

let state: { file: string; reloadMs: number; checkedAt: number; signature?: string; good: ReviewsConfig } | undefined;

/** The live reviews configuration of this container. */
export function reviewsConfig(): ReviewsConfig {
  const stage = config().stage;
  state ??= { file: reviewsFile(process.env, stage), reloadMs: stage === 'local' ? 1000 : Infinity, checkedAt: -Infinity, good: DEFAULT_REVIEWS_CONFIG };
  const now = Date.now();
  if (now - state.checkedAt < state.reloadMs) return state.good;
  state.checkedAt = now;
  let signature = 'missing';
  try {
    const st = fs.statSync(state.file);
    signature = `${st.mtimeMs}:${st.size}`;
  } catch {
    // No file: the defaults.
  }
  if (signature === state.signature) return state.good;
  state.signature = signature;
  if (signature === 'missing') return (state.good = DEFAULT_REVIEWS_CONFIG);
  const result = parseReviewsConfig(fs.readFileSync(state.file, 'utf8'), path.relative(process.cwd(), state.file));
  if (result.ok) state.good = result.config;
  else logger.error('reviews configuration rejected; the last good one stays live', { file: state.file, errors: result.errors });
  return state.good;
}

/** Tests point the process at another reviews folder between files. */
export function resetReviewsConfig(): void {
  state = undefined;
}
