import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** One request of a run: a path and its headers, drawn afresh for every request. */
export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
}

export interface LoadSpec {
  url: string;
  connections: number;
  durationS: number;
  nextRequest: () => BenchRequest;
}

export interface LoadResult {
  /** 2xx responses per second of wall time. */
  rps: number;
  ok: number;
  failed: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** One run, with every 2xx latency kept so that runs can be pooled exactly. */
export interface LoadRun extends LoadResult {
  wallS: number;
  latencies: Float64Array;
}

/**
 * Runs autocannon (closed loop: each connection sends its next request when the previous
 * answer is in). Latencies are kept at full precision per response, instead of autocannon's
 * whole-millisecond histogram, so sub-millisecond differences stay visible.
 */
export function runLoad(spec: LoadSpec): Promise<LoadRun> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationS,
        timeout: 30,
        requests: [
          { method: 'GET', setupRequest: (request) => ({ ...request, ...spec.nextRequest() }) },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const wallS = (performance.now() - started) / 1000;
        resolve(summarise(latencies, failed + result.errors + result.timeouts, wallS));
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else failed += 1;
    });
  });
}

function summarise(latencies: ArrayLike<number>, failed: number, wallS: number): LoadRun {
  const sorted = Float64Array.from(latencies).sort();
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    rps: sorted.length / wallS,
    ok: sorted.length,
    failed,
    meanMs: sorted.length ? total / sorted.length : 0,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    wallS,
    latencies: sorted,
  };
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

/** Several runs of one target, pooled: all 2xx over all wall time, percentiles over all. */
export function poolRuns(runs: LoadRun[]): LoadResult {
  const all = new Float64Array(runs.reduce((sum, run) => sum + run.latencies.length, 0));
  let offset = 0;
  for (const run of runs) {
    all.set(run.latencies, offset);
    offset += run.latencies.length;
  }
  const failed = runs.reduce((sum, run) => sum + run.failed, 0);
  const {
    latencies: _all,
    wallS: _wall,
    ...pooled
  } = summarise(
    all,
    failed,
    runs.reduce((sum, run) => sum + run.wallS, 0),
  );
  return pooled;
}
