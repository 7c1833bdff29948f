import type { DeliveryOutcome } from '@latchkey/events';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface WebhookMetrics {
  attempted(outcome: DeliveryOutcome, latencyMs: number): void;
}

/** A receiver has at most the attempt timeout (10 s) to answer. */
const ATTEMPT_BUCKETS_S = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Webhook delivery attempts by outcome (a fixed list): never by endpoint, an unbounded set. */
export function createWebhookMetrics(registry: Registry): WebhookMetrics {
  const attempts = new Counter({
    name: 'latchkey_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome (succeeded, failed and retried later, gave_up).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'latchkey_webhook_attempt_duration_seconds',
    help: 'Time a webhook receiver took to answer an attempt (or to fail it).',
    buckets: ATTEMPT_BUCKETS_S,
    registers: [registry],
  });
  return {
    attempted(outcome, latencyMs) {
      attempts.inc({ outcome });
      duration.observe(latencyMs / 1000);
    },
  };
}
