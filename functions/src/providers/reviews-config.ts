/**
 * The stage's reviews configuration (the tags a review may pick, the banned words), as the functions see it:
 * `reviews/<stage>.yaml`, bundled with every function (serverless.yml `package.patterns`) like the member file. No
 * file = the defaults (shared/src/reviews.ts); a file that fails the schema keeps the last good configuration (the
 * defaults when none was good yet) and logs why. Locally the file is looked at again at most once a second, so
 * `npm start` picks up an edit; in a Lambda it is read once.
 */
import { DEFAULT_REVIEWS_CONFIG, type ReviewsConfig } from '@shop/shared';
import { parseReviewsConfig } from '../../../shared/src/reviews-config-file';
import { stageFileConfig } from './stage-file';

const reviews = stageFileConfig<ReviewsConfig>({
  folder: 'reviews',
  defaults: DEFAULT_REVIEWS_CONFIG,
  parse: parseReviewsConfig,
  what: 'reviews configuration',
});

/** The live reviews configuration of this container. */
export const reviewsConfig = (): ReviewsConfig => reviews.get();

/** Tests point the process at another reviews folder between files. */
export const resetReviewsConfig = (): void => reviews.reset();
