import type { z } from 'zod';
import * as C from './contracts/index';

/**
 * The operator API (`/ops/v1/*`), apart from the shoppers' table in api.ts: IAM-authorised HTTP API routes in the
 * cloud (callable with SigV4), the local operator key on the local stage; never a shopper's session. The functions
 * parse with these schemas and `npm run ops` calls them; a test checks serverless.yml routes exactly these, each with
 * `authorizer: { type: aws_iam }`.
 */
export interface OpsRouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  response: z.ZodTypeAny;
}

export const OPS_API = {
  opsListOrders: { method: 'GET', path: '/ops/v1/orders', query: C.OpsOrdersQuery, response: C.OpsOrdersPage },
  opsShipOrder: { method: 'POST', path: '/ops/v1/orders/{orderId}/ship', body: C.ShipRequest, response: C.ShipResponse },
  opsLog: { method: 'GET', path: '/ops/v1/log', query: C.OpsLogQuery, response: C.OpsLogPage },
  /** 售后 (docs/after-sales.md): the queue by state, approve, reject with a reason, confirm a return, ask for the refund again. */
  opsListAfterSales: { method: 'GET', path: '/ops/v1/after-sales', query: C.OpsAfterSalesQuery, response: C.OpsAfterSalesPage },
  opsApproveAfterSale: { method: 'POST', path: '/ops/v1/after-sales/{afterSaleId}/approve', response: C.OpsAfterSaleView },
  opsRejectAfterSale: { method: 'POST', path: '/ops/v1/after-sales/{afterSaleId}/reject', body: C.OpsRejectRequest, response: C.OpsAfterSaleView },
  opsReceiveAfterSaleReturn: { method: 'POST', path: '/ops/v1/after-sales/{afterSaleId}/receive', response: C.OpsAfterSaleView },
  opsRetryAfterSaleRefund: { method: 'POST', path: '/ops/v1/after-sales/{afterSaleId}/refund', response: C.OpsAfterSaleView },
  /** Reviews and 意见反馈 (docs/after-sales.md#reviews-and-feedback): hide a review or show it again; read feedback. */
  opsHideReview: { method: 'POST', path: '/ops/v1/reviews/{reviewId}/hide', body: C.HideReviewRequest, response: C.OpsReviewResult },
  opsListFeedback: { method: 'GET', path: '/ops/v1/feedback', query: C.ListFeedbackQuery, response: C.FeedbackPage },
} as const satisfies Record<string, OpsRouteDef>;

export type OpsApiName = keyof typeof OPS_API;
