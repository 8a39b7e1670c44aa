import { createHash, timingSafeEqual } from 'node:crypto';
import { z, ZodError } from 'zod';
import { DomainError, OPS_API, type OpsApiName } from '@shop/shared';
import { config } from './config';
import { handleError, json, logger, rawBody, type HttpEvent, type HttpResult, type LambdaContext } from './http';
import { namedSecret } from './named-secrets';

/**
 * The operator API's wrapper, like route() for shoppers: who the operator is, zod validation of path/query/body
 * against shared/src/ops-api.ts, error mapping and logging.
 *
 * Who: in the cloud the routes have IAM authorisation (`authorizer: { type: aws_iam }`), so API Gateway has verified
 * the SigV4 signature and passes the caller's ARN (`requestContext.authorizer.iam.userArn`): that ARN is the operator.
 * On the local stage (osls offline has no IAM) the `x-ops-key` header must equal the generated local operator key
 * (compared in constant time) and the operator is `local-operator`. A shopper's Bearer session is refused (403)
 * everywhere; no key or signature is 401 locally (API Gateway answers 403 in the cloud).
 */
export interface OpsEvent extends HttpEvent {
  requestContext?: HttpEvent['requestContext'] & { authorizer?: { iam?: { userArn?: string; callerId?: string } } };
}

function header(event: HttpEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

const LOCAL_OPERATOR = 'local-operator';

async function operator(event: OpsEvent): Promise<string> {
  const auth = header(event, 'authorization') ?? '';
  if (/^Bearer\s/i.test(auth)) throw new DomainError('FORBIDDEN', '购物者登录凭证不能调用运营接口');
  const arn = event.requestContext?.authorizer?.iam?.userArn;
  if (arn) return arn;
  if (!config().wechat.sandbox) throw new DomainError('FORBIDDEN', '运营接口需要 IAM 签名');
  const key = header(event, 'x-ops-key');
  if (!key) throw new DomainError('UNAUTHORIZED', '缺少运营密钥（x-ops-key）');
  const expected = await namedSecret('OPS_LOCAL_KEY', 'ops-local-key');
  if (!timingSafeEqual(digest(key), digest(expected))) throw new DomainError('FORBIDDEN', '运营密钥不正确');
  return LOCAL_OPERATOR;
}

type Def<N extends OpsApiName> = (typeof OPS_API)[N];
type Infer<T> = T extends z.ZodTypeAny ? z.infer<T> : undefined;

export interface OpsContext<N extends OpsApiName, P extends z.ZodTypeAny | undefined> {
  actor: string;
  params: Infer<P>;
  query: Def<N> extends { query: infer Q } ? Infer<Q> : undefined;
  body: Def<N> extends { body: infer B } ? Infer<B> : undefined;
  now: number;
}

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, where: string): z.infer<S> {
  try {
    return schema.parse(value);
  } catch (e) {
    if (!(e instanceof ZodError)) throw e;
    const first = e.issues[0];
    const message = first && /[\u4e00-\u9fff]/.test(first.message) ? first.message : `请求参数有误：${[where, ...(first?.path ?? [])].join('.')}`;
    throw new DomainError('VALIDATION_FAILED', message, { issues: e.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message })) });
  }
}

export function opsRoute<N extends OpsApiName, P extends z.ZodTypeAny | undefined = undefined>(
  name: N,
  impl: (ctx: OpsContext<N, P>) => Promise<z.input<Def<N>['response']>>,
  options: { params?: P } = {},
) {
  const def = OPS_API[name] as Def<OpsApiName>;
  return async (event: OpsEvent, context?: LambdaContext): Promise<HttpResult> => {
    logger.appendKeys({ requestId: event.requestContext?.requestId ?? context?.awsRequestId ?? 'local', route: name });
    try {
      const actor = await operator(event);
      const params = options.params ? parse(options.params, event.pathParameters ?? {}, 'path') : undefined;
      const query = 'query' in def && def.query ? parse(def.query, event.queryStringParameters ?? {}, 'query') : undefined;
      let body: unknown;
      if ('body' in def && def.body) {
        let raw: unknown = {};
        try {
          const text = rawBody(event);
          raw = text ? JSON.parse(text) : {};
        } catch {
          throw new DomainError('VALIDATION_FAILED', '请求内容不是有效的 JSON');
        }
        body = parse(def.body, raw, 'body');
      }
      const result = await impl({ actor, params, query, body, now: Date.now() } as OpsContext<N, P>);
      logger.info('operator action', { actor, route: name });
      return json(200, result);
    } catch (e) {
      return handleError(e);
    } finally {
      logger.removeKeys(['requestId', 'route']);
    }
  };
}
