/**
 * How every function is bundled, per stage: serverless.yml hands this file to serverless-esbuild
 * (`custom.esbuild.config`), and `npm run bench -- cold` builds the same bundles from `esbuildOptions`.
 *
 * - The WeChat sandboxes (login, pay, mini-program APIs) are in the local stage's bundles only. Elsewhere
 *   `process.env.SHOP_SANDBOX_BUILD` is defined as "false", which makes the providers' `import('./sandbox…')` branches
 *   dead code that esbuild leaves out (`npm run size -- --check` proves it on the production zips).
 * - Source maps only locally. A production zip is the minified bundle alone: the map was more than half of every zip,
 *   and Node reads it at start-up under --enable-source-maps. Names survive minification (keepNames), and the build
 *   is deterministic, so a production stack trace is decoded with the map of a local rebuild of the same commit
 *   (`npx esbuild <handler>.ts` with `esbuildOptions('prod')` plus `sourcemap: true`).
 * - AWS SDK v3 is bundled (tree-shaken, minified), not taken from the Lambda runtime: the runtime's copy is a version
 *   we do not choose, that changes under us and that our tests never ran against, and loading one minified file
 *   starts faster than resolving hundreds of files under /var/runtime/node_modules.
 */

/** Stages whose configuration may turn the sandboxes on (functions/src/lib/config.ts SANDBOX_STAGES). */
const SANDBOX_STAGES = new Set(['local']);

/** esbuild's own options for a stage. */
function esbuildOptions(stage) {
  const local = SANDBOX_STAGES.has(stage);
  return {
    bundle: true,
    minify: true,
    sourcemap: local ? 'linked' : false,
    // Stack traces need the mappings, not a copy of every source file.
    sourcesContent: false,
    target: 'node22',
    platform: 'node',
    // Packages' ES module builds first: esbuild can only tree-shake those (AWS SDK v3 ships both; its CommonJS build
    // kept every command and schema of a client, a third of each bundle).
    mainFields: ['module', 'main'],
    format: 'cjs',
    keepNames: true,
    define: { 'process.env.SHOP_SANDBOX_BUILD': local ? '"true"' : '"false"' },
  };
}

/** serverless-esbuild's options: esbuild's plus how it packages and watches. */
function serverlessEsbuildOptions(stage) {
  return {
    ...esbuildOptions(stage),
    outputFileExtension: '.cjs',
    // Each local stack bundles into its own folder (scripts/lib/stack.ts sets it), so two stacks on one checkout
    // never delete or rebuild each other's bundles.
    ...(process.env.SHOP_ESBUILD_WORK_FOLDER ? { outputWorkFolder: process.env.SHOP_ESBUILD_WORK_FOLDER } : {}),
    // Nothing is left external: the zips need no node_modules.
    exclude: [],
    packager: 'npm',
    // osls offline rebuilds on change: only the functions' own sources count. Campaign files are read at run time
    // (a rebuild would only make requests fail while it runs), and mini-app edits are not the API's business.
    watch: {
      pattern: ['functions/src/**/*.ts', 'shared/src/**/*.ts'],
      ignore: ['.esbuild', 'dist', 'node_modules', '.build', 'campaigns'],
    },
  };
}

module.exports = (serverless) => serverlessEsbuildOptions(serverless.service.provider.stage);
module.exports.esbuildOptions = esbuildOptions;
module.exports.serverlessEsbuildOptions = serverlessEsbuildOptions;
