import {
  recordAudit,
  type Store,
  type StoredWebhookEndpoint,
  type Vault,
  type WebhookDelivery,
  type WebhookDeliveryWithEvent,
} from '@latchkey/core';
import { nextWebhookAttemptAt } from './retry-schedule';
import {
  isSuccessfulAttempt,
  sendWebhook,
  type WebhookAttemptResult,
  type WebhookFetch,
} from './send-webhook';
import { signWebhook } from './sign-webhook';
import { webhookPayloadOf } from './webhook-payload';
import { openWebhookSecret } from './webhook-secret';

export interface WebhookDeliveryDeps {
  store: Store;
  vault: Vault;
  now: () => number;
  fetchWebhook: WebhookFetch;
  /** A stable code for a failed attempt's error (`egress_denied`, `timeout`, `network_error`). */
  errorCodeOf: (error: unknown) => string;
  retryBaseMs: number;
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterMs: number;
  /** Each attempt's outcome, for metrics: `succeeded`, `failed`, `gave_up`. */
  attempted?: (outcome: DeliveryOutcome, latencyMs: number) => void;
}

export type DeliveryOutcome = 'succeeded' | 'failed' | 'gave_up';

export interface DeliveryReport {
  delivered: number;
  failed: number;
  gaveUp: number;
  endpointsDisabled: number;
}

/** Deliveries worked on in one run; the job runs again soon for the rest. */
const DELIVERIES_PER_RUN = 100;

/**
 * One run of the delivery job: every due delivery is attempted once, its outcome saved, and
 * its endpoint's health updated. Run it under a lease (one instance at a time): two runs
 * would send the same delivery twice.
 */
export async function deliverDueWebhooks(deps: WebhookDeliveryDeps): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, failed: 0, gaveUp: 0, endpointsDisabled: 0 };
  const due = await deps.store.webhooks.dueDeliveries(deps.now(), DELIVERIES_PER_RUN);
  const disabled = new Set<string>();
  for (const delivery of due) {
    if (disabled.has(delivery.endpointId)) continue;
    const endpoint = await deps.store.webhooks.findEndpoint(delivery.endpointId);
    if (!endpoint || endpoint.disabledAt !== null) continue;
    const outcome = await attemptDelivery(deps, endpoint, delivery);
    if (outcome === 'succeeded') report.delivered += 1;
    else if (outcome === 'gave_up') report.gaveUp += 1;
    else report.failed += 1;
    if (await updateEndpointHealth(deps, endpoint, outcome === 'succeeded')) {
      disabled.add(endpoint.id);
      report.endpointsDisabled += 1;
    }
  }
  return report;
}

async function attemptDelivery(
  deps: WebhookDeliveryDeps,
  endpoint: StoredWebhookEndpoint,
  delivery: WebhookDeliveryWithEvent,
): Promise<DeliveryOutcome> {
  const now = deps.now();
  const body = JSON.stringify(webhookPayloadOf(delivery.event));
  const headers = signWebhook(
    delivery.eventId,
    new Date(now),
    body,
    liveSecrets(deps, endpoint, now),
  );
  const result = await sendWebhook(
    deps.fetchWebhook,
    endpoint.url,
    headers,
    body,
    deps.errorCodeOf,
  );
  const attempts = delivery.attempts + 1;
  const succeeded = isSuccessfulAttempt(result);
  const nextAttemptAt = succeeded
    ? null
    : nextWebhookAttemptAt(delivery.event.createdAt, attempts, now, deps.retryBaseMs);
  const outcome: DeliveryOutcome = succeeded
    ? 'succeeded'
    : nextAttemptAt === null
      ? 'gave_up'
      : 'failed';
  const saved: WebhookDelivery = {
    eventId: delivery.eventId,
    endpointId: delivery.endpointId,
    status: outcome === 'succeeded' ? 'succeeded' : outcome === 'gave_up' ? 'failed' : 'pending',
    attempts,
    nextAttemptAt,
    lastAttemptAt: now,
    ...attemptColumns(result),
    createdAt: delivery.createdAt,
  };
  await deps.store.webhooks.saveDelivery(saved);
  deps.attempted?.(outcome, result.latencyMs);
  return outcome;
}

function attemptColumns(result: WebhookAttemptResult) {
  return result.answered
    ? { lastResponseStatus: result.status, lastLatencyMs: result.latencyMs, lastError: null }
    : { lastResponseStatus: null, lastLatencyMs: result.latencyMs, lastError: result.error };
}

/** The current secret, and the one a rotation replaced while its overlap lasts. */
function liveSecrets(
  deps: WebhookDeliveryDeps,
  endpoint: StoredWebhookEndpoint,
  now: number,
): string[] {
  const secrets = [openWebhookSecret(deps.vault, endpoint.id, 'secret', endpoint.sealedSecret)];
  const previous = endpoint.sealedPreviousSecret;
  if (previous && (endpoint.previousSecretExpiresAt ?? 0) > now) {
    secrets.push(openWebhookSecret(deps.vault, endpoint.id, 'previous_secret', previous));
  }
  return secrets;
}

/**
 * A success clears the endpoint's failing streak; a failure starts one, and one that has
 * lasted `disableAfterMs` disables the endpoint with the reason an admin sees. `true` when
 * this disabled it.
 */
async function updateEndpointHealth(
  deps: WebhookDeliveryDeps,
  endpoint: StoredWebhookEndpoint,
  succeeded: boolean,
): Promise<boolean> {
  const now = deps.now();
  if (succeeded) {
    if (endpoint.failingSince !== null) {
      await deps.store.webhooks.updateEndpoint(endpoint.id, { failingSince: null, updatedAt: now });
    }
    return false;
  }
  const failingSince = endpoint.failingSince ?? now;
  if (now - failingSince < deps.disableAfterMs) {
    if (endpoint.failingSince === null) {
      await deps.store.webhooks.updateEndpoint(endpoint.id, { failingSince, updatedAt: now });
    }
    return false;
  }
  const since = new Date(failingSince).toISOString();
  await deps.store.transaction(async (store) => {
    await store.webhooks.updateEndpoint(endpoint.id, {
      disabledAt: now,
      disabledReason: `every delivery failed since ${since}`,
      updatedAt: now,
    });
    await recordAudit(store, now, {
      action: 'webhook_disabled',
      outcome: 'failure',
      reason: 'failing',
      details: { webhookId: endpoint.id },
    });
  });
  return true;
}
