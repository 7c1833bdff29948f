import { randomToken } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readResult, withParams } from './support/callback-results';
import {
  authorizeAtProvider,
  createProviderConnector,
  deliverCallback,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { countRows } from './support/stored-state';
import type { TestService } from './support/test-service';

const RESULT_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Per-user limits on starting and completing flows, with small configured counts. */
describe('OAuth rate limits (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let starter: UserSession;
  let completer: UserSession;
  let other: UserSession;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService({
      LATCHKEY_OAUTH_START_LIMIT_PER_HOUR: '2',
      LATCHKEY_OAUTH_CALLBACK_LIMIT_PER_HOUR: '2',
    });
    connectorId = await createProviderConnector(service, provider);
    [starter, completer, other] = (await sessionsFor(service, 'viewer', 'viewer', 'viewer')) as [
      UserSession,
      UserSession,
      UserSession,
    ];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  function start(user: UserSession) {
    return service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_start_oauth_flow`,
      cookie: user.cookie,
      body: {},
    });
  }

  it('answers the third start within the hour with 429 rate_limited and creates no flow', async () => {
    expect((await start(starter)).statusCode).toBe(200);
    expect((await start(starter)).statusCode).toBe(200);
    const flows = await countRows(service, 'oauth_states');

    const third = await start(starter);

    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('rate_limited');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(await countRows(service, 'oauth_states')).toBe(flows);
    // The limit is per user: somebody else still starts.
    expect((await start(other)).statusCode).toBe(200);
  });

  it('answers the third callback within the hour with a 429 HTML page and asks the provider nothing', async () => {
    const flow = await startFlow(service, completer.cookie, connectorId);
    const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
    for (let i = 0; i < 2; i += 1) {
      const forged = withParams(callbackUrl, { state: randomToken() });
      const response = await deliverCallback(service, forged, flow.browserCookie);
      expect(readResult(response).error).toBe('oauth_state_invalid');
    }

    const third = await deliverCallback(service, callbackUrl, flow.browserCookie);

    expect(third.statusCode).toBe(429);
    expect(third.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(third.headers['content-security-policy']).toBe(RESULT_PAGE_CSP);
    expect(third.headers['retry-after']).toBeDefined();
    expect(readResult(third)).toMatchObject({ status: 'error', error: 'rate_limited' });
    expect(provider.counts.token).toBe(0);
    expect(
      await service.deps.store.connections.find(connectorId, completer.userId),
    ).toBeUndefined();
  });
});
