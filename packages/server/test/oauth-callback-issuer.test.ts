import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { craftedCallback, readResult, withParams } from './support/callback-results';
import {
  authorizeAtProvider,
  connect,
  createProviderConnector,
  deliverCallback,
  type StartedFlow,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

/** Invariant 3: the code goes only to the connector that started the flow; RFC 9207 `iss`. */
describe('callback: issuer checks and mix-up (two real oidc-providers)', () => {
  let providerA: TestProvider;
  let providerB: TestProvider;
  let service: TestService;
  let connectorA: string;
  let connectorB: string;
  let user: UserSession;

  beforeAll(async () => {
    [providerA, providerB] = await Promise.all([startProvider(), startProvider()]);
    service = await startOAuthService({ LATCHKEY_OAUTH_START_LIMIT_PER_HOUR: '100' });
    connectorA = await createProviderConnector(service, providerA, { name: 'Provider A' });
    connectorB = await createProviderConnector(service, providerB, { name: 'Provider B' });
    [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([providerA.stop(), providerB.stop()]);
  });
  beforeEach(() => {
    providerA.resetCounts();
    providerB.resetCounts();
  });

  async function authorizedFlow(connectorId: string, provider: TestProvider, cookie = user.cookie) {
    const flow: StartedFlow = await startFlow(service, cookie, connectorId);
    expect(new URL(flow.authorizationUrl).origin).toBe(provider.issuer);
    return { ...flow, callbackUrl: await authorizeAtProvider(flow.authorizationUrl) };
  }

  async function expectNoExchange() {
    expect(providerA.counts.token).toBe(0);
    expect(providerB.counts.token).toBe(0);
    expect(await service.deps.store.connections.find(connectorA, user.userId)).toBeUndefined();
    expect(await service.deps.store.connections.find(connectorB, user.userId)).toBeUndefined();
  }

  it("refuses provider B's response (code and iss) delivered to connector A's flow", async () => {
    const flowA = await authorizedFlow(connectorA, providerA);
    // Same browser: the second flow reuses the binding cookie of the first.
    const flowB = await authorizedFlow(connectorB, providerB, flowA.browserCookie);
    expect(flowB.callbackUrl.searchParams.get('iss')).toBe(providerB.issuer);

    const mixedUp = withParams(flowB.callbackUrl, { state: flowA.state });
    const response = await deliverCallback(service, mixedUp, flowA.browserCookie);

    expect(readResult(response)).toMatchObject({
      status: 'error',
      error: 'oauth_response_invalid',
      connectorId: connectorA,
    });
    await expectNoExchange();
  });

  it('refuses a response without iss when the connector has an issuer', async () => {
    const flow = await authorizedFlow(connectorA, providerA);
    const response = await deliverCallback(
      service,
      withParams(flow.callbackUrl, { iss: null }),
      flow.browserCookie,
    );
    expect(readResult(response)).toMatchObject({ error: 'oauth_response_invalid' });
    await expectNoExchange();
  });

  it('refuses a wrong iss, including near misses', async () => {
    const wrong = [
      'https://evil.example',
      `${providerA.issuer}/`,
      providerA.issuer.replace('http:', 'https:'),
      providerA.issuer.toUpperCase(),
      '',
    ];
    for (const iss of wrong) {
      const flow = await authorizedFlow(connectorA, providerA);
      const response = await deliverCallback(
        service,
        withParams(flow.callbackUrl, { iss }),
        flow.browserCookie,
      );
      expect(readResult(response), iss).toMatchObject({
        status: 'error',
        error: 'oauth_response_invalid',
      });
    }
    await expectNoExchange();
  });

  it('refuses a repeated iss (or state, or code) before touching the flow', async () => {
    const flow = await authorizedFlow(connectorA, providerA);
    const params = flow.callbackUrl.searchParams;
    for (const name of ['iss', 'state', 'code']) {
      const value = params.get(name) as string;
      const repeated = withParams(flow.callbackUrl, { [name]: [value, value] });
      const response = await deliverCallback(service, repeated, flow.browserCookie);
      expect(response.statusCode, name).toBe(400);
      expect(readResult(response), name).toMatchObject({ error: 'oauth_callback_invalid' });
    }
    await expectNoExchange();
  });

  it('checks iss on error responses too: an error from another issuer is a mix-up, not a refusal', async () => {
    const flow = await startFlow(service, user.cookie, connectorA);
    const forged = craftedCallback({
      state: flow.state,
      iss: providerB.issuer,
      error: 'access_denied',
    });
    const response = await deliverCallback(service, forged, flow.browserCookie);
    expect(readResult(response)).toMatchObject({ error: 'oauth_response_invalid' });
    await expectNoExchange();
  });

  it('connects through a connector without issuer, where iss is ignored', async () => {
    const noIssuer = await createProviderConnector(service, providerA, { withIssuer: false });
    const { response } = await connect(service, user.cookie, noIssuer);
    expect(readResult(response), response.body).toMatchObject({
      status: 'success',
      connectorId: noIssuer,
    });

    const flow = await authorizedFlow(noIssuer, providerA);
    const withoutIss = withParams(flow.callbackUrl, { iss: null });
    const second = await deliverCallback(service, withoutIss, flow.browserCookie);
    expect(readResult(second).status).toBe('success');
    expect(providerA.counts.tokenByGrant.authorization_code).toBe(2);
    expect(providerB.counts.token).toBe(0);
  });
});
