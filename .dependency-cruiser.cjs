/**
 * Import rules checked by `npm test` (depcruise): no circles anywhere, and the layers of functions/ point one way —
 * handlers → services → repositories/providers → lib; shared/ imports nothing of ours.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other in a circle (a circle made only of type imports is erased at build time).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment: 'shared/ holds rules and contracts used by both sides: it imports nothing of functions/ or miniapp/.',
      from: { path: '^shared/src' },
      to: { path: '^(functions|miniapp|scripts)/' },
    },
    {
      name: 'repositories-below-services',
      severity: 'error',
      comment: 'Repositories own keys and conditions; they never call a use case.',
      from: { path: '^functions/src/repositories' },
      to: { path: '^functions/src/(services|handlers)/' },
    },
    {
      name: 'providers-below-services',
      severity: 'error',
      comment: 'Providers own the outside world; the local twins may keep their state in the table (keys, transactions).',
      from: { path: '^functions/src/providers' },
      to: { path: '^functions/src/(services|handlers)/|^functions/src/repositories/(?!keys|transactions)' },
    },
    {
      name: 'services-below-handlers',
      severity: 'error',
      from: { path: '^functions/src/services' },
      to: { path: '^functions/src/handlers/' },
    },
    {
      name: 'production-without-tests',
      severity: 'error',
      comment: 'Shipped code never imports test support or scripts.',
      from: { path: '^(functions/src|shared/src)' },
      to: { path: '^(tests|scripts)/|/test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: 'node_modules' },
  },
};
