import { config, type AppConfig } from '../../lib/config';
import { secrets, type Secrets } from '../../lib/secrets';
import { createRealWechatLogin } from './real';
import { createSandboxWechatLogin } from './sandbox';
import type { WechatLogin } from './types';

export type { WechatLogin, WechatSession } from './types';

/**
 * The sandbox on the local stage (loadConfig refuses WECHAT_SANDBOX anywhere else), WeChat's jscode2session
 * otherwise. Secrets are read on the first login, not here, so the sandbox never needs them.
 */
export function wechatLogin(cfg: AppConfig = config(), s?: Secrets | Promise<Secrets>): WechatLogin {
  if (cfg.wechat.sandbox) return createSandboxWechatLogin();
  let real: Promise<WechatLogin> | undefined;
  return {
    async code2session(code) {
      real ??= Promise.resolve(s ?? secrets()).then((loaded) =>
        createRealWechatLogin({ appId: cfg.wechat.appId, appSecret: loaded.wechatAppSecret }),
      );
      real.catch(() => (real = undefined));
      return (await real).code2session(code);
    },
  };
}
