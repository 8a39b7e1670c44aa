import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '@shop/shared';
import type { WechatLogin } from './types';

/**
 * Only sandbox code carries this string: `npm run size -- --check` refuses a production bundle that contains it.
 * @public read in the built bundle, not imported: the export keeps esbuild from dropping it.
 */
export const SANDBOX_MODULE = 'shop-sandbox-module:wechat-login/sandbox';

const DEMO_CODE = /^demo-([a-z0-9-]{1,40})$/;

/**
 * The local stage's jscode2session. `demo-<name>` logs in as a fixed sandbox user; codes starting with `invalid`,
 * `ratelimited` or `blocked` answer like errcode 40029, 45011 and 40226; any other code (a real `wx.login` code from
 * DevTools) maps to a stable openid derived from it, since there is no WeChat to ask.
 */
export function createSandboxWechatLogin(): WechatLogin {
  return {
    async code2session(code: string) {
      if (!code || code.startsWith('invalid')) {
        throw new DomainError('LOGIN_CODE_INVALID', undefined, { errcode: 40029, sandbox: true });
      }
      if (code.startsWith('ratelimited')) {
        throw new DomainError('LOGIN_RATE_LIMITED', undefined, { errcode: 45011, sandbox: true });
      }
      if (code.startsWith('blocked')) throw new DomainError('LOGIN_BLOCKED', undefined, { errcode: 40226, sandbox: true });
      const sessionKey = randomBytes(16).toString('base64');
      const demo = DEMO_CODE.exec(code);
      if (demo) return { openid: `sandbox-openid-${demo[1]}`, sessionKey };
      const digest = createHash('sha256').update(code).digest('hex').slice(0, 16);
      return { openid: `sandbox-openid-${digest}`, sessionKey };
    },
  };
}
