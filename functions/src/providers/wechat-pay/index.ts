import { DomainError } from '@shop/shared';
import { ConfigError, config, type AppConfig } from '../../lib/config';
import { secrets, type Secrets } from '../../lib/secrets';
import { createWechatPay } from './client';
import type { SandboxWechatPay } from './sandbox';
import type { WechatPay } from './types';

export * from './types';
export type { SandboxWechatPay } from './sandbox';

/**
 * The refund notify_url derived from the payment one: …/notify → …/refund-notify. Refund results must not reach the
 * payment endpoint, which refuses REFUND.* events (and WeChat would then retry them for a day).
 */
export function refundNotifyUrlFor(payNotifyUrl: string): string {
  const url = new URL(payNotifyUrl);
  if (!url.pathname.endsWith('/notify')) {
    throw new ConfigError(`cannot derive a refund notify URL from ${payNotifyUrl}: set WECHAT_REFUND_NOTIFY_URL`);
  }
  url.pathname = `${url.pathname.slice(0, -'/notify'.length)}/refund-notify`;
  return url.toString();
}

function autoCompleteRefunds(value: string | undefined): 'SUCCESS' | 'ABNORMAL' | false {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'SUCCESS' || value === 'ABNORMAL') return value;
  throw new ConfigError(`SANDBOX_AUTO_COMPLETE_REFUNDS must be SUCCESS, ABNORMAL or false, got ${value}`);
}

/**
 * Builds the provider for a stage. Refund results go to WECHAT_REFUND_NOTIFY_URL, by default the payment notify URL
 * with /notify replaced by /refund-notify. The sandbox (local stage only, enforced by loadConfig) also needs its own
 * platform key pair from the environment: SANDBOX_PLATFORM_PRIVATE_KEY and SANDBOX_PLATFORM_SERIAL; its public half
 * is expected among WXPAY_PLATFORM_PUBLIC_KEYS, as WeChat's would be. SANDBOX_NOTIFY_URL optionally redirects its
 * notifications (e.g. to the local API when notify_url names a public host), SANDBOX_REFUND_NOTIFY_URL its refund
 * notifications (default: derived from SANDBOX_NOTIFY_URL as above). SANDBOX_AUTO_COMPLETE_REFUNDS (SUCCESS or
 * ABNORMAL) makes it finish every refund right after accepting it, as WeChat does on its own.
 */
export async function buildWechatPay(cfg: AppConfig, s: Secrets, env: NodeJS.ProcessEnv = process.env): Promise<WechatPay> {
  const common = {
    appId: cfg.wechat.appId,
    mchId: cfg.wechat.mchId,
    notifyUrl: cfg.wechat.notifyUrl,
    refundNotifyUrl: env.WECHAT_REFUND_NOTIFY_URL || refundNotifyUrlFor(cfg.wechat.notifyUrl),
    mchPrivateKey: s.mchPrivateKey,
    mchSerial: s.mchSerial,
    apiV3Key: s.apiV3Key,
    platformPublicKeys: s.platformPublicKeys,
  };
  if (!cfg.wechat.sandbox) return createWechatPay({ ...common, mode: 'wechat' });
  // Every stage's bundle but local's is built with process.env.SHOP_SANDBOX_BUILD defined as "false" (infra/esbuild.cjs,
  // used by serverless.yml): this branch is then dead code, and esbuild leaves the sandbox, reached only through its
  // import(), out of the bundle. (loadConfig already refuses the sandbox outside the local stage.)
  if (process.env.SHOP_SANDBOX_BUILD !== 'false') {
    const platformPrivateKey = env.SANDBOX_PLATFORM_PRIVATE_KEY;
    const platformSerial = env.SANDBOX_PLATFORM_SERIAL;
    if (!platformPrivateKey || !platformSerial) {
      throw new ConfigError('the WeChat Pay sandbox needs SANDBOX_PLATFORM_PRIVATE_KEY and SANDBOX_PLATFORM_SERIAL');
    }
    const [{ createSandboxWechatPay }, { dynamoSandboxStore }] = await Promise.all([import('./sandbox'), import('./sandbox-store')]);
    return createSandboxWechatPay({
      ...common,
      platformPrivateKey,
      platformSerial,
      store: dynamoSandboxStore(),
      deliverNotificationsTo: env.SANDBOX_NOTIFY_URL || undefined,
      deliverRefundNotificationsTo:
        env.SANDBOX_REFUND_NOTIFY_URL ||
        (env.SANDBOX_NOTIFY_URL ? refundNotifyUrlFor(env.SANDBOX_NOTIFY_URL) : undefined),
      autoCompleteRefunds: autoCompleteRefunds(env.SANDBOX_AUTO_COMPLETE_REFUNDS),
    });
  }
  throw new ConfigError('this bundle was built without the WeChat Pay sandbox');
}

let pending: Promise<WechatPay> | undefined;

/** One provider per container, built on first use. */
export function wechatPay(): Promise<WechatPay> {
  pending ??= secrets().then((s) => buildWechatPay(config(), s));
  pending.catch(() => (pending = undefined));
  return pending;
}

function isSandboxWechatPay(pay: WechatPay): pay is SandboxWechatPay {
  return pay.mode === 'sandbox' && 'simulateUserPayment' in pay;
}

/** The sandbox, for the local stage's 模拟支付 endpoint; anywhere else it does not exist. */
export async function sandboxWechatPay(): Promise<SandboxWechatPay> {
  const pay = await wechatPay();
  if (!isSandboxWechatPay(pay)) throw new DomainError('SANDBOX_DISABLED');
  return pay;
}

export function resetWechatPay(): void {
  pending = undefined;
}
