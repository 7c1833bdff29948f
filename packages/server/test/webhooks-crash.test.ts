import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebhookReceiver, type TestProvider, type WebhookReceiver } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createProviderConnector,
  sessionsFor,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { freePort, killProcessGroup, spawnService } from './support/spawned-service';
import {
  ADMIN_PASSWORD,
  dataEnv,
  PUBLIC_BASE_URL,
  startTestService,
  TEST_KEY_A,
  type TestService,
} from './support/test-service';
import { deliveriesOf, registerWebhook, runDeliveries } from './support/webhooks';

/**
 * The real service process is SIGKILLed after a change committed its event and while the
 * event's delivery is in flight: the next instance on the same database delivers it.
 */
describe('a Latchkey crash between a change and its delivery', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-webhook-crash-'));
  let provider: TestProvider;
  let receiver: WebhookReceiver;
  let victim: UserSession;
  let webhookId: string;
  let setup: TestService;

  beforeAll(async () => {
    provider = await startProvider();
    receiver = await startWebhookReceiver();
    setup = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' }, dataDir);
    const connectorId = await createProviderConnector(setup, provider);
    [victim] = (await sessionsFor(setup, 'viewer')) as [UserSession];
    await connect(setup, victim.cookie, connectorId);
    webhookId = (await registerWebhook(setup, receiver.url, ['connection.deleted'])).id;
    await setup.stop({ keepData: true });
  }, 60_000);
  afterAll(async () => {
    await provider.stop();
    await receiver.stop();
  });

  it('loses no event: it is delivered after the restart, with the same webhook-id', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const spawned = spawnService(
      {
        // The setup's data: its directory, and its PostgreSQL database when it has one.
        ...dataEnv(setup),
        LATCHKEY_PORT: String(port),
        LATCHKEY_HOST: '127.0.0.1',
        LATCHKEY_PUBLIC_BASE_URL: PUBLIC_BASE_URL,
        LATCHKEY_ENCRYPTION_KEYS: TEST_KEY_A,
        LATCHKEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LATCHKEY_ALLOW_HTTP_LOOPBACK: 'true',
      },
      { detached: true },
    );
    try {
      await spawned.waitUntilReady(baseUrl);
      receiver.hold();
      const cookie = await logInAsAdmin(baseUrl);
      const deleted = await fetch(`${baseUrl}/api/users/${victim.userId}`, {
        method: 'DELETE',
        headers: { cookie },
      });
      expect(deleted.status).toBe(204);
      await receiver.waitForRequests(1);
    } finally {
      await killProcessGroup(spawned);
    }
    const firstId = receiver.received[0]?.headers['webhook-id'];
    expect(receiver.received.map((w) => w.answeredWith)).toEqual([0]);

    receiver.answerWith(200);
    const restarted = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' }, dataDir);
    try {
      // The killed process held the job's lease: it frees itself when it expires (60 s).
      restarted.clock.now += 61_000;
      await runDeliveries(restarted);
      await runDeliveries(restarted);
      expect(receiver.received.map((w) => [w.headers['webhook-id'], w.answeredWith])).toEqual([
        [firstId, 0],
        [firstId, 200],
      ]);
      expect(JSON.parse(receiver.received[1]?.body ?? '{}')).toMatchObject({
        type: 'connection.deleted',
        data: { userId: victim.userId, reason: 'user_deleted' },
      });
      const [delivery] = await deliveriesOf(restarted, webhookId);
      expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1 });
    } finally {
      await restarted.stop();
    }
  }, 60_000);
});

async function logInAsAdmin(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
}
