import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { TargetFigures } from './alternate';
import type { RefreshBurstFigures } from './refresh-burst';

export const TARGETS = {
  tokenRatioMin: 0.7,
  proxyRatioMin: 0.7,
  proxyAddedLatencyMsMax: 1,
  refreshRequests: 1,
} as const;

export interface BenchResults {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  method: Record<string, string | number>;
  setup: {
    connections: number;
    users: number;
    connectors: number;
    baselineRows: number;
    seconds: number;
  };
  token: { baseline: TargetFigures; latchkey: TargetFigures; ratio: number };
  proxy: { forwarder: TargetFigures; latchkey: TargetFigures; ratio: number };
  latency8: {
    direct: TargetFigures;
    forwarder: TargetFigures;
    latchkey: TargetFigures;
    addedMeanMs: number;
  };
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

export function machine(): BenchResults['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

export function targetsMet(r: Omit<BenchResults, 'targetsMet' | 'runtimeS'>) {
  return {
    tokenRatio: r.token.ratio >= TARGETS.tokenRatioMin,
    proxyRatio: r.proxy.ratio >= TARGETS.proxyRatioMin,
    proxyAddedLatency: r.latency8.addedMeanMs <= TARGETS.proxyAddedLatencyMsMax,
    refreshCoalesced:
      r.refresh.refreshRequests === TARGETS.refreshRequests && r.refresh.ok === r.refresh.calls,
  };
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value: number) => `${n(value, 2)} ms`;
const verdict = (met: boolean | undefined) => (met ? 'met' : 'MISSED');

function loadRow(label: string, f: TargetFigures): string[] {
  const spread = f.runsRps.map((rps) => n(rps)).join(' / ');
  const cpu = f.cpuUsPerRequest === undefined ? '' : `${n(f.cpuUsPerRequest)} µs`;
  return [label, `${n(f.rps)} req/s (${spread})`, ms(f.p50Ms), ms(f.p99Ms), ms(f.meanMs), cpu];
}

/** The figures as a Markdown table (printed, and pasted into docs/performance.md). */
export function formatTable(r: BenchResults): string {
  const rows: string[][] = [
    ['Figure', 'Throughput (runs)', 'p50', 'p99', 'mean', 'server CPU / request'],
    loadRow('`_token` baseline (bare Fastify + SQLite + AES-GCM), 64 conn.', r.token.baseline),
    loadRow('`_token` Latchkey (API key on behalf), 64 conn.', r.token.latchkey),
    loadRow('proxy baseline (bare forwarder, undici Pool), 64 conn.', r.proxy.forwarder),
    loadRow('proxy Latchkey (API key on behalf), 64 conn.', r.proxy.latchkey),
    loadRow('upstream called directly, 8 conn.', r.latency8.direct),
    loadRow('bare forwarder, 8 conn.', r.latency8.forwarder),
    loadRow('Latchkey proxy, 8 conn.', r.latency8.latchkey),
  ];
  const met = r.targetsMet;
  const summary: string[][] = [
    ['Result', 'Value', 'Target', ''],
    ['`_token` Latchkey / baseline', n(r.token.ratio, 2), '≥ 0.70', verdict(met.tokenRatio)],
    ['proxy Latchkey / forwarder', n(r.proxy.ratio, 2), '≥ 0.70', verdict(met.proxyRatio)],
    [
      'mean latency the proxy adds at 8 conn. (vs direct)',
      ms(r.latency8.addedMeanMs),
      '≤ 1 ms',
      verdict(met.proxyAddedLatency),
    ],
    [
      `refresh requests for ${n(r.refresh.calls)} concurrent \`_token\` on an expired connection`,
      `${r.refresh.refreshRequests} (${r.refresh.ok} × 200, ${r.refresh.distinctTokens} token)`,
      'exactly 1',
      verdict(met.refreshCoalesced),
    ],
    ['… total time of the burst', ms(r.refresh.totalMs), '', ''],
    ['Latchkey rss, idle after setup', `${n(r.memoryMiB.latchkeyIdleRss)} MiB`, '', ''],
    [
      'Latchkey rss, peak under `_token` load',
      `${n(r.memoryMiB.latchkeyTokenLoadPeakRss)} MiB`,
      '',
      '',
    ],
    [
      'Latchkey rss, peak under proxy load',
      `${n(r.memoryMiB.latchkeyProxyLoadPeakRss)} MiB`,
      '',
      '',
    ],
    [
      'baseline rss, idle / peak under `_token` load',
      `${n(r.memoryMiB.baselineIdleRss)} / ${n(r.memoryMiB.baselineTokenLoadPeakRss)} MiB`,
      '',
      '',
    ],
    ['bench runtime', `${n(r.runtimeS)} s (setup ${n(r.setup.seconds)} s)`, '< ~180 s', ''],
  ];
  return `${markdown(rows)}\n\n${markdown(summary)}\n`;
}

function markdown(rows: string[][]): string {
  const [head, ...body] = rows as [string[], ...string[][]];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

export function writeResults(results: BenchResults, files: string[]): void {
  const json = `${JSON.stringify(results, null, 2)}\n`;
  for (const file of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, json);
  }
}
