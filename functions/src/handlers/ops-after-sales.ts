import { AfterSalePath } from '@shop/shared';
import { opsRoute } from '../lib/ops-http';
import { operatorLogItem } from '../repositories/after-sales-repo';
import * as afterSales from '../services/after-sales';

/** The operator API's 售后 routes (`/ops/v1/after-sales…`): every action is written to the operator log with its move. */
const act = (actor: string, now: number): afterSales.OperatorAct => ({ actor, log: (e) => operatorLogItem({ ...e, actor, at: now }) });

export const opsListAfterSales = opsRoute('opsListAfterSales', ({ query }) => afterSales.opsListAfterSales(query));
export const opsApproveAfterSale = opsRoute('opsApproveAfterSale', ({ params, actor, now }) => afterSales.approveAfterSale(params.afterSaleId, act(actor, now), now), {
  params: AfterSalePath,
});
export const opsRejectAfterSale = opsRoute(
  'opsRejectAfterSale',
  ({ params, body, actor, now }) => afterSales.rejectAfterSale(params.afterSaleId, body.reason, act(actor, now), now),
  { params: AfterSalePath },
);
export const opsReceiveAfterSaleReturn = opsRoute(
  'opsReceiveAfterSaleReturn',
  ({ params, actor, now }) => afterSales.receiveReturn(params.afterSaleId, act(actor, now), now),
  { params: AfterSalePath },
);
export const opsRetryAfterSaleRefund = opsRoute(
  'opsRetryAfterSaleRefund',
  ({ params, actor, now }) => afterSales.retryAfterSaleRefund(params.afterSaleId, act(actor, now), now),
  { params: AfterSalePath },
);
