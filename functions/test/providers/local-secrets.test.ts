import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicKey } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateLocalSecrets, LOCAL_SECRET_NAMES, loadOrCreateLocalSecrets } from '../../../scripts/lib/local-secrets';
import { secretsFromEnv } from '../../src/lib/secrets';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-secrets-'));
  dirs.push(dir);
  return path.join(dir, '.local', 'secrets.json');
}

describe('local secrets', () => {
  it('generates every variable the functions read, in the formats WeChat uses', () => {
    const s = generateLocalSecrets();

    expect(Object.keys(s).sort()).toEqual([...LOCAL_SECRET_NAMES].sort());
    expect(s.JWT_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(s.WXPAY_API_V3_KEY).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(s.WXPAY_MCH_SERIAL).toMatch(/^[0-9A-F]{40}$/);
    expect(s.SANDBOX_PLATFORM_SERIAL).toMatch(/^[0-9A-F]{40}$/);
    expect(s.WXPAY_MCH_PRIVATE_KEY).toContain('-----BEGIN PRIVATE KEY-----');
    const platform = JSON.parse(s.WXPAY_PLATFORM_PUBLIC_KEYS);
    expect(Object.keys(platform)).toEqual([s.SANDBOX_PLATFORM_SERIAL]);
    expect(createPublicKey(platform[s.SANDBOX_PLATFORM_SERIAL]).equals(createPublicKey(s.SANDBOX_PLATFORM_PRIVATE_KEY))).toBe(true);
    expect(createPublicKey(s.WXPAY_MCH_PRIVATE_KEY).asymmetricKeyDetails?.modulusLength).toBe(2048);

    const loaded = secretsFromEnv(s);
    expect(loaded.apiV3Key).toBe(s.WXPAY_API_V3_KEY);
    expect(generateLocalSecrets().JWT_SECRET).not.toBe(s.JWT_SECRET);
  });

  it('creates the file readable by its owner only and keeps the same keys across restarts', () => {
    const file = tempFile();

    const first = loadOrCreateLocalSecrets(file);
    const second = loadOrCreateLocalSecrets(file);

    expect(second).toEqual(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('regenerates a missing variable together with the ones it must match', () => {
    const file = tempFile();
    const first = loadOrCreateLocalSecrets(file);
    const { SANDBOX_PLATFORM_SERIAL: _dropped, ...rest } = first;
    fs.writeFileSync(file, JSON.stringify(rest));

    const repaired = loadOrCreateLocalSecrets(file);

    expect(repaired.JWT_SECRET).toBe(first.JWT_SECRET);
    expect(repaired.WXPAY_MCH_PRIVATE_KEY).toBe(first.WXPAY_MCH_PRIVATE_KEY);
    expect(repaired.SANDBOX_PLATFORM_PRIVATE_KEY).not.toBe(first.SANDBOX_PLATFORM_PRIVATE_KEY);
    expect(Object.keys(JSON.parse(repaired.WXPAY_PLATFORM_PUBLIC_KEYS))).toEqual([repaired.SANDBOX_PLATFORM_SERIAL]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(repaired);
  });
});
