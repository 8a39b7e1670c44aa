import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Secrets for the local stage and the tests, generated per machine (never committed: .local/ is git-ignored).
 * The names are the environment variables functions/src/lib/secrets.ts reads, plus the WeChat Pay sandbox's own
 * platform key pair, whose public half is listed in WXPAY_PLATFORM_PUBLIC_KEYS as WeChat's would be.
 */
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

function rsaPair(): { privateKey: string; publicKey: string } {
  // PKCS#8 like the merchant's apiclient_key.pem; SPKI like WeChat's published public keys.
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** Certificate serials are 40 uppercase hex digits. */
function serial(): string {
  return randomBytes(20).toString('hex').toUpperCase();
}

/** Variables that only make sense together: a missing one regenerates its whole group. */
const GROUPS: Record<string, () => Record<string, string>> = {
  jwt: () => ({ JWT_SECRET: randomText(48) }),
  appSecret: () => ({ WECHAT_APP_SECRET: randomBytes(16).toString('hex') }),
  merchant: () => ({ WXPAY_MCH_PRIVATE_KEY: rsaPair().privateKey, WXPAY_MCH_SERIAL: serial() }),
  apiV3: () => ({ WXPAY_API_V3_KEY: randomText(32) }),
  platform: () => {
    const pair = rsaPair();
    const platformSerial = serial();
    return {
      SANDBOX_PLATFORM_PRIVATE_KEY: pair.privateKey,
      SANDBOX_PLATFORM_SERIAL: platformSerial,
      WXPAY_PLATFORM_PUBLIC_KEYS: JSON.stringify({ [platformSerial]: pair.publicKey }),
    };
  },
  // Fulfilment: the local operator key (x-ops-key on /ops/v1), the salt of 快递100 pushes, WeChat's message-push token.
  fulfilment: () => ({ OPS_LOCAL_KEY: randomText(40), KUAIDI100_SALT: randomText(24), WECHAT_PUSH_TOKEN: randomText(32) }),
};

const GROUP_NAMES: Record<string, string[]> = {
  jwt: ['JWT_SECRET'],
  appSecret: ['WECHAT_APP_SECRET'],
  merchant: ['WXPAY_MCH_PRIVATE_KEY', 'WXPAY_MCH_SERIAL'],
  apiV3: ['WXPAY_API_V3_KEY'],
  platform: ['SANDBOX_PLATFORM_PRIVATE_KEY', 'SANDBOX_PLATFORM_SERIAL', 'WXPAY_PLATFORM_PUBLIC_KEYS'],
  fulfilment: ['OPS_LOCAL_KEY', 'KUAIDI100_SALT', 'WECHAT_PUSH_TOKEN'],
};

export const LOCAL_SECRET_NAMES: readonly string[] = Object.values(GROUP_NAMES).flat();

export function generateLocalSecrets(): Record<string, string> {
  return Object.assign({}, ...Object.values(GROUPS).map((make) => make()));
}

/**
 * Reads `file` (a JSON object of name → value) or creates it with mode 0600, so restarts keep the same keys (and
 * the sessions signed with them). Missing variables are generated and written back.
 */
export function loadOrCreateLocalSecrets(file: string): Record<string, string> {
  let stored: Record<string, string> = {};
  if (fs.existsSync(file)) {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${file} must hold a JSON object of environment variables`);
    }
    stored = Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  const result = { ...stored };
  let changed = !fs.existsSync(file);
  for (const [group, names] of Object.entries(GROUP_NAMES)) {
    if (names.every((n) => result[n])) continue;
    Object.assign(result, GROUPS[group]());
    changed = true;
  }
  if (changed) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
    fs.chmodSync(file, 0o600);
  }
  return result;
}
