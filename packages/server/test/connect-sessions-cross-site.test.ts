import { sha256 } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { readResult } from './support/callback-results';
import { type EndUserScene, startEndUserScene } from './support/end-user-scene';
import { asSession, createConnectSession, startSessionFlow } from './support/end-users';
import {
  authorizeAtProvider,
  BROWSER_COOKIE,
  countRows,
  deliverCallback,
  sessionsFor,
  startFlow,
  type UserSession,
} from './support/oauth-harness';
import { PUBLIC_BASE_URL, type TestService } from './support/test-service';

/** The app's page: another site than Latchkey's (127.0.0.1 is not localhost). */
const APP_ORIGIN = 'http://127.0.0.1:5999';
const BEGIN_PATH = '/api/connectors/_oauth_begin';

/**
 * An app's page on another site starts a connect session's flow with a fetch; the browser
 * drops the Lax binding cookie of that response, so the flow is bound by a first-party
 * navigation to the begin URL instead (invariant 2 still holds).
 */
describe('connect sessions from an app on another site (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let appKey: string;
  let admin: UserSession;
  let scene: EndUserScene;

  beforeAll(async () => {
    scene = await startEndUserScene({ env: { LATCHKEY_CONNECT_RETURN_ORIGINS: APP_ORIGIN } });
    ({ provider, service } = scene);
    [connectorId] = scene.connectorIds as [string];
    appKey = scene.appKey.key;
    [admin] = (await sessionsFor(service, 'admin')) as [UserSession];
  });
  afterAll(() => scene.stop());

  async function sessionToken(externalId: string): Promise<string> {
    return (await createConnectSession(service, appKey, externalId)).token;
  }

  /** The SDK's fetch from the app's page: cross-site, with the app's Origin. */
  async function startCrossSite(token: string): Promise<LightMyRequestResponse> {
    return asSession(service, token, {
      method: 'POST',
      url: `/api/connectors/${connectorId}/_start_oauth_flow`,
      headers: { origin: APP_ORIGIN, 'sec-fetch-site': 'cross-site' },
      body: {},
    });
  }

  /** The new tab opening the begin URL: a top-level navigation, with the browser's cookie. */
  function openBegin(beginUrl: string, cookie?: string): Promise<LightMyRequestResponse> {
    const url = new URL(beginUrl);
    return service.request({
      method: 'GET',
      url: `${url.pathname}${url.search}`,
      ...(cookie ? { cookie } : {}),
    });
  }

  function bindingSet(response: LightMyRequestResponse): string | undefined {
    return response.cookies.find((c) => c.name === BROWSER_COOKIE)?.value;
  }

  async function connectionsOf(externalId: string): Promise<number> {
    const endUser = await service.deps.store.endUsers.findByExternalId(externalId);
    if (!endUser) return 0;
    return (await service.deps.store.connections.listForUser(endUser.id)).length;
  }

  /** Nothing reached the provider, no flow moved or ended, no connection landed. */
  async function expectNothingHappened(
    response: LightMyRequestResponse,
    before: { authorization: number; token: number; flows: number },
    externalId: string,
    error = 'oauth_state_invalid',
  ) {
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(readResult(response)).toMatchObject({ status: 'error', error });
    expect(provider.counts.authorization).toBe(before.authorization);
    expect(provider.counts.token).toBe(before.token);
    expect(await countRows(service, 'oauth_states')).toBe(before.flows);
    expect(await connectionsOf(externalId)).toBe(0);
  }

  /** Runs `check` with the service's clock past every flow started so far, then turns it back. */
  async function afterFlowsExpired(check: () => Promise<void>) {
    const now = service.clock.now;
    service.clock.now = now + service.deps.oauth.stateTtlMs;
    try {
      await check();
    } finally {
      service.clock.now = now;
    }
  }

  async function snapshot() {
    return {
      authorization: provider.counts.authorization,
      token: provider.counts.token,
      flows: await countRows(service, 'oauth_states'),
    };
  }

  it('answers a begin URL, sets no cookie, then binds the browser first-party and connects', async () => {
    const token = await sessionToken('cross-1');
    const start = await startCrossSite(token);
    expect(start.statusCode).toBe(200);
    expect(bindingSet(start)).toBeUndefined();
    const { authorizationUrl, state } = start.json();
    const begin = new URL(authorizationUrl);
    expect(`${begin.origin}${begin.pathname}`).toBe(`${PUBLIC_BASE_URL}${BEGIN_PATH}`);
    expect(begin.searchParams.get('state')).toBe(state);

    const opened = await openBegin(authorizationUrl);
    expect(opened.statusCode).toBe(302);
    expect(opened.headers['cache-control']).toBe('no-store');
    const binding = bindingSet(opened);
    expect(binding).toBeTruthy();
    const providerUrl = new URL(opened.headers.location as string);
    expect(providerUrl.searchParams.get('state')).toBe(state);

    const callbackUrl = await authorizeAtProvider(providerUrl.href);
    const callback = await deliverCallback(service, callbackUrl, `${BROWSER_COOKIE}=${binding}`);
    expect(readResult(callback)).toMatchObject({ status: 'success', connectorId });
    expect(await connectionsOf('cross-1')).toBe(1);
  });

  it('a callback in a browser that never opened the begin URL is refused', async () => {
    const token = await sessionToken('cross-2');
    const { authorizationUrl } = (await startCrossSite(token)).json();
    const opened = await openBegin(authorizationUrl);
    const callbackUrl = await authorizeAtProvider(opened.headers.location as string);
    const callback = await deliverCallback(service, callbackUrl, `${BROWSER_COOKIE}=other`);
    expect(readResult(callback)).toMatchObject({ error: 'oauth_state_browser_mismatch' });
    expect(await connectionsOf('cross-2')).toBe(0);
  });

  it('replaying the begin URL reaches no provider and moves nothing', async () => {
    const token = await sessionToken('cross-3');
    const { authorizationUrl } = (await startCrossSite(token)).json();
    const first = await openBegin(authorizationUrl);
    expect(first.statusCode).toBe(302);
    const before = await snapshot();

    const replay = await openBegin(authorizationUrl, `${BROWSER_COOKIE}=attacker`);
    await expectNothingHappened(replay, before, 'cross-3');
    // The flow stays with the first browser: its callback still lands.
    const callbackUrl = await authorizeAtProvider(first.headers.location as string);
    const callback = await deliverCallback(
      service,
      callbackUrl,
      `${BROWSER_COOKIE}=${bindingSet(first)}`,
    );
    expect(readResult(callback)).toMatchObject({ status: 'success' });
  });

  it('a wrong begin token reaches no provider and stores nothing', async () => {
    const token = await sessionToken('cross-4');
    const { authorizationUrl } = (await startCrossSite(token)).json();
    const url = new URL(authorizationUrl);
    const before = await snapshot();
    for (const begin of ['nope', `${url.searchParams.get('begin')}x`, '']) {
      url.searchParams.set('begin', begin);
      await expectNothingHappened(await openBegin(url.href), before, 'cross-4');
    }
    url.searchParams.delete('begin');
    await expectNothingHappened(await openBegin(url.href), before, 'cross-4');
    // The real begin token still works: the wrong ones spent nothing.
    expect((await openBegin(authorizationUrl)).statusCode).toBe(302);
  });

  it('an expired state reaches no provider and stores nothing', async () => {
    const token = await sessionToken('cross-5');
    const { authorizationUrl } = (await startCrossSite(token)).json();
    const before = await snapshot();
    await afterFlowsExpired(async () =>
      expectNothingHappened(await openBegin(authorizationUrl), before, 'cross-5'),
    );
  });

  it('the begin URL of a session whose API key was revoked since reaches no provider and moves nothing', async () => {
    const app = await createApiKey(service, ['end_users'], 'revoked-app');
    const token = (await createConnectSession(service, app.key, 'cross-8')).token;
    const { authorizationUrl, state } = (await startCrossSite(token)).json();
    const revoked = await service.asAdmin({ method: 'DELETE', url: `/api/api_keys/${app.id}` });
    expect(revoked.statusCode).toBe(204);
    const flowBefore = await service.deps.store.oauthStates.find(sha256(state));
    const before = await snapshot();

    // Without the begin token nothing is learnt of the session: the usual refusal.
    const guessed = new URL(authorizationUrl);
    guessed.searchParams.set('begin', 'nope');
    await expectNothingHappened(await openBegin(guessed.href), before, 'cross-8');

    const opened = await openBegin(authorizationUrl);
    await expectNothingHappened(opened, before, 'cross-8', 'connect_session_invalid');
    // Still bound to its begin token: not moved to this browser.
    expect(await service.deps.store.oauthStates.find(sha256(state))).toEqual(flowBefore);

    // Once the flow itself has expired, it is the usual refusal again.
    await afterFlowsExpired(async () =>
      expectNothingHappened(await openBegin(authorizationUrl), before, 'cross-8'),
    );
  });

  it('binds to the browser cookie already there, so its other flows keep working', async () => {
    const token = await sessionToken('cross-6');
    const other = await sessionToken('cross-6b');
    // This browser already runs a flow, bound by its cookie (a same-site start).
    const earlier = await startSessionFlow(service, other, connectorId);
    const { authorizationUrl } = (await startCrossSite(token)).json();

    const opened = await openBegin(authorizationUrl, earlier.browserCookie);
    expect(opened.statusCode).toBe(302);
    const binding = bindingSet(opened);
    expect(binding === undefined || `${BROWSER_COOKIE}=${binding}` === earlier.browserCookie).toBe(
      true,
    );

    for (const [url, externalId] of [
      [opened.headers.location as string, 'cross-6'],
      [earlier.authorizationUrl, 'cross-6b'],
    ] as const) {
      const callbackUrl = await authorizeAtProvider(url);
      const callback = await deliverCallback(service, callbackUrl, earlier.browserCookie);
      expect(readResult(callback)).toMatchObject({ status: 'success' });
      expect(await connectionsOf(externalId)).toBe(1);
    }
  });

  it('a same-site or header-less session start, and a user start, still go to the provider', async () => {
    const token = await sessionToken('cross-7');
    const starts: Record<string, string>[] = [{ 'sec-fetch-site': 'same-site' }, {}];
    for (const headers of starts) {
      const response = await asSession(service, token, {
        method: 'POST',
        url: `/api/connectors/${connectorId}/_start_oauth_flow`,
        headers,
        body: {},
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().authorizationUrl.startsWith(provider.authorizationEndpoint)).toBe(
        true,
      );
      expect(bindingSet(response)).toBeTruthy();
    }
    const userFlow = await startFlow(service, admin.cookie, connectorId);
    expect(userFlow.authorizationUrl.startsWith(provider.authorizationEndpoint)).toBe(true);
    expect(userFlow.binding).toBeTruthy();
  });
});
