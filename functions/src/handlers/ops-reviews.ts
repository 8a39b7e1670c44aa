import { OpsReviewPath } from '@shop/shared';
import { opsRoute } from '../lib/ops-http';
import { setReviewHidden } from '../services/reviews';
import { listFeedback } from '../services/feedback';

/** The operator API's review and feedback routes: hide a review (or show it again), read 意见反馈 newest first. */
export const opsHideReview = opsRoute('opsHideReview', ({ params, body, actor, now }) => setReviewHidden(actor, params.reviewId, body, now), {
  params: OpsReviewPath,
});
export const opsListFeedback = opsRoute('opsListFeedback', ({ query }) => listFeedback(query));
