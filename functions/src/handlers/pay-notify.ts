import { handleError, json, logger, rawBody, type HttpEvent, type HttpResult, type LambdaContext } from '../lib/http';
import { settleNotification } from '../services/payment';
import { settleRefundNotification } from '../services/refunds';

/**
 * WeChat Pay → us. The signature covers the body exactly as received, so it is verified before any parsing.
 * WeChat reads only the status: 2xx stops its retries, anything else makes it try again later.
 */
async function answer(
  event: HttpEvent,
  context: LambdaContext | undefined,
  route: string,
  settle: (headers: Record<string, string | undefined>, body: string, now: number) => Promise<{ status: 200 | 401 }>,
): Promise<HttpResult> {
  logger.appendKeys({ requestId: event.requestContext?.requestId ?? context?.awsRequestId ?? 'local', route });
  try {
    const outcome = await settle(event.headers ?? {}, rawBody(event), Date.now());
    if (outcome.status === 200) return { statusCode: 204, headers: {}, body: '' };
    return json(401, { code: 'FAIL', message: '签名验证失败' });
  } catch (e) {
    handleError(e);
    return json(500, { code: 'FAIL', message: '处理失败，请重试' });
  } finally {
    logger.removeKeys(['requestId', 'route']);
  }
}

export const notify = (event: HttpEvent, context?: LambdaContext) => answer(event, context, 'payNotify', settleNotification);
export const refundNotify = (event: HttpEvent, context?: LambdaContext) => answer(event, context, 'refundNotify', settleRefundNotification);
