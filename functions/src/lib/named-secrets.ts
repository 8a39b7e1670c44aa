import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from './config';
import { secrets } from './secrets';

/**
 * Secrets of single features, read when first needed: in the cloud the SSM SecureString `<prefix><ssmName>`, locally
 * (and in tests) the environment variable `envName`, which the local stack generates into its secrets file
 * (scripts/lib/local-secrets.ts). Kept for the container's life once read.
 */
const cache = new Map<string, Promise<string>>();

export function namedSecret(envName: string, ssmName: string): Promise<string> {
  const prefix = process.env.SECRETS_SSM_PREFIX;
  const id = prefix ? `${prefix}${ssmName}` : `env:${envName}`;
  let pending = cache.get(id);
  if (!pending) {
    pending = prefix
      ? new SSMClient({}).send(new GetParametersCommand({ Names: [id], WithDecryption: true })).then((out) => {
          const value = out.Parameters?.[0]?.Value;
          if (!value) throw new ConfigError(`secret ${id} is missing from SSM`);
          return value;
        })
      : // secrets() loads the local stage's file into the environment first.
        secrets().then(() => {
          const value = process.env[envName];
          if (!value) throw new ConfigError(`secret ${envName} is missing from the environment`);
          return value;
        });
    pending.catch(() => cache.delete(id));
    cache.set(id, pending);
  }
  return pending;
}
