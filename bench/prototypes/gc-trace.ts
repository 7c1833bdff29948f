import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** Diagnostic: GC pauses and event-loop delay of the server, printed at exit. */
export function traceGc(): void {
  const pauses: { kind: number; ms: number }[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as { detail?: { kind?: number } }).detail;
      pauses.push({ kind: detail?.kind ?? 0, ms: entry.duration });
    }
  }).observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  process.on('exit', () => {
    const long = pauses.filter((p) => p.ms > 2);
    const byKind = new Map<number, { n: number; ms: number; max: number }>();
    for (const p of pauses) {
      const e = byKind.get(p.kind) ?? { n: 0, ms: 0, max: 0 };
      e.n += 1;
      e.ms += p.ms;
      e.max = Math.max(e.max, p.ms);
      byKind.set(p.kind, e);
    }
    process.stderr.write(
      `gc: ${pauses.length} pauses, ${long.length} > 2 ms; by kind ${JSON.stringify([...byKind])}\n` +
        `event loop delay: p50 ${(delay.percentile(50) / 1e6).toFixed(2)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(2)} ms, max ${(delay.max / 1e6).toFixed(1)} ms\n`,
    );
  });
}
