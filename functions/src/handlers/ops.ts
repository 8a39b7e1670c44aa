import { z } from 'zod';
import { Id } from '@shop/shared';
import { opsRoute } from '../lib/ops-http';
import { listOrdersForOps, opsLog as readOpsLog, shipOrder } from '../services/fulfilment';

/** The operator API's order routes (`/ops/v1/orders…`, `/ops/v1/log`); other areas add their own modules. */
export const opsListOrders = opsRoute('opsListOrders', ({ query, now }) => listOrdersForOps(query, now));
export const opsShipOrder = opsRoute('opsShipOrder', ({ params, body, actor, now }) => shipOrder(params.orderId, body, actor, now), {
  params: z.object({ orderId: Id }),
});
export const opsLog = opsRoute('opsLog', ({ query, now }) => readOpsLog(query, now));
