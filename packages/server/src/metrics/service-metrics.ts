import type { CoreMetrics } from '@latchkey/core';
import type { PoolUsage } from '@latchkey/store';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createDomainMetrics } from './domain-metrics';
import { createHttpMetrics, type HttpMetrics } from './http-metrics';
import { createJobMetrics, type JobMetrics } from './job-metrics';
import { registerPoolMetrics } from './pool-metrics';
import { createProxyMetrics, type ProxyMetrics } from './proxy-metrics';
import { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics';

/** Everything one service instance counts, in a registry of its own. */
export interface ServiceMetrics extends CoreMetrics {
  registry: Registry;
  http: HttpMetrics;
  proxy: ProxyMetrics;
  jobs: JobMetrics;
  webhooks: WebhookMetrics;
}

/**
 * A registry per service, not prom-client's global one: two services in one process (tests)
 * keep their counts apart.
 */
export function createServiceMetrics(options: {
  poolUsage: (() => PoolUsage) | undefined;
}): ServiceMetrics {
  const registry = new Registry();
  if (options.poolUsage) registerPoolMetrics(registry, options.poolUsage);
  return {
    ...createDomainMetrics(registry),
    registry,
    http: createHttpMetrics(registry),
    proxy: createProxyMetrics(registry),
    jobs: createJobMetrics(registry),
    webhooks: createWebhookMetrics(registry),
  };
}

/**
 * prom-client's process metrics (CPU, memory, event loop lag, GC): they run a timer and
 * observers of their own, so only a service that serves its metrics starts them, once.
 */
export function collectProcessMetrics(metrics: ServiceMetrics): void {
  collectDefaultMetrics({ register: metrics.registry });
}
