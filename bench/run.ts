import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { alternate } from './alternate';
import { setUpBench } from './bench-servers';
import type { LoadRun } from './load';
import { expireConnection } from './oauth-connection';
import type { MemorySample } from './parent-channel';
import { runRefreshBurst } from './refresh-burst';
import { codeState, formatTable, machineState, writeResults } from './report';
import { requestMix } from './request-mix';
import { assembleResults } from './results';
import { CONNECTOR_COUNT, USER_COUNT } from './seed-connections';

/**
 * `npm run bench`: Latchkey next to bare baselines, measured in one run on this machine.
 * Processes: this one (setup, then the autocannon load generator and the test provider),
 * the Latchkey server, the baseline server and the upstream API, all sharing the cores.
 * `npm run bench -- --record` also writes docs/performance-results.json.
 * `BENCH_PROTOTYPES=a,b npm run bench` measures Latchkey with changes under evaluation.
 */
const LOAD = { connections: 64, durationS: 10, rounds: 2, warmupS: 2 };
const LATENCY = { connections: 8, durationS: 4, rounds: 2, warmupS: 1 };
const UNLOADED = { connections: 1, durationS: 3, rounds: 2, warmupS: 1 };
const REFRESH_CALLS = 1_000;

const started = performance.now();
const machineAtStart = machineState();
const say = (line: string) => process.stdout.write(`${line}\n`);
const logRun = (phase: string) => (target: string, run: LoadRun) =>
  say(
    `  ${phase} ${target}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, ` +
      `p99 ${run.p99Ms.toFixed(2)} ms${run.failed ? `, ${run.failed} FAILED` : ''}`,
  );

say(`setup: ${USER_COUNT} users × ${CONNECTOR_COUNT} connectors`);
const bench = await setUpBench();
const { seeded, upstream } = bench;
say(`setup: ${seeded.connectionCount} connections stored in ${bench.setupS.toFixed(1)} s`);
const prototypes = process.env.BENCH_PROTOTYPES ?? '';
if (prototypes) say(`prototypes applied to the Latchkey server: ${prototypes}`);
const latchkey = await bench.startLatchkey({ prototypes });
const baseline = await bench.startBaseline();
await new Promise((resolve) => setTimeout(resolve, 1000));
const idle = {
  latchkey: await latchkey.call<MemorySample>('memory'),
  baseline: await baseline.call<MemorySample>('memory'),
};

const mix = requestMix(seeded);
say('token retrieval: 64 connections, alternated');
const token = await alternate(
  [
    { name: 'baseline', url: baseline.url, nextRequest: mix.token, servers: [baseline] },
    { name: 'latchkey', url: latchkey.url, nextRequest: mix.token, servers: [latchkey] },
  ],
  LOAD,
  logRun('token'),
);
say('proxy: 64 connections, alternated');
const proxy = await alternate(
  [
    { name: 'forwarder', url: baseline.url, nextRequest: mix.proxy, servers: [baseline] },
    { name: 'latchkey', url: latchkey.url, nextRequest: mix.proxy, servers: [latchkey] },
    // Not the target's baseline: the practical limit of a proxy that stores its tokens.
    {
      name: 'storedForwarder',
      url: baseline.url,
      nextRequest: mix.proxyStored,
      servers: [baseline],
    },
  ],
  LOAD,
  logRun('proxy'),
);
const latencyTargets = [
  { name: 'direct', url: upstream.url, nextRequest: mix.direct },
  { name: 'forwarder', url: baseline.url, nextRequest: mix.proxy },
  { name: 'latchkey', url: latchkey.url, nextRequest: mix.proxy },
];
say('proxy latency: 8 connections, alternated');
const latency8 = await alternate(latencyTargets, LATENCY, logRun('latency'));
say('proxy latency: 1 connection (no queueing), alternated');
const latency1 = await alternate(latencyTargets, UNLOADED, logRun('latency'));
say(`refresh coalescing: ${REFRESH_CALLS} concurrent _token calls on an expired connection`);
const refresh = await runRefreshBurst({
  serviceUrls: [latchkey.url],
  apiKey: seeded.apiKey,
  expire: async (connection) => expireConnection(bench.env.dataDir, connection),
  connection: bench.oauthConnection,
  provider: bench.provider,
  calls: REFRESH_CALLS,
});
await Promise.all([latchkey.stop(), baseline.stop()]);
await bench.close();

const results = assembleResults({
  bench,
  prototypes,
  method: { load: LOAD, latency: LATENCY, unloaded: UNLOADED },
  phases: { token, proxy, latency8, latency1, refresh, idle },
  machine: { atStart: machineAtStart, atEnd: machineState() },
  code: codeState(),
  runtimeS: (performance.now() - started) / 1000,
});
say(`\n${formatTable(results)}`);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
writeResults(results, [
  here('./results/latest.json'),
  ...(process.argv.includes('--record') ? [here('../docs/performance-results.json')] : []),
]);
say(`figures written to bench/results/latest.json (runtime ${results.runtimeS.toFixed(0)} s)`);
