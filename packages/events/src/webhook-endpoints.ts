import { randomUUID } from 'node:crypto';
import type { CreateWebhookInput } from '@latchkey/core';
import {
  type CoreDeps,
  checkEndpointUrl,
  LatchkeyError,
  recordAudit,
  type StoredWebhookEndpoint,
} from '@latchkey/core';
import { generateWebhookSecret, openWebhookSecret, sealWebhookSecret } from './webhook-secret';

/** After a rotation, the replaced secret still signs for this long, so receivers can switch. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3_600_000;

type WebhookDeps = Pick<CoreDeps, 'store' | 'vault' | 'now' | 'endpointPolicy'>;

/** Registers an endpoint; its secret is in the answer only, and sealed at rest. */
export async function createWebhookEndpoint(
  deps: WebhookDeps,
  input: CreateWebhookInput,
  actorUserId: string,
): Promise<{ endpoint: StoredWebhookEndpoint; secret: string }> {
  checkEndpointUrl('url', input.url, deps.endpointPolicy);
  const now = deps.now();
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const endpoint: StoredWebhookEndpoint = {
    id,
    url: input.url,
    events: [...new Set(input.events)].sort(),
    sealedSecret: sealWebhookSecret(deps.vault, id, 'secret', secret),
    sealedPreviousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    disabledAt: null,
    disabledReason: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.transaction(async (store) => {
    await store.webhooks.insertEndpoint(endpoint);
    await recordAudit(store, now, {
      action: 'webhook_created',
      actorUserId,
      details: { webhookId: id, events: endpoint.events.length },
    });
  });
  return { endpoint, secret };
}

export async function findWebhookEndpoint(
  deps: Pick<CoreDeps, 'store'>,
  id: string,
): Promise<StoredWebhookEndpoint> {
  const endpoint = await deps.store.webhooks.findEndpoint(id);
  if (!endpoint) throw new LatchkeyError('webhook_not_found');
  return endpoint;
}

export async function deleteWebhookEndpoint(
  deps: WebhookDeps,
  id: string,
  actorUserId: string,
): Promise<void> {
  await deps.store.transaction(async (store) => {
    if (!(await store.webhooks.deleteEndpoint(id))) throw new LatchkeyError('webhook_not_found');
    await recordAudit(store, deps.now(), {
      action: 'webhook_deleted',
      actorUserId,
      details: { webhookId: id },
    });
  });
}

/**
 * Replaces the signing secret; the old one keeps signing beside it for
 * `WEBHOOK_SECRET_OVERLAP_MS` (Standard Webhooks: several signatures in one header).
 */
export async function rotateWebhookSecret(
  deps: WebhookDeps,
  id: string,
  actorUserId: string,
): Promise<{ endpoint: StoredWebhookEndpoint; secret: string }> {
  const now = deps.now();
  const secret = generateWebhookSecret();
  const endpoint = await deps.store.transaction(async (store) => {
    const current = await store.webhooks.findEndpoint(id);
    if (!current) throw new LatchkeyError('webhook_not_found');
    const currentSecret = openWebhookSecret(deps.vault, id, 'secret', current.sealedSecret);
    const patch = {
      sealedSecret: sealWebhookSecret(deps.vault, id, 'secret', secret),
      sealedPreviousSecret: sealWebhookSecret(deps.vault, id, 'previous_secret', currentSecret),
      previousSecretExpiresAt: now + WEBHOOK_SECRET_OVERLAP_MS,
      updatedAt: now,
    };
    await store.webhooks.updateEndpoint(id, patch);
    await recordAudit(store, now, {
      action: 'webhook_secret_rotated',
      actorUserId,
      details: { webhookId: id },
    });
    return { ...current, ...patch };
  });
  return { endpoint, secret };
}

/**
 * Sends a delivery again at the next run of the job, with its `webhook-id` unchanged so a
 * receiver that already has it can tell. A disabled endpoint is enabled again by this: the
 * admin asked for a delivery to it.
 */
export async function redeliverWebhook(
  deps: WebhookDeps,
  endpointId: string,
  eventId: string,
  actorUserId: string,
): Promise<void> {
  const now = deps.now();
  await deps.store.transaction(async (store) => {
    const delivery = await store.webhooks.findDelivery(eventId, endpointId);
    if (!delivery) throw new LatchkeyError('webhook_delivery_not_found');
    // On PostgreSQL the retention may delete it between the read and this write.
    const queued = await store.webhooks.saveDelivery({
      ...delivery,
      status: 'pending',
      nextAttemptAt: now,
    });
    if (!queued) throw new LatchkeyError('webhook_delivery_not_found');
    await store.webhooks.updateEndpoint(endpointId, {
      disabledAt: null,
      disabledReason: null,
      failingSince: null,
      updatedAt: now,
    });
    await recordAudit(store, now, {
      action: 'webhook_redelivered',
      actorUserId,
      details: { webhookId: endpointId, eventId },
    });
  });
}
