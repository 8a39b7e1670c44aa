/**
 * `npm run lighthouse`: Lighthouse on the H5 shop at mobile settings (Lighthouse's default: a mid-range phone on slow
 * 4G, simulated). Builds the H5 app into miniapp/dist/h5-lighthouse (`--no-build` reuses it), starts the local stack (in-memory data)
 * and serves the build through scripts/lib/web-server.ts, audits 首页 and a
 * product page with Debian's Chromium, and prints ONE JSON line:
 *
 *   {"pages":{"home":{"performance":97,"accessibility":95,"bestPractices":100,"lcpMs":1650,"tbtMs":40,"cls":0.001},…}}
 *
 * Progress goes to stderr. `--verbose` also lists every failed audit per page (what to fix).
 * Goal (docs/performance.md): performance ≥ 90, accessibility ≥ 90, LCP ≤ 2.5 s.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { freePort } from './lib/dynamodb-local';
import { ROOT, startStack } from './lib/stack';
import { startWebServer } from './lib/web-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = new Set(process.argv.slice(2));
const log = (line: string) => process.stderr.write(`${line}\n`);

interface PageScore {
  performance: number;
  accessibility: number;
  bestPractices: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
}

/** The H5 app built into a folder of its own (other builds of dist/h5 may run at the same time). */
const H5_OUT = path.join(ROOT, 'miniapp/dist/h5-lighthouse');

function buildH5(): void {
  log('building the H5 app…');
  const r = spawnSync('npx', ['taro', 'build', '--type', 'h5'], {
    cwd: path.join(ROOT, 'miniapp'),
    env: { ...process.env, NODE_ENV: 'production', SHOP_API_BASE: '', SHOP_ASSET_BASE: '', SHOP_H5_OUT: 'dist/h5-lighthouse' },
    stdio: ['ignore', 2, 2],
  });
  if (r.status !== 0) throw new Error(`H5 build failed (${r.status})`);
}

async function main(): Promise<void> {
  if (!args.has('--no-build') || !fs.existsSync(path.join(H5_OUT, 'index.html'))) buildH5();
  const stack = await startStack({ dataDir: null, web: false, jobs: false, log });
  const webPort = await freePort();
  const web = await startWebServer({ port: webPort, h5Dir: H5_OUT, imagesDir: path.join(ROOT, 'assets/catalog-images'), apiPort: Number(new URL(stack.apiUrl).port) });
  const webUrl = `http://localhost:${webPort}`;
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const { products } = await import('./seed/catalog-data');
    const product = products.find((p) => p.onShelf) ?? products[0]!;
    const pages: Record<string, string> = {
      home: `${webUrl}/#/pages/index/index`,
      product: `${webUrl}/#/packageProduct/pages/detail/index?id=${product.id}`,
    };
    const out: Record<string, PageScore> = {};
    const problems: Record<string, string[]> = {};
    for (const [name, url] of Object.entries(pages)) {
      // One unmeasured visit first: the API's workers and the server's compressed bytes are warm for the real one.
      await lighthouse(url, { port: chrome.port, logLevel: 'error', output: 'json', onlyCategories: ['performance'] });
      log(`lighthouse: ${name} (${url})`);
      const result = await lighthouse(url, {
        port: chrome.port,
        logLevel: 'error',
        output: 'json',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      });
      const lhr = result!.lhr;
      if (lhr.runtimeError) throw new Error(`Lighthouse could not measure ${name}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      const metric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
      out[name] = {
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        lcpMs: Math.round(metric('largest-contentful-paint')),
        tbtMs: Math.round(metric('total-blocking-time')),
        cls: Math.round(metric('cumulative-layout-shift') * 1000) / 1000,
      };
      problems[name] = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
        .map((a) => {
          // For accessibility findings, the elements Lighthouse names (what to fix).
          const items = ((a.details as { items?: { node?: { snippet?: string; explanation?: string } }[] } | undefined)?.items ?? [])
            .map((i) => i.node?.snippet)
            .filter(Boolean)
            .slice(0, 6);
          return `${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}${items.length ? `\n      ${items.join('\n      ')}` : ''}`;
        });
    }
    if (args.has('--verbose')) for (const [name, list] of Object.entries(problems)) log(`${name}:\n  ${list.join('\n  ')}`);
    process.stdout.write(`${JSON.stringify({ pages: out })}\n`);
  } finally {
    await chrome.kill();
    web.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    log(`lighthouse failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
