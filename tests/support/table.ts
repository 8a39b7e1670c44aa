import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { ensureTable, localClient } from '../../scripts/lib/dynamodb-local';
import { generateLocalSecrets } from '../../scripts/lib/local-secrets';
import { resetConfig } from '../../functions/src/lib/config';
import { resetDb } from '../../functions/src/lib/dynamo';
import { resetSecrets } from '../../functions/src/lib/secrets';
import { resetCampaignConfig } from '../../functions/src/providers/campaign-config';

/**
 * A campaign folder for a test: `<dir>/local/<name>` for each file given (an empty stage when none are), so prices in
 * a test never depend on what campaigns/local happens to run today.
 */
export function campaignFolder(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-campaigns-'));
  fs.mkdirSync(path.join(dir, 'local'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'local', name), text);
  return dir;
}

export const TEST_APP_ID = 'wxtest0000000001';
export const TEST_MCH_ID = '1900000099';
/** Where the tests' stage says its H5 shop is served: the start of every link the server makes. */
export const TEST_WEB_BASE_URL = 'https://shop.example.com';

/**
 * Points this test file's process at a fresh table in the shared DynamoDB Local, with the local stage's settings
 * (sandbox WeChat), freshly generated keys and no campaigns unless CAMPAIGNS_DIR names a folder (campaignFolder).
 * Call in beforeAll, before anything touches DynamoDB.
 */
export async function freshTable(extraEnv: Record<string, string> = {}): Promise<{ tableName: string; env: Record<string, string> }> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = {
    STAGE: 'local',
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    WECHAT_SANDBOX: 'true',
    WECHAT_APP_ID: TEST_APP_ID,
    WECHAT_MCH_ID: TEST_MCH_ID,
    WECHAT_NOTIFY_URL: 'http://127.0.0.1:9/v1/pay/notify',
    WEB_BASE_URL: TEST_WEB_BASE_URL,
    PAYMENT_WINDOW_MS: String(15 * 60 * 1000),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'SILENT',
    AWS_REGION: 'local',
    ...generateLocalSecrets(),
    CAMPAIGNS_DIR: extraEnv.CAMPAIGNS_DIR ?? campaignFolder(),
    ...extraEnv,
  };
  Object.assign(process.env, env);
  delete process.env.SECRETS_SSM_PREFIX;
  resetConfig();
  resetCampaignConfig();
  resetSecrets();
  resetDb();
  await ensureTable(localClient(endpoint), tableName);
  return { tableName, env };
}
