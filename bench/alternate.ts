import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchChild } from './child-process';
import { type BenchRequest, type LoadResult, type LoadRun, poolRuns, runLoad } from './load';
import type { LoadUsage } from './parent-channel';

export interface Target {
  name: string;
  url: string;
  nextRequest: () => BenchRequest;
  /** The processes serving this target: their `rss` and CPU time are sampled under load. */
  servers?: readonly BenchChild[];
}

export interface AlternationOptions {
  connections: number;
  durationS: number;
  rounds: number;
  warmupS: number;
}

export interface TargetFigures extends LoadResult {
  /** req/s of each measured run, in order: the spread between alternated runs. */
  runsRps: number[];
  /** The largest `rss` of one serving process while under load. */
  peakRssMiB?: number;
  /** CPU time the serving process spent per answered request (user + system). */
  cpuUsPerRequest?: number;
}

const PAUSE_MS = 500;

/**
 * Warms every target up once, then runs them in turn (A, B, A, B…), so that a slow drift of
 * the shared machine (another tenant, thermal state, the WAL growing) hits each target alike.
 */
export async function alternate(
  targets: Target[],
  options: AlternationOptions,
  onRun: (target: string, run: LoadRun) => void = () => {},
): Promise<Record<string, TargetFigures>> {
  const load = (target: Target, durationS: number) =>
    runLoad({
      url: target.url,
      connections: options.connections,
      durationS,
      nextRequest: target.nextRequest,
    });
  for (const target of targets) {
    await load(target, options.warmupS);
    await sleep(PAUSE_MS);
  }
  const runs = new Map<string, LoadRun[]>(targets.map((t) => [t.name, []]));
  const usages = new Map<string, LoadUsage[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < options.rounds; round += 1) {
    for (const target of targets) {
      const servers = target.servers ?? [];
      await Promise.all(servers.map((server) => server.call('startSampling')));
      const run = await load(target, options.durationS);
      const usage = await Promise.all(
        servers.map((server) => server.call<LoadUsage>('stopSampling')),
      );
      if (usage.length > 0) usages.get(target.name)?.push(combineUsage(usage));
      runs.get(target.name)?.push(run);
      onRun(target.name, run);
      await sleep(PAUSE_MS);
    }
  }
  const figures: Record<string, TargetFigures> = {};
  for (const target of targets) {
    const targetRuns = runs.get(target.name) ?? [];
    const pooled = poolRuns(targetRuns);
    figures[target.name] = {
      ...pooled,
      runsRps: targetRuns.map((run) => run.rps),
      ...usageFigures(usages.get(target.name) ?? [], pooled.ok),
    };
  }
  return figures;
}

/** Several instances behind one address: CPU adds up, `rss` is the largest instance's. */
function combineUsage(usages: LoadUsage[]): LoadUsage {
  return {
    peakRssMiB: Math.max(...usages.map((usage) => usage.peakRssMiB)),
    meanRssMiB: Math.max(...usages.map((usage) => usage.meanRssMiB)),
    cpuMs: usages.reduce((sum, usage) => sum + usage.cpuMs, 0),
  };
}

function usageFigures(usages: LoadUsage[], answered: number) {
  if (usages.length === 0) return {};
  const cpuMs = usages.reduce((sum, usage) => sum + usage.cpuMs, 0);
  return {
    peakRssMiB: Math.max(...usages.map((usage) => usage.peakRssMiB)),
    cpuUsPerRequest: (cpuMs * 1000) / answered,
  };
}
