import { DEFAULT_PAYMENT_WINDOW_MS } from '@shop/shared';

/**
 * Stage configuration, read once from the function's environment (set per stage in serverless.yml).
 * Secrets are not here: see secrets.ts.
 */
export interface AppConfig {
  stage: string;
  tableName: string;
  /** Only set locally (DynamoDB Local). */
  dynamoEndpoint: string | undefined;
  region: string;
  wechat: {
    appId: string;
    mchId: string;
    notifyUrl: string;
    /** Sandbox twins of WeChat login and pay: allowed on the local stage only. */
    sandbox: boolean;
    /**
     * Subscribe-message template ids (订阅消息) for group outcomes; an empty id means that message is not sent.
     * Optional so a stage (or a test) without templates simply sends none.
     */
    templates?: { groupSuccess: string; groupFailed: string };
  };
  paymentWindowMs: number;
  sessionTtlSeconds: number;
  /** 客服 as the client shows it (GET /v1/shop-info): hours and phone of the stage's customer service; '' = none. */
  customerService?: { hours: string; phone: string };
  /** The most products one shopper can keep in 我的收藏 (FAVORITES_LIMIT, default 500). */
  favoritesLimit?: number;
  /**
   * Where the stage's H5 shop is served (origin, optionally a path; no trailing slash). Every link the server hands
   * out (拼团 share links, the poster's QR code) starts with it. Locally it is the running stack's web server.
   */
  webBaseUrl: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const SANDBOX_STAGES = new Set(['local']);

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new ConfigError(`missing environment variable ${name}`);
  return v;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer, got ${raw}`);
  return n;
}

/**
 * WEB_BASE_URL: an absolute http(s) address without query or fragment (links append `/#/<page>`). Outside the local
 * stage it must be https and not a placeholder (`*.invalid`): a share link that does not open is worse than none.
 */
function webBaseUrl(env: NodeJS.ProcessEnv, stage: string): string {
  const raw = required(env, 'WEB_BASE_URL').trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`WEB_BASE_URL must be an absolute URL, got ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`WEB_BASE_URL must be http(s), got ${raw}`);
  if (url.search || url.hash || raw.includes('#')) throw new ConfigError(`WEB_BASE_URL must not carry a query or fragment, got ${raw}`);
  if (!SANDBOX_STAGES.has(stage)) {
    if (url.protocol !== 'https:') throw new ConfigError(`WEB_BASE_URL must be https on stage "${stage}", got ${raw}`);
    if (url.hostname.endsWith('.invalid')) throw new ConfigError(`WEB_BASE_URL is still a placeholder on stage "${stage}": ${raw}`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const stage = required(env, 'STAGE');
  const sandbox = env.WECHAT_SANDBOX === 'true';
  // The sandbox answers any login code and fakes payments: it must never run where real money or users are.
  if (sandbox && !SANDBOX_STAGES.has(stage)) {
    throw new ConfigError(`WECHAT_SANDBOX is only allowed on the local stage, not on "${stage}"`);
  }
  return {
    stage,
    tableName: required(env, 'TABLE_NAME'),
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || 'ap-east-1',
    wechat: {
      appId: required(env, 'WECHAT_APP_ID'),
      mchId: required(env, 'WECHAT_MCH_ID'),
      notifyUrl: required(env, 'WECHAT_NOTIFY_URL'),
      sandbox,
      templates: { groupSuccess: env.WECHAT_TMPL_GROUP_SUCCESS ?? '', groupFailed: env.WECHAT_TMPL_GROUP_FAILED ?? '' },
    },
    paymentWindowMs: positiveInt(env, 'PAYMENT_WINDOW_MS', DEFAULT_PAYMENT_WINDOW_MS),
    sessionTtlSeconds: positiveInt(env, 'SESSION_TTL_SECONDS', 7 * 24 * 3600),
    customerService: { hours: env.SERVICE_HOURS?.trim() ?? '', phone: env.SERVICE_PHONE?.trim() ?? '' },
    favoritesLimit: positiveInt(env, 'FAVORITES_LIMIT', 500),
    webBaseUrl: webBaseUrl(env, stage),
  };
}

let cached: AppConfig | undefined;
export function config(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
/** Tests change the environment between cases. */
export function resetConfig(): void {
  cached = undefined;
}
