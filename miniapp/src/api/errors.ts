import type { ErrorCode } from '@shop/shared/src/errors';

/** Codes the client adds for failures that never reached the API's error layer. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

export const NETWORK_ERROR_MESSAGE = '网络异常，请检查网络后重试';
export const BAD_RESPONSE_MESSAGE = '系统繁忙，请稍后再试';

/** An error answer of the API (`{code, message}`), or a client-side failure to get one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
  get isNetwork(): boolean {
    return this.code === 'NETWORK_ERROR';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
