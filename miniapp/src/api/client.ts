import Taro from '@tarojs/taro';
import type { API, ApiBody, ApiName, ApiQuery, ApiResponse } from '@shop/shared/src/api';
import type { ErrorCode } from '@shop/shared/src/errors';
import { ApiError, BAD_RESPONSE_MESSAGE, NETWORK_ERROR_MESSAGE } from './errors';
import { ROUTES } from './routes';

export { ApiError } from './errors';

type HttpMethod = (typeof API)[ApiName]['method'];

export interface TransportRequest {
  url: string;
  method: HttpMethod;
  header: Record<string, string>;
  data?: unknown;
}
export interface TransportResponse {
  statusCode: number;
  data: unknown;
}
/** Sends one HTTP request; rejects only when no answer came back (network, timeout). */
type Transport = (req: TransportRequest) => Promise<TransportResponse>;

const taroTransport: Transport = async (req) => {
  const res = await Taro.request({
    url: req.url,
    method: req.method as keyof Taro.request.Method,
    header: req.header,
    data: req.data as Taro.request.Option['data'],
    dataType: 'json',
    timeout: 15000,
  });
  return { statusCode: res.statusCode, data: res.data };
};

type Params = Record<string, string>;
type Has<T, K extends string, V> = [T] extends [never] ? { [P in K]?: never } : { [P in K]: V };
/** What `call` takes: `params` for `{x}` placeholders in the path, `query` and `body` as the route declares them. */
type CallOptions<N extends ApiName> = Has<ApiQuery<N>, 'query', ApiQuery<N>> &
  Has<ApiBody<N>, 'body', ApiBody<N>> & {
    params?: Params;
    /** Don't show a toast for an error (the caller handles it). */
    silent?: boolean;
  };

type OptionalIfEmpty<N extends ApiName> = [ApiQuery<N>] extends [never]
  ? [ApiBody<N>] extends [never]
    ? [options?: CallOptions<N>]
    : [options: CallOptions<N>]
  : [ApiBody<N>] extends [never]
    ? [options?: CallOptions<N>]
    : [options: CallOptions<N>];

export interface ApiClientConfig {
  baseUrl: string;
  transport?: Transport;
  getToken?: () => string | null | undefined;
  /** Called after a 401 (the session is no longer valid). */
  onUnauthorized?: (err: ApiError) => void;
  /** Shows an error to the shopper. */
  toast?: (message: string) => void;
}

export interface ApiClient {
  call<N extends ApiName>(name: N, ...args: OptionalIfEmpty<N>): Promise<ApiResponse<N>>;
}

function buildPath(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = params[key];
    if (v === undefined || v === '') throw new Error(`missing path parameter ${key} for ${template}`);
    return encodeURIComponent(v);
  });
}

export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function isErrorBody(data: unknown): data is { code: ErrorCode; message: string; details?: Record<string, unknown> } {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { code?: unknown }).code === 'string' &&
    typeof (data as { message?: unknown }).message === 'string'
  );
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data === '') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * A Lambda runtime failure (`{errorType, errorMessage}`) that a gateway passed on as if it were an answer; the local
 * HTTP emulator does this with a 200 when a function times out.
 */
function isRuntimeFailure(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { errorMessage?: unknown }).errorMessage === 'string' &&
    typeof (data as { errorType?: unknown }).errorType === 'string'
  );
}

/** Maps a transport answer to the response body, or throws the ApiError it stands for. */
function toResult(res: TransportResponse): unknown {
  const data = parseBody(res.data);
  if (isRuntimeFailure(data)) throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, res.statusCode >= 400 ? res.statusCode : 502);
  if (res.statusCode >= 200 && res.statusCode < 300) return data;
  if (isErrorBody(data)) throw new ApiError(data.code, data.message, res.statusCode, data.details);
  throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, res.statusCode);
}

export function createApiClient(config: ApiClientConfig): ApiClient {
  const transport = config.transport ?? taroTransport;
  const base = config.baseUrl.replace(/\/+$/, '');

  async function call(name: ApiName, options: CallOptions<ApiName> = {} as CallOptions<ApiName>) {
    const route = ROUTES[name];
    const opts = options as { params?: Params; query?: Record<string, unknown>; body?: unknown; silent?: boolean };
    const url = base + buildPath(route.path, opts.params) + buildQuery(opts.query);
    const header: Record<string, string> = { Accept: 'application/json' };
    if (opts.body !== undefined) header['Content-Type'] = 'application/json';
    const token = config.getToken?.();
    if (token) header.Authorization = `Bearer ${token}`;

    try {
      let res: TransportResponse;
      try {
        res = await transport({ url, method: route.method, header, data: opts.body });
      } catch {
        throw new ApiError('NETWORK_ERROR', NETWORK_ERROR_MESSAGE, 0);
      }
      return toResult(res);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, 0);
      if (err.isUnauthorized) config.onUnauthorized?.(err);
      if (!opts.silent) config.toast?.(err.message);
      throw err;
    }
  }

  return { call: call as ApiClient['call'] };
}
