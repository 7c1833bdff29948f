import { loadavg } from 'node:os';
import { alternate, type Target, type TargetFigures } from './alternate';
import { setUpBench } from './bench-servers';
import type { BenchChild } from './child-process';
import { fitLatencyBudget } from './latency-budget';
import { guardedVariantsToRun, requestMix } from './request-mix';

/**
 * `npx tsx bench/compare-prototypes.ts proxy "" fixed-token "fixed-token,no-audit" @/tmp/base`:
 * one Latchkey server per prototype set (same database), the baselines, and runs alternated
 * between all of them, so each change is measured against the others under the same
 * conditions of the shared machine. `set@/path` runs the server of another checkout (see
 * `sourceTree`). Prints req/s (with each run's), ratio to the baseline (and, for the proxy,
 * to the forwarder that reads and decrypts its token), mean latency and CPU per request; for
 * the proxy also the guarded forwarder (`BENCH_GUARDED_PARTS=1`: and its versions with part of
 * its guarantees), and at 8 connections or fewer the API called directly, for the latency
 * each hop adds; at 8 connections, what the latency target (at most 1.5 times the added
 * latency of the forwarder that reads its token) asks of each Latchkey server's CPU per call.
 */
const phase = process.argv[2] === 'proxy' ? 'proxy' : 'token';
const sets = process.argv.slice(3);
const say = (line: string) => process.stdout.write(`${line}\n`);
/** The proxy's latency target: its added latency against the stored forwarder's, at 8 clients. */
const LATENCY_TARGET_RATIO = 1.5;
const LATENCY_TARGET_CONNECTIONS = 8;
const options = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 64),
  durationS: Number(process.env.BENCH_RUN_S ?? 5),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  warmupS: 2,
};

const bench = await setUpBench();
const mix = requestMix(bench.seeded);
const next = mix[phase];
const baseline = await bench.startBaseline();
const servers: [string, BenchChild][] = [];
for (const set of sets) {
  const [prototypes = '', sourceTree] = set.split('@');
  servers.push([set || 'none', await bench.startLatchkey({ prototypes, sourceTree })]);
}
const targets: Target[] = [
  { name: 'baseline', url: baseline.url, nextRequest: next, servers: [baseline] },
  ...(phase === 'proxy'
    ? [
        {
          name: 'storedForwarder',
          url: baseline.url,
          nextRequest: mix.proxyStored,
          servers: [baseline],
        },
        ...guardedVariantsToRun().map((variant) => ({
          name: variant,
          url: baseline.url,
          nextRequest: () => mix.proxyGuarded(variant),
          servers: [baseline],
        })),
      ]
    : []),
  ...(phase === 'proxy' && options.connections <= 8
    ? [{ name: 'direct', url: bench.upstream.url, nextRequest: mix.direct }]
    : []),
  ...servers.map(([name, server]) => ({
    name,
    url: server.url,
    nextRequest: next,
    servers: [server],
  })),
];
say(`load average at the start: ${loadAverage()}`);
const figures = await alternate(targets, options, (name, run) =>
  say(`  ${name}: ${run.rps.toFixed(0)} req/s, mean ${run.meanMs.toFixed(3)} ms`),
);
say(`load average at the end: ${loadAverage()}`);
const base = figures.baseline;
const stored = figures.storedForwarder;
const direct = figures.direct;
say(
  `\n| ${phase}, ${options.connections} conn. | req/s (runs) | ratio | / stored fwd | mean | added | p99 | CPU / req |\n|---|---|---|---|---|---|---|---|`,
);
for (const [name, f] of Object.entries(figures)) {
  const ratio = base ? (f.rps / base.rps).toFixed(2) : '';
  const toStored = stored ? (f.rps / stored.rps).toFixed(2) : '';
  const added = direct ? `${addedUs(f, direct).toFixed(0)} µs` : '';
  const runs = f.runsRps.map((rps) => rps.toFixed(0)).join(' / ');
  say(
    `| ${name} | ${f.rps.toFixed(0)} (${runs}) | ${ratio} | ${toStored} | ${f.meanMs.toFixed(3)} ms | ${added} | ${f.p99Ms.toFixed(1)} ms | ${f.cpuUsPerRequest?.toFixed(0) ?? ''} µs |`,
  );
}
if (stored && direct && options.connections === LATENCY_TARGET_CONNECTIONS) {
  printLatencyBudgets(
    figures,
    servers.map(([name]) => name),
    stored,
    direct,
  );
}
await Promise.all([baseline.stop(), ...servers.map(([, server]) => server.stop())]);
await bench.close();

/**
 * For each Latchkey server: the line of added latency against CPU per call through the
 * yardstick and the server (`latency-budget.ts`), where it puts the guarded forwarder (a
 * check of the line), and the CPU per call at which the server would meet the target. Only
 * at the target's 8 connections: the line holds for a saturated server.
 */
function printLatencyBudgets(
  all: Record<string, TargetFigures>,
  latchkeyNames: string[],
  yardstick: TargetFigures,
  direct: TargetFigures,
) {
  const pointOf = (f: TargetFigures | undefined) =>
    f?.cpuUsPerRequest === undefined
      ? undefined
      : { addedUs: addedUs(f, direct), cpuUs: f.cpuUsPerRequest };
  const from = pointOf(yardstick);
  if (!from) return;
  const guarded = pointOf(all.guardedForwarder);
  say(
    `\n| ≤ ${LATENCY_TARGET_RATIO} × the stored forwarder's added latency | slope | guarded fwd on the line / measured | CPU budget / req (change needed) | CPU / req |\n|---|---|---|---|---|`,
  );
  for (const name of latchkeyNames) {
    const point = pointOf(all[name]);
    const budget = point && fitLatencyBudget(from, point, LATENCY_TARGET_RATIO);
    if (!point || !budget) {
      say(`| ${name} | – | – | – (${point ? 'no rising line' : 'no CPU figure'}) | – |`);
      continue;
    }
    const check = guarded
      ? `${budget.addedAt(guarded.cpuUs).toFixed(0)} / ${guarded.addedUs.toFixed(0)} µs`
      : '–';
    const change = (budget.budgetUs / point.cpuUs - 1) * 100;
    say(
      `| ${name} | ${budget.slope.toFixed(2)} | ${check} | ${budget.budgetUs.toFixed(0)} µs (${change > 0 ? '+' : ''}${change.toFixed(0)} %) | ${point.cpuUs.toFixed(0)} µs |`,
    );
  }
}

/** The mean latency a target adds over the API called directly, in µs. */
function addedUs(f: TargetFigures, direct: TargetFigures): number {
  return (f.meanMs - direct.meanMs) * 1000;
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}
