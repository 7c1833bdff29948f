import { LatchkeyError } from '@latchkey/core';
import { deliverDueWebhooks } from '@latchkey/events';
import type { AppDeps } from '../app-deps';
import { toEgressError } from '../egress';
import type { Job } from './job-runner';

/** Often, so that an event reaches its receivers within about a second of its change. */
const DELIVERY_INTERVAL_MS = 1000;
const DAY_MS = 86_400_000;

/** Sends the outbox's due webhook deliveries, one instance at a time (the job's lease). */
export function webhookDeliveryJob(deps: AppDeps): Job {
  return {
    name: 'webhook-deliveries',
    intervalMs: DELIVERY_INTERVAL_MS,
    run: async () => ({
      ...(await deliverDueWebhooks({
        store: deps.store,
        vault: deps.vault,
        now: deps.now,
        fetchWebhook: deps.egress.providerFetch,
        errorCodeOf: webhookErrorCode,
        retryBaseMs: deps.config.webhookRetryBaseSeconds * 1000,
        disableAfterMs: deps.config.webhookDisableAfterDays * DAY_MS,
        attempted: deps.metrics.webhooks.attempted,
      })),
    }),
  };
}

/** A stable code for the log of a failed attempt: never the error's text, which may name hosts. */
function webhookErrorCode(error: unknown): string {
  if (toEgressError(error)) return 'egress_denied';
  if (error instanceof LatchkeyError) return error.code;
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'timeout';
  return 'network_error';
}
