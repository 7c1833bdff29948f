import { join } from 'node:path';
import { startNginxProxy } from '../../packages/server/test/support/nginx-proxy';
import { type BenchChild, startChild } from '../child-process';
import type { ScaleSetup } from './prepare-at-scale';

/** A Latchkey instance and a token-reading baseline, on the scenario's database. */
export function startLatchkeyInstance(setup: ScaleSetup, name: string): Promise<BenchChild> {
  return startChild(name, './latchkey-process.ts', {
    ...setup.env.latchkeyEnv,
    BENCH_PROTOTYPES: '',
  });
}

export function startBaselineInstance(
  setup: ScaleSetup,
  name: string,
  upstreamUrl: string,
): Promise<BenchChild> {
  return startChild(name, './baseline-process.ts', {
    ...setup.baselineEnv,
    BENCH_API_KEY: setup.seeded.apiKey,
    BENCH_BASELINE_AUDIT_DB: join(setup.env.dataDir, `${name}-audit.sqlite`),
    BENCH_UPSTREAM_URL: upstreamUrl,
    LATCHKEY_ENCRYPTION_KEYS: setup.env.latchkeyEnv.LATCHKEY_ENCRYPTION_KEYS as string,
  });
}

/** nginx round-robin over `servers`, keep-alive to each, sized for the load runs. */
export async function balance(servers: readonly BenchChild[]) {
  const ports = servers.map((server) => Number(new URL(server.url).port));
  const proxy = await startNginxProxy(ports, { keepAlive: 64, maxConnections: 256 });
  return { url: `http://127.0.0.1:${proxy.port}`, stop: () => proxy.stop() };
}
