import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TestProvider } from '@latchkey/testing';
import { buildBaselineTable } from './baseline-table';
import { type BenchEnvironment, benchEnvironment } from './bench-config';
import { type BenchChild, startChild } from './child-process';
import type { OAuthConnection } from './oauth-connection';
import { prepareDatabase } from './prepare-database';
import type { SeededConnections } from './seed-connections';

export interface LatchkeyOptions {
  prototypes?: string;
  cpuProfileDir?: string;
  /**
   * Another checkout of the repository (an earlier commit, extracted with `git archive`, its
   * `node_modules` linked): its server runs on this bench's data, for A/B runs of a change.
   */
  sourceTree?: string;
}

/** A prepared data directory, the upstream API and the test provider, ready for servers. */
export interface BenchSetup {
  env: BenchEnvironment;
  upstream: BenchChild;
  provider: TestProvider;
  seeded: SeededConnections;
  oauthConnection: OAuthConnection;
  baselineFile: string;
  baselineRows: number;
  setupS: number;
  startLatchkey(options?: LatchkeyOptions): Promise<BenchChild>;
  startBaseline(): Promise<BenchChild>;
  /** Stops the upstream and the provider and deletes the data directory. */
  close(): Promise<void>;
}

/** Everything before the first measurement: data, upstream, provider, baseline table. */
export async function setUpBench(): Promise<BenchSetup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  const env = benchEnvironment(dataDir);
  const upstream = await startChild('upstream', './upstream-process.ts');
  const started = performance.now();
  const { seeded, oauthConnection, provider } = await prepareDatabase(env, upstream.url);
  const baselineFile = join(dataDir, 'baseline.sqlite');
  const baselineRows = buildBaselineTable(join(dataDir, 'latchkey.sqlite'), baselineFile);
  const setupS = (performance.now() - started) / 1000;
  return {
    env,
    upstream,
    provider,
    seeded,
    oauthConnection,
    baselineFile,
    baselineRows,
    setupS,
    startLatchkey: (options = {}) =>
      startChild(
        `latchkey${options.prototypes ? `[${options.prototypes}]` : ''}${options.sourceTree ? `@${options.sourceTree}` : ''}`,
        options.sourceTree
          ? join(options.sourceTree, 'bench/latchkey-process.ts')
          : './latchkey-process.ts',
        { ...env.latchkeyEnv, BENCH_PROTOTYPES: options.prototypes ?? '' },
        options.cpuProfileDir,
      ),
    startBaseline: () =>
      startChild('baseline', './baseline-process.ts', {
        BENCH_BASELINE_DB: baselineFile,
        BENCH_BASELINE_AUDIT_DB: join(dataDir, 'baseline-audit.sqlite'),
        BENCH_API_KEY: seeded.apiKey,
        BENCH_UPSTREAM_URL: upstream.url,
        LATCHKEY_ENCRYPTION_KEYS: env.latchkeyEnv.LATCHKEY_ENCRYPTION_KEYS as string,
      }),
    async close() {
      await Promise.all([upstream.stop(), provider.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
