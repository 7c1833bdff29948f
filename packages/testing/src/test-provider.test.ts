import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar';
import {
  authorize,
  connect,
  createOAuthTestClient,
  insecure,
  type OAuthTestClient,
  redeem,
  refresh,
  revoke,
} from './oauth-test-client';
import { startTestProvider, type TestProvider } from './test-provider';

// Latchkey runs on localhost, the provider on 127.0.0.1: their cookies never mix.
const REDIRECT_URI = 'http://localhost:4999/callback';
// RFC 6749 §2.3.1 encoding is only exercised by a secret with these characters.
const SECRET = 's3cret:with+plus%and-colon';

describe('startTestProvider', () => {
  let provider: TestProvider;
  let oc: OAuthTestClient;

  beforeAll(async () => {
    provider = await startTestProvider({
      clients: [
        { clientId: 'latchkey', clientSecret: SECRET, redirectUris: [REDIRECT_URI] },
        {
          clientId: 'shared-connector',
          clientSecret: 'post-secret',
          redirectUris: [REDIRECT_URI],
          tokenEndpointAuthMethod: 'client_secret_post',
        },
      ],
    });
    oc = await createOAuthTestClient(provider, {
      clientId: 'latchkey',
      clientSecret: SECRET,
      redirectUri: REDIRECT_URI,
    });
  });
  afterAll(() => provider.stop());
  beforeEach(() => {
    provider.setConsentMode('grant');
    provider.setRevocationAvailable(true);
    provider.resetCounts();
  });

  it('reads its endpoints from discovery, on a loopback issuer', () => {
    expect(provider.issuer).toBe(`http://127.0.0.1:${provider.port}`);
    expect(provider.tokenEndpoint).toBe(oc.as.token_endpoint);
    expect(provider.revocationEndpoint).toBe(oc.as.revocation_endpoint);
    expect(provider.introspectionEndpoint).toBe(oc.as.introspection_endpoint);
    expect(oc.as.authorization_response_iss_parameter_supported).toBe(true);
    expect(oc.as.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('completes a PKCE code flow with client_secret_basic and an awkward secret', async () => {
    const attempt = await authorize(oc);
    expect(attempt.callbackUrl.href.startsWith(REDIRECT_URI)).toBe(true);
    expect(attempt.callbackUrl.searchParams.get('iss')).toBe(provider.issuer);
    const tokens = await redeem(oc, attempt);
    expect(tokens.refresh_token).toBeTypeOf('string');
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'read']));
    const introspection = await provider.introspect(tokens.access_token);
    expect(introspection).toMatchObject({ active: true, sub: 'user-1', client_id: 'latchkey' });
    expect(provider.counts).toMatchObject({
      authorization: 1,
      token: 1,
      tokenByGrant: { authorization_code: 1, refresh_token: 0 },
    });
  });

  it('grants non-OIDC scopes without openid, and takes the account from login_hint', async () => {
    const tokens = await connect(oc, { scope: 'read write', loginHint: 'user-42' });
    expect(tokens.scope).toBe('read write');
    expect(await provider.introspect(tokens.accessToken)).toMatchObject({
      active: true,
      sub: 'user-42',
      scope: 'read write',
    });
  });

  it('keeps the provider session in a shared cookie jar', async () => {
    const cookieJar = new CookieJar();
    await redeem(oc, await authorize(oc, { cookieJar, loginHint: 'user-sso' }));
    const sessions = provider.store.list('Session').length;
    const second = await authorize(oc, { cookieJar });
    expect(provider.store.list('Session')).toHaveLength(sessions);
    expect((await redeem(oc, second)).access_token).toBeTypeOf('string');
  });

  it('rotates refresh tokens: the previous one then fails with invalid_grant', async () => {
    const first = await connect(oc);
    const second = await refresh(oc, first.refreshToken);
    expect(second.refresh_token).toBeTypeOf('string');
    expect(second.refresh_token).not.toBe(first.refreshToken);
    expect((await provider.introspect(first.refreshToken)).active).toBe(false);
    await expect(refresh(oc, first.refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(provider.counts.tokenByGrant).toMatchObject({ authorization_code: 1, refresh_token: 2 });
    expect(provider.counts.tokenByClientAuth).toEqual({ client_secret_basic: 3 });
  });

  it('revokeAllGrants makes the next refresh fail with invalid_grant', async () => {
    const tokens = await connect(oc, { loginHint: 'user-revoked' });
    expect(provider.revokeAllGrants('user-revoked')).toBe(1);
    expect((await provider.introspect(tokens.accessToken)).active).toBe(false);
    await expect(refresh(oc, tokens.refreshToken)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('can add a WWW-Authenticate challenge to its error answers, keeping the JSON body', async () => {
    const tokens = await connect(oc, { loginHint: 'user-challenged' });
    provider.revokeAllGrants('user-challenged');
    provider.setTokenResponseQuirks({ errorChallenge: 'Bearer error="invalid_grant"' });
    try {
      const response = await oauth.refreshTokenGrantRequest(
        oc.as,
        oc.client,
        oc.auth,
        tokens.refreshToken,
        insecure,
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_grant"');
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      provider.setTokenResponseQuirks({});
    }
  });

  it('answers access_denied to the callback in deny mode', async () => {
    provider.setConsentMode('deny');
    const { callbackUrl, state } = await authorize(oc);
    expect(callbackUrl.searchParams.get('error')).toBe('access_denied');
    expect(callbackUrl.searchParams.get('iss')).toBe(provider.issuer);
    expect(() => oauth.validateAuthResponse(oc.as, oc.client, callbackUrl, state)).toThrow(
      oauth.AuthorizationResponseError,
    );
  });

  it('revokes through the endpoint, which can be made unavailable', async () => {
    const tokens = await connect(oc);
    provider.setRevocationAvailable(false);
    expect((await revoke(oc, tokens.refreshToken)).status).toBe(503);
    expect((await provider.introspect(tokens.refreshToken)).active).toBe(true);
    provider.setRevocationAvailable(true);
    await oauth.processRevocationResponse(await revoke(oc, tokens.refreshToken));
    expect((await provider.introspect(tokens.refreshToken)).active).toBe(false);
    expect(provider.counts.revocation).toBe(2);
    expect(provider.counts.introspection).toBe(2);
  });

  it('issues client_credentials tokens (client_secret_post)', async () => {
    const client = { client_id: 'shared-connector' };
    const response = await oauth.clientCredentialsGrantRequest(
      oc.as,
      client,
      oauth.ClientSecretPost('post-secret'),
      { scope: 'read' },
      insecure,
    );
    const tokens = await oauth.processClientCredentialsResponse(oc.as, client, response);
    expect((await provider.introspect(tokens.access_token)).active).toBe(true);
    expect(provider.counts.tokenByGrant.client_credentials).toBe(1);
    expect(provider.counts.tokenByClientAuth).toEqual({ client_secret_post: 1 });
  });
});

describe('stop and start', () => {
  it('restarts on the same port with the same state', async () => {
    const provider = await startTestProvider({
      clients: [{ clientId: 'latchkey', clientSecret: SECRET, redirectUris: [REDIRECT_URI] }],
    });
    const oc = await createOAuthTestClient(provider, {
      clientId: 'latchkey',
      clientSecret: SECRET,
      redirectUri: REDIRECT_URI,
    });
    const tokens = await connect(oc);
    await provider.stop();
    await expect(refresh(oc, tokens.refreshToken)).rejects.toThrow();
    await provider.start();
    const refreshed = await refresh(oc, tokens.refreshToken);
    expect(refreshed.access_token).toBeTypeOf('string');
    expect(new URL(provider.tokenEndpoint).port).toBe(String(provider.port));
    await provider.stop();
  });
});
