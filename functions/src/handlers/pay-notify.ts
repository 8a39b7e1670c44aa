import { handleError, json, logger, rawBody, type HttpEvent, type HttpResult, type LambdaContext } from '../lib/http';
import { settleNotification } from '../services/payment';

/**
 * WeChat Pay → us. The signature covers the body exactly as received, so it is verified before any parsing.
 * WeChat reads only the status: 2xx stops its retries, anything else makes it try again later.
 */
export async function notify(event: HttpEvent, context?: LambdaContext): Promise<HttpResult> {
  logger.appendKeys({ requestId: event.requestContext?.requestId ?? context?.awsRequestId ?? 'local', route: 'payNotify' });
  try {
    const outcome = await settleNotification(event.headers ?? {}, rawBody(event), Date.now());
    if (outcome.status === 200) return { statusCode: 204, headers: {}, body: '' };
    if (outcome.status === 401) return json(401, { code: 'FAIL', message: '签名验证失败' });
    return json(500, { code: 'FAIL', message: '处理失败，请重试' });
  } catch (e) {
    const result = handleError(e);
    return json(result.statusCode >= 500 ? 500 : result.statusCode, { code: 'FAIL', message: '处理失败，请重试' });
  } finally {
    logger.removeKeys(['requestId', 'route']);
  }
}
