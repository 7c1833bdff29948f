import { setTimeout as sleep } from 'node:timers/promises';
import {
  createTestPostgresDatabase,
  type TestPostgresDatabase,
  type TestProvider,
} from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { type GatedForwarder, startGatedForwarder } from './support/gated-forwarder';
import {
  authorizeAtProvider,
  createProviderConnector,
  deliverCallback,
  startFlow,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { startTestService, type TestService } from './support/test-service';

/**
 * A user's first connect from two tabs, each callback landing on another instance of one
 * PostgreSQL deployment (two services in this process, each with its own pool: two processes
 * rarely overlap the saves' few milliseconds, one event loop interleaves them). The token
 * answers are held until both exchanges are done, then released together, so both saves of
 * the same (connector, user) run at the same moment.
 */
describe('the first connect of a user from two tabs on two instances at once', () => {
  let database: TestPostgresDatabase;
  let provider: TestProvider;
  let gate: GatedForwarder;
  let first: TestService;
  let second: TestService;
  let connectorId: string;
  let user: UserSession;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    provider = await startProvider();
    gate = await startGatedForwarder(provider.tokenEndpoint, {
      holds: (form) => form.get('grant_type') === 'authorization_code',
      hold: 'response',
    });
    const env = { LATCHKEY_DATABASE_URL: database.url, LATCHKEY_JOBS_ENABLED: 'false' };
    first = await startTestService(env);
    second = await startTestService(env);
    connectorId = await createProviderConnector(first, provider, { tokenUrl: gate.url });
    user = await first.sessionFor('viewer');
  });
  afterAll(async () => {
    gate.release();
    await second?.stop();
    await first?.stop();
    await gate.stop();
    await provider.stop();
    await database?.drop();
  });

  it('leaves one connected row whose tokens both instances can use', async () => {
    const tabs = await Promise.all(
      [first, second].map(async (service) => {
        const flow = await startFlow(service, user.cookie, connectorId);
        return { service, flow, callbackUrl: await authorizeAtProvider(flow.authorizationUrl) };
      }),
    );
    const callbacks = tabs.map(({ service, flow, callbackUrl }) =>
      deliverCallback(service, callbackUrl, flow.browserCookie),
    );
    while (gate.heldAnswers.length < 2) await sleep(10);
    gate.release();
    const answers = await Promise.all(callbacks);

    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    const issued = gate.heldAnswers.map((answer) => JSON.parse(answer).access_token as string);
    const { key } = await createApiKey(first, ['tokens:read', 'on_behalf']);
    const handedOut = await Promise.all(
      [first, second].map((service) =>
        service.request({
          method: 'GET',
          url: `/api/connectors/${connectorId}/_token`,
          headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': user.userId },
        }),
      ),
    );
    expect(handedOut.map((r) => [r.statusCode, r.json().error?.code])).toEqual([
      [200, undefined],
      [200, undefined],
    ]);
    const [token] = new Set(handedOut.map((r) => r.json().accessToken));
    expect(issued).toContain(token);
    expect(handedOut[1]?.json().accessToken).toBe(token);
    const connections = await second.deps.store.connections.listForUser(user.userId);
    expect(connections.map((c) => [c.connectorId, c.status])).toEqual([[connectorId, 'connected']]);
  });
});
