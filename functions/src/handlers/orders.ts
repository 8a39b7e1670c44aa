import { z } from 'zod';
import { Id } from '@shop/shared';
import { route } from '../lib/http';
import { createOrder as placeOrder, quoteCheckout } from '../services/checkout';
import * as orders from '../services/orders';
import { payOrder as preparePayment } from '../services/payment';
import { preloadCampaignConfig } from '../providers/campaign-config';

preloadCampaignConfig();

const OrderPath = z.object({ orderId: Id });

export const quote = route('quote', ({ userId, body, now }) => quoteCheckout(userId, body, now));
export const createOrder = route('createOrder', ({ userId, body, now }) => placeOrder(userId, body, now), { status: 201 });
export const listOrders = route('listOrders', ({ userId, query }) => orders.listOrders(userId, query));
export const orderCounts = route('orderCounts', ({ userId }) => orders.countOrders(userId));
export const getOrder = route('getOrder', ({ userId, params }) => orders.getOrder(userId, params.orderId), { params: OrderPath });
export const cancelOrder = route('cancelOrder', ({ userId, params, now }) => orders.cancelOrder(userId, params.orderId, now), {
  params: OrderPath,
});
export const payOrder = route('payOrder', ({ userId, params, now }) => preparePayment(userId, params.orderId, now), {
  params: OrderPath,
});
