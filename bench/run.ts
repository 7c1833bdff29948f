import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { alternate } from './alternate';
import { setUpBench } from './bench-servers';
import type { LoadRun } from './load';
import type { MemorySample } from './parent-channel';
import { runRefreshBurst } from './refresh-burst';
import { type BenchResults, formatTable, machine, targetsMet, writeResults } from './report';
import { requestMix } from './request-mix';
import { CONNECTOR_COUNT, USER_COUNT } from './seed-connections';

/**
 * `npm run bench`: Latchkey next to bare baselines, measured in one run on this machine.
 * Processes: this one (setup, then the autocannon load generator and the test provider),
 * the Latchkey server, the baseline server and the upstream API — four processes that share
 * the machine's cores. `npm run bench -- --record` also writes docs/performance-results.json.
 */
const LOAD = { connections: 64, durationS: 10, rounds: 2, warmupS: 2 };
const LATENCY = { connections: 8, durationS: 4, rounds: 2, warmupS: 1 };
const REFRESH_CALLS = 1_000;

const started = performance.now();
const say = (line: string) => process.stdout.write(`${line}\n`);
const logRun = (phase: string) => (target: string, run: LoadRun) =>
  say(
    `  ${phase} ${target}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, ` +
      `p99 ${run.p99Ms.toFixed(2)} ms${run.failed ? `, ${run.failed} FAILED` : ''}`,
  );

say(`setup: ${USER_COUNT} users × ${CONNECTOR_COUNT} connectors`);
const bench = await setUpBench();
const { seeded, oauthConnection, provider, upstream } = bench;
say(`setup: ${seeded.connectionCount} connections stored in ${bench.setupS.toFixed(1)} s`);
const prototypes = process.env.BENCH_PROTOTYPES ?? '';
if (prototypes) say(`prototypes applied to the Latchkey server: ${prototypes}`);
const latchkey = await bench.startLatchkey({ prototypes });
const baseline = await bench.startBaseline();
await new Promise((resolve) => setTimeout(resolve, 1000));
const latchkeyIdle = await latchkey.call<MemorySample>('memory');
const baselineIdle = await baseline.call<MemorySample>('memory');

const mix = requestMix(seeded);
say('token retrieval: 64 connections, alternated');
const token = await alternate(
  [
    { name: 'baseline', url: baseline.url, nextRequest: mix.token, server: baseline },
    { name: 'latchkey', url: latchkey.url, nextRequest: mix.token, server: latchkey },
  ],
  LOAD,
  logRun('token'),
);
say('proxy: 64 connections, alternated');
const proxy = await alternate(
  [
    { name: 'forwarder', url: baseline.url, nextRequest: mix.proxy, server: baseline },
    { name: 'latchkey', url: latchkey.url, nextRequest: mix.proxy, server: latchkey },
  ],
  LOAD,
  logRun('proxy'),
);
say('proxy latency: 8 connections, alternated');
const latency = await alternate(
  [
    { name: 'direct', url: upstream.url, nextRequest: mix.direct },
    { name: 'forwarder', url: baseline.url, nextRequest: mix.proxy },
    { name: 'latchkey', url: latchkey.url, nextRequest: mix.proxy },
  ],
  LATENCY,
  logRun('latency'),
);
say(`refresh coalescing: ${REFRESH_CALLS} concurrent _token calls on an expired connection`);
const refresh = await runRefreshBurst({
  serviceUrl: latchkey.url,
  apiKey: seeded.apiKey,
  dataDir: bench.env.dataDir,
  connection: oauthConnection,
  provider,
  calls: REFRESH_CALLS,
});

await Promise.all([latchkey.stop(), baseline.stop()]);
await bench.close();

const figures = {
  date: new Date().toISOString(),
  machine: machine(),
  method: {
    processes: 'bench (setup, autocannon, oidc-provider) | Latchkey | baseline | upstream',
    logLevel: bench.env.latchkeyEnv.LATCHKEY_LOG_LEVEL as string,
    prototypes: prototypes || 'none',
    loadConnections: LOAD.connections,
    loadRunS: LOAD.durationS,
    latencyConnections: LATENCY.connections,
    latencyRunS: LATENCY.durationS,
    rounds: LOAD.rounds,
    order: 'warm-up each, then baseline, latchkey, baseline, latchkey',
  },
  setup: {
    connections: seeded.connectionCount,
    users: USER_COUNT,
    connectors: CONNECTOR_COUNT,
    baselineRows: bench.baselineRows,
    seconds: bench.setupS,
  },
  token: {
    baseline: need(token, 'baseline'),
    latchkey: need(token, 'latchkey'),
    ratio: ratio(token, 'baseline'),
  },
  proxy: {
    forwarder: need(proxy, 'forwarder'),
    latchkey: need(proxy, 'latchkey'),
    ratio: ratio(proxy, 'forwarder'),
  },
  latency8: {
    direct: need(latency, 'direct'),
    forwarder: need(latency, 'forwarder'),
    latchkey: need(latency, 'latchkey'),
    addedMeanMs: need(latency, 'latchkey').meanMs - need(latency, 'direct').meanMs,
  },
  refresh,
  memoryMiB: {
    latchkeyIdleRss: latchkeyIdle.rssMiB,
    latchkeyTokenLoadPeakRss: need(token, 'latchkey').peakRssMiB ?? 0,
    latchkeyProxyLoadPeakRss: need(proxy, 'latchkey').peakRssMiB ?? 0,
    baselineIdleRss: baselineIdle.rssMiB,
    baselineTokenLoadPeakRss: need(token, 'baseline').peakRssMiB ?? 0,
  },
};
const results: BenchResults = {
  ...figures,
  targetsMet: targetsMet(figures),
  runtimeS: (performance.now() - started) / 1000,
};
say(`\n${formatTable(results)}`);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
writeResults(results, [
  here('./results/latest.json'),
  ...(process.argv.includes('--record') ? [here('../docs/performance-results.json')] : []),
]);
say(`figures written to bench/results/latest.json (runtime ${results.runtimeS.toFixed(0)} s)`);

function need<T>(figures: Record<string, T>, name: string): T {
  const value = figures[name];
  if (value === undefined) throw new Error(`no figures for ${name}`);
  return value;
}

function ratio(figures: Record<string, { rps: number }>, baselineName: string): number {
  return need(figures, 'latchkey').rps / need(figures, baselineName).rps;
}
