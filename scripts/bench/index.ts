/**
 * `npm run bench -- <name> [<name>…]`: prints one JSON line per benchmark. With no name, runs them all.
 * Each benchmark runs in a process of its own (its own local stack and clients), one after another.
 * Benchmarks measure; they never fail a build on a number.
 */
import { spawnSync } from 'node:child_process';
import { benchCheckout } from './checkout';
import { benchCold } from './cold';
import { benchGroupHotspot } from './group-hotspot';
import { benchNotify } from './notify';
import { benchPoints } from './points';
import { benchQuote } from './quote';
import { benchRecs } from './recs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  checkout: benchCheckout,
  cold: benchCold,
  'group-hotspot': benchGroupHotspot,
  notify: benchNotify,
  points: benchPoints,
  quote: benchQuote,
  recs: benchRecs,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHES);
const unknown = names.filter((n) => !BENCHES[n]);
if (unknown.length) {
  console.error(`unknown benchmark "${unknown.join(', ')}"; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
if (names.length === 1) {
  console.log(JSON.stringify({ ...(await BENCHES[names[0]]()), at: new Date().toISOString() }));
} else {
  for (const name of names) {
    const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1], name], { stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}
process.exit(0);
