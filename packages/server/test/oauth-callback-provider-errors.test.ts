import { ERROR_CODES } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { craftedCallback, readResult } from './support/callback-results';
import {
  connect,
  createProviderConnector,
  deliverCallback,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  statusOf,
  type UserSession,
} from './support/oauth-harness';
import { countRows } from './support/stored-state';
import { PUBLIC_BASE_URL, type TestService } from './support/test-service';

const SCRIPT = '<script>alert(1)</script>';
const IMAGE = '<img src=x>';

/** Provider errors end the flow with our own code; provider text is never echoed. */
describe('callback: provider errors (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let user: UserSession;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider);
    [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  async function expectNothingStored(connector = connectorId) {
    expect(await service.deps.store.connections.find(connector, user.userId)).toBeUndefined();
    expect(await statusOf(service, user.cookie, connector)).toBe('not_connected');
  }

  it('ends with oauth_access_denied when the user refuses consent at the provider', async () => {
    provider.setConsentMode('deny');
    try {
      const { callbackUrl, response } = await connect(service, user.cookie, connectorId);
      expect(callbackUrl.searchParams.get('error')).toBe('access_denied');
      expect(readResult(response)).toMatchObject({
        mode: 'page',
        status: 'error',
        error: 'oauth_access_denied',
        connectorId,
      });
      expect(response.body).toContain(ERROR_CODES.oauth_access_denied.message);
      expect(response.body).not.toContain('the user refused access');
    } finally {
      provider.setConsentMode('grant');
    }
    expect(provider.counts.token).toBe(0);
    await expectNothingStored();
    expect(await countRows(service, 'oauth_states')).toBe(0);
  });

  it('never echoes markup from error or error_description on the result page', async () => {
    const flow = await startFlow(service, user.cookie, connectorId);
    const callback = craftedCallback({
      state: flow.state,
      iss: provider.issuer,
      error: IMAGE,
      error_description: SCRIPT,
      error_uri: `javascript:${SCRIPT}`,
    });

    const response = await deliverCallback(service, callback, flow.browserCookie);

    expect(response.headers['content-type']).toContain('text/html');
    for (const raw of [SCRIPT, IMAGE, 'alert(1)', '<img', 'javascript:']) {
      expect(response.body).not.toContain(raw);
    }
    expect(readResult(response)).toMatchObject({ status: 'error', error: 'oauth_provider_error' });
    expect(response.body).toContain(ERROR_CODES.oauth_provider_error.message);
    expect(provider.counts.token).toBe(0);
    await expectNothingStored();
  });

  it('puts only our own code in error= of the redirect', async () => {
    const returnUrl = `${PUBLIC_BASE_URL}/app/connectors`;
    const flow = await startFlow(service, user.cookie, connectorId, { returnUrl });
    const callback = craftedCallback({
      state: flow.state,
      iss: provider.issuer,
      error: IMAGE,
      error_description: SCRIPT,
    });

    const response = await deliverCallback(service, callback, flow.browserCookie);

    expect(response.statusCode).toBe(302);
    const location = response.headers.location as string;
    const { location: target, ...result } = readResult(response);
    expect(result).toEqual({
      mode: 'redirect',
      status: 'error',
      error: 'oauth_provider_error',
      connectorId,
    });
    expect(target?.origin).toBe(PUBLIC_BASE_URL);
    expect([...(target?.searchParams.keys() ?? [])].sort()).toEqual([
      'connector_id',
      'error',
      'oauth_authorization',
    ]);
    expect(decodeURIComponent(location)).not.toMatch(/alert|img|script/);
    expect(provider.counts.token).toBe(0);
  });

  it('records the provider error code (never its text) in the audit log', async () => {
    const flow = await startFlow(service, user.cookie, connectorId);
    const callback = craftedCallback({
      state: flow.state,
      iss: provider.issuer,
      error: 'temporarily_unavailable',
      error_description: SCRIPT,
    });
    await deliverCallback(service, callback, flow.browserCookie);

    const events = await service.deps.store.audit.page(500);
    const failures = events.filter(
      (e) => e.action === 'oauth_failed' && e.actorUserId === user.userId,
    );
    expect(failures).toContainEqual(
      expect.objectContaining({
        action: 'oauth_failed',
        outcome: 'failure',
        reason: 'oauth_provider_error:temporarily_unavailable',
        actorUserId: user.userId,
        connectorId,
      }),
    );
    expect(JSON.stringify(events)).not.toContain('alert');
  });

  it('ends with oauth_client_authentication_failed when the client secret is wrong', async () => {
    const misconfigured = await createProviderConnector(service, provider, {
      clientSecret: 'not-the-secret-the-provider-knows',
    });

    const { response } = await connect(service, user.cookie, misconfigured);

    expect(readResult(response)).toMatchObject({
      status: 'error',
      error: 'oauth_client_authentication_failed',
      connectorId: misconfigured,
    });
    expect(response.body).toContain(ERROR_CODES.oauth_client_authentication_failed.message);
    // The code did reach the provider, which refused the client.
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
    await expectNothingStored(misconfigured);
  });
});
