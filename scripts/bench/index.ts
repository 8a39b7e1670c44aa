/**
 * `npm run bench -- <name>`: prints one JSON line per benchmark. With no name, runs them all.
 * Benchmarks measure; they never fail a build on a number.
 */
import { benchCheckout } from './checkout';
import { benchNotify } from './notify';
import { benchQuote } from './quote';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  checkout: benchCheckout,
  notify: benchNotify,
  quote: benchQuote,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(JSON.stringify({ ...(await bench()), at: new Date().toISOString() }));
}
process.exit(0);
