/**
 * Package sizes, as one JSON line:
 *   {"weappMainKB":…, "weappTotalKB":…, "subpackagesKB":{"packageProduct":…}, "functionsKB":{"api":…}}
 * The weapp main package is every file of miniapp/dist/weapp outside the subpackage roots listed in its app.json
 * (WeChat's limit: 2 MB, this project's budget: 1024 KB). Function sizes are the zips in .serverless/ (if packaged).
 *
 * Usage: npx tsx scripts/size.ts [--check]   (--check exits 1 when a package or bundle is over its budget)
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN_BUDGET_KB = 1024;
/** WeChat refuses a subpackage over 2 MB. */
const SUBPACKAGE_BUDGET_KB = 2048;
/** Each function's deployment zip (bundle + source map): cold starts grow with it. */
const FUNCTION_BUDGET_KB = 1536;
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const weappDir = join(root, 'miniapp', 'dist', 'weapp');
const serverlessDir = join(root, '.serverless');

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

function walk(dir: string): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) out.push(...walk(full));
    else out.push({ path: full, bytes: st.size });
  }
  return out;
}

function weappSizes() {
  if (!existsSync(join(weappDir, 'app.json'))) return null;
  const app = JSON.parse(readFileSync(join(weappDir, 'app.json'), 'utf8')) as {
    subPackages?: { root: string }[];
    subpackages?: { root: string }[];
  };
  const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/+$/, ''));
  const sub: Record<string, number> = Object.fromEntries(roots.map((r) => [r, 0]));
  let main = 0;
  let total = 0;
  for (const f of walk(weappDir)) {
    const rel = relative(weappDir, f.path).split(sep).join('/');
    // project.config.json / project.private.config.json are DevTools settings, not uploaded code.
    if (/^project(\.private)?\.config\.json$/.test(rel)) continue;
    total += f.bytes;
    const owner = roots.find((r) => rel === r || rel.startsWith(`${r}/`));
    if (owner) sub[owner]! += f.bytes;
    else main += f.bytes;
  }
  return {
    weappMainKB: kb(main),
    weappTotalKB: kb(total),
    subpackagesKB: Object.fromEntries(Object.entries(sub).map(([k, v]) => [k, kb(v)])),
  };
}

function functionSizes(): Record<string, number> {
  if (!existsSync(serverlessDir)) return {};
  const out: Record<string, number> = {};
  for (const name of readdirSync(serverlessDir).sort()) {
    if (!name.endsWith('.zip')) continue;
    out[name.replace(/\.zip$/, '')] = kb(statSync(join(serverlessDir, name)).size);
  }
  return out;
}

const weapp = weappSizes();
const result = {
  weappMainKB: weapp?.weappMainKB ?? null,
  weappTotalKB: weapp?.weappTotalKB ?? null,
  subpackagesKB: weapp?.subpackagesKB ?? {},
  functionsKB: functionSizes(),
};
console.log(JSON.stringify(result));

if (process.argv.includes('--check')) {
  if (!weapp) {
    console.error(`size check: no weapp build at ${relative(root, weappDir)} (run: cd miniapp && npx taro build --type weapp)`);
    process.exit(1);
  }
  const over: string[] = [];
  if (weapp.weappMainKB > MAIN_BUDGET_KB) over.push(`weapp main package is ${weapp.weappMainKB} KB, over the ${MAIN_BUDGET_KB} KB budget`);
  for (const [name, size] of Object.entries(weapp.subpackagesKB)) {
    if (size > SUBPACKAGE_BUDGET_KB) over.push(`subpackage ${name} is ${size} KB, over WeChat's ${SUBPACKAGE_BUDGET_KB} KB limit`);
  }
  const functions = Object.entries(result.functionsKB);
  if (functions.length === 0) over.push('no function bundles in .serverless/ (run: npx osls package --stage prod)');
  for (const [name, size] of functions) {
    if (size > FUNCTION_BUDGET_KB) over.push(`function ${name} is ${size} KB, over the ${FUNCTION_BUDGET_KB} KB budget`);
  }
  for (const line of over) console.error(`size check: ${line}`);
  if (over.length) process.exit(1);
  console.error(`size check: ok (weapp main ≤ ${MAIN_BUDGET_KB} KB, subpackages ≤ ${SUBPACKAGE_BUDGET_KB} KB, ${functions.length} functions ≤ ${FUNCTION_BUDGET_KB} KB)`);
}
