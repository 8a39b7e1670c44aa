import { ConfigError, config } from '../../lib/config';
import { namedSecret } from '../../lib/named-secrets';
import { createKuaidi100 } from './kuaidi100';
import type { Logistics } from './types';
import type { SandboxLogistics } from './sandbox';

export type { Logistics } from './types';

/** Where 快递100 pushes: the stage's API, beside WeChat Pay's notify URL. */
export function trackingCallbackUrl(): string {
  return new URL('/v1/logistics/kuaidi100/push', config().wechat.notifyUrl).toString();
}

const salt = () => namedSecret('KUAIDI100_SALT', 'kuaidi100-salt');

let shared: { sandbox: boolean; client: Promise<Logistics> } | undefined;

/** The 快递100 twin on the local stage (sandbox builds only), the real client elsewhere; one per container. */
export function logistics(): Promise<Logistics> {
  const sandbox = config().wechat.sandbox;
  if (shared?.sandbox === sandbox) return shared.client;
  const client = sandbox
    ? sandboxLogistics()
    : Promise.all([namedSecret('KUAIDI100_CUSTOMER', 'kuaidi100-customer'), namedSecret('KUAIDI100_KEY', 'kuaidi100-key'), salt()]).then(([customer, key, s]) =>
        createKuaidi100({ customer, key, salt: s }),
      );
  client.catch(() => (shared = undefined));
  shared = { sandbox, client };
  return client;
}

/** The local twin itself (tests and the local stack advance its clock). */
export async function sandboxLogistics(): Promise<SandboxLogistics> {
  // Every stage but local is built with SHOP_SANDBOX_BUILD "false" (infra/esbuild.cjs): esbuild drops this import().
  if (process.env.SHOP_SANDBOX_BUILD !== 'false' && config().wechat.sandbox) {
    const { createSandboxLogistics } = await import('./sandbox');
    return createSandboxLogistics(await salt());
  }
  throw new ConfigError('the 快递100 sandbox runs on the local stage only');
}
