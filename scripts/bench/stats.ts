/** Latency statistics for benchmark lines. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i];
}

export interface RunStats {
  n: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  throughputPerS: number;
}

/** Runs `total` tasks with `concurrency` workers and measures each task's latency and the overall throughput. */
export async function runConcurrent(total: number, concurrency: number, task: (i: number) => Promise<boolean>): Promise<RunStats> {
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        if (await task(i)) ok++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { n: total, ok, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), throughputPerS: round(total / elapsedS) };
}
