import { rmSync } from 'node:fs';
import { setUpBench } from './bench-servers';
import { type BenchChild, startChild } from './child-process';
import { IDLE, type ProfileShare, summariseProfile } from './cpu-profile-summary';
import { type BenchRequest, runLoad } from './load';
import { requestMix } from './request-mix';
import { prepareAtScale } from './scale/prepare-at-scale';
import { startBaselineInstance, startLatchkeyInstance } from './scale/scale-servers';

/**
 * `npx tsx bench/profile-layers.ts [seconds]`: where a proxied call's CPU goes, in Latchkey,
 * in the forwarder that reads and decrypts its token (the proxy targets' yardstick) and in the
 * guarded forwarder (the same, keeping Latchkey's guarantees), side by side. Each server is
 * profiled over its own load runs only (`BENCH_CONNECTIONS`, 8 unless set: the latency
 * target's load; `BENCH_ROUNDS` runs of each, alternated), and its CPU is given in µs per
 * call by area (a package, a Node module, a native function, the VM), then by function (self
 * time, the 30 largest), then by the steps of a call (`STEPS`: inclusive time, callees
 * counted, only what runs before each step's first await). The profiler makes every figure
 * larger than without it; the columns compare with each other. `BENCH_DATABASE=postgres`
 * profiles the servers on PostgreSQL instead, seeded with 100,000 connections as
 * `bench:scale` seeds it (no `BENCH_PROTOTYPES` there).
 */
const durationS = Number(process.argv[2] ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
/** Connections seeded on PostgreSQL (`BENCH_DATABASE=postgres`): `bench:scale`'s smaller size. */
const POSTGRES_CONNECTIONS = 100_000;
/**
 * The steps of a proxied call, by function name, in each server (the forwarders' in
 * `bench/baseline-process.ts`, Latchkey's in `packages/server/src/proxy`, `routes/api/connectors/proxy.ts`
 * and the store), and Fastify's route lookup, which runs the hooks before the first await.
 * `BENCH_STEPS` (a regular expression on function names) asks for others instead.
 */
const STEPS = process.env.BENCH_STEPS
  ? new RegExp(process.env.BENCH_STEPS)
  : /^(lookup|storedToken|callUpstream|answer|sqliteTransaction|handler|find|toAccessToken|resolveProxyTarget|send|flush|returnableResponseHeaders|Reply\.send)$/;
const say = (line: string) => process.stdout.write(`${line}\n`);

const { seeded, forwarder, latchkey, close } =
  process.env.BENCH_DATABASE === 'postgres' ? await onPostgres() : await onSqlite();
const mix = requestMix(seeded);
/** One server's load, and what its profiles add up to. */
const sideOf = (server: BenchChild, nextRequest: () => BenchRequest) => ({
  server,
  nextRequest,
  areas: new Map<string, number>(),
  functions: new Map<string, number>(),
  steps: new Map<string, number>(),
  busyUs: 0,
  calls: 0,
});
const sides = [
  sideOf(forwarder, mix.proxyStored),
  sideOf(forwarder, mix.proxyGuarded),
  sideOf(latchkey, mix.proxy),
];
try {
  for (let round = 0; round < rounds; round += 1) {
    for (const side of sides) {
      const load = { url: side.server.url, connections, nextRequest: side.nextRequest };
      await runLoad({ ...load, durationS: 2 });
      await side.server.call('startProfile');
      const run = await runLoad({ ...load, durationS });
      const file = await side.server.call<string>('stopProfile');
      const summary = summariseProfile(file, Number.POSITIVE_INFINITY, STEPS);
      rmSync(file);
      addUp(side.areas, summary.areas, summary.totalUs);
      addUp(side.functions, summary.functions, summary.totalUs);
      addUp(side.steps, summary.inclusive, summary.totalUs);
      side.busyUs += summary.busyUs;
      side.calls += run.ok;
    }
  }
} finally {
  await close();
}

const perCall = (side: (typeof sides)[number], us: number) => us / side.calls;
const cells = (values: number[]) => values.map((value) => value.toFixed(1)).join(' | ');
say(`proxy, ${connections} connections, ${rounds} × ${durationS} s under the profiler`);
say('\n| µs per call | token-reading forwarder | guarded forwarder | Latchkey |');
say('| --- | --- | --- | --- |');
say(`| all (not idle) | ${cells(sides.map((side) => perCall(side, side.busyUs)))} |`);
printRows('areas');
say('\n| µs per call, self time | token-reading forwarder | guarded forwarder | Latchkey |');
say('| --- | --- | --- | --- |');
printRows('functions', 30);
say(
  '\n| µs per call, inclusive (a name may be more than one function) | token-reading forwarder | guarded forwarder | Latchkey |',
);
say('| --- | --- | --- | --- |');
printRows('steps');

/** The profile's µs, not idle, added to what the side's earlier rounds had by name. */
function addUp(into: Map<string, number>, shares: ProfileShare[], totalUs: number) {
  for (const { name, share } of shares) {
    if (name !== IDLE) into.set(name, (into.get(name) ?? 0) + share * totalUs);
  }
}

/** One row per area (or function) above 0.5 µs per call, the largest in any column first. */
function printRows(by: 'areas' | 'functions' | 'steps', limit = Number.POSITIVE_INFINITY) {
  const names = new Set(sides.flatMap((side) => [...side[by].keys()]));
  const rows = [...names]
    .map((name) => ({ name, perCall: sides.map((side) => perCall(side, side[by].get(name) ?? 0)) }))
    .filter((row) => Math.max(...row.perCall) >= 0.5)
    .sort((a, b) => Math.max(...b.perCall) - Math.max(...a.perCall))
    .slice(0, limit);
  for (const row of rows) say(`| ${row.name} | ${cells(row.perCall)} |`);
}

/**
 * The token-reading forwarder's process and Latchkey, on the bench's SQLite database;
 * `close` stops them and everything they need.
 */
function onSqlite() {
  return startedInOrder(async (stops) => {
    const bench = await setUpBench();
    stops.push(() => bench.close());
    const forwarder = await bench.startBaseline();
    stops.push(() => forwarder.stop());
    const latchkey = await bench.startLatchkey({ prototypes: process.env.BENCH_PROTOTYPES ?? '' });
    stops.push(() => latchkey.stop());
    return { seeded: bench.seeded, forwarder, latchkey };
  });
}

/** The same on PostgreSQL, seeded as `bench:scale` seeds it. */
function onPostgres() {
  return startedInOrder(async (stops) => {
    const upstream = await startChild('upstream', './upstream-process.ts');
    stops.push(() => upstream.stop());
    const setup = await prepareAtScale('postgres', POSTGRES_CONNECTIONS, upstream.url);
    stops.push(() => setup.close());
    const forwarder = await startBaselineInstance(setup, 'baseline', upstream.url);
    stops.push(() => forwarder.stop());
    const latchkey = await startLatchkeyInstance(setup, 'latchkey');
    stops.push(() => latchkey.stop());
    return { seeded: setup.seeded, forwarder, latchkey };
  });
}

/**
 * What `start` starts, with a `close` that runs the stops it pushed, last first; a start
 * that fails runs those pushed before it.
 */
async function startedInOrder<T>(start: (stops: (() => Promise<void>)[]) => Promise<T>) {
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    return { ...(await start(stops)), close };
  } catch (error) {
    await close();
    throw error;
  }
}
