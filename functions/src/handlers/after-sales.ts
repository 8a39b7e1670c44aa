import { AfterSalePath } from '@shop/shared';
import { route } from '../lib/http';
import * as afterSales from '../services/after-sales';
import { createUpload as presignUpload } from '../services/uploads';

export const createUpload = route('createUpload', ({ userId, body, now }) => presignUpload(userId, body, now), { status: 201 });
export const createAfterSale = route('createAfterSale', ({ userId, body, now }) => afterSales.createAfterSale(userId, body, now), { status: 201 });
export const listAfterSales = route('listAfterSales', ({ userId, query }) => afterSales.listAfterSales(userId, query));
export const getAfterSale = route('getAfterSale', ({ userId, params }) => afterSales.getAfterSale(userId, params.afterSaleId), { params: AfterSalePath });
export const withdrawAfterSale = route('withdrawAfterSale', ({ userId, params, now }) => afterSales.withdrawAfterSale(userId, params.afterSaleId, now), {
  params: AfterSalePath,
});
export const shipAfterSaleReturn = route('shipAfterSaleReturn', ({ userId, params, body, now }) => afterSales.shipReturn(userId, params.afterSaleId, body, now), {
  params: AfterSalePath,
});
