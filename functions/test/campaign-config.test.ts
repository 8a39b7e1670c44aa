import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../src/lib/config';
import { campaignsDir, createCampaignConfigProvider, type CampaignLog } from '../src/providers/campaign-config';
import { validateCampaignPush } from '../src/handlers/campaign-push';

/** A stage file with one 满减 campaign; `offFen` makes each version distinguishable (and 9999 ≥ threshold breaks it). */
const promotions = (id: string, offFen = 1000) => `campaigns:
  - id: ${id}
    name: 测试满减
    type: spend_and_save
    window: { start: 2026-01-01 00:00, end: 2030-01-01 00:00 }
    tiers:
      - { thresholdFen: 9900, offFen: ${offFen} }
`;
const BROKEN_YAML = 'campaigns:\n  - id: x\n   name: 缩进错了\n';

const pushed = (files: Record<string, string>) =>
  JSON.stringify({ files: Object.entries(files).map(([name, text]) => ({ path: `campaigns/prod/${name}`, text })) });

function stageDir(stage: string, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-config-'));
  fs.mkdirSync(path.join(dir, stage));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, stage, name), text);
  return dir;
}

function recordingLog() {
  const lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const log: CampaignLog = {
    error: (message, extra) => lines.push({ level: 'error', message, extra }),
    warn: (message, extra) => lines.push({ level: 'warn', message, extra }),
    info: (message, extra) => lines.push({ level: 'info', message, extra }),
  };
  return { log, lines };
}

const ids = async (p: { current(): Promise<{ config: { campaigns: { id: string }[] } }> }) => (await p.current()).config.campaigns.map((c) => c.id);

describe('campaign configuration pushed through AppConfig', () => {
  it('keeps the last good push live when a broken one arrives, and applies the next good one', async () => {
    let clock = 1_000;
    let document = pushed({ 'promotions.yaml': promotions('pushed-1') });
    const { log, lines } = recordingLog();
    const provider = createCampaignConfigProvider({
      stage: 'prod',
      dir: stageDir('prod', { 'promotions.yaml': promotions('bundled') }),
      reloadCheckMs: Infinity,
      appConfig: { fetch: async () => document, maxAgeMs: 60_000 },
      now: () => clock,
      log,
    });
    expect(await provider.current()).toMatchObject({ source: 'appconfig', config: { campaigns: [{ id: 'pushed-1' }] } });

    // An operator pushes a broken file: within the max age nothing is fetched, after it the push is judged and refused.
    document = pushed({ 'promotions.yaml': promotions('pushed-2', 9999) });
    expect(await ids(provider)).toEqual(['pushed-1']);
    clock += 60_000;
    expect(await ids(provider)).toEqual(['pushed-1']);
    const refused = lines.find((l) => l.level === 'error')!;
    expect(refused.message).toMatch(/rejected; the last good configuration stays live/);
    expect(refused.extra?.errors).toEqual(['campaigns/prod/promotions.yaml: pushed-2: tiers[0].offFen: 减免金额应小于门槛（¥99）']);

    // A YAML syntax error and a document of the wrong shape are refused the same way.
    for (const bad of [pushed({ 'promotions.yaml': BROKEN_YAML }), '{"campaigns": []}', 'not json']) {
      document = bad;
      clock += 60_000;
      expect(await ids(provider)).toEqual(['pushed-1']);
    }
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(4);

    document = pushed({ 'promotions.yaml': promotions('pushed-3') });
    clock += 60_000;
    expect(await ids(provider)).toEqual(['pushed-3']);
  });

  it('uses the bundled files until a push validates, and while AppConfig cannot be reached', async () => {
    let clock = 0;
    let fetch: () => Promise<string | undefined> = async () => pushed({ 'promotions.yaml': BROKEN_YAML });
    const { log, lines } = recordingLog();
    const provider = createCampaignConfigProvider({
      stage: 'prod',
      dir: stageDir('prod', { 'promotions.yaml': promotions('bundled') }),
      reloadCheckMs: Infinity,
      appConfig: { fetch: () => fetch(), maxAgeMs: 60_000 },
      now: () => clock,
      log,
    });
    expect(await provider.current()).toMatchObject({ source: 'bundled', config: { campaigns: [{ id: 'bundled' }] } });
    fetch = async () => {
      throw new Error('network down');
    };
    clock += 60_000;
    expect(await provider.current()).toMatchObject({ source: 'bundled' });
    expect(lines.map((l) => l.level)).toEqual(['error', 'warn']);
    // Nothing pushed yet (AppConfig answers with no content): the bundled files stay.
    fetch = async () => undefined;
    clock += 60_000;
    expect(await provider.current()).toMatchObject({ source: 'bundled' });
  });

  it('lets AppConfig reject a push with the campaigns:check messages before it is deployed', async () => {
    Object.assign(process.env, { STAGE: 'prod', TABLE_NAME: 't', WECHAT_APP_ID: 'wx1', WECHAT_MCH_ID: '1', WECHAT_NOTIFY_URL: 'https://x.invalid/n', WEB_BASE_URL: 'https://shop.example.com' });
    resetConfig();
    const content = (doc: string) => ({ content: Buffer.from(doc).toString('base64') });
    await expect(validateCampaignPush(content(pushed({ 'promotions.yaml': promotions('good') })))).resolves.toBeUndefined();
    await expect(validateCampaignPush(content(pushed({ 'promotions.yaml': promotions('bad', 9999) })))).rejects.toThrow(
      'campaigns/prod/promotions.yaml: bad: tiers[0].offFen: 减免金额应小于门槛（¥99）',
    );
    await expect(validateCampaignPush(content(pushed({ 'a.yaml': promotions('dup'), 'b.yaml': promotions('dup') })))).rejects.toThrow(
      /campaigns\/prod\/b\.yaml: dup: id: 活动 id "dup" 重复/,
    );
    resetConfig();
  });
});

describe('campaign files on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = stageDir('local', { 'promotions.yaml': promotions('v1') });
  });

  it('reloads the local files when they change, at most once a second, and keeps the last good files through a bad edit', async () => {
    let clock = 0;
    const { log, lines } = recordingLog();
    const provider = createCampaignConfigProvider({ stage: 'local', dir, reloadCheckMs: 1000, now: () => clock, log });
    const file = path.join(dir, 'local', 'promotions.yaml');
    expect(await ids(provider)).toEqual(['v1']);

    fs.writeFileSync(file, promotions('v2-longer'));
    expect(await ids(provider)).toEqual(['v1']); // looked at less than a second ago
    clock += 1000;
    expect(await ids(provider)).toEqual(['v2-longer']);

    fs.writeFileSync(file, BROKEN_YAML);
    clock += 1000;
    expect(await ids(provider)).toEqual(['v2-longer']);
    expect(lines.find((l) => l.level === 'error')?.extra?.errors).toEqual([
      expect.stringMatching(/^campaigns\/local\/promotions\.yaml: -: YAML: 第 3 行/),
    ]);

    fs.writeFileSync(path.join(dir, 'local', 'more.yaml'), promotions('v3'));
    fs.writeFileSync(file, promotions('v2-fixed'));
    clock += 1000;
    expect(await ids(provider)).toEqual(['v3', 'v2-fixed']);
  });

  it('finds the bundled folder beside the function code in a Lambda, or from CAMPAIGNS_DIR', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'task-root-'));
    fs.mkdirSync(path.join(root, 'campaigns', 'prod'), { recursive: true });
    expect(campaignsDir({ LAMBDA_TASK_ROOT: root }, 'prod')).toBe(path.join(root, 'campaigns'));
    expect(campaignsDir({ CAMPAIGNS_DIR: dir, LAMBDA_TASK_ROOT: root }, 'local')).toBe(dir);
    // osls offline sets LAMBDA_TASK_ROOT to /var/task, which does not exist on a laptop: the working copy is used.
    expect(campaignsDir({ LAMBDA_TASK_ROOT: '/var/task' }, 'local')).toBe(path.join(process.cwd(), 'campaigns'));
  });
});
