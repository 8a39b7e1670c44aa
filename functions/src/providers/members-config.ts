/**
 * The stage's member configuration (points and levels), as the functions see it: `members/<stage>.yaml`, bundled
 * with every function (serverless.yml `package.patterns`) like the campaign files. No file = every default
 * (shared/src/members/config.ts); a file that fails the schema keeps the last good configuration live (and, with none
 * yet, answers CAMPAIGN_CONFIG_INVALID rather than guessing). Locally the file is looked at again at most once a
 * second, so `npm start` picks up an edit; in a Lambda it is read once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MEMBERS_CONFIG, DomainError, type MembersConfig } from '@shop/shared';
import { parseMembersConfig } from '../../../shared/src/members/config-file';
import { config } from '../lib/config';
import { logger } from '../lib/http';

/** MEMBERS_DIR when set (tests), else `members/` beside the function code in a Lambda, else under the working directory. */
function membersFile(env: NodeJS.ProcessEnv, stage: string): string {
  const dirs = [env.MEMBERS_DIR, env.LAMBDA_TASK_ROOT && path.join(env.LAMBDA_TASK_ROOT, 'members'), path.join(process.cwd(), 'members')];
  const dir = dirs.find((d) => d && fs.existsSync(d)) ?? env.MEMBERS_DIR ?? path.join(process.cwd(), 'members');
  return path.join(dir, `${stage}.yaml`);
}

interface State {
  file: string;
  reloadMs: number;
  checkedAt: number;
  signature?: string;
  good?: MembersConfig;
}
let state: State | undefined;

function refresh(s: State, now: number): void {
  if (now - s.checkedAt < s.reloadMs) return;
  s.checkedAt = now;
  let signature = 'missing';
  let text: string | null = null;
  try {
    const st = fs.statSync(s.file);
    signature = `${st.mtimeMs}:${st.size}`;
    if (signature !== s.signature) text = fs.readFileSync(s.file, 'utf8');
  } catch {
    // No file: the defaults.
  }
  if (signature === s.signature) return;
  s.signature = signature;
  if (text === null) {
    s.good = DEFAULT_MEMBERS_CONFIG;
    return;
  }
  const result = parseMembersConfig(text, path.relative(process.cwd(), s.file));
  if (!result.ok) {
    logger.error('member configuration rejected; the last good one stays live', { errors: result.errors });
    return;
  }
  s.good = result.config;
}

/** The live member configuration of this container. */
export function membersConfig(): MembersConfig {
  const stage = config().stage;
  state ??= {
    file: membersFile(process.env, stage),
    reloadMs: stage === 'local' ? 1000 : Infinity,
    checkedAt: -Infinity,
  };
  refresh(state, Date.now());
  if (!state.good) throw new DomainError('CAMPAIGN_CONFIG_INVALID', '会员配置有误，请稍后再试');
  return state.good;
}

/** Tests point the process at another members folder between files. */
export function resetMembersConfig(): void {
  state = undefined;
}
