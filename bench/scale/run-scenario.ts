import { setTimeout as sleep } from 'node:timers/promises';
import { type AlternationOptions, alternate, type Target, type TargetFigures } from '../alternate';
import type { BenchChild } from '../child-process';
import type { LoadRun } from '../load';
import type { MemorySample } from '../parent-channel';
import { type RefreshBurstFigures, runRefreshBurst } from '../refresh-burst';
import { guardedVariantsToRun } from '../request-mix';
import type { ScaleSetup } from './prepare-at-scale';
import { scaleMix } from './scale-mix';
import { balance, startBaselineInstance, startLatchkeyInstance } from './scale-servers';

export interface ScaleOptions {
  load: AlternationOptions;
  latency: AlternationOptions;
  refreshCalls: number;
}

type Figures = Record<string, TargetFigures>;

export interface ScenarioFigures {
  /** `rss` of each Latchkey instance 1 s after it started on the seeded database. */
  idleRssMiB: number[];
  one: { token: Figures; proxy: Figures; latency8: Figures };
  two: { token: Figures; proxy: Figures };
  refresh: RefreshBurstFigures;
}

const IDLE_SETTLE_MS = 1000;

/**
 * One database at one size: one Latchkey instance against its baselines (spread and hot),
 * then two instances behind nginx against two baselines behind nginx, then the refresh
 * burst split over the two instances.
 */
export async function runScenario(
  setup: ScaleSetup,
  upstream: BenchChild,
  options: ScaleOptions,
  say: (line: string) => void,
): Promise<ScenarioFigures> {
  const started: { stop(): Promise<void> }[] = [];
  const track = <T extends { stop(): Promise<void> }>(value: T) => {
    started.push(value);
    return value;
  };
  try {
    const latchkey = track(await startLatchkeyInstance(setup, 'latchkey-a'));
    const baseline = track(await startBaselineInstance(setup, 'baseline-a', upstream.url));
    await sleep(IDLE_SETTLE_MS);
    const idleFirst = await latchkey.call<MemorySample>('memory');
    const one = await measureOneInstance(setup, latchkey, baseline, upstream, options, say);

    const latchkeyB = track(await startLatchkeyInstance(setup, 'latchkey-b'));
    const baselineB = track(await startBaselineInstance(setup, 'baseline-b', upstream.url));
    await sleep(IDLE_SETTLE_MS);
    const idleSecond = await latchkeyB.call<MemorySample>('memory');
    const latchkeys = [latchkey, latchkeyB];
    const latchkeyLb = track(await balance(latchkeys));
    const baselineLb = track(await balance([baseline, baselineB]));
    const pair = {
      latchkey: { url: latchkeyLb.url, servers: latchkeys },
      baseline: { url: baselineLb.url, servers: [baseline, baselineB] },
    };
    const two = await measureRoutes(setup, pair, options.load, ['token', 'proxy'], say, '2×');
    say(`  refresh: ${options.refreshCalls} concurrent calls over two instances`);
    const refresh = await runRefreshBurst({
      serviceUrls: latchkeys.map((instance) => instance.url),
      apiKey: setup.seeded.apiKey,
      expire: (connection) => setup.database.expire(connection),
      connection: setup.oauthConnection,
      provider: setup.provider,
      calls: options.refreshCalls,
    });
    return {
      idleRssMiB: [idleFirst.rssMiB, idleSecond.rssMiB],
      one,
      two: { token: two.token ?? {}, proxy: two.proxy ?? {} },
      refresh,
    };
  } finally {
    for (const value of started.reverse()) await value.stop();
  }
}

async function measureOneInstance(
  setup: ScaleSetup,
  latchkey: BenchChild,
  baseline: BenchChild,
  upstream: BenchChild,
  options: ScaleOptions,
  say: (line: string) => void,
) {
  const pair = {
    latchkey: { url: latchkey.url, servers: [latchkey] },
    baseline: { url: baseline.url, servers: [baseline] },
  };
  const all = scaleMix(setup.seeded, 'all');
  const hot = scaleMix(setup.seeded, 'hot');
  const guarded: Target = {
    name: 'guardedForwarderAll',
    ...pair.baseline,
    nextRequest: () => all.proxyGuarded(),
  };
  const routes = await measureRoutes(setup, pair, options.load, ['token', 'proxy'], say, '1×', [
    guarded,
  ]);
  say(`  latency: ${options.latency.connections} connections, alternated`);
  const latency8 = await alternate(
    [
      { name: 'direct', url: upstream.url, nextRequest: all.direct },
      { name: 'baselineAll', url: baseline.url, nextRequest: all.proxyStored },
      { name: 'latchkeyAll', url: latchkey.url, nextRequest: all.proxy },
      ...guardedVariantsToRun().map((variant) => ({
        name: `${variant}All`,
        url: baseline.url,
        nextRequest: () => all.proxyGuarded(variant),
      })),
      { name: 'baselineHot', url: baseline.url, nextRequest: hot.proxyStored },
      { name: 'latchkeyHot', url: latchkey.url, nextRequest: hot.proxy },
    ],
    options.latency,
    logRun(say, 'latency'),
  );
  return { token: routes.token ?? {}, proxy: routes.proxy ?? {}, latency8 };
}

interface Served {
  url: string;
  servers: BenchChild[];
}

/**
 * Per route, baseline and Latchkey alternated, each with the load spread over every
 * connection and over the hot ones. For the proxy the baseline is the forwarder that reads
 * and decrypts its token, and `proxyAlso` joins the alternation (the guarded forwarder).
 */
async function measureRoutes(
  setup: ScaleSetup,
  pair: { latchkey: Served; baseline: Served },
  load: AlternationOptions,
  routes: ('token' | 'proxy')[],
  say: (line: string) => void,
  label: string,
  proxyAlso: Target[] = [],
): Promise<Partial<Record<'token' | 'proxy', Figures>>> {
  const mixes = { All: scaleMix(setup.seeded, 'all'), Hot: scaleMix(setup.seeded, 'hot') };
  const figures: Partial<Record<'token' | 'proxy', Figures>> = {};
  for (const route of routes) {
    const targets: Target[] = [];
    for (const [spread, mix] of Object.entries(mixes)) {
      targets.push(
        {
          name: `baseline${spread}`,
          ...pair.baseline,
          nextRequest: route === 'token' ? mix.token : mix.proxyStored,
        },
        { name: `latchkey${spread}`, ...pair.latchkey, nextRequest: mix[route] },
      );
    }
    if (route === 'proxy') targets.push(...proxyAlso);
    say(`  ${label} ${route}: ${load.connections} connections, alternated`);
    figures[route] = await alternate(targets, load, logRun(say, `${label} ${route}`));
  }
  return figures;
}

function logRun(say: (line: string) => void, phase: string) {
  return (target: string, run: LoadRun) =>
    say(
      `    ${phase} ${target}: ${run.rps.toFixed(0)} req/s, mean ${run.meanMs.toFixed(2)} ms, ` +
        `p99 ${run.p99Ms.toFixed(2)} ms${run.failed ? `, ${run.failed} FAILED` : ''}`,
    );
}
