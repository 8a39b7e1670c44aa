/**
 * `npm test`: every check the project makes, in order, stopping at the first failure:
 *   types → import rules → dead code (knip) → unit + integration tests (DynamoDB Local) → mini-app tests → weapp and
 *   H5 builds → size budgets → serverless package (prod) → browser tests against the local stack.
 * Vitest results are written to artifacts/ and summed into one closing line: "tests: N passed, N failed".
 * `npm test -- --quick` stops after the mini-app tests (no builds, no browser).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const artifacts = path.join(root, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const quick = process.argv.includes('--quick');
/** `npm test -- --from e2e`: start at that step (after fixing what a run stopped at). */
const fromArg = process.argv.indexOf('--from');
const from = fromArg >= 0 ? process.argv[fromArg + 1] : undefined;

interface Step {
  name: string;
  command: string[];
  env?: Record<string, string>;
  /** Vitest JSON report to count tests from. */
  report?: string;
  /** Folders removed before the step runs. */
  clean?: string[];
}

const vitest = (name: string, args: string[]): Step => ({
  name,
  command: ['npx', 'vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(artifacts, `vitest-${name}.json`)}`],
  report: path.join(artifacts, `vitest-${name}.json`),
});

const dummyAws = { AWS_ACCESS_KEY_ID: 'dummy', AWS_SECRET_ACCESS_KEY: 'dummy', AWS_REGION: 'ap-east-1' };
const steps: Step[] = [
  { name: 'typecheck', command: ['npx', 'tsc', '-p', 'tsconfig.json'] },
  { name: 'typecheck-miniapp', command: ['npx', 'tsc', '-p', 'miniapp/tsconfig.json', '--noEmit'] },
  // Import circles and layer rules (.dependency-cruiser.cjs).
  { name: 'import-rules', command: ['npx', 'depcruise', 'functions/src', 'shared/src', 'miniapp/src', '--config', '.dependency-cruiser.cjs'] },
  // Unused files, exports and dependencies (knip.json); then the rules in shared/ that no production entry reaches.
  { name: 'dead-code', command: ['npx', 'knip'] },
  { name: 'dead-rules', command: ['npx', 'knip', '--production', '--workspace', 'shared', '--include', 'exports,types,files'] },
  vitest('backend', []),
  vitest('miniapp', ['--config', 'miniapp/vitest.config.ts']),
  ...(quick
    ? []
    : [
        { name: 'build-weapp', command: ['npm', 'run', 'build:weapp', '-w', 'miniapp'], env: { NODE_ENV: 'production' } },
        { name: 'build-h5', command: ['npm', 'run', 'build:h5', '-w', 'miniapp'], env: { NODE_ENV: 'production', SHOP_API_BASE: '', SHOP_ASSET_BASE: '' } },
        // From a clean bundle folder: files a local stack's build left there (its source maps) must not reach a zip.
        { name: 'serverless-package', command: ['npx', 'osls', 'package', '--stage', 'prod'], env: dummyAws, clean: ['.esbuild/.build'] },
        { name: 'size-budgets', command: ['npx', 'tsx', 'scripts/size.ts', '--check'] },
        vitest('e2e', ['--config', 'tests/e2e/vitest.config.ts']),
      ]),
];

function run(step: Step): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.command[0], step.command.slice(1), {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...step.env },
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const timings: string[] = [];
let exitCode = 0;
if (from && !steps.some((s) => s.name === from)) throw new Error(`--from: no step ${from} (${steps.map((s) => s.name).join(', ')})`);
const toRun = from ? steps.slice(steps.findIndex((s) => s.name === from)) : steps;
for (const step of toRun) {
  process.stdout.write(`\n=== ${step.name} ===\n`);
  const t0 = Date.now();
  if (step.report) fs.rmSync(step.report, { force: true });
  for (const dir of step.clean ?? []) fs.rmSync(path.join(root, dir), { recursive: true, force: true });
  const code = await run(step);
  timings.push(`${step.name} ${((Date.now() - t0) / 1000).toFixed(1)}s${code === 0 ? '' : ' FAILED'}`);
  if (step.report && fs.existsSync(step.report)) {
    const r = JSON.parse(fs.readFileSync(step.report, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  if (code !== 0) {
    exitCode = code;
    if (!step.report) failed += 1;
    break;
  }
}
process.stdout.write(`\nsteps: ${timings.join(' | ')}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(exitCode);
