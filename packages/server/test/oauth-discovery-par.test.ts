import { startTestProvider, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readResult } from './support/callback-results';
import { createDiscoveryConnector } from './support/discovery-harness';
import {
  authorizeAtProvider,
  deliverCallback,
  sessionsFor,
  startFlow,
  startOAuthService,
  testClient,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

/** RFC 9126: a server whose metadata requires pushed authorization requests. */
describe('discovery: pushed authorization requests (real oidc-provider requiring PAR)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let user: UserSession;

  beforeAll(async () => {
    provider = await startTestProvider({
      clients: [testClient('latchkey')],
      pushedAuthorizationRequests: 'required',
    });
    service = await startOAuthService();
    connectorId = await createDiscoveryConnector(service, provider.issuer);
    [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  it('pushes the parameters, authenticated, and sends the browser only a request_uri', async () => {
    const flow = await startFlow(service, user.cookie, connectorId);
    const url = new URL(flow.authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(provider.authorizationEndpoint);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(provider.counts.pushedAuthorization).toBe(1);
    expect(provider.counts.lastPushedParameters).toMatchObject({
      state: flow.state,
      scope: 'openid read write',
      code_challenge_method: 'S256',
      response_type: 'code',
    });
    expect(provider.counts.lastPushedParameters?.code_challenge).toBeTruthy();
  });

  it('completes the flow through the pushed request', async () => {
    const flow = await startFlow(service, user.cookie, connectorId);
    const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
    const response = await deliverCallback(service, callbackUrl, flow.browserCookie);
    expect(readResult(response).status).toBe('success');
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
  });

  it('pushes the request too when the server only offers PAR', async () => {
    const offering = await startTestProvider({ clients: [testClient('latchkey')] });
    try {
      const id = await createDiscoveryConnector(service, offering.issuer);
      const flow = await startFlow(service, user.cookie, id);
      const url = new URL(flow.authorizationUrl);
      expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
      expect(offering.counts.pushedAuthorization).toBe(1);
    } finally {
      await offering.stop();
    }
  });
});
