import { z } from 'zod';
import { Id } from '@shop/shared';
import { handleError, json, logger, rawBody, route, type HttpEvent, type HttpResult, type LambdaContext } from '../lib/http';
import { autoReceive, onTrackingPush, onWechatPush, receiveOrder as receive, sweepReceipts as sweep, trackingOf } from '../services/fulfilment';

const OrderPath = z.object({ orderId: Id });

export const orderTracking = route('orderTracking', ({ userId, params }) => trackingOf(userId, params.orderId), { params: OrderPath });
export const receiveOrder = route('receiveOrder', ({ userId, params, now }) => receive(userId, params.orderId, now), { params: OrderPath });

function withLog(name: string, event: HttpEvent, context: LambdaContext | undefined, run: () => Promise<HttpResult>): Promise<HttpResult> {
  logger.appendKeys({ requestId: event.requestContext?.requestId ?? context?.awsRequestId ?? 'local', route: name });
  return run()
    .catch((e) => handleError(e))
    .finally(() => logger.removeKeys(['requestId', 'route']));
}

/** 快递100's push: the signature over the form's param is verified before anything is read. */
export const trackingPush = (event: HttpEvent, context?: LambdaContext) =>
  withLog('trackingPush', event, context, async () => {
    const { status, answer } = await onTrackingPush(rawBody(event));
    return json(status, answer);
  });

/** WeChat's message push: `success` once verified and handled, 401 for a wrong signature (WeChat then retries). */
export const wechatPush = (event: HttpEvent, context?: LambdaContext) =>
  withLog('wechatPush', event, context, async () => {
    const ok = await onWechatPush(event.queryStringParameters ?? {}, rawBody(event), Date.now());
    return ok ? { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'success' } : json(401, { code: 'FAIL', message: '签名验证失败' });
  });

/** Invoked by the order's own EventBridge Scheduler schedule at its receipt due time. */
export async function receiptDue(event: { orderId: string }) {
  const result = await autoReceive(event.orderId, Date.now());
  logger.info('auto receipt', { orderId: event.orderId, result });
  return { orderId: event.orderId, result };
}

/** Every 10 minutes: the safety net for receipt schedules that did not fire. */
export async function sweepReceipts() {
  const counts = await sweep(Date.now());
  if (counts.received || counts.failed) logger.info('receipt sweep', counts);
  return counts;
}
