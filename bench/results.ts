import type { TargetFigures } from './alternate';
import type { BenchSetup } from './bench-servers';
import type { MemorySample } from './parent-channel';
import type { RefreshBurstFigures } from './refresh-burst';
import { type CodeState, type MachineState, machineInfo, TARGETS } from './report';

type Figures = Record<string, TargetFigures>;

/** Latchkey next to its baseline: throughput ratio and CPU-cost ratio (baseline ÷ Latchkey). */
export interface Comparison {
  latchkey: TargetFigures;
  ratio: number;
  /** CPU per request of the baseline server ÷ Latchkey's: robust to other load on the box. */
  cpuRatio: number;
}

export interface LatencyComparison {
  direct: TargetFigures;
  forwarder: TargetFigures;
  latchkey: TargetFigures;
  /** Mean latency through Latchkey minus straight to the upstream. */
  addedMeanMs: number;
  forwarderAddedMeanMs: number;
}

export interface BenchResults {
  date: string;
  machine: ReturnType<typeof machineInfo> & { atStart: MachineState; atEnd: MachineState };
  code: CodeState;
  method: Record<string, unknown>;
  setup: {
    connections: number;
    users: number;
    connectors: number;
    baselineRows: number;
    seconds: number;
  };
  token: Comparison & { baseline: TargetFigures };
  proxy: Comparison & {
    forwarder: TargetFigures;
    /** The same forwarder reading and decrypting the caller's token first (no target). */
    storedForwarder: TargetFigures;
    storedForwarderRatio: number;
    storedForwarderCpuRatio: number;
  };
  latency8: LatencyComparison;
  latency1: LatencyComparison;
  refresh: RefreshBurstFigures;
  memoryMiB: {
    latchkeyIdleRss: number;
    latchkeyTokenLoadPeakRss: number;
    latchkeyProxyLoadPeakRss: number;
    baselineIdleRss: number;
    baselineTokenLoadPeakRss: number;
  };
  targetsMet: Record<string, boolean>;
  runtimeS: number;
}

export function assembleResults(input: {
  bench: BenchSetup;
  prototypes: string;
  method: Record<string, unknown>;
  phases: {
    token: Figures;
    proxy: Figures;
    latency8: Figures;
    latency1: Figures;
    refresh: RefreshBurstFigures;
    idle: { latchkey: MemorySample; baseline: MemorySample };
  };
  machine: { atStart: MachineState; atEnd: MachineState };
  code: CodeState;
  runtimeS: number;
}): BenchResults {
  const { bench, phases } = input;
  const token = { baseline: need(phases.token, 'baseline'), ...compare(phases.token, 'baseline') };
  const stored = compare(phases.proxy, 'storedForwarder');
  const proxy = {
    forwarder: need(phases.proxy, 'forwarder'),
    ...compare(phases.proxy, 'forwarder'),
    storedForwarder: need(phases.proxy, 'storedForwarder'),
    storedForwarderRatio: stored.ratio,
    storedForwarderCpuRatio: stored.cpuRatio,
  };
  const latency8 = latencies(phases.latency8);
  const results: Omit<BenchResults, 'targetsMet'> = {
    date: new Date().toISOString(),
    machine: { ...machineInfo(), ...input.machine },
    code: input.code,
    method: {
      processes: 'bench (setup, autocannon, oidc-provider) | Latchkey | baseline | upstream',
      logLevel: bench.env.latchkeyEnv.LATCHKEY_LOG_LEVEL ?? 'warn',
      prototypes: input.prototypes || 'none',
      order: 'each target warmed up, then the targets of a phase in turn, twice round',
      ...input.method,
    },
    setup: {
      connections: bench.seeded.connectionCount,
      users: bench.seeded.userIds.length,
      connectors: bench.seeded.connectorIds.length,
      baselineRows: bench.baselineRows,
      seconds: bench.setupS,
    },
    token,
    proxy,
    latency8,
    latency1: latencies(phases.latency1),
    refresh: phases.refresh,
    memoryMiB: {
      latchkeyIdleRss: phases.idle.latchkey.rssMiB,
      latchkeyTokenLoadPeakRss: token.latchkey.peakRssMiB ?? 0,
      latchkeyProxyLoadPeakRss: proxy.latchkey.peakRssMiB ?? 0,
      baselineIdleRss: phases.idle.baseline.rssMiB,
      baselineTokenLoadPeakRss: token.baseline.peakRssMiB ?? 0,
    },
    runtimeS: input.runtimeS,
  };
  return {
    ...results,
    targetsMet: {
      tokenRatio: token.ratio >= TARGETS.tokenRatioMin,
      proxyRatio: proxy.ratio >= TARGETS.proxyRatioMin,
      proxyAddedLatency: latency8.addedMeanMs <= TARGETS.proxyAddedLatencyMsMax,
      refreshCoalesced:
        phases.refresh.refreshRequests === TARGETS.refreshRequests &&
        phases.refresh.ok === phases.refresh.calls,
    },
  };
}

function compare(figures: Figures, baselineName: string): Comparison {
  const latchkey = need(figures, 'latchkey');
  const baseline = need(figures, baselineName);
  return {
    latchkey,
    ratio: latchkey.rps / baseline.rps,
    cpuRatio: (baseline.cpuUsPerRequest ?? 0) / (latchkey.cpuUsPerRequest ?? 1),
  };
}

function latencies(figures: Figures): LatencyComparison {
  const direct = need(figures, 'direct');
  const forwarder = need(figures, 'forwarder');
  const latchkey = need(figures, 'latchkey');
  return {
    direct,
    forwarder,
    latchkey,
    addedMeanMs: latchkey.meanMs - direct.meanMs,
    forwarderAddedMeanMs: forwarder.meanMs - direct.meanMs,
  };
}

function need(figures: Figures, name: string): TargetFigures {
  const value = figures[name];
  if (value === undefined) throw new Error(`no figures for ${name}`);
  return value;
}
