import { logger, route } from '../lib/http';
import * as recs from '../services/recs';
import { trainAndPublish } from '../services/recs-training';

export const recommendations = route('recommendations', ({ userId, query, now }) => recs.recommendations(userId, query, now));
export const dislikeRec = route('dislikeRec', ({ userId, body, now }) => recs.dislike(userId, body.productId, now));

/** Scheduled: trains the model from the last days of behaviour and makes it live. */
export async function recsTrainJob() {
  const result = await trainAndPublish(Date.now());
  logger.info('recs model trained', result);
  return result;
}
