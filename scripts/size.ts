/**
 * Package sizes, as one JSON line:
 *   {"weappMainKB":…, "weappTotalKB":…, "subpackagesKB":{"packageProduct":…}, "functionsStage":"prod",
 *    "functionsKB":{"addCartLine":…, … every function}, "functionsWithSandbox":{}}
 * The weapp main package is every file of miniapp/dist/weapp outside the subpackage roots listed in its app.json
 * (WeChat's limit: 2 MB, this project's budget: 1024 KB). Function sizes are the zips in .serverless/ (if packaged:
 * `npx osls package --stage prod`); functionsWithSandbox names, per zip, the WeChat sandbox modules its bundled code
 * carries (each has a `SANDBOX_MODULE = 'shop-sandbox-module:…'` marker): none outside the local stage.
 *
 * Usage: npx tsx scripts/size.ts [--check] [--functions <dir>]
 *   --check exits 1 when a package or bundle is over its budget, or a production zip carries sandbox code.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const MAIN_BUDGET_KB = 1024;
/** WeChat refuses a subpackage over 2 MB. */
const SUBPACKAGE_BUDGET_KB = 2048;
/** Each function's deployment zip (the minified bundle and the stage's campaign files): cold starts grow with it. */
const FUNCTION_BUDGET_KB = 700;
/** Found in a bundle that carries one of the WeChat sandboxes (the prefix of every sandbox module's marker). */
const SANDBOX_MARKER = /shop-sandbox-module:[\w/-]+/g;
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const weappDir = join(root, 'miniapp', 'dist', 'weapp');
/** `--functions <dir>` reads the zips of `osls package --package <dir>` instead. */
const dirArg = process.argv.indexOf('--functions');
const serverlessDir = dirArg > 0 && process.argv[dirArg + 1] ? resolve(process.argv[dirArg + 1]) : join(root, '.serverless');

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

/** The files of a zip archive (stored or deflated entries, as osls writes them), by name. */
function unzip(zip: Buffer): Map<string, Buffer> {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported zip compression ${method}`);
    files.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

/** The stage .serverless/ was packaged for, from osls's own record of it. */
function packagedStage(): string | null {
  try {
    const state = JSON.parse(readFileSync(join(serverlessDir, 'serverless-state.json'), 'utf8'));
    return state.service?.provider?.stage ?? null;
  } catch {
    return null;
  }
}

function functionSizes(): { sizes: Record<string, number>; sandbox: Record<string, string[]> } {
  const sizes: Record<string, number> = {};
  const sandbox: Record<string, string[]> = {};
  if (!existsSync(serverlessDir)) return { sizes, sandbox };
  for (const name of readdirSync(serverlessDir).sort()) {
    if (!name.endsWith('.zip')) continue;
    const fn = name.replace(/\.zip$/, '');
    const zip = readFileSync(join(serverlessDir, name));
    sizes[fn] = kb(zip.length);
    const found = new Set<string>();
    for (const [file, data] of unzip(zip)) {
      if (!/\.(c|m)?js$/.test(file)) continue;
      for (const m of data.toString('utf8').matchAll(SANDBOX_MARKER)) found.add(m[0].slice('shop-sandbox-module:'.length));
    }
    if (found.size) sandbox[fn] = [...found].sort();
  }
  return { sizes, sandbox };
}

const weapp = weappSizes();
const functions = functionSizes();
const stage = packagedStage();
const result = {
  weappMainKB: weapp?.weappMainKB ?? null,
  weappTotalKB: weapp?.weappTotalKB ?? null,
  subpackagesKB: weapp?.subpackagesKB ?? {},
  functionsStage: stage,
  functionsKB: functions.sizes,
  functionsWithSandbox: functions.sandbox,
};
console.log(JSON.stringify(result));

if (process.argv.includes('--check')) {
  const over: string[] = [];
  if (!weapp) over.push(`no weapp build at ${relative(root, weappDir)} (run: cd miniapp && npx taro build --type weapp)`);
  else {
    if (weapp.weappMainKB > MAIN_BUDGET_KB) over.push(`weapp main package is ${weapp.weappMainKB} KB, over the ${MAIN_BUDGET_KB} KB budget`);
    for (const [name, size] of Object.entries(weapp.subpackagesKB)) {
      if (size > SUBPACKAGE_BUDGET_KB) over.push(`subpackage ${name} is ${size} KB, over WeChat's ${SUBPACKAGE_BUDGET_KB} KB limit`);
    }
  }
  const zips = Object.entries(result.functionsKB);
  if (zips.length === 0) over.push('no function bundles in .serverless/ (run: npx osls package --stage prod)');
  for (const [name, size] of zips) {
    if (size > FUNCTION_BUDGET_KB) over.push(`function ${name} is ${size} KB, over the ${FUNCTION_BUDGET_KB} KB budget`);
  }
  if (zips.length && stage !== 'prod') over.push(`${relative(root, serverlessDir) || serverlessDir} holds the "${stage}" stage's zips, not production's (run: npx osls package --stage prod)`);
  for (const [name, modules] of Object.entries(functions.sandbox)) {
    over.push(`function ${name} carries WeChat sandbox code (${modules.join(', ')}); only the local stage's bundles may`);
  }
  for (const line of over) console.error(`size check: ${line}`);
  if (over.length) process.exit(1);
  console.error(
    `size check: ok (weapp main ≤ ${MAIN_BUDGET_KB} KB, subpackages ≤ ${SUBPACKAGE_BUDGET_KB} KB, ${zips.length} production functions ≤ ${FUNCTION_BUDGET_KB} KB, none with sandbox code)`,
  );
}
