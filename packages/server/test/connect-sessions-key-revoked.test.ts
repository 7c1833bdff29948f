import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { readResult } from './support/callback-results';
import { type DigestReader, diffDigests, openDatabaseDigest } from './support/database-digest';
import {
  asKeyForEndUser,
  asSession,
  connectWithSession,
  createConnectSession,
  requestConnectSession,
  startSessionFlow,
  tokenOfConnectUrl,
} from './support/end-users';
import {
  authorizeAtProvider,
  createProviderConnector,
  deliverCallback,
  startProvider,
} from './support/oauth-harness';
import { startTestService, type TestService } from './support/test-service';

const AUDIT_TABLE = 'audit_events';

/**
 * Revoking an app's API key withdraws what the key handed out: its connect sessions and the
 * links it minted for 409s stop working at once on every instance, and a flow one of them
 * started completes nothing. Each refusal shows that nothing reached the provider and that
 * nothing was stored.
 */
describe('connect sessions end with the API key that made them (real oidc-provider)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-key-revoked-'));
  let provider: TestProvider;
  let first: TestService;
  let second: TestService;
  let connectorId: string;
  let digest: DigestReader;

  beforeAll(async () => {
    provider = await startProvider();
    // Two instances on one database, each with its own 2-second API key cache.
    const env = { LATCHKEY_JOBS_ENABLED: 'false' };
    first = await startTestService(env, dataDir);
    second = await startTestService(env, dataDir);
    connectorId = await createProviderConnector(first, provider);
    digest = await openDatabaseDigest(first, [AUDIT_TABLE]);
  });
  afterAll(async () => {
    await digest?.close();
    await second?.stop({ keepData: true });
    await first?.stop();
    await provider?.stop();
  });

  const reached = () =>
    provider.counts.authorization + provider.counts.token + provider.counts.revocation;

  /** Every route a connect session may call, as the hosted page calls it. */
  function sessionCalls(state: string) {
    return [
      { method: 'GET', url: '/api/connect_session' },
      { method: 'POST', url: `/api/connectors/${connectorId}/_start_oauth_flow`, body: {} },
      { method: 'POST', url: `/api/connectors/${connectorId}/_oauth_cancel`, body: { state } },
      { method: 'POST', url: `/api/connectors/${connectorId}/_oauth_disconnect`, body: {} },
      { method: 'POST', url: '/api/connectors/_me/auth_status', body: {} },
    ] as const;
  }

  it('refuses its sessions and 409 links on every route and instance, and lands none of their flows', async () => {
    const app = await createApiKey(first, ['end_users', 'proxy']);
    const otherApp = await createApiKey(first, ['end_users']);
    const session = await createConnectSession(first, app.key, 'connected-user');
    await connectWithSession(first, session.token, connectorId);
    const pending = await startSessionFlow(first, session.token, connectorId);
    const callbackUrl = await authorizeAtProvider(pending.authorizationUrl);
    const unrelated = await createConnectSession(first, otherApp.key, 'other-app-user');
    const refused = await asKeyForEndUser(second, app.key, 'agent-human', {
      url: `/api/connectors/${connectorId}/proxy/items`,
    });
    const link = tokenOfConnectUrl(refused.json().error.details.connectUrl);

    // `second` read the key just now: its cache vouches for it up to 2 s after the revocation.
    const revoked = await first.asAdmin({ method: 'DELETE', url: `/api/api_keys/${app.id}` });
    expect(revoked.statusCode).toBe(204);
    const minted = await requestConnectSession(second, app.key, {
      endUser: { externalId: 'late-user' },
    });
    expect(minted.statusCode).toBe(201);

    provider.resetCounts();
    const before = await digest.read();
    for (const token of [session.token, link, minted.json().token as string]) {
      for (const service of [first, second]) {
        for (const call of sessionCalls(pending.state)) {
          const response = await asSession(service, token, call);
          expect([response.statusCode, response.json().error?.code], call.url).toEqual([
            401,
            'connect_session_invalid',
          ]);
        }
      }
    }
    const late = await deliverCallback(second, callbackUrl, pending.browserCookie);
    expect(readResult(late)).toMatchObject({
      mode: 'page',
      status: 'error',
      error: 'connect_session_invalid',
    });

    expect(reached()).toBe(0);
    const changes = diffDigests(before, await digest.read()).filter(
      (change) => change.table !== AUDIT_TABLE,
    );
    // The callback spent the flow's one-time state; nothing else moved.
    expect(changes.map(({ table, kind }) => ({ table, kind }))).toEqual([
      { table: 'oauth_states', kind: 'removed' },
    ]);
    expect(await first.deps.store.endUsers.findByExternalId('agent-human')).toBeUndefined();
    expect(await first.deps.store.endUsers.findByExternalId('late-user')).toBeDefined();
    // Another app's session is not touched by this key's revocation.
    const view = await asSession(second, unrelated.token, {
      method: 'GET',
      url: '/api/connect_session',
    });
    expect(view.statusCode).toBe(200);
  });
});
