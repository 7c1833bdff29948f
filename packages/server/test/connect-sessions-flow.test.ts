import { type ResourceApi, startResourceApi, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { readResult } from './support/callback-results';
import {
  asSession,
  connectWithSession,
  createConnectSession,
  tokenOfConnectUrl,
} from './support/end-users';
import { createProviderConnector, startOAuthService, startProvider } from './support/oauth-harness';
import { PUBLIC_BASE_URL, type TestService } from './support/test-service';

/** An app's backend makes a connect session; a browser with no Latchkey login connects. */
describe('connect sessions: an end user connects without logging in (real oidc-provider)', () => {
  let provider: TestProvider;
  let api: ResourceApi;
  let service: TestService;
  let connectorId: string;
  let otherConnectorId: string;
  let appKey: string;

  beforeAll(async () => {
    provider = await startProvider();
    api = await startResourceApi({ provider });
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider, { apiBaseUrl: `${api.url}/` });
    otherConnectorId = await createProviderConnector(service, provider);
    appKey = (await createApiKey(service, ['end_users', 'proxy', 'tokens:read'])).key;
  });
  afterAll(async () => {
    await service.stop();
    await api.stop();
    await provider.stop();
  });

  it('creates a session whose URL carries the token in the fragment, and stores only its hash', async () => {
    const session = await createConnectSession(service, appKey, 'app-user-1', {
      connectorIds: [connectorId],
      displayName: 'Ada',
    });

    expect(session.url.startsWith(`${PUBLIC_BASE_URL}/connect#session=`)).toBe(true);
    expect(tokenOfConnectUrl(session.url)).toBe(session.token);
    const expiresIn = Date.parse(session.expiresAt) - service.clock.now;
    expect(expiresIn).toBe(1800 * 1000);
    const endUser = await service.deps.store.endUsers.findByExternalId('app-user-1');
    expect(endUser).toMatchObject({ externalId: 'app-user-1', displayName: 'Ada' });
  });

  it('lets the session see itself, start, and land the callback; the end user is connected', async () => {
    const session = await createConnectSession(service, appKey, 'app-user-2', {
      connectorIds: [connectorId],
    });

    const view = await asSession(service, session.token, {
      method: 'GET',
      url: '/api/connect_session',
    });
    expect(view.statusCode).toBe(200);
    expect(view.json().endUser).toEqual({ externalId: 'app-user-2' });
    expect(view.json().connectors.map((c: { id: string }) => c.id)).toEqual([connectorId]);
    expect(view.json().connectors[0].userAuthStatus).toBe('not_connected');

    const { response } = await connectWithSession(service, session.token, connectorId);
    expect(readResult(response)).toMatchObject({ status: 'success', connectorId });

    const statuses = await asSession(service, session.token, {
      method: 'POST',
      url: '/api/connectors/_me/auth_status',
      body: {},
    });
    expect(Object.keys(statuses.json())).toEqual([connectorId]);
    expect(statuses.json()[connectorId]).toMatchObject({
      user_auth_status: 'connected',
      connection: { status: 'connected' },
    });
    expect(statuses.json()[otherConnectorId]).toBeUndefined();
  });
});
