import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordConnectionEvent } from '@latchkey/core';
import { WEBHOOK_SECRET_OVERLAP_MS } from '@latchkey/events';
import {
  type RecordingServer,
  startRecordingServer,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@latchkey/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changesMadeBy } from './support/database-digest';
import { storedBytes } from './support/stored-bytes';
import { startTestService, type TestService } from './support/test-service';
import { deliveriesOf, registerWebhook, runDeliveries, verifiedPayload } from './support/webhooks';

const NO_JOBS = { LATCHKEY_JOBS_ENABLED: 'false' };
const BASE_SECONDS = 10;

/** A change's event, written to the outbox as a connection change writes it. */
function recordChange(service: TestService, userId = 'user-1') {
  return service.deps.store.transaction((store) =>
    recordConnectionEvent(store, service.clock.now, {
      type: 'connection.created',
      connectorId: 'connector-1',
      userId,
    }),
  );
}

describe('webhook delivery: retries, redirects, rotation', () => {
  let service: TestService;
  let receiver: WebhookReceiver;
  let elsewhere: RecordingServer;

  beforeAll(async () => {
    service = await startTestService({
      ...NO_JOBS,
      LATCHKEY_WEBHOOK_RETRY_BASE_SECONDS: String(BASE_SECONDS),
      LATCHKEY_WEBHOOK_DISABLE_AFTER_DAYS: '2',
    });
    elsewhere = await startRecordingServer();
  });
  afterAll(async () => {
    await service.stop();
    await elsewhere.stop();
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.stop());

  it('retries a receiver that is down with back-off, then delivers once', async () => {
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    receiver.answerWith(503);
    const eventId = await recordChange(service);
    const attemptsAfter = async (ms: number) => {
      service.clock.now += ms;
      await runDeliveries(service);
      return receiver.received.length;
    };
    expect(await attemptsAfter(0)).toBe(1);
    expect(await attemptsAfter(BASE_SECONDS * 1000 - 1)).toBe(1);
    expect(await attemptsAfter(1)).toBe(2);
    expect(await attemptsAfter(BASE_SECONDS * 1000)).toBe(2);
    expect(await attemptsAfter(BASE_SECONDS * 1000)).toBe(3);
    receiver.answerWith(200);
    expect(await attemptsAfter(4 * BASE_SECONDS * 1000)).toBe(4);
    expect(await attemptsAfter(3_600_000)).toBe(4);
    expect(receiver.received.map((w) => w.headers['webhook-id'])).toEqual(Array(4).fill(eventId));
    expect(receiver.received.map((w) => w.answeredWith)).toEqual([503, 503, 503, 200]);
    const [delivery] = await deliveriesOf(service, webhook.id);
    expect(delivery).toMatchObject({ eventId, status: 'succeeded', attempts: 4 });
    expect(delivery?.lastResponseStatus).toBe(200);
  });

  it('gives up after 24 hours, and an admin can send it again', async () => {
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    receiver.answerWith(500);
    const eventId = await recordChange(service);
    for (let hour = 0; hour <= 25; hour += 1) {
      await runDeliveries(service);
      service.clock.now += 3_600_000;
    }
    const attempts = receiver.received.length;
    const [given] = await deliveriesOf(service, webhook.id);
    expect(given).toMatchObject({ status: 'failed', attempts, lastResponseStatus: 500 });
    receiver.answerWith(204);
    const again = await service.asAdmin({
      method: 'POST',
      url: `/api/webhooks/${webhook.id}/deliveries/${eventId}/_redeliver`,
      body: {},
    });
    expect(again.statusCode).toBe(202);
    await runDeliveries(service);
    expect(receiver.received).toHaveLength(attempts + 1);
    expect(receiver.received.at(-1)?.headers['webhook-id']).toBe(eventId);
  });

  it('disables an endpoint that fails for days, and says why', async () => {
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    receiver.answerWith(500);
    for (let day = 0; day <= 2; day += 1) {
      await recordChange(service);
      await runDeliveries(service);
      service.clock.now += 86_400_000;
    }
    const shown = await service.asAdmin({ method: 'GET', url: `/api/webhooks/${webhook.id}` });
    expect(shown.json().disabledReason).toMatch(/^every delivery failed since /);
    const sent = receiver.received.length;
    await recordChange(service);
    await runDeliveries(service);
    expect(receiver.received).toHaveLength(sent);
  });

  it('never follows a redirect: the answer counts as a failure', async () => {
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    receiver.answerWith(307, `${elsewhere.url}/stolen`);
    await recordChange(service);
    await runDeliveries(service);
    expect(receiver.received).toHaveLength(1);
    expect(elsewhere.connections()).toBe(0);
    const [delivery] = await deliveriesOf(service, webhook.id);
    expect(delivery).toMatchObject({ status: 'pending', lastResponseStatus: 307 });
  });

  /** `POST …/_rotate_secret` as the admin: the new secret, shown this once. */
  async function rotateSecret(webhookId: string): Promise<string> {
    const rotated = await service.asAdmin({
      method: 'POST',
      url: `/api/webhooks/${webhookId}/_rotate_secret`,
      body: {},
    });
    expect(rotated.statusCode).toBe(200);
    return rotated.json().secret;
  }

  it('signs with both secrets while a rotation overlaps, then with the new one', async () => {
    // The reference verifier refuses a timestamp off its own clock by more than 5 minutes.
    service.clock.now = Date.now();
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    const newSecret = await rotateSecret(webhook.id);
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(webhook.secret);
    await recordChange(service);
    await runDeliveries(service);
    const [during] = receiver.received;
    if (!during) throw new Error('nothing delivered');
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiedPayload(during, webhook.secret).type).toBe('connection.created');
    expect(verifiedPayload(during, newSecret).type).toBe('connection.created');

    service.clock.now += WEBHOOK_SECRET_OVERLAP_MS;
    await recordChange(service);
    await runDeliveries(service);
    const after = receiver.received[1];
    if (!after) throw new Error('nothing delivered after the overlap');
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    const at = service.clock.now;
    expect(verifiedPayload(after, newSecret, at).type).toBe('connection.created');
    expect(() => verifiedPayload(after, webhook.secret, at)).toThrow();
  });

  it('shows the secret only at creation and keeps it sealed at rest', async () => {
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    const list = await service.asAdmin({ method: 'GET', url: '/api/webhooks' });
    const one = await service.asAdmin({ method: 'GET', url: `/api/webhooks/${webhook.id}` });
    expect(list.body).not.toContain(webhook.secret);
    expect(one.body).not.toContain(webhook.secret);
    const stored = await service.deps.store.webhooks.findEndpoint(webhook.id);
    expect(stored?.sealedSecret).toMatch(/^lk1\./);
    expect(stored?.sealedSecret).not.toContain(webhook.secret.slice(6));
    expect(service.logs()).not.toContain(webhook.secret.slice(6));
  });

  it('keeps a rotated secret, and the one it replaced, sealed at rest and out of the logs', async () => {
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    const secrets = [webhook.secret, await rotateSecret(webhook.id)];
    const stored = await service.deps.store.webhooks.findEndpoint(webhook.id);
    expect([stored?.sealedSecret, stored?.sealedPreviousSecret]).toEqual([
      expect.stringMatching(/^lk1\./),
      expect.stringMatching(/^lk1\./),
    ]);
    const files = await storedBytes(service);
    expect(files.some((f) => f.bytes.includes(stored?.sealedPreviousSecret ?? '-'))).toBe(true);
    // The prefix is enough to find one: no secret of any endpoint is stored in clear.
    expect(files.filter((f) => f.bytes.includes('whsec_')).map((f) => f.name)).toEqual([]);
    for (const secret of secrets) {
      const value = secret.slice('whsec_'.length);
      expect(files.filter((f) => f.bytes.includes(value)).map((f) => f.name)).toEqual([]);
      expect(service.logs()).not.toContain(value);
    }
  });

  it('is for admins only', async () => {
    const { cookie } = await service.sessionFor('editor');
    for (const [method, url] of [
      ['GET', '/api/webhooks'],
      ['POST', '/api/webhooks'],
    ] as const) {
      const body =
        method === 'POST' ? { url: receiver.url, events: ['connection.created'] } : undefined;
      const response = await service.request({ method, url, cookie, body });
      expect(response.statusCode).toBe(403);
    }
    expect((await service.deps.store.webhooks.listEndpoints()).map((e) => e.url)).not.toContain(
      receiver.url,
    );
  });

  it('refuses viewers and editors the routes of one endpoint, changing and sending nothing', async () => {
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    const eventId = await recordChange(service);
    await runDeliveries(service);
    const delivered = receiver.received.length;
    expect(delivered).toBe(1);
    const callers = [await service.sessionFor('viewer'), await service.sessionFor('editor')];
    const routes = [
      { method: 'GET', url: `/api/webhooks/${webhook.id}` },
      { method: 'DELETE', url: `/api/webhooks/${webhook.id}` },
      { method: 'POST', url: `/api/webhooks/${webhook.id}/_rotate_secret`, body: {} },
      { method: 'GET', url: `/api/webhooks/${webhook.id}/deliveries` },
      {
        method: 'POST',
        url: `/api/webhooks/${webhook.id}/deliveries/${eventId}/_redeliver`,
        body: {},
      },
    ] as const;
    const changes = await changesMadeBy(service, async () => {
      for (const { cookie } of callers) {
        for (const route of routes) {
          const response = await service.request({ ...route, cookie });
          expect(response.statusCode, route.url).toBe(403);
          expect(response.json().error.code).toBe('forbidden');
          expect(response.body).not.toContain('whsec_');
          expect(response.body).not.toContain(receiver.url);
        }
      }
    });
    expect(changes).toEqual([]);
    await runDeliveries(service);
    expect(receiver.received).toHaveLength(delivered);
  });
});

describe('webhook delivery under the egress policy', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-webhook-egress-'));
  let receiver: WebhookReceiver;
  let webhookId: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const setup = await startTestService(NO_JOBS, dataDir);
    webhookId = (await registerWebhook(setup, receiver.url, ['connection.created'])).id;
    await setup.stop({ keepData: true });
  });
  afterAll(() => receiver.stop());

  it('refuses a loopback receiver unless allowed, and opens no connection', async () => {
    const refused = await startTestService(
      { ...NO_JOBS, LATCHKEY_ALLOW_HTTP_LOOPBACK: 'false' },
      dataDir,
    );
    try {
      await recordChange(refused);
      await runDeliveries(refused);
      expect(receiver.connections()).toBe(0);
      const [delivery] = await deliveriesOf(refused, webhookId);
      expect(delivery).toMatchObject({ status: 'pending', lastError: 'egress_denied' });
    } finally {
      await refused.stop({ keepData: true });
    }
    const allowed = await startTestService(
      { ...NO_JOBS, LATCHKEY_ALLOW_HTTP_LOOPBACK: 'false', LATCHKEY_EGRESS_ALLOW: '127.0.0.1/32' },
      dataDir,
    );
    try {
      allowed.clock.now += 60_000;
      await runDeliveries(allowed);
      expect(receiver.received).toHaveLength(1);
      const [delivery] = await deliveriesOf(allowed, webhookId);
      expect(delivery).toMatchObject({ status: 'succeeded', attempts: 2 });
    } finally {
      await allowed.stop();
    }
  });
});
