import type { ConnectionCredentials } from '@latchkey/core';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { queryDatabase } from './support/database-queries';
import { connect, PROVIDER_CLIENT_SECRET, storedTokens } from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';
import { storedBytes } from './support/stored-bytes';

/** oidc-provider models whose ids are bearer values (opaque tokens: the value is the id). */
const TOKEN_MODELS = ['AccessToken', 'RefreshToken', 'ClientCredentials', 'AuthorizationCode'];

/**
 * Invariant 1 for everything issue 4 adds: after refreshes, rotations, forced refreshes,
 * outages, a revoked grant and every kind of refusal, with debug logging on, no token value
 * is in a log line, an error body or an audit row. The scenario runs once, before all; each
 * test checks one place it could have leaked to.
 */
describe('no token leaks from refresh, proxy, _token and API keys', () => {
  let scene: ProxyScene;
  const secrets = new Map<string, string>();
  const responses: { what: string; response: LightMyRequestResponse }[] = [];
  let tokenKey: string;
  let sharedId: string;
  /** What Latchkey held when the unexpected failure struck, and must not have logged. */
  let heldTokens: ConnectionCredentials | undefined;

  /** Everything secret that exists right now: the provider's tokens, Latchkey's stored ones. */
  async function harvest() {
    for (const model of TOKEN_MODELS) {
      for (const payload of scene.provider.store.list(model)) {
        if (typeof payload.jti === 'string') secrets.set(payload.jti, `${model} ${payload.jti}`);
      }
    }
    const stored = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    if (stored?.accessToken) secrets.set(stored.accessToken, 'stored access token');
    if (stored?.refreshToken) secrets.set(stored.refreshToken, 'stored refresh token');
  }
  async function record(what: string, response: Promise<LightMyRequestResponse>) {
    responses.push({ what, response: await response });
    await harvest();
  }
  const byKey = (url: string, headers: Record<string, string> = {}) =>
    scene.service.request({
      method: 'GET',
      url,
      headers: { authorization: `ApiKey ${tokenKey}`, ...headers },
    });
  const asUser = { 'x-latchkey-user': '' };

  /** A shared client-credentials connector on the same provider and API. */
  async function createSharedConnector() {
    const created = await scene.service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Shared client credentials',
        authMode: 'shared',
        config: {
          credentialType: 'client_credentials',
          tokenUrl: scene.provider.tokenEndpoint,
          clientId: 'latchkey',
          apiBaseUrl: `${scene.api.url}/v1/`,
        },
        secrets: { clientSecret: PROVIDER_CLIENT_SECRET },
      },
    });
    return created.json().id as string;
  }

  /** Refresh, proxy, _token and refusals, through an outage, a revoked grant and a reconnect. */
  async function exerciseEverything() {
    const c = scene.connectorId;
    await record('proxied', scene.proxied('items'));
    await record('read token', byKey(`/api/connectors/${c}/_token`, asUser));
    expireAccessTokens(scene.service);
    await record('refresh on expiry', scene.proxied('after-expiry'));
    scene.api.failNextWith401(1);
    await record('forced refresh', scene.proxied('refused-once'));
    scene.api.failNextWith401(2);
    await record('refused twice', byKey(`/api/connectors/${c}/proxy/refused-twice`, asUser));
    await record('path escape', scene.proxied('..%2f..%2fsteal'));
    await record('no acting user', byKey(`/api/connectors/${c}/proxy/x`));
    await record('shared', byKey(`/api/connectors/${sharedId}/proxy/shared`));
    await record('shared token', byKey(`/api/connectors/${sharedId}/_token`));
    await scene.provider.stop();
    expireAccessTokens(scene.service);
    await record('provider down', scene.proxied('down'));
    await record('provider down, token', byKey(`/api/connectors/${c}/_token`, asUser));
    await scene.provider.start();
    // Past the cool-down the outage started: the next refresh goes to the provider again.
    scene.service.clock.now += 31_000;
    await harvest();
    scene.provider.revokeAllGrants();
    await record('revoked grant', scene.proxied('revoked'));
    await record('reauth, token', byKey(`/api/connectors/${c}/_token`, asUser));
    await connect(scene.service, scene.user.cookie, c);
    await harvest();
    await record('reconnected, token', byKey(`/api/connectors/${c}/_token`, asUser));
  }

  /** A library error that carries the provider's answer, as oauth4webapi's errors can. */
  async function failUnexpectedly(held: ConnectionCredentials | undefined) {
    const accessTokens = scene.service.deps.accessTokens;
    const original = accessTokens.get;
    accessTokens.get = async () => {
      const cause = { refresh_token: held?.refreshToken };
      throw Object.assign(new Error('unexpected answer', { cause }), {
        code: 'ERR_UNEXPECTED',
        body: { access_token: held?.accessToken },
      });
    };
    try {
      await record('unexpected', byKey(`/api/connectors/${scene.connectorId}/_token`, asUser));
    } finally {
      accessTokens.get = original;
    }
  }

  beforeAll(async () => {
    scene = await startProxyScene({ apiPath: '/v1/' });
    asUser['x-latchkey-user'] = scene.user.userId;
    tokenKey = (await createApiKey(scene.service, ['proxy', 'tokens:read', 'on_behalf'])).key;
    secrets.set(tokenKey, 'API key');
    secrets.set(scene.user.cookie.split('=')[1] as string, 'session cookie');
    secrets.set(PROVIDER_CLIENT_SECRET, 'client secret');
    sharedId = await createSharedConnector();
    await harvest();
    await exerciseEverything();
    heldTokens = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    await failUnexpectedly(heldTokens);
  });
  afterAll(() => scene.stop());

  it('exercises refresh, proxy, _token and refusals with debug logging on', () => {
    expect(responses.map((r) => `${r.what}: ${r.response.statusCode}`)).toEqual([
      'proxied: 200',
      'read token: 200',
      'refresh on expiry: 200',
      'forced refresh: 200',
      'refused twice: 401',
      'path escape: 400',
      'no acting user: 400',
      'shared: 200',
      'shared token: 400',
      'provider down: 502',
      'provider down, token: 502',
      'revoked grant: 409',
      'reauth, token: 409',
      'reconnected, token: 200',
      'unexpected: 500',
    ]);
    // Enough material for the checks below to mean something.
    const refreshTokens = [...secrets.values()].filter((v) => /refresh ?token/i.test(v));
    expect(refreshTokens.length).toBeGreaterThanOrEqual(4);
    expect(scene.service.logs()).toContain('/proxy/');
  });

  it('logs an unexpected failure without what a library attached to the error', () => {
    const answer = responses.find((r) => r.what === 'unexpected')?.response;
    expect([answer?.statusCode, answer?.json().error.code]).toEqual([500, 'internal_error']);
    const logged = scene.service
      .logs()
      .split('\n')
      .filter((line) => line.includes('request failed') && line.includes('unexpected answer'))
      .at(-1);
    expect(JSON.parse(logged ?? '{}').failure).toMatchObject({
      type: 'Error',
      errorCode: 'ERR_UNEXPECTED',
    });
    expect(logged).not.toContain(heldTokens?.accessToken);
    expect(logged).not.toContain(heldTokens?.refreshToken);
  });

  it('has no secret in any log line', () => {
    const logs = scene.service.logs();
    const leaked = [...secrets].filter(([value]) => logs.includes(value)).map(([, what]) => what);
    expect(leaked).toEqual([]);
  });

  it('has no secret in any error body or response header, and tokens only where asked for', () => {
    const leaks: string[] = [];
    for (const { what, response } of responses) {
      // `_token` answers with the access token: that is its job, and only to an API key.
      const handsOutToken = response.statusCode === 200 && what.endsWith('token');
      const text = `${JSON.stringify(response.headers)}\n${handsOutToken ? '' : response.body}`;
      for (const [value, secret] of secrets) {
        if (text.includes(value)) leaks.push(`${what}: ${secret}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('has no secret in any audit row or anywhere in the database files', async () => {
    const rows = JSON.stringify(await queryDatabase(scene.service, 'select * from audit_events'));
    expect(rows).toContain('api_key_used');
    expect(rows).toContain('connection_reauth_required');
    const files = await storedBytes(scene.service);
    const leaks: string[] = [];
    for (const [value, secret] of secrets) {
      if (rows.includes(value)) leaks.push(`audit: ${secret}`);
      for (const { name, bytes } of files) {
        if (bytes.includes(Buffer.from(value))) leaks.push(`${name}: ${secret}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
