import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { TargetFigures } from './alternate';
import type { BenchResults } from './results';

export const TARGETS = {
  tokenRatioMin: 0.7,
  proxyRatioMin: 0.7,
  proxyAddedLatencyMsMax: 1,
  refreshRequests: 1,
} as const;

/** Load on the machine from other tenants: the box is shared, so it is recorded. */
export interface MachineState {
  loadAverage1m: number;
}

export interface CodeState {
  commit: string;
  /** Files under packages/ with uncommitted changes when the bench ran. */
  uncommittedPackageFiles: number;
}

export function machineInfo() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

export function machineState(): MachineState {
  return { loadAverage1m: loadavg()[0] ?? 0 };
}

export function codeState(): CodeState {
  const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    const status = git(['status', '--porcelain', '--', 'packages']);
    return {
      commit: git(['rev-parse', '--short', 'HEAD']),
      uncommittedPackageFiles: status ? status.split('\n').length : 0,
    };
  } catch {
    return { commit: 'unknown', uncommittedPackageFiles: -1 };
  }
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

/** The figures as Markdown tables (printed, and pasted into docs/performance.md). */
export function formatTable(r: BenchResults): string {
  const rows: string[][] = [
    ['Figure', 'Throughput (runs)', 'p50', 'p99', 'mean', 'server CPU / request'],
    loadRow('`_token` baseline (bare Fastify + SQLite + AES-GCM), 64 conn.', r.token.baseline),
    loadRow('`_token` Latchkey (API key on behalf), 64 conn.', r.token.latchkey),
    loadRow('proxy baseline (bare forwarder, undici Pool), 64 conn.', r.proxy.forwarder),
    loadRow('proxy Latchkey (API key on behalf), 64 conn.', r.proxy.latchkey),
    loadRow(
      'forwarder reading and decrypting its token first (no target), 64 conn.',
      r.proxy.storedForwarder,
    ),
    loadRow('upstream called directly, 8 conn.', r.latency8.direct),
    loadRow('bare forwarder, 8 conn.', r.latency8.forwarder),
    loadRow('Latchkey proxy, 8 conn.', r.latency8.latchkey),
    loadRow('upstream called directly, 1 conn.', r.latency1.direct),
    loadRow('bare forwarder, 1 conn.', r.latency1.forwarder),
    loadRow('Latchkey proxy, 1 conn.', r.latency1.latchkey),
  ];
  const met = r.targetsMet;
  const failed = [r.token, r.proxy, r.latency8, r.latency1]
    .flatMap((phase) =>
      Object.values(phase).filter((f): f is TargetFigures => typeof f === 'object'),
    )
    .reduce((sum, figures) => sum + figures.failed, 0);
  const mib = (value: number) => `${n(value)} MiB`;
  const summary: string[][] = [
    ['Result', 'Value', 'Target', ''],
    ['`_token` Latchkey / baseline, req/s', n(r.token.ratio, 2), '≥ 0.70', verdict(met.tokenRatio)],
    ['… CPU per request, baseline / Latchkey', n(r.token.cpuRatio, 2), '', ''],
    ['proxy Latchkey / forwarder, req/s', n(r.proxy.ratio, 2), '≥ 0.70', verdict(met.proxyRatio)],
    ['… CPU per request, forwarder / Latchkey', n(r.proxy.cpuRatio, 2), '', ''],
    [
      '… Latchkey / forwarder reading its token, req/s (CPU)',
      `${n(r.proxy.storedForwarderRatio, 2)} (${n(r.proxy.storedForwarderCpuRatio, 2)})`,
      '',
      '',
    ],
    [
      'mean latency the proxy adds at 8 conn. (vs direct)',
      ms(r.latency8.addedMeanMs),
      '≤ 1 ms',
      verdict(met.proxyAddedLatency),
    ],
    ['… a bare forwarder adds, 8 conn.', ms(r.latency8.forwarderAddedMeanMs), '', ''],
    [
      '… Latchkey / bare forwarder add, 1 conn.',
      `${ms(r.latency1.addedMeanMs)} / ${ms(r.latency1.forwarderAddedMeanMs)}`,
      '',
      '',
    ],
    [
      `refresh requests for ${n(r.refresh.calls)} concurrent \`_token\` on an expired connection`,
      `${r.refresh.refreshRequests} (${r.refresh.ok} × 200, ${r.refresh.distinctTokens} token)`,
      'exactly 1',
      verdict(met.refreshCoalesced),
    ],
    ['… total time of the burst', ms(r.refresh.totalMs), '', ''],
    ['Latchkey rss: idle after setup', mib(r.memoryMiB.latchkeyIdleRss), '', ''],
    [
      'Latchkey rss: peak under `_token` / proxy load',
      `${mib(r.memoryMiB.latchkeyTokenLoadPeakRss)} / ${mib(r.memoryMiB.latchkeyProxyLoadPeakRss)}`,
      '',
      '',
    ],
    [
      'baseline rss: idle / peak under `_token` load',
      `${mib(r.memoryMiB.baselineIdleRss)} / ${mib(r.memoryMiB.baselineTokenLoadPeakRss)}`,
      '',
      '',
    ],
    [
      'machine load average (1 min) at start / end',
      `${n(r.machine.atStart.loadAverage1m, 1)} / ${n(r.machine.atEnd.loadAverage1m, 1)} on ${r.machine.cpus} CPUs`,
      '',
      '',
    ],
    ['non-2xx answers and errors, all load runs', n(failed), '0', failed === 0 ? 'met' : 'CHECK'],
    ['bench runtime', `${n(r.runtimeS)} s (setup ${n(r.setup.seconds)} s)`, '< ~200 s', ''],
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
