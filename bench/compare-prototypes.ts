import { alternate, type Target } from './alternate';
import { setUpBench } from './bench-servers';
import type { BenchChild } from './child-process';
import { requestMix } from './request-mix';

/**
 * `npx tsx bench/compare-prototypes.ts proxy "" fixed-token "fixed-token,no-audit"`:
 * one Latchkey server per prototype set (same database), the baseline, and runs alternated
 * between all of them, so each change is measured against the others under the same
 * conditions of the shared machine. Prints req/s, ratio to the baseline and CPU per request.
 */
const phase = process.argv[2] === 'proxy' ? 'proxy' : 'token';
const sets = process.argv.slice(3);
const say = (line: string) => process.stdout.write(`${line}\n`);
const options = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 64),
  durationS: Number(process.env.BENCH_RUN_S ?? 5),
  rounds: 3,
  warmupS: 2,
};

const bench = await setUpBench();
const next = requestMix(bench.seeded)[phase];
const baseline = await bench.startBaseline();
const servers: [string, BenchChild][] = [];
for (const prototypes of sets) {
  servers.push([prototypes || 'none', await bench.startLatchkey({ prototypes })]);
}
const targets: Target[] = [
  { name: 'baseline', url: baseline.url, nextRequest: next, servers: [baseline] },
  ...servers.map(([name, server]) => ({
    name,
    url: server.url,
    nextRequest: next,
    servers: [server],
  })),
];
const figures = await alternate(targets, options, (name, run) =>
  say(`  ${name}: ${run.rps.toFixed(0)} req/s`),
);
const base = figures.baseline;
say(`\n| ${phase} | req/s | ratio | p50 | p99 | server CPU / request |\n|---|---|---|---|---|---|`);
for (const [name, f] of Object.entries(figures)) {
  const ratio = base ? (f.rps / base.rps).toFixed(2) : '';
  say(
    `| ${name} | ${f.rps.toFixed(0)} | ${ratio} | ${f.p50Ms.toFixed(1)} ms | ${f.p99Ms.toFixed(1)} ms | ${f.cpuUsPerRequest?.toFixed(0)} µs |`,
  );
}
await Promise.all([baseline.stop(), ...servers.map(([, server]) => server.stop())]);
await bench.close();
