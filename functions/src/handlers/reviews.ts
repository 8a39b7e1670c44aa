import { OrderReviewsPath, ProductReviewsPath } from '@shop/shared';
import { route } from '../lib/http';
import * as reviews from '../services/reviews';
import * as feedback from '../services/feedback';

/** 评价, 追评, a product's reviews and summary, 意见反馈. */
export const createReview = route('createReview', ({ userId, body, now }) => reviews.createReview(userId, body, now), { status: 201 });
export const followUpReview = route('followUpReview', ({ userId, body, now }) => reviews.followUp(userId, body, now));
export const orderReviews = route('orderReviews', ({ userId, params }) => reviews.orderReviews(userId, params.orderId), { params: OrderReviewsPath });
export const productReviews = route('productReviews', ({ params, query }) => reviews.productReviews(params.productId, query), {
  params: ProductReviewsPath,
});
export const reviewSummary = route('reviewSummary', ({ params }) => reviews.reviewSummary(params.productId), { params: ProductReviewsPath });
export const createFeedback = route('createFeedback', ({ userId, body, now }) => feedback.createFeedback(userId, body, now), { status: 201 });
