import { readFileSync } from 'node:fs';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError, SANDBOX_STAGES } from './config';

/**
 * Secrets come from SSM Parameter Store (SecureString) in the cloud: the function's environment names only the
 * prefix (SECRETS_SSM_PREFIX, e.g. /shop/prod/), never a value. Locally and in tests they come from the
 * environment, filled from a git-ignored file the local stack generates.
 */
export interface Secrets {
  jwtSecret: string;
  wechatAppSecret: string;
  /** Merchant API private key (PEM) and its certificate serial, for v3 request signing and paySign. */
  mchPrivateKey: string;
  mchSerial: string;
  /** 32-byte APIv3 key for AES-256-GCM resources. */
  apiV3Key: string;
  /** WeChat Pay platform public keys by serial (PEM), for verifying notifications and responses. */
  platformPublicKeys: Record<string, string>;
}

const NAMES = {
  jwtSecret: 'jwt-secret',
  wechatAppSecret: 'wechat-app-secret',
  mchPrivateKey: 'wxpay-mch-private-key',
  mchSerial: 'wxpay-mch-serial',
  apiV3Key: 'wxpay-api-v3-key',
  platformPublicKeys: 'wxpay-platform-public-keys',
} as const;

const ENV = {
  jwtSecret: 'JWT_SECRET',
  wechatAppSecret: 'WECHAT_APP_SECRET',
  mchPrivateKey: 'WXPAY_MCH_PRIVATE_KEY',
  mchSerial: 'WXPAY_MCH_SERIAL',
  apiV3Key: 'WXPAY_API_V3_KEY',
  platformPublicKeys: 'WXPAY_PLATFORM_PUBLIC_KEYS',
} as const;

function build(get: (key: keyof typeof NAMES) => string | undefined, where: string): Secrets {
  const need = (key: keyof typeof NAMES) => {
    const v = get(key);
    if (!v) throw new ConfigError(`secret ${key} is missing from ${where}`);
    return v;
  };
  const jwtSecret = need('jwtSecret');
  if (jwtSecret.length < 32) throw new ConfigError('jwtSecret must be at least 32 characters');
  let platformPublicKeys: Record<string, string>;
  try {
    platformPublicKeys = JSON.parse(need('platformPublicKeys'));
  } catch {
    throw new ConfigError('platformPublicKeys must be a JSON object of serial → PEM');
  }
  return {
    jwtSecret,
    wechatAppSecret: need('wechatAppSecret'),
    mchPrivateKey: need('mchPrivateKey'),
    mchSerial: need('mchSerial'),
    apiV3Key: need('apiV3Key'),
    platformPublicKeys,
  };
}

export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Secrets {
  return build((k) => env[ENV[k]], 'the environment');
}

async function secretsFromSsm(prefix: string): Promise<Secrets> {
  const ssm = new SSMClient({});
  const names = Object.values(NAMES).map((n) => `${prefix}${n}`);
  const out = await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
  const byName = new Map((out.Parameters ?? []).map((p) => [p.Name, p.Value]));
  return build((k) => byName.get(`${prefix}${NAMES[k]}`), `SSM under ${prefix}`);
}

/**
 * The local stack keeps its generated keys in a git-ignored JSON file and names it in LOCAL_SECRETS_FILE (the local
 * HTTP API passes functions only their declared environment). Values already in the environment win.
 */
function loadLocalSecretsFile(env: NodeJS.ProcessEnv = process.env): void {
  const file = env.LOCAL_SECRETS_FILE;
  if (!file) return;
  if (!SANDBOX_STAGES.has(env.STAGE ?? '')) throw new ConfigError('LOCAL_SECRETS_FILE is only allowed on the local stage');
  const values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const [k, v] of Object.entries(values)) if (!env[k]) env[k] = v;
}

let pending: Promise<Secrets> | undefined;
/** Loaded once per container (cold start) and kept. */
export function secrets(): Promise<Secrets> {
  const prefix = process.env.SECRETS_SSM_PREFIX;
  pending ??= prefix
    ? secretsFromSsm(prefix)
    : Promise.resolve().then(() => {
        loadLocalSecretsFile();
        return secretsFromEnv();
      });
  pending.catch(() => (pending = undefined));
  return pending;
}
export function resetSecrets(): void {
  pending = undefined;
}
