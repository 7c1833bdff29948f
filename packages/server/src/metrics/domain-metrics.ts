import type { CoreMetrics } from '@latchkey/core';
import { Counter, Histogram, type Registry } from 'prom-client';

/** A lease is free at once unless another holder refreshes; its wait is bounded by twice the provider timeout. */
const LEASE_WAIT_BUCKETS_S = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 60];

/** The domain's flow, refresh and lease reports as Prometheus series. */
export function createDomainMetrics(registry: Registry): CoreMetrics {
  const flowsStarted = new Counter({
    name: 'latchkey_flows_started_total',
    help: 'Authorization flows started.',
    registers: [registry],
  });
  const flowsFinished = new Counter({
    name: 'latchkey_flows_finished_total',
    help: 'Authorization flows ended: connected, cancelled, or the error code that ended them.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const refreshes = new Counter({
    name: 'latchkey_refreshes_total',
    help: 'Access token refreshes of users connections, by outcome (a word or an error code).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const refreshesDeferred = new Counter({
    name: 'latchkey_refreshes_deferred_total',
    help: 'Calls that needed a refresh within a failed refresh cool-down, answered without one.',
    registers: [registry],
  });
  const leaseWaits = new Histogram({
    name: 'latchkey_lock_wait_seconds',
    help: 'Time spent waiting for a cross-instance lock, by lock and whether it was obtained.',
    labelNames: ['lock', 'outcome'] as const,
    buckets: LEASE_WAIT_BUCKETS_S,
    registers: [registry],
  });
  const scopesChanged = new Counter({
    name: 'latchkey_connection_scopes_changed_total',
    help: 'Connects that changed the scopes a connection was granted.',
    registers: [registry],
  });
  const verifications = new Counter({
    name: 'latchkey_connection_verifications_total',
    help: 'Connections checked on demand at their provider, by outcome (a word or an error code).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return {
    flowStarted: () => flowsStarted.inc(),
    flowFinished: (outcome) => flowsFinished.inc({ outcome }),
    refreshFinished: (outcome) => refreshes.inc({ outcome }),
    refreshDeferred: () => refreshesDeferred.inc(),
    leaseWaited: (lock, seconds, acquired) =>
      leaseWaits.observe({ lock, outcome: acquired ? 'acquired' : 'timed_out' }, seconds),
    scopesChanged: () => scopesChanged.inc(),
    connectionVerified: (outcome) => verifications.inc({ outcome }),
  };
}
