import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

/** Diagnostic: wall time spent inside each SQL statement (run/all/get), printed at exit. */
export function timeStatements(): void {
  const totals = new Map<string, { calls: number; ms: number; maxMs: number }>();
  const prototype = Database.prototype as unknown as {
    prepare: (sql: string) => Database.Statement;
  };
  const prepare = prototype.prepare;
  prototype.prepare = function timedPrepare(this: Database.Database, sql: string) {
    const t0 = performance.now();
    const statement = prepare.call(this, sql);
    record('(prepare)', performance.now() - t0);
    for (const method of ['run', 'all', 'get'] as const) {
      const original = statement[method] as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const start = performance.now();
        try {
          return original.apply(statement, args);
        } finally {
          record(sql.slice(0, 70), performance.now() - start);
        }
      };
    }
    return statement;
  };
  function record(key: string, ms: number) {
    const entry = totals.get(key) ?? { calls: 0, ms: 0, maxMs: 0 };
    entry.calls += 1;
    entry.ms += ms;
    entry.maxMs = Math.max(entry.maxMs, ms);
    totals.set(key, entry);
  }
  process.on('exit', () => {
    for (const [sql, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
      process.stderr.write(
        `${t.ms.toFixed(0).padStart(7)} ms ${String(t.calls).padStart(7)} calls ${((t.ms / t.calls) * 1000).toFixed(1).padStart(7)} µs/call max ${t.maxMs.toFixed(1)} ms  ${sql}\n`,
      );
    }
  });
}
