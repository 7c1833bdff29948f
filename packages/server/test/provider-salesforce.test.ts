import { lookup as dnsLookup } from 'node:dns';
import { loadCatalog } from '@latchkey/catalog';
import type { ResolveHost } from '@latchkey/outbound';
import { type SalesforceStandIn, startSalesforceStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIRECT_URI, type UserSession } from './support/oauth-harness';
import { type StandInScene, startStandInScene } from './support/stand-in-scene';

/** The org's instance, on the hosts the test entry keeps (`.my.localhost`, for `.my.salesforce.com`). */
const INSTANCE_HOST = 'acme.my.localhost';
const SOBJECTS = 'services/data/v62.0/sobjects';

/** The instance's name resolves to the stand-in, as `acme.my.salesforce.com` would to Salesforce. */
const resolve: ResolveHost = (hostname, options, callback) =>
  hostname === INSTANCE_HOST
    ? callback(null, [{ address: '127.0.0.1', family: 4 }])
    : dnsLookup(hostname, options, callback);

/** The Salesforce preset, end to end, against a stand-in of Salesforce's documented answers. */
describe('Salesforce preset (stand-in)', () => {
  let salesforce: SalesforceStandIn;
  let scene: StandInScene;
  let instanceUrl: string;

  beforeAll(async () => {
    salesforce = await startSalesforceStandIn();
    instanceUrl = `http://${INSTANCE_HOST}:${new URL(salesforce.baseUrl).port}`;
    salesforce.answerInstanceUrl(instanceUrl);
    const shippedKeep = loadCatalog().find('salesforce')?.keep ?? [];
    scene = await startStandInScene(salesforce, {
      provider: 'salesforce',
      name: 'Salesforce',
      entry: {
        authorizationUrl: `${salesforce.baseUrl}/services/oauth2/authorize`,
        tokenUrl: `${salesforce.baseUrl}/services/oauth2/token`,
        revocation: { method: 'rfc7009', url: `${salesforce.baseUrl}/services/oauth2/revoke` },
        keep: shippedKeep.map((rule) => ({ ...rule, hostSuffixes: ['.my.localhost'] })),
        apiBaseUrl: '{instance_url}',
      },
      egress: { resolve },
    });
  });
  afterAll(() => scene.stop());

  const fieldsOf = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body));
  const sobjects = (user: UserSession) => scene.proxied(user, SOBJECTS);

  it('connects with the client in the body and keeps the instance URL, no expiry', async () => {
    const user = await scene.connectedUser();
    expect(scene.requestsTo('/services/oauth2/authorize').at(-1)?.query).toMatchObject({
      client_id: salesforce.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'api refresh_token',
      code_challenge_method: 'S256',
    });
    const token = scene.requestsTo('/services/oauth2/token').at(-1);
    expect(token?.headers.authorization).toBeUndefined();
    const fields = fieldsOf(token?.body);
    expect(Object.keys(fields).sort()).toEqual(
      ['client_id', 'client_secret', 'code', 'code_verifier', 'grant_type', 'redirect_uri'].sort(),
    );
    expect(fields).toMatchObject({
      grant_type: 'authorization_code',
      client_id: salesforce.clientId,
      client_secret: salesforce.clientSecret,
    });
    const stored = await scene.tokensOf(user);
    expect(salesforce.isLive(stored?.accessToken ?? '')).toBe(true);
    expect(stored?.refreshToken).toMatch(/^5Aep/);
    // Salesforce sends no expires_in: the session lasts as the org's policy says.
    expect(await scene.connectionOf(user)).toMatchObject({
      expiresAt: null,
      metadata: { instance_url: instanceUrl },
    });
  });

  it('calls the REST API on the kept instance URL, with the token as bearer', async () => {
    const user = await scene.connectedUser();
    const answer = await sobjects(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ encoding: 'UTF-8' });
    const sent = scene.requestsTo(`/${SOBJECTS}`).at(-1);
    expect(sent?.headers.host).toBe(new URL(instanceUrl).host);
    const stored = await scene.tokensOf(user);
    expect(sent?.headers.authorization).toBe(`Bearer ${stored?.accessToken}`);
  });

  it('refreshes when the API answers INVALID_SESSION_ID, keeping refresh token and instance', async () => {
    const user = await scene.connectedUser();
    const before = await scene.tokensOf(user);
    salesforce.expireAccessTokens();
    const answer = await sobjects(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(fieldsOf(scene.requestsTo('/services/oauth2/token').at(-1)?.body)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refreshToken,
      client_id: salesforce.clientId,
      client_secret: salesforce.clientSecret,
    });
    const after = await scene.tokensOf(user);
    expect(after?.refreshToken).toBe(before?.refreshToken);
    expect(salesforce.isLive(after?.accessToken ?? '')).toBe(true);
    expect(await scene.connectionOf(user)).toMatchObject({
      expiresAt: null,
      metadata: { instance_url: instanceUrl },
    });
  });

  it('keeps no instance URL off the preset hosts: the proxy sends the token nowhere', async () => {
    // A provider (or whoever answers for it) names a host of its choosing, here a live one.
    salesforce.answerInstanceUrl(salesforce.baseUrl);
    try {
      const user = await scene.connectedUser();
      expect((await scene.connectionOf(user))?.metadata).toEqual({});
      const before = salesforce.requests.length;
      const answer = await sobjects(user);
      expect(answer.statusCode).toBe(409);
      expect(answer.json().error.code).toBe('connection_incomplete');
      expect(salesforce.requests.slice(before)).toEqual([]);
    } finally {
      salesforce.answerInstanceUrl(instanceUrl);
    }
  });

  it('asks the user to reconnect when Salesforce refuses the refresh token', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
    const revoked = await fetch(`${salesforce.baseUrl}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: stored?.refreshToken ?? '' }),
    });
    expect(revoked.status).toBe(200);
    salesforce.expireAccessTokens();
    await sobjects(user);
    expect(await scene.statusOf(user)).toBe('reauth_required');
  });

  it('revokes both tokens on disconnect through RFC 7009, the client in the body', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
    const before = salesforce.requests.length;
    const answer = await scene.disconnect(user);
    expect(answer.statusCode).toBe(204);
    const sent = salesforce.requests.slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /services/oauth2/revoke',
      'POST /services/oauth2/revoke',
    ]);
    const client = { client_id: salesforce.clientId, client_secret: salesforce.clientSecret };
    expect(sent.map((request) => fieldsOf(request.body))).toEqual([
      { ...client, token: stored?.refreshToken, token_type_hint: 'refresh_token' },
      { ...client, token: stored?.accessToken, token_type_hint: 'access_token' },
    ]);
    expect(sent.every((request) => request.headers.authorization === undefined)).toBe(true);
    expect(salesforce.isLive(stored?.accessToken ?? '')).toBe(false);
  });
});
