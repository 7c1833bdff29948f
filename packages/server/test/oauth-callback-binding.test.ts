import { followAuthorization, startTestProvider, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readResult } from './support/callback-results';
import {
  authorizeAtProvider,
  BROWSER_COOKIE,
  createProviderConnector,
  deliverCallback,
  type StartedFlow,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  statusOf,
  testClient,
  type UserSession,
} from './support/oauth-harness';
import { PUBLIC_BASE_URL, type TestService } from './support/test-service';

const RETURN_URL = `${PUBLIC_BASE_URL}/app/connectors?from=alice`;

/** Invariant 2: the flow is bound to the user and the browser that started it. */
describe('callback: bound to its user and browser (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let alice: UserSession;
  let bob: UserSession;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider);
    [alice, bob] = (await sessionsFor(service, 'viewer', 'viewer')) as [UserSession, UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  /** Alice starts a flow with a return URL and consents at the provider. */
  async function alicesFlow(): Promise<StartedFlow & { callbackUrl: URL }> {
    const flow = await startFlow(service, alice.cookie, connectorId, { returnUrl: RETURN_URL });
    return { ...flow, callbackUrl: await authorizeAtProvider(flow.authorizationUrl) };
  }

  async function expectNobodyConnected() {
    expect(provider.counts.token).toBe(0);
    expect(await service.deps.store.connections.find(connectorId, alice.userId)).toBeUndefined();
    expect(await service.deps.store.connections.find(connectorId, bob.userId)).toBeUndefined();
    expect(await statusOf(service, alice.cookie, connectorId)).toBe('not_connected');
  }

  it("refuses Alice's callback completed by Bob with Alice's browser cookie", async () => {
    const flow = await alicesFlow();
    const response = await deliverCallback(
      service,
      flow.callbackUrl,
      `${bob.cookie}; ${BROWSER_COOKIE}=${flow.binding}`,
    );

    expect(readResult(response)).toMatchObject({
      mode: 'page',
      status: 'error',
      error: 'oauth_state_user_mismatch',
    });
    // Never a redirect to Alice's return URL on Bob's behalf.
    expect(response.headers.location).toBeUndefined();
    expect(response.body).not.toContain('/app/connectors');
    await expectNobodyConnected();
  });

  it("refuses Alice's callback completed by Bob in his own browser", async () => {
    const flow = await alicesFlow();
    const bobsOwn = await startFlow(service, bob.cookie, connectorId);
    provider.resetCounts();

    const response = await deliverCallback(service, flow.callbackUrl, bobsOwn.browserCookie);

    expect(readResult(response)).toMatchObject({
      mode: 'page',
      error: 'oauth_state_user_mismatch',
    });
    expect(response.headers.location).toBeUndefined();
    await expectNobodyConnected();
  });

  it("refuses Alice's callback delivered without any session (logged out, or a link sent to a victim)", async () => {
    const flow = await alicesFlow();
    const response = await deliverCallback(
      service,
      flow.callbackUrl,
      `${BROWSER_COOKIE}=${flow.binding}`,
    );

    expect(readResult(response)).toMatchObject({
      mode: 'page',
      error: 'oauth_state_user_mismatch',
    });
    await expectNobodyConnected();
  });

  it('refuses the same user in another browser (no binding cookie)', async () => {
    const flow = await alicesFlow();
    const response = await deliverCallback(service, flow.callbackUrl, alice.cookie);

    expect(readResult(response)).toMatchObject({
      status: 'error',
      error: 'oauth_state_browser_mismatch',
    });
    await expectNobodyConnected();
  });

  it('refuses the same user in another browser (a different binding cookie)', async () => {
    const flow = await alicesFlow();
    // Another browser of Alice's: starting a flow there gave it a binding of its own.
    const otherBrowser = await startFlow(service, alice.cookie, connectorId);
    expect(otherBrowser.binding).not.toBe(flow.binding);
    provider.resetCounts();

    const response = await deliverCallback(service, flow.callbackUrl, otherBrowser.browserCookie);

    expect(readResult(response)).toMatchObject({ error: 'oauth_state_browser_mismatch' });
    await expectNobodyConnected();
  });

  it('keeps one binding per browser, so two flows started in it both complete', async () => {
    const first = await startFlow(service, alice.cookie, connectorId);
    const second = await startFlow(service, first.browserCookie, connectorId);
    expect(second.binding).toBe(first.binding);
    const secondCallback = await authorizeAtProvider(second.authorizationUrl);
    const firstCallback = await authorizeAtProvider(first.authorizationUrl);

    for (const callbackUrl of [secondCallback, firstCallback]) {
      const response = await deliverCallback(service, callbackUrl, first.browserCookie);
      expect(readResult(response).status).toBe('success');
    }
    expect(provider.counts.tokenByGrant.authorization_code).toBe(2);
  });
});

describe('browser binding behind https', () => {
  const publicBaseUrl = 'https://latchkey.example.com';
  const redirectUri = `${publicBaseUrl}/api/connectors/_oauth_callback`;
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let alice: UserSession;

  beforeAll(async () => {
    provider = await startTestProvider({
      clients: [testClient('latchkey', { redirectUris: [redirectUri] })],
    });
    service = await startOAuthService({ LATCHKEY_PUBLIC_BASE_URL: publicBaseUrl });
    connectorId = await createProviderConnector(service, provider);
    [alice] = (await sessionsFor(service, 'viewer')) as [UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  it('is __Host-latchkey_oauth_browser (Secure, Path=/), and the callback reads it', async () => {
    const start = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_start_oauth_flow`,
      cookie: alice.cookie,
      body: {},
    });
    expect(start.statusCode).toBe(200);
    const raw = [start.headers['set-cookie'] ?? []].flat();
    expect(raw).toHaveLength(1);
    const cookie = String(raw[0]);
    expect(cookie).toMatch(/^__Host-latchkey_oauth_browser=[\w-]{20,}; /);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain/i);

    const { callbackUrl } = await followAuthorization(start.json().authorizationUrl, {
      stopAtPrefix: redirectUri,
    });
    const binding = cookie.split(';')[0] as string;
    const response = await deliverCallback(service, callbackUrl, `${alice.cookie}; ${binding}`);
    expect(readResult(response).status).toBe('success');
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
  });
});
