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
} as const satisfies Record<string, OpsRouteDef>;

export type OpsApiName = keyof typeof OPS_API;
