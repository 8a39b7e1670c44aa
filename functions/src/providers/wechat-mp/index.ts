import { ConfigError, config, type AppConfig } from '../../lib/config';
import { secrets, type Secrets } from '../../lib/secrets';
import { createRealWechatMp, type RealWechatMp } from './real';
import type { WechatMp } from './types';

export type { PosterCode, ShippingInfo, WechatMp } from './types';

/**
 * The sandbox on the local stage, api.weixin.qq.com otherwise. Secrets are read on the first call, not here. The
 * real client holds the access_token cache, so it is kept for the container's life (see wechatMpShared).
 */
function wechatMp(cfg: AppConfig = config(), s?: Secrets | Promise<Secrets>, baseUrl?: string): WechatMp {
  if (cfg.wechat.sandbox) {
    // Only the local stage's bundle has the sandbox: every other stage's is built with SHOP_SANDBOX_BUILD defined as
    // "false" (infra/esbuild.cjs), so esbuild drops this import() and the module behind it.
    if (process.env.SHOP_SANDBOX_BUILD !== 'false') {
      const sandbox = import('./sandbox').then((m) => m.createSandboxWechatMp());
      return {
        posterCode: async (req) => (await sandbox).posterCode(req),
        sendSubscribeMessage: async (msg) => (await sandbox).sendSubscribeMessage(msg),
        uploadShippingInfo: async (info) => (await sandbox).uploadShippingInfo(info),
      };
    }
    throw new ConfigError('this bundle was built without the WeChat mini-program sandbox');
  }
  let real: Promise<RealWechatMp> | undefined;
  const client = () => {
    real ??= Promise.resolve(s ?? secrets()).then((loaded) => createRealWechatMp({ appId: cfg.wechat.appId, appSecret: loaded.wechatAppSecret, baseUrl }));
    real.catch(() => (real = undefined));
    return real;
  };
  return {
    posterCode: async (req) => (await client()).posterCode(req),
    sendSubscribeMessage: async (msg) => (await client()).sendSubscribeMessage(msg),
    uploadShippingInfo: async (info) => (await client()).uploadShippingInfo(info),
  };
}

let shared: { stage: string; sandbox: boolean; mp: WechatMp } | undefined;
/** One client per container (and per configuration, since tests change it), so the access_token is fetched once. */
export function wechatMpShared(): WechatMp {
  const cfg = config();
  if (!shared || shared.stage !== cfg.stage || shared.sandbox !== cfg.wechat.sandbox) shared = { stage: cfg.stage, sandbox: cfg.wechat.sandbox, mp: wechatMp(cfg) };
  return shared.mp;
}
