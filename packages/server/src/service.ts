import { type Catalog, loadCatalog } from '@latchkey/catalog';
import { createAccessTokens, createSharedCredentials, createVault } from '@latchkey/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app';
import type { AppDeps } from './app-deps';
import { ensureAdminAccount } from './bootstrap/admin-account';
import { resolveEncryptionKeys } from './bootstrap/encryption-keys';
import type { Config } from './config';
import { openConfiguredStore } from './configured-store';
import { createCoreDeps } from './core-deps';
import { createServiceEgress, type EgressOptions } from './egress';
import { createJobRunner, type JobRunner } from './jobs/job-runner';
import { serviceJobs } from './jobs/jobs';
import { type MetricsListener, startMetricsListener } from './metrics/metrics-listener';
import { collectProcessMetrics, createServiceMetrics } from './metrics/service-metrics';
import { openRateLimitStore } from './rate-limits/rate-limit-store';

export interface Service {
  app: FastifyInstance;
  deps: AppDeps;
  jobs: JobRunner;
  /**
   * Starts accepting connections, on `LATCHKEY_METRICS_ADDRESS` first (a port that cannot
   * be bound stops the start); answers the address the app listens on.
   */
  listen(host: string, port: number): Promise<string>;
  /** Where `GET /metrics` answers, once listening; undefined when metrics are off. */
  metricsUrl(): string | undefined;
  close(): Promise<void>;
}

/**
 * Connections waiting to be accepted (the kernel caps it at `net.core.somaxconn`). Node's
 * default of 511 overflows when a thousand clients connect at once while the event loop is
 * busy, and each overflowed connection waits a second for its SYN to be sent again
 * (`npm run bench`, refresh burst).
 */
const LISTEN_BACKLOG = 4096;

/** Opens storage, keys and the first admin, then builds the app: all `npm start` needs. */
export async function openService(
  config: Config,
  logger: Logger,
  options: {
    now?: () => number;
    announce?: (message: string) => void;
    egress?: EgressOptions;
    /** The provider presets; the catalog shipped in packages/catalog by default. */
    catalog?: Catalog;
  } = {},
): Promise<Service> {
  const vault = createVault(resolveEncryptionKeys(config, logger));
  const store = await openConfiguredStore(config, logger);
  const now = options.now ?? Date.now;
  const egress = createServiceEgress(config, logger, options.egress);
  const catalog = options.catalog ?? loadCatalog();
  const metrics = createServiceMetrics({ poolUsage: store.poolUsage });
  const core = createCoreDeps(config, { store, vault, now, egress, metrics, catalog });
  const rateLimitStore = await openRateLimitStore(config, logger);
  const deps: AppDeps = {
    ...core,
    metrics,
    config,
    logger,
    egress,
    rateLimitStore,
    accessTokens: createAccessTokens(core),
    sharedCredentials: createSharedCredentials(core),
  };
  await ensureAdminAccount({
    deps: core,
    adminPassword: config.adminPassword,
    now: now(),
    logger,
    announce: options.announce ?? ((message) => process.stderr.write(message)),
  });
  const app = await buildApp(deps);
  const jobs = createJobRunner({
    jobs: serviceJobs(deps),
    store,
    logger,
    now,
    metrics: metrics.jobs,
  });
  if (config.jobsEnabled) jobs.start();
  let metricsListener: MetricsListener | undefined;
  return {
    app,
    deps,
    jobs,
    async listen(host, port) {
      if (config.metricsAddress) {
        metricsListener = await startMetricsListener(
          metrics.registry,
          config.metricsAddress,
          logger,
        );
        collectProcessMetrics(metrics);
      }
      return app.listen({ host, port, backlog: LISTEN_BACKLOG });
    },
    metricsUrl: () => metricsListener?.url,
    async close() {
      await jobs.stop();
      await metricsListener?.close();
      await app.close();
      await egress.close();
      rateLimitStore.close();
      await store.close();
    },
  };
}
