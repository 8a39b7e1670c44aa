/**
 * Shared machinery for benchmarks that compare several paths to the same result (the floor, the handler in-process,
 * the local HTTP API): interleaved rounds so every path sees the same machine, per-invocation DynamoDB call counts,
 * a bounded warm-up for the local API, and one JSON line printed even when a path fails.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { percentile } from './stats';
import { generateLocalSecrets } from '../lib/local-secrets';

/** One way to the same result. `run` answers a status label; the task counts as done when it equals `ok`. */
export interface BenchPath {
  name: string;
  ok: string;
  /** Untimed preparation of task i (e.g. signing a notification); its result is handed to `run`. */
  prepare?: (i: number) => unknown;
  run: (i: number, prepared: unknown) => Promise<{ status: string; detail?: unknown }>;
}

export interface PathStats {
  n: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  throughputPerS: number;
  statuses: Record<string, number>;
  /** Set when any task did not end as expected (the first refusal's answer is kept in `firstFailure`). */
  error?: string;
  firstFailure?: unknown;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
export const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/**
 * Runs `total` tasks of every path with `concurrency` in flight, in `rounds` rounds that alternate the paths (never
 * two paths at once), so drift in the JIT, the garbage collector or DynamoDB Local's growing table hits all alike.
 */
export async function interleaved(paths: BenchPath[], opts: { total: number; rounds: number; concurrency: number }): Promise<Record<string, PathStats>> {
  const acc = new Map(paths.map((p) => [p.name, { latencies: [] as number[], ok: 0, elapsedMs: 0, statuses: {} as Record<string, number>, firstFailure: undefined as unknown }]));
  const perRound = Math.ceil(opts.total / opts.rounds);
  for (let r = 0; r < opts.rounds; r++) {
    const from = r * perRound;
    const to = Math.min(opts.total, from + perRound);
    for (const p of paths) {
      const a = acc.get(p.name)!;
      let next = from;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: Math.min(opts.concurrency, to - from) }, async () => {
          while (next < to) {
            const i = next++;
            const prepared = p.prepare?.(i);
            const t0 = performance.now();
            let out: { status: string; detail?: unknown };
            try {
              out = await p.run(i, prepared);
            } catch (e) {
              out = { status: `threw:${(e as Error).name}`, detail: (e as Error).message };
            }
            a.latencies.push(performance.now() - t0);
            a.statuses[out.status] = (a.statuses[out.status] ?? 0) + 1;
            if (out.status === p.ok) a.ok++;
            else a.firstFailure ??= { status: out.status, detail: out.detail };
          }
        }),
      );
      a.elapsedMs += performance.now() - started;
    }
  }
  const result: Record<string, PathStats> = {};
  for (const p of paths) {
    const a = acc.get(p.name)!;
    const sorted = a.latencies.sort((x, y) => x - y);
    const n = sorted.length;
    result[p.name] = {
      n,
      ok: a.ok,
      p50Ms: round1(percentile(sorted, 50)),
      p99Ms: round1(percentile(sorted, 99)),
      throughputPerS: round1(n / (a.elapsedMs / 1000)),
      statuses: a.statuses,
      ...(a.ok < n ? { error: `${n - a.ok} of ${n} did not answer ${p.ok}`, firstFailure: a.firstFailure } : {}),
    };
  }
  return result;
}

/**
 * DynamoDB commands per invocation, attributed through the async context: concurrent invocations each count their
 * own, and work this process does for anything else (other paths, timers) is not counted. The hook is added to the
 * functions' client in this process only (the client and its document wrapper share one middleware stack).
 */
const callScope = new AsyncLocalStorage<string[]>();
export function countCallsOn(client: { middlewareStack: { add: (...args: any[]) => void } }): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      callScope.getStore()?.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    // Initialize runs once per command, before the SDK's own retries.
    { step: 'initialize', name: 'benchCallCounter', override: true },
  );
}

/** Runs `fn` and returns the DynamoDB commands it sent until it answered (later background work is not counted). */
export async function withCalls<T>(fn: () => Promise<T>): Promise<{ value: T; commands: string[] }> {
  const commands: string[] = [];
  const value = await callScope.run(commands, fn);
  return { value, commands: [...commands] };
}

/** Tallies call counts per invocation: mean, max and the most common sequence of commands. */
export class CallTally {
  private counts: number[] = [];
  private shapes = new Map<string, number>();
  add(commands: string[]): void {
    this.counts.push(commands.length);
    const shape = commands.join(' → ');
    this.shapes.set(shape, (this.shapes.get(shape) ?? 0) + 1);
  }
  summary(): { mean: number; max: number; typical: string; invocations: number } | { error: string } {
    if (!this.counts.length) return { error: 'no invocation counted' };
    const typical = [...this.shapes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    return {
      mean: Math.round((this.counts.reduce((s, x) => s + x, 0) / this.counts.length) * 100) / 100,
      max: Math.max(...this.counts),
      typical,
      invocations: this.counts.length,
    };
  }
}

/**
 * Warms the local API without overwhelming it: the emulator starts one worker (one bundle load) per concurrent call,
 * so the concurrency rises in steps and each step waits for the one before. Answers are ignored; only the workers count.
 */
export async function rampUp(concurrency: number, hit: (i: number) => Promise<unknown>): Promise<void> {
  let i = 0;
  for (let c = 1; ; c = Math.min(concurrency, c + 8)) {
    await Promise.all(Array.from({ length: c }, () => hit(i++).catch(() => undefined)));
    if (c === concurrency) break;
  }
}

/** fetch() that reports a dropped connection as a status instead of throwing. */
export async function httpStatus(url: string, init: RequestInit): Promise<{ status: string; detail?: unknown }> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    return { status: String(res.status), detail: text.slice(0, 300) };
  } catch (e) {
    return { status: 'connection', detail: (e as Error).message };
  }
}

/**
 * Builds a benchmark's line: on success returns it (the runner prints it); when setup or any path failed, prints it
 * here with an `error` and throws, so the process exits non-zero with the line on stdout.
 */
export async function benchLine(name: string, body: (line: Record<string, unknown>) => Promise<void>): Promise<Record<string, unknown>> {
  const line: Record<string, unknown> = { bench: name };
  const started = performance.now();
  try {
    await body(line);
  } catch (e) {
    line.error = (e as Error).message;
  }
  // Wall time of the whole benchmark, stack start and setup included (what a cold start costs shows here).
  line.wallS = Math.round((performance.now() - started) / 1000);
  const failed = Object.entries(line)
    .filter(([, v]) => v && typeof v === 'object' && 'error' in (v as object))
    .map(([k]) => k);
  if (line.error || failed.length) {
    line.error ??= `failed: ${failed.join(', ')}`;
    console.log(JSON.stringify({ ...line, at: new Date().toISOString() }));
    throw new Error(`${name} benchmark: ${String(line.error)}`);
  }
  return line;
}

const BENCH_ADDRESS = { name: '压测', phone: '13800000000', province: '上海市', city: '上海市', district: '黄浦区', detail: '压测路 1 号', isDefault: true };

/**
 * A shopper for a benchmark's setup, made in-process through the handlers (sandbox login with `demo-<code>`, one
 * address), so setup never depends on the local API emulator. Call after the stack has set the functions' environment.
 */
export async function benchShopper(code: string): Promise<{ token: string; userId: string; addressId: string; code: string }> {
  const { call } = await import('../../tests/support/http');
  const auth = await import('../../functions/src/handlers/auth');
  const addresses = await import('../../functions/src/handlers/addresses');
  const login = await call(auth.login, { body: { code: `demo-${code}` } });
  if (login.status !== 200) throw new Error(`setup: login ${login.status} ${JSON.stringify(login.body)}`);
  const token = login.body.token as string;
  const address = await call(addresses.createAddress, { token, body: BENCH_ADDRESS });
  if (address.status !== 201) throw new Error(`setup: address ${address.status} ${JSON.stringify(address.body)}`);
  return { token, userId: login.body.user.id as string, addressId: address.body.id as string, code };
}

/**
 * The environment an in-process benchmark gives the functions: the local stage on its own table of DynamoDB Local, the
 * sandbox WeChat, silent logs, fresh local secrets, and `dirs` (e.g. CAMPAIGNS_DIR) pointing at its own folders.
 */
export function inProcessEnv(endpoint: string, tableName: string, dirs: Record<string, string>): void {
  Object.assign(process.env, {
    STAGE: 'local',
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    WECHAT_SANDBOX: 'true',
    WECHAT_APP_ID: 'wxsandbox00000000',
    WECHAT_MCH_ID: '1900000001',
    WECHAT_NOTIFY_URL: 'http://127.0.0.1:9/v1/pay/notify',
    WEB_BASE_URL: 'http://no-web-server.invalid',
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    LOG_LEVEL: 'SILENT',
    ...dirs,
    ...generateLocalSecrets(),
  });
  delete process.env.SECRETS_SSM_PREFIX;
}
