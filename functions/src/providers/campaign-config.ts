/**
 * The stage's campaign configuration, as the functions see it.
 *
 * Two sources, one rule: nothing reaches the pricing code unless `validateCampaignFiles` (the same check as
 * `npm run campaigns:check`) accepts it, and a configuration that fails keeps the last good one live.
 * - Bundled: `campaigns/<stage>/*.yaml`, packaged with every function (serverless.yml `package.patterns`), read from
 *   disk. Locally the folder is looked at again at most once a second, so `npm start` picks up an edit without a
 *   restart; in a Lambda the files never change and are read once.
 * - AWS AppConfig (when CAMPAIGNS_APPCONFIG_APP / _ENV / _PROFILE are set): the stage pushed as one JSON document
 *   `{"files": [{"path": "campaigns/prod/coupons.yaml", "text": "<the YAML>"}, …]}`, fetched through the Powertools
 *   Parameters AppConfig provider at most once per max age (60 s). Until a pushed document validates, the bundled
 *   files are used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { DomainError, type CampaignConfig } from '@shop/shared';
import { validateCampaignFiles, type CampaignError, type CampaignFileText } from '../../../shared/src/campaigns/validate';
import { config } from '../lib/config';
import { logger } from '../lib/http';

export interface LoadedCampaigns {
  config: CampaignConfig;
  source: 'bundled' | 'appconfig';
  /** Content hash of what was validated (shows in logs which configuration priced what). */
  version: string;
}

export interface CampaignLog {
  error(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
}

export interface CampaignConfigOptions {
  stage: string;
  /** The folder that holds `<stage>/*.yaml`; null when none was found (no bundled configuration). */
  dir: string | null;
  /** How long a look at the folder stays fresh; Infinity = read once. */
  reloadCheckMs: number;
  /** The AppConfig transport (tests inject one; no AWS is needed to exercise the fallback rules). */
  appConfig?: {
    fetch(): Promise<string | Uint8Array | undefined>;
    maxAgeMs: number;
    /** How long a request waits for a refresh before answering with the configuration it has (default 1.5 s). */
    waitMs?: number;
  };
  now?: () => number;
  log?: CampaignLog;
}

export interface CampaignConfigProvider {
  current(): Promise<LoadedCampaigns>;
  /** Reads the bundled files now (no AppConfig call). */
  loadFiles(): void;
}

const errorLines = (errors: CampaignError[]) => errors.map((e) => `${e.file}: ${e.campaignId ?? '-'}: ${e.field}: ${e.message}`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** What an AppConfig push must look like: the stage's files, each with the path its messages should name. */
function parsePushedDocument(raw: string): { ok: true; files: CampaignFileText[] } | { ok: false; message: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return { ok: false, message: '推送内容不是有效的 JSON（应为 {"files": [{"path": "...", "text": "..."}]}）' };
  }
  const files = (doc as { files?: unknown } | null)?.files;
  if (!Array.isArray(files) || files.length === 0) return { ok: false, message: '推送内容缺少 files 列表' };
  const out: CampaignFileText[] = [];
  for (const [i, f] of files.entries()) {
    const { path: p, text } = (f ?? {}) as { path?: unknown; text?: unknown };
    if (typeof p !== 'string' || typeof text !== 'string') return { ok: false, message: `files[${i}] 应包含字符串 path 与 text` };
    out.push({ path: p, text });
  }
  return { ok: true, files: out };
}

/** Validates a pushed document as the functions will: the AppConfig validator and the provider share it. */
export function validatePushedDocument(raw: string, stage: string): { ok: true; config: CampaignConfig } | { ok: false; errors: string[] } {
  const parsed = parsePushedDocument(raw);
  if (!parsed.ok) return { ok: false, errors: [parsed.message] };
  const result = validateCampaignFiles(parsed.files, { stage });
  return result.ok ? result : { ok: false, errors: errorLines(result.errors) };
}

function readStage(dir: string, stage: string): { signature: string; files: CampaignFileText[] } | null {
  const stageDir = path.join(dir, stage);
  let names: string[];
  try {
    names = fs.readdirSync(stageDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return null;
  }
  const stats = names.map((f) => fs.statSync(path.join(stageDir, f)));
  const signature = names.map((f, i) => `${f}:${stats[i].mtimeMs}:${stats[i].size}`).join('|');
  return {
    signature,
    files: names.map((f) => ({ path: `campaigns/${stage}/${f}`, text: fs.readFileSync(path.join(stageDir, f), 'utf8') })),
  };
}

export function createCampaignConfigProvider(options: CampaignConfigOptions): CampaignConfigProvider {
  const now = options.now ?? Date.now;
  const log = options.log ?? logger;
  const bundled: { signature?: string; good?: LoadedCampaigns; checkedAt: number } = { checkedAt: -Infinity };
  const pushed: { raw?: string; good?: LoadedCampaigns; nextFetchAt: number; inFlight?: Promise<void> } = { nextFetchAt: -Infinity };

  const refreshFiles = () => {
    if (options.dir === null) return;
    const at = now();
    if (at - bundled.checkedAt < options.reloadCheckMs) return;
    bundled.checkedAt = at;
    const stage = readStage(options.dir, options.stage);
    if (!stage) {
      if (bundled.signature !== 'missing') log.error('campaign folder missing; no bundled campaigns', { dir: path.join(options.dir, options.stage) });
      bundled.signature = 'missing';
      return;
    }
    if (stage.signature === bundled.signature) return;
    bundled.signature = stage.signature;
    const result = validateCampaignFiles(stage.files, { stage: options.stage });
    if (!result.ok) {
      log.error('campaign files rejected; the last good configuration stays live', { errors: errorLines(result.errors) });
      return;
    }
    const version = `bundled:${hash(stage.files.map((f) => `${f.path}\n${f.text}`).join('\n'))}`;
    if (bundled.good) log.info('campaign files reloaded', { version });
    bundled.good = { config: result.config, source: 'bundled', version };
  };

  const fetchPushed = async () => {
    const appConfig = options.appConfig!;
    try {
      const value = await appConfig.fetch();
      if (value === undefined) return;
      const raw = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
      // The same document comes back on every poll until the next push: judge it once.
      if (raw === pushed.raw) return;
      pushed.raw = raw;
      const result = validatePushedDocument(raw, options.stage);
      if (!result.ok) {
        log.error('pushed campaign configuration rejected; the last good configuration stays live', {
          errors: result.errors,
          live: (pushed.good ?? bundled.good)?.version,
        });
        return;
      }
      pushed.good = { config: result.config, source: 'appconfig', version: `appconfig:${hash(raw)}` };
      log.info('pushed campaign configuration applied', { version: pushed.good.version });
    } catch (e) {
      log.warn('AppConfig not reachable; the last good campaign configuration stays live', { error: e as Error });
    }
  };

  return {
    loadFiles: refreshFiles,
    async current() {
      refreshFiles();
      if (options.appConfig && now() >= pushed.nextFetchAt) {
        pushed.nextFetchAt = now() + options.appConfig.maxAgeMs;
        pushed.inFlight ??= fetchPushed().finally(() => (pushed.inFlight = undefined));
      }
      if (pushed.inFlight) {
        // A slow AppConfig must not hold a checkout: past a short wait the last good configuration answers, and the
        // fetch finishes in the background.
        if (pushed.good ?? bundled.good) await Promise.race([pushed.inFlight, sleep(options.appConfig?.waitMs ?? 1500)]);
        else await pushed.inFlight;
      }
      const live = pushed.good ?? bundled.good;
      if (!live) throw new DomainError('CAMPAIGN_CONFIG_INVALID');
      return live;
    },
  };
}

/**
 * Where the bundled files are: CAMPAIGNS_DIR when set (tests, npm start), else `campaigns/` beside the function code
 * in a Lambda (LAMBDA_TASK_ROOT), else under the working directory (osls offline runs from the repository root).
 */
export function campaignsDir(env: NodeJS.ProcessEnv, stage: string): string | null {
  const candidates = [env.CAMPAIGNS_DIR, env.LAMBDA_TASK_ROOT && path.join(env.LAMBDA_TASK_ROOT, 'campaigns'), path.join(process.cwd(), 'campaigns')];
  for (const dir of candidates) if (dir && fs.existsSync(path.join(dir, stage))) return dir;
  return env.CAMPAIGNS_DIR || null;
}

function appConfigFromEnv(env: NodeJS.ProcessEnv): CampaignConfigOptions['appConfig'] {
  const application = env.CAMPAIGNS_APPCONFIG_APP;
  const environment = env.CAMPAIGNS_APPCONFIG_ENV;
  const profile = env.CAMPAIGNS_APPCONFIG_PROFILE;
  if (!application || !environment || !profile) return undefined;
  const maxAgeS = Number(env.CAMPAIGNS_APPCONFIG_MAX_AGE_S || 60);
  let provider: Promise<{ get(name: string, options: { maxAge: number }): Promise<unknown> }> | undefined;
  return {
    maxAgeMs: maxAgeS * 1000,
    async fetch() {
      provider ??= import('@aws-lambda-powertools/parameters/appconfig').then(
        ({ AppConfigProvider }) => new AppConfigProvider({ application, environment }),
      );
      return (await (await provider).get(profile, { maxAge: maxAgeS })) as Uint8Array | undefined;
    },
  };
}

function campaignConfigOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CampaignConfigOptions {
  const stage = config().stage;
  const reload = env.CAMPAIGNS_RELOAD_MS;
  return {
    stage,
    dir: campaignsDir(env, stage),
    // Only a developer's folder changes under a running function.
    reloadCheckMs: reload !== undefined && reload !== '' ? Number(reload) : stage === 'local' ? 1000 : Infinity,
    appConfig: appConfigFromEnv(env),
  };
}

let shared: CampaignConfigProvider | undefined;

/** The live campaign configuration of this container. */
export function campaignConfig(): Promise<LoadedCampaigns> {
  shared ??= createCampaignConfigProvider(campaignConfigOptionsFromEnv());
  return shared.current();
}

/**
 * Reads the bundled files when a function's code is loaded, so a local worker holds a good configuration before
 * anyone edits the files (a worker whose first read meets a broken edit has nothing to fall back to). AppConfig is
 * not called here: handler files are shared by functions that have no permission to read it.
 */
export function preloadCampaignConfig(): void {
  try {
    shared ??= createCampaignConfigProvider(campaignConfigOptionsFromEnv());
    shared.loadFiles();
  } catch {
    // No stage configuration yet (tests import handlers before setting it): the first request loads instead.
  }
}

/** Tests point the process at another campaign folder between files. */
export function resetCampaignConfig(): void {
  shared = undefined;
}
