/**
 * The stage's profiles configuration (event retention, interest decay, RFM and lifecycle thresholds, segments), as the
 * functions see it: `profiles/<stage>.yaml`, bundled with every function (serverless.yml `package.patterns`) like the
 * member file. No file = every default (shared/src/profiles/config.ts); a file that fails the schema keeps the last
 * good configuration (the defaults when none was good yet) and logs why. Locally the file is looked at again at most
 * once a second, so `npm start` picks up an edit; in a Lambda it is read once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_PROFILES_CONFIG, type ProfilesConfig } from '@shop/shared';
import { parseProfilesConfig } from '../../../shared/src/profiles/config-file';
import { config } from '../lib/config';
import { logger } from '../lib/http';

/** PROFILES_DIR when set (tests), else `profiles/` beside the function code in a Lambda, else under the working directory. */
function profilesFile(env: NodeJS.ProcessEnv, stage: string): string {
  const dirs = [env.PROFILES_DIR, env.LAMBDA_TASK_ROOT && path.join(env.LAMBDA_TASK_ROOT, 'profiles'), path.join(process.cwd(), 'profiles')];
  const dir = dirs.find((d) => d && fs.existsSync(d)) ?? env.PROFILES_DIR ?? path.join(process.cwd(), 'profiles');
  return path.join(dir, `${stage}.yaml`);
}

let state: { file: string; reloadMs: number; checkedAt: number; signature?: string; good: ProfilesConfig } | undefined;

/** The live profiles configuration of this container. */
export function profilesConfig(): ProfilesConfig {
  const stage = config().stage;
  state ??= { file: profilesFile(process.env, stage), reloadMs: stage === 'local' ? 1000 : Infinity, checkedAt: -Infinity, good: DEFAULT_PROFILES_CONFIG };
  const now = Date.now();
  if (now - state.checkedAt < state.reloadMs) return state.good;
  state.checkedAt = now;
  let signature = 'missing';
  try {
    const st = fs.statSync(state.file);
    signature = `${st.mtimeMs}:${st.size}`;
  } catch {
    // No file: the defaults.
  }
  if (signature === state.signature) return state.good;
  state.signature = signature;
  if (signature === 'missing') return (state.good = DEFAULT_PROFILES_CONFIG);
  const result = parseProfilesConfig(fs.readFileSync(state.file, 'utf8'), path.relative(process.cwd(), state.file));
  if (result.ok) state.good = result.config;
  else logger.error('profiles configuration rejected; the last good one stays live', { errors: result.errors });
  return state.good;
}
