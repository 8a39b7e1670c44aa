import { createWechatPay } from './client';
import {
  createSandboxWechatPayServer,
  type SandboxPaymentResult,
  type SandboxStore,
  type SandboxWechatPayServer,
} from './sandbox-server';
import type { WechatPay } from './types';
import { publicKeyFromPrivate } from './v3-crypto';

/**
 * Only sandbox code carries this string: `npm run size -- --check` refuses a production bundle that contains it.
 * @public read in the built bundle, not imported: the export keeps esbuild from dropping it.
 */
export const SANDBOX_MODULE = 'shop-sandbox-module:wechat-pay/sandbox';
/** Kept with this module wherever it is bundled, so the size check also sees the sandbox server inside it. @public */
export { SANDBOX_MODULE as SANDBOX_SERVER_MODULE } from './sandbox-server';

export interface SandboxWechatPayOptions {
  appId: string;
  mchId: string;
  notifyUrl: string;
  refundNotifyUrl?: string;
  mchPrivateKey: string;
  mchSerial: string;
  apiV3Key: string;
  platformPrivateKey: string;
  platformSerial: string;
  /** The keys the client trusts; by default the sandbox platform key alone. */
  platformPublicKeys?: Record<string, string>;
  store: SandboxStore;
  /** Where the sandbox delivers notifications, instead of notify_url. */
  deliverNotificationsTo?: string;
  /** Where the sandbox delivers refund notifications, instead of each refund's notify_url. */
  deliverRefundNotificationsTo?: string;
  /** See SandboxWechatPayServerOptions.autoCompleteRefunds; off by default. */
  autoCompleteRefunds?: 'SUCCESS' | 'ABNORMAL' | false;
  /** Used by the sandbox to deliver notifications. */
  notifyFetch?: typeof globalThis.fetch;
  now?: () => number;
}

export interface SandboxWechatPay extends WechatPay {
  readonly mode: 'sandbox';
  readonly server: SandboxWechatPayServer;
  simulateUserPayment(
    prepayId: string,
    action: 'pay' | 'cancel',
    nowMs: number,
    payerOpenid?: string,
  ): Promise<SandboxPaymentResult>;
  /** WeChat finishing a refund; see SandboxWechatPayServer.completeRefund. */
  completeRefund(outRefundNo: string, outcome: 'SUCCESS' | 'ABNORMAL' | 'CLOSED', nowMs: number): Promise<SandboxPaymentResult>;
}

/**
 * The real v3 client with its HTTP routed in-process to the sandbox server: every request is signed and every
 * answer verified exactly as against api.mch.weixin.qq.com.
 */
export function createSandboxWechatPay(opts: SandboxWechatPayOptions): SandboxWechatPay {
  const server = createSandboxWechatPayServer({
    mchId: opts.mchId,
    appId: opts.appId,
    apiV3Key: opts.apiV3Key,
    platformPrivateKey: opts.platformPrivateKey,
    platformSerial: opts.platformSerial,
    merchantPublicKey: publicKeyFromPrivate(opts.mchPrivateKey),
    merchantSerial: opts.mchSerial,
    store: opts.store,
    notifyUrl: opts.deliverNotificationsTo,
    refundNotifyUrl: opts.deliverRefundNotificationsTo,
    autoCompleteRefunds: opts.autoCompleteRefunds ?? false,
    fetch: opts.notifyFetch,
    now: opts.now,
  });
  const client = createWechatPay({
    appId: opts.appId,
    mchId: opts.mchId,
    notifyUrl: opts.notifyUrl,
    refundNotifyUrl: opts.refundNotifyUrl,
    mchPrivateKey: opts.mchPrivateKey,
    mchSerial: opts.mchSerial,
    apiV3Key: opts.apiV3Key,
    platformPublicKeys: opts.platformPublicKeys ?? {
      [opts.platformSerial]: publicKeyFromPrivate(opts.platformPrivateKey),
    },
    baseUrl: 'https://api.mch.weixin.qq.com',
    fetch: async (input, init) => server.handle(new Request(input, init)),
    mode: 'sandbox',
    now: opts.now,
  });
  return {
    ...client,
    mode: 'sandbox',
    server,
    simulateUserPayment: (prepayId, action, nowMs, payerOpenid) =>
      server.simulateUserPayment(prepayId, action, nowMs, payerOpenid),
    completeRefund: (outRefundNo, outcome, nowMs) => server.completeRefund(outRefundNo, outcome, nowMs),
  };
}
