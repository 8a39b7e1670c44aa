import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.resolve(import.meta.dirname, '../../artifacts/e2e');

/** A fresh Chromium profile with a phone-sized viewport; the closed network here needs the background traffic off. */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Saves a numbered screenshot of the current step for a reviewer to look at. */
export function stepShots(story: string) {
  let n = 0;
  // A run's screenshots replace the previous run's, so the folder always shows one story.
  fs.rmSync(path.join(SHOTS, story), { recursive: true, force: true });
  fs.mkdirSync(path.join(SHOTS, story), { recursive: true });
  return async (page: Page, step: string) => {
    n += 1;
    await page.screenshot({ path: path.join(SHOTS, story, `${String(n).padStart(2, '0')}-${step}.png`) });
  };
}
