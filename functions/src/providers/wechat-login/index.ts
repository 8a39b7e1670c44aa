import { ConfigError, config, type AppConfig } from '../../lib/config';
import { secrets, type Secrets } from '../../lib/secrets';
import { createRealWechatLogin } from './real';
import type { WechatLogin } from './types';

export type { WechatLogin } from './types';

/**
 * The sandbox on the local stage (loadConfig refuses WECHAT_SANDBOX anywhere else), WeChat's jscode2session
 * otherwise. Secrets are read on the first login, not here, so the sandbox never needs them.
 */
export function wechatLogin(cfg: AppConfig = config(), s?: Secrets | Promise<Secrets>): WechatLogin {
  if (cfg.wechat.sandbox) {
    // Only the local stage's bundle has the sandbox: every other stage's is built with SHOP_SANDBOX_BUILD defined as
    // "false" (infra/esbuild.cjs), so esbuild drops this import() and the module behind it.
    if (process.env.SHOP_SANDBOX_BUILD !== 'false') {
      const sandbox = import('./sandbox').then((m) => m.createSandboxWechatLogin());
      return { code2session: async (code) => (await sandbox).code2session(code) };
    }
    throw new ConfigError('this bundle was built without the WeChat login sandbox');
  }
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
