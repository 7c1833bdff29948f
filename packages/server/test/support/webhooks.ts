import type { ConnectionEventType } from '@latchkey/core';
import type { ReceivedWebhook } from '@latchkey/testing';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';
import type { TestService } from './test-service';

export interface RegisteredWebhook {
  id: string;
  secret: string;
}

/** Registers a webhook endpoint as admin and returns its id and its one-time secret. */
export async function registerWebhook(
  service: TestService,
  url: string,
  events: readonly ConnectionEventType[],
): Promise<RegisteredWebhook> {
  const response = await service.asAdmin({
    method: 'POST',
    url: '/api/webhooks',
    body: { url, events },
  });
  if (response.statusCode !== 201) throw new Error(`webhook not created: ${response.body}`);
  const { id, secret } = response.json();
  return { id, secret };
}

/** Runs the delivery job once, now, on the service's clock. */
export async function runDeliveries(service: TestService): Promise<void> {
  if (!(await service.jobs.runNow('webhook-deliveries'))) {
    throw new Error('the webhook-deliveries job did not run');
  }
}

/**
 * Checks one received webhook with the Standard Webhooks reference library (not Latchkey's
 * code) and returns its verified payload; throws when the signature does not hold. The
 * library refuses a timestamp 5 minutes off its clock: `atMs` sets that clock to a test
 * service's fake one.
 */
export function verifiedPayload(webhook: ReceivedWebhook, secret: string, atMs?: number) {
  if (atMs === undefined) return verifyNow(webhook, secret);
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(atMs);
    return verifyNow(webhook, secret);
  } finally {
    vi.useRealTimers();
  }
}

function verifyNow(webhook: ReceivedWebhook, secret: string) {
  const headers: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = webhook.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return new Webhook(secret).verify(webhook.body, headers) as {
    type: string;
    timestamp: string;
    data: { connectorId: string; userId: string; reason?: string };
  };
}

export async function deliveriesOf(service: TestService, webhookId: string) {
  const response = await service.asAdmin({
    method: 'GET',
    url: `/api/webhooks/${webhookId}/deliveries`,
  });
  return response.json().deliveries as {
    eventId: string;
    type: string;
    status: string;
    attempts: number;
    lastResponseStatus: number | null;
    lastError: string | null;
  }[];
}
