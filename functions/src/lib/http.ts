import { Logger } from '@aws-lambda-powertools/logger';
import { z, ZodError } from 'zod';
import { API, DomainError, ERROR_CATALOG, type ApiName, type ApiErrorBody } from '@shop/shared';
import { config } from './config';
import { systemClock, type Clock } from './clock';
import { verifySession } from './session';

/** The parts of an API Gateway HTTP API (payload v2) event the handlers use. */
export interface HttpEvent {
  rawPath?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string; http?: { method?: string; path?: string } };
}
export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
}

export const logger = new Logger({ serviceName: 'shop', logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'INFO' });

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

function errorResult(e: DomainError): HttpResult {
  return json(e.status, e.toBody());
}

const HAS_CJK = /[\u4e00-\u9fff]/;
/** A zod failure as a Chinese message naming the field; the schemas carry Chinese messages where it matters. */
function validationError(err: ZodError, where: string): DomainError {
  const issues = err.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
  const first = err.issues[0];
  const field = first?.path.join('.') || where;
  const message = first && HAS_CJK.test(first.message) ? first.message : `请求参数有误：${field}`;
  return new DomainError('VALIDATION_FAILED', message, { issues });
}

/**
 * The largest request body route() reads (bytes after base64 decoding). The biggest legitimate body (an address, an
 * order with a remark) is under 2 KiB; anything far larger is refused before it is decoded or parsed.
 */
export const MAX_BODY_BYTES = 64 * 1024;

function assertBodySize(event: HttpEvent): void {
  if (!event.body) return;
  const bytes = event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body, 'utf8');
  if (bytes > MAX_BODY_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', '请求内容过大', { bytes, limit: MAX_BODY_BYTES });
}

export function rawBody(event: HttpEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

function parseJsonBody(event: HttpEvent): unknown {
  const text = rawBody(event);
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('VALIDATION_FAILED', '请求内容不是有效的 JSON');
  }
}

function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(r.error, where);
  return r.data;
}

type RouteOf<N extends ApiName> = (typeof API)[N];
type Infer<T> = T extends z.ZodTypeAny ? z.infer<T> : undefined;

export interface RouteContext<N extends ApiName, P extends z.ZodTypeAny | undefined> {
  userId: RouteOf<N>['auth'] extends true ? string : string | null;
  params: Infer<P>;
  query: RouteOf<N> extends { query: infer Q } ? Infer<Q> : undefined;
  body: RouteOf<N> extends { body: infer B } ? Infer<B> : undefined;
  event: HttpEvent;
  now: number;
}

export interface RouteOptions<P extends z.ZodTypeAny | undefined> {
  params?: P;
  /** HTTP status on success (default 200). */
  status?: number;
  clock?: Clock;
}

async function authenticate(event: HttpEvent, now: number): Promise<string | null> {
  const auth = header(event, 'authorization');
  if (!auth) return null;
  const m = /^Bearer\s+(.+)$/i.exec(auth);
  if (!m) throw new DomainError('UNAUTHORIZED');
  return verifySession(m[1], now);
}

/**
 * Wraps a route's business function: parse → call → respond. Validation, authentication, error mapping and
 * request-id logging happen here once; handlers stay one line of business each.
 */
export function route<N extends ApiName, P extends z.ZodTypeAny | undefined = undefined>(
  name: N,
  impl: (ctx: RouteContext<N, P>) => Promise<z.input<RouteOf<N>['response']>>,
  options: RouteOptions<P> = {},
) {
  const def = API[name] as (typeof API)[ApiName];
  const clock = options.clock ?? systemClock;
  return async (event: HttpEvent, context?: LambdaContext): Promise<HttpResult> => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'local';
    logger.appendKeys({ requestId, route: name });
    try {
      if ('localOnly' in def && def.localOnly && !config().wechat.sandbox) throw new DomainError('SANDBOX_DISABLED');
      assertBodySize(event);
      const now = clock.now();
      const userId = await authenticate(event, now);
      if (def.auth && !userId) throw new DomainError('UNAUTHORIZED');
      const params = options.params ? parseWith(options.params, event.pathParameters ?? {}, 'path') : undefined;
      const query = 'query' in def && def.query ? parseWith(def.query, event.queryStringParameters ?? {}, 'query') : undefined;
      const body = 'body' in def && def.body ? parseWith(def.body, parseJsonBody(event), 'body') : undefined;
      const result = await impl({ userId, params, query, body, event, now } as RouteContext<N, P>);
      return json(options.status ?? 200, result);
    } catch (e) {
      return handleError(e);
    } finally {
      logger.removeKeys(['requestId', 'route']);
    }
  };
}

/** Maps any failure to its HTTP answer. The full details go to the log; the body carries only DomainError.toBody(). */
export function handleError(e: unknown): HttpResult {
  if (e instanceof DomainError) {
    if (e.status >= 500) logger.error('request failed', { code: e.code, details: e.details, error: e });
    else logger.info('request refused', { code: e.code, details: e.details });
    return errorResult(e);
  }
  logger.error('unexpected error', { error: e as Error });
  const body: ApiErrorBody = { code: 'INTERNAL', message: ERROR_CATALOG.INTERNAL.message };
  return json(500, body);
}
