import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startChild } from '../child-process';
import { codeState } from '../report';
import { prepareAtScale } from './prepare-at-scale';
import { runScenario, type ScaleOptions } from './run-scenario';
import type { ScaleDialect } from './scale-database';
import { formatGrowth, formatScaleTable, type ScenarioResult } from './scale-report';

/**
 * `npm run bench:scale`: Latchkey at 100,000 and 1,000,000 connections, on SQLite and on
 * PostgreSQL, one and two instances, each figure next to baselines of the same run.
 * `BENCH_SCALE_SIZES` (default 100000,1000000), `BENCH_SCALE_DATABASES` (sqlite,postgres),
 * `BENCH_RUN_S` (seconds per run, default 4) and `BENCH_ROUNDS` (runs of each target,
 * alternated, default 2) change what it covers.
 */
const listFrom = (value: string | undefined, fallback: string) =>
  (value ?? fallback).split(',').filter(Boolean);
const sizes = listFrom(process.env.BENCH_SCALE_SIZES, '100000,1000000').map(Number);
const dialects = listFrom(process.env.BENCH_SCALE_DATABASES, 'sqlite,postgres') as ScaleDialect[];
const runS = Number(process.env.BENCH_RUN_S ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const OPTIONS: ScaleOptions = {
  load: { connections: 64, durationS: runS, rounds, warmupS: 1 },
  latency: { connections: 8, durationS: Math.max(2, runS - 1), rounds, warmupS: 1 },
  refreshCalls: 1_000,
};

const say = (line: string) => process.stdout.write(`${line}\n`);
const load1m = () => loadavg()[0] ?? 0;
const started = performance.now();
const upstream = await startChild('upstream', './upstream-process.ts');
const results: ScenarioResult[] = [];
try {
  for (const dialect of dialects) {
    for (const connections of sizes) {
      const loadAtStart = load1m();
      say(
        `${dialect}, ${connections} connections: seeding (load average ${loadAtStart.toFixed(1)})`,
      );
      const setup = await prepareAtScale(dialect, connections, upstream.url);
      say(
        `  seeded ${setup.seed.users} users, ${connections} connections in ${setup.seed.seconds.toFixed(1)} s`,
      );
      try {
        const figures = await runScenario(setup, upstream, OPTIONS, say);
        const result: ScenarioResult = {
          dialect,
          seed: setup.seed,
          load: [loadAtStart, load1m()],
          ...figures,
        };
        results.push(result);
        // Printed as soon as known: a long run cut short still leaves its finished scenarios.
        say(`\n${formatScaleTable([result])}\n`);
      } finally {
        await setup.close();
      }
    }
  }
} finally {
  await upstream.stop();
}

const code = codeState();
say(`\ncommit ${code.commit}, runtime ${((performance.now() - started) / 1000).toFixed(0)} s`);
say('cells: Latchkey / baseline req/s (Latchkey, baseline), Latchkey p99, CPU per call (baseline)');
say(`\n${formatScaleTable(results)}\n\n${formatGrowth(results)}`);
const file = fileURLToPath(new URL('../results/scale-latest.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
writeFileSync(file, `${JSON.stringify({ code, options: OPTIONS, results }, stripLatencies, 2)}\n`);
say('figures written to bench/results/scale-latest.json');

/** The pooled figures only: the per-response latencies are megabytes. */
function stripLatencies(key: string, value: unknown) {
  return key === 'latencies' ? undefined : value;
}
