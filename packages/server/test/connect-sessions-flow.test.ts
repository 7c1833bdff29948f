import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResult } from './support/callback-results';
import { type EndUserScene, startEndUserScene } from './support/end-user-scene';
import {
  asSession,
  connectWithSession,
  createConnectSession,
  tokenOfConnectUrl,
} from './support/end-users';
import { PUBLIC_BASE_URL, type TestService } from './support/test-service';

/** An app's backend makes a connect session; a browser with no Latchkey login connects. */
describe('connect sessions: an end user connects without logging in (real oidc-provider)', () => {
  let service: TestService;
  let connectorId: string;
  let otherConnectorId: string;
  let appKey: string;
  let scene: EndUserScene;

  beforeAll(async () => {
    scene = await startEndUserScene({ connectors: 2, resourceApi: true });
    ({ service } = scene);
    [connectorId, otherConnectorId] = scene.connectorIds as [string, string];
    appKey = scene.appKey.key;
  });
  afterAll(() => scene.stop());

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
