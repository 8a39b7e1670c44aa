/**
 * A stage's YAML configuration file as the functions see it (`<folder>/<stage>.yaml`: members, profiles, reviews),
 * bundled with every function (serverless.yml `package.patterns`) like the campaign files. No file = every default; a
 * file that fails its schema keeps the last good configuration live and logs why (with none good yet: the defaults,
 * or an error when the caller says guessing is wrong). Locally the file is looked at again at most once a second, so
 * `npm start` picks up an edit; in a Lambda it is read once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../lib/config';
import { logger } from '../lib/http';

type Parsed<T> = { ok: true; config: T } | { ok: false; errors: string[] };

export interface StageFileSpec<T> {
  /** The folder beside the function code (`members`); `<FOLDER>_DIR` in the environment points elsewhere (tests). */
  folder: string;
  defaults: T;
  parse: (text: string, file: string) => Parsed<T>;
  /** What the log calls it (`member configuration`). */
  what: string;
  /** With no good file yet: throw this instead of answering the defaults. */
  refuseWithoutGood?: () => Error;
}

/** `<FOLDER>_DIR` when set, else the folder beside the function code in a Lambda, else under the working directory. */
function stageFile(folder: string, env: NodeJS.ProcessEnv, stage: string): string {
  const override = env[`${folder.toUpperCase()}_DIR`];
  const dirs = [override, env.LAMBDA_TASK_ROOT && path.join(env.LAMBDA_TASK_ROOT, folder), path.join(process.cwd(), folder)];
  const dir = dirs.find((d) => d && fs.existsSync(d)) ?? override ?? path.join(process.cwd(), folder);
  return path.join(dir, `${stage}.yaml`);
}

/** The live configuration of one stage file: `get()` answers it, `reset()` forgets it (tests switch folders). */
export function stageFileConfig<T>(spec: StageFileSpec<T>): { get(): T; reset(): void } {
  let state: { file: string; reloadMs: number; checkedAt: number; signature?: string; good?: T } | undefined;
  const refresh = (now: number) => {
    const s = state!;
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
      s.good = spec.defaults;
      return;
    }
    const result = spec.parse(text, path.relative(process.cwd(), s.file));
    if (result.ok) s.good = result.config;
    else {
      logger.error(`${spec.what} rejected; the last good one stays live`, { file: s.file, errors: result.errors });
      if (!spec.refuseWithoutGood) s.good ??= spec.defaults;
    }
  };
  return {
    get() {
      const stage = config().stage;
      state ??= { file: stageFile(spec.folder, process.env, stage), reloadMs: stage === 'local' ? 1000 : Infinity, checkedAt: -Infinity };
      refresh(Date.now());
      if (state.good === undefined) throw spec.refuseWithoutGood!();
      return state.good;
    },
    reset() {
      state = undefined;
    },
  };
}
