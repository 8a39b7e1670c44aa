import { randomUUID } from 'node:crypto';
import type { HttpEvent, HttpResult } from '../../functions/src/lib/http';

type Handler = (event: HttpEvent) => Promise<HttpResult>;

export interface Call {
  token?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  rawBody?: string;
}

/** Invokes a Lambda handler with an HTTP API (payload v2) event, as API Gateway would. */
export async function call<T = any>(handler: Handler, c: Call = {}): Promise<{ status: number; body: T }> {
  const res = await handler({
    headers: { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), ...(c.headers ?? {}) },
    pathParameters: c.params ?? null,
    queryStringParameters: c.query ?? null,
    body: c.rawBody ?? (c.body === undefined ? null : JSON.stringify(c.body)),
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID() },
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

export function idempotencyKey(): string {
  return randomUUID().replaceAll('-', '');
}

export const SAMPLE_ADDRESS = {
  name: '王小明',
  phone: '13800138000',
  province: '上海市',
  city: '上海市',
  district: '浦东新区',
  detail: '世纪大道 100 号 8 楼',
  isDefault: true,
};
