import {
  keepConnectionsAlive,
  purgeUnusedConnections,
  retryPendingRevocations,
} from '@latchkey/core';
import type { AppDeps } from '../app-deps';
import { deleteExpiredAuditEvents } from './audit-retention';
import type { Job } from './job-runner';
import { webhookDeliveryJob } from './webhook-deliveries';
import { deleteExpiredOutboxRows } from './webhook-retention';

const DAY_MS = 86_400_000;

/** Every background job of the service, with its interval from the configuration. */
export function serviceJobs(deps: AppDeps): Job[] {
  const { config, store } = deps;
  const jobs: Job[] = [
    {
      name: 'expired-flows',
      intervalMs: config.flowCleanupIntervalSeconds * 1000,
      async run() {
        const now = deps.now();
        return {
          flowsDeleted: await store.oauthStates.deleteExpired(now),
          sessionsDeleted: await store.sessions.deleteExpired(now),
          connectSessionsDeleted: await store.connectSessions.deleteExpired(now),
        };
      },
    },
    {
      name: 'revocation-retries',
      intervalMs: config.revocationRetryIntervalSeconds * 1000,
      run: async () => ({ ...(await retryPendingRevocations(deps)) }),
    },
    webhookDeliveryJob(deps),
    {
      name: 'keep-alive',
      intervalMs: config.keepAliveIntervalSeconds * 1000,
      run: async () => ({
        ...(await keepConnectionsAlive(deps, deps.accessTokens, {
          horizonMs: (config.keepAliveIntervalSeconds + config.refreshMarginSeconds) * 1000,
          concurrency: config.keepAliveConcurrency,
          jitterMs: config.keepAliveJitterSeconds * 1000,
          random: Math.random,
        })),
      }),
    },
  ];
  if (config.unusedConnectionDays > 0) {
    jobs.push({
      name: 'unused-connections',
      intervalMs: config.flowCleanupIntervalSeconds * 1000,
      run: async () => ({
        ...(await purgeUnusedConnections(deps, deps.now() - config.unusedConnectionDays * DAY_MS)),
      }),
    });
  }
  if (config.auditRetentionDays > 0) {
    jobs.push({
      name: 'audit-retention',
      intervalMs: config.flowCleanupIntervalSeconds * 1000,
      run: () => deleteExpiredAuditEvents(store, deps.now() - config.auditRetentionDays * DAY_MS),
    });
  }
  if (config.webhookRetentionDays > 0) {
    jobs.push({
      name: 'webhook-retention',
      intervalMs: config.flowCleanupIntervalSeconds * 1000,
      run: () => deleteExpiredOutboxRows(store, deps.now() - config.webhookRetentionDays * DAY_MS),
    });
  }
  return jobs;
}
