import type { TargetFigures } from '../alternate';
import { GUARDED_VARIANTS, type GuardedVariant } from '../request-mix';
import type { ScenarioFigures } from './run-scenario';
import type { ScaleDialect } from './scale-database';
import type { SeedFigures } from './seed-at-scale';

export interface ScenarioResult extends ScenarioFigures {
  dialect: ScaleDialect;
  seed: SeedFigures;
  /** 1-minute load average when the scenario started and ended (2 CPUs, shared). */
  load: [number, number];
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const size = (connections: number) =>
  connections >= 1_000_000 ? `${connections / 1_000_000}M` : `${connections / 1_000}k`;

function pick(figures: Record<string, TargetFigures>, name: string): TargetFigures {
  const found = figures[name];
  if (!found) throw new Error(`no figures for ${name}`);
  return found;
}

/**
 * `Latchkey / baseline` req/s (or another proxy's, named), both figures, the proxy's p99,
 * CPU per call of each.
 */
function versus(
  figures: Record<string, TargetFigures>,
  spread: 'All' | 'Hot',
  proxy = `latchkey${spread}`,
): string {
  const l = pick(figures, proxy);
  const b = pick(figures, `baseline${spread}`);
  const cpu = (f: TargetFigures) => n(f.cpuUsPerRequest ?? 0);
  const failed = l.failed + b.failed;
  return (
    `**${n(l.rps / b.rps, 2)}** (${n(l.rps)} / ${n(b.rps)}), p99 ${n(l.p99Ms, 1)} ms, ` +
    `${cpu(l)} µs (${cpu(b)})${failed ? `, ${failed} FAILED` : ''}`
  );
}

/**
 * Mean latency a proxy (Latchkey unless named) adds over calling the API directly, and what
 * the baseline adds.
 */
function added(
  latency: Record<string, TargetFigures>,
  spread: 'All' | 'Hot',
  proxy = `latchkey${spread}`,
): string {
  const direct = pick(latency, 'direct').meanMs;
  const l = pick(latency, proxy).meanMs - direct;
  const b = pick(latency, `baseline${spread}`).meanMs - direct;
  return `**${n(l / b, 2)}×** (${n(l, 2)} / ${n(b, 2)} ms)`;
}

function peakRss(...groups: Record<string, TargetFigures>[]): number {
  const peaks = groups.flatMap((group) =>
    ['latchkeyAll', 'latchkeyHot'].map((name) => group[name]?.peakRssMiB ?? 0),
  );
  return Math.max(...peaks);
}

/** The guarded forwarder's added latency, and its partial versions' where they ran. */
function guardedRows(results: ScenarioResult[]): [string, (r: ScenarioResult) => string][] {
  const ran = (Object.keys(GUARDED_VARIANTS) as GuardedVariant[]).filter((variant) =>
    results.some((r) => r.one.latency8[`${variant}All`]),
  );
  return ran.map((variant) => [
    `… ${variant}'s, spread`,
    (r) => (r.one.latency8[`${variant}All`] ? added(r.one.latency8, 'All', `${variant}All`) : ''),
  ]);
}

/** One column per scenario; printed, and the source of docs/performance.md "At scale". */
export function formatScaleTable(results: ScenarioResult[]): string {
  const rows: [string, (r: ScenarioResult) => string][] = [
    ['load average, start → end', (r) => `${n(r.load[0], 1)} → ${n(r.load[1], 1)}`],
    ['seeding users + connections', (r) => `${n(r.seed.seconds, 1)} s`],
    ['`_token` spread, 1 instance', (r) => versus(r.one.token, 'All')],
    ['`_token` hot, 1 instance', (r) => versus(r.one.token, 'Hot')],
    ['proxy spread, 1 instance', (r) => versus(r.one.proxy, 'All')],
    ['proxy hot, 1 instance', (r) => versus(r.one.proxy, 'Hot')],
    [
      'proxy spread, 1 instance: guardedForwarder / baseline',
      (r) => versus(r.one.proxy, 'All', 'guardedForwarderAll'),
    ],
    ['added latency 8 conn., spread', (r) => added(r.one.latency8, 'All')],
    ['added latency 8 conn., hot', (r) => added(r.one.latency8, 'Hot')],
    ...guardedRows(results),
    ['`_token` spread, 2 instances', (r) => versus(r.two.token, 'All')],
    ['`_token` hot, 2 instances', (r) => versus(r.two.token, 'Hot')],
    ['proxy spread, 2 instances', (r) => versus(r.two.proxy, 'All')],
    ['proxy hot, 2 instances', (r) => versus(r.two.proxy, 'Hot')],
    ['rss idle, instance A / B', (r) => r.idleRssMiB.map((v) => `${n(v)} MiB`).join(' / ')],
    [
      'rss peak under load, 1 / 2 instances',
      (r) =>
        `${n(peakRss(r.one.token, r.one.proxy))} / ${n(peakRss(r.two.token, r.two.proxy))} MiB`,
    ],
    [
      'refresh requests, 1,000 calls over 2 instances',
      (r) =>
        `**${r.refresh.refreshRequests}** (${r.refresh.ok} × 200, ` +
        `${r.refresh.distinctTokens} token, ${n(r.refresh.totalMs)} ms)`,
    ],
  ];
  const header = results.map((r) => `${r.dialect} ${size(r.seed.connections)}`);
  const lines = [
    `| | ${header.join(' | ')} |`,
    `| --- |${results.map(() => ' --- |').join('')}`,
    ...rows.map(([label, cell]) => `| ${label} | ${results.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/**
 * Cost per call at the largest size over the smallest, per database: Latchkey's CPU per call,
 * and the baseline's beside it (what the database alone makes grow).
 */
export function formatGrowth(results: ScenarioResult[]): string {
  const lines = ['| growth of CPU per call, largest / smallest size | Latchkey | baseline |'];
  lines.push('| --- | --- | --- |');
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const sizes = results
      .filter((r) => r.dialect === dialect)
      .sort((a, b) => a.seed.connections - b.seed.connections);
    const small = sizes[0];
    const large = sizes[sizes.length - 1];
    if (!small || !large || small === large) continue;
    const label = `${dialect} ${size(small.seed.connections)} → ${size(large.seed.connections)}`;
    for (const [route, of] of [
      ['`_token`', (r: ScenarioResult) => r.one.token],
      ['proxy', (r: ScenarioResult) => r.one.proxy],
    ] as const) {
      for (const spread of ['All', 'Hot'] as const) {
        const growth = (name: string) =>
          (pick(of(large), name).cpuUsPerRequest ?? 0) /
          (pick(of(small), name).cpuUsPerRequest ?? 1);
        lines.push(
          `| ${label}, ${route} ${spread === 'All' ? 'spread' : 'hot'} | ` +
            `**${n(growth(`latchkey${spread}`), 2)}×** | ${n(growth(`baseline${spread}`), 2)}× |`,
        );
      }
    }
  }
  return lines.join('\n');
}
