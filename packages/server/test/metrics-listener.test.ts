import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@latchkey/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sampleValue, scrape } from './support/metrics-scrape';
import { freePort, type SpawnedService, spawnService } from './support/spawned-service';
import { startTestService, type TestService } from './support/test-service';

/** TCP listeners this process holds: the app's, the metrics', the test's own. */
function tcpListeners(): number {
  return process.getActiveResourcesInfo().filter((type) => type === 'TCPServerWrap').length;
}

/** A closed listener leaves the list a few event loop turns later: wait up to a second. */
async function expectTcpListeners(count: number): Promise<void> {
  for (let turn = 0; turn < 100 && tcpListeners() !== count; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(tcpListeners()).toBe(count);
}

function occupy(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('the metrics listener', () => {
  const opened: TestService[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((service) => service.stop()));
  });
  async function start(env: Record<string, string>) {
    const service = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false', ...env });
    opened.push(service);
    return service;
  }

  it('listens on nothing more than the app when off', async () => {
    const service = await start({ LATCHKEY_METRICS_ADDRESS: 'off' });
    const before = tcpListeners();
    await service.listen('127.0.0.1', 0);
    await expectTcpListeners(before + 1);
    expect(service.metricsUrl()).toBeUndefined();
  });

  it('listens on a port of its own, an IPv6 address in brackets included', async () => {
    const service = await start({ LATCHKEY_METRICS_ADDRESS: '[::1]:0' });
    const before = tcpListeners();
    await service.listen('127.0.0.1', 0);
    await expectTcpListeners(before + 2);
    expect(service.metricsUrl()).toMatch(/^http:\/\/\[::1\]:\d+\/metrics$/);
    expect(await scrape(service.metricsUrl())).toContain('# TYPE http_requests_total counter');
    await service.stop();
    opened.pop();
    await expectTcpListeners(before);
  });

  it('stops the start with a message naming the variable when the port is taken', async () => {
    const port = await freePort();
    const blocker = await occupy(port);
    try {
      const service = await start({ LATCHKEY_METRICS_ADDRESS: `127.0.0.1:${port}` });
      const before = tcpListeners();
      await expect(service.listen('127.0.0.1', 0)).rejects.toThrow(
        `LATCHKEY_METRICS_ADDRESS: cannot listen on 127.0.0.1:${port} (the port is in use)`,
      );
      // The app did not start listening either.
      await expectTcpListeners(before);
    } finally {
      blocker.close();
    }
  });

  it('serves the PostgreSQL pool usage', async () => {
    let database: TestPostgresDatabase | undefined;
    try {
      database = await createTestPostgresDatabase();
      const service = await start({
        LATCHKEY_DATABASE_URL: database.url,
        LATCHKEY_DATABASE_POOL_SIZE: '3',
        LATCHKEY_METRICS_ADDRESS: '127.0.0.1:0',
      });
      await service.listen('127.0.0.1', 0);
      const text = await scrape(service.metricsUrl());
      expect(sampleValue(text, 'latchkey_database_pool_max_connections')).toBe(3);
      const idle = sampleValue(text, 'latchkey_database_pool_connections', { state: 'idle' });
      const inUse = sampleValue(text, 'latchkey_database_pool_connections', { state: 'in_use' });
      expect(idle).toBeGreaterThanOrEqual(1);
      expect(inUse).toBe(0);
      expect(sampleValue(text, 'latchkey_database_pool_waiting_queries')).toBe(0);
      expect(text).not.toContain(database.url);
    } finally {
      await Promise.all(opened.splice(0).map((service) => service.stop()));
      await database?.drop();
    }
  });
});

describe('npm start with LATCHKEY_METRICS_ADDRESS', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-metrics-'));
  let running: SpawnedService | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null) running.child.kill('SIGTERM');
    await running?.exited;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function envWith(metricsAddress: string) {
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    return {
      baseUrl,
      env: {
        LATCHKEY_DATA_DIR: dataDir,
        LATCHKEY_PORT: String(port),
        LATCHKEY_PUBLIC_BASE_URL: baseUrl,
        LATCHKEY_METRICS_ADDRESS: metricsAddress,
      },
    };
  }

  it('serves /metrics on its address next to the app', async () => {
    const metricsPort = await freePort();
    const { baseUrl, env } = await envWith(`127.0.0.1:${metricsPort}`);
    running = spawnService(env);
    await running.waitUntilReady(baseUrl, 60_000);
    const text = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    const readiness = { route: '/readyz', status_code: '200' };
    expect(sampleValue(text, 'http_requests_total', readiness)).toBeGreaterThanOrEqual(1);
  });

  it('exits with a clear message when the metrics port is taken, serving nothing', async () => {
    const metricsPort = await freePort();
    const blocker = await occupy(metricsPort);
    try {
      const { baseUrl, env } = await envWith(`127.0.0.1:${metricsPort}`);
      running = spawnService(env);
      expect(await running.exited).toBe(1);
      expect(running.stderr()).toContain(
        `LATCHKEY_METRICS_ADDRESS: cannot listen on 127.0.0.1:${metricsPort} (the port is in use); choose another address, or off to disable metrics`,
      );
      await expect(fetch(`${baseUrl}/readyz`)).rejects.toThrow();
    } finally {
      blocker.close();
    }
  });
});
