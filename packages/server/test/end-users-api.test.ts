import type { ResourceApi, TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { readResult } from './support/callback-results';
import { changedColumns, changesMadeBy } from './support/database-digest';
import { type EndUserScene, startEndUserScene } from './support/end-user-scene';
import {
  asKeyForEndUser,
  asSession,
  connectWithSession,
  createConnectSession,
  tokenOfConnectUrl,
} from './support/end-users';
import { activeAt, storedTokens } from './support/oauth-harness';
import { PUBLIC_BASE_URL, type TestService } from './support/test-service';

/** An app's key acts for its end users: proxy, `_token`, links for agents, long poll, deletion. */
describe('end users through the API (real oidc-provider)', () => {
  let provider: TestProvider;
  let api: ResourceApi;
  let service: TestService;
  let connectorId: string;
  let appKey: string;
  let scene: EndUserScene;

  beforeAll(async () => {
    scene = await startEndUserScene({ resourceApi: true });
    ({ provider, service } = scene);
    api = scene.api as ResourceApi;
    [connectorId] = scene.connectorIds as [string];
    appKey = scene.appKey.key;
  });
  afterAll(() => scene.stop());
  beforeEach(() => provider.resetCounts());

  const proxy = (externalId: string, key = appKey) =>
    asKeyForEndUser(service, key, externalId, {
      url: `/api/connectors/${connectorId}/proxy/items`,
    });
  const token = (externalId: string, key = appKey) =>
    asKeyForEndUser(service, key, externalId, { url: `/api/connectors/${connectorId}/_token` });

  async function connectEndUser(externalId: string) {
    const session = await createConnectSession(service, appKey, externalId, {
      connectorIds: [connectorId],
    });
    const { response } = await connectWithSession(service, session.token, connectorId);
    expect(readResult(response).status).toBe('success');
    return session;
  }

  it('proxies and hands out tokens for a connected end user; the admin API shows the status', async () => {
    await connectEndUser('proxied-1');

    const proxied = await proxy('proxied-1');
    expect(proxied.statusCode).toBe(200);
    expect(proxied.json()).toMatchObject({ ok: true, path: '/items' });
    const handed = await token('proxied-1');
    expect(handed.statusCode).toBe(200);
    expect((await activeAt(provider, [handed.json().accessToken]))[0]).toBe(true);

    const shown = await service.asAdmin({ method: 'GET', url: '/api/end_users/proxied-1' });
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      externalId: 'proxied-1',
      connections: [{ connectorId, status: 'connected' }],
    });
    const listed = await service.asAdmin({ method: 'GET', url: '/api/end_users' });
    expect(listed.json().endUsers.map((e: { externalId: string }) => e.externalId)).toContain(
      'proxied-1',
    );
    // End users are no Latchkey users: not listed there, never able to log in.
    const users = await service.asAdmin({ method: 'GET', url: '/api/users' });
    expect(JSON.stringify(users.json())).not.toContain('end-user:');
  });

  it('answers an unknown end user 409 with a connectUrl, creating nobody; the link leads to a usable connection', async () => {
    const refused = await proxy('agent-human-1');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('not_connected');
    const connectUrl: string = refused.json().error.details.connectUrl;
    expect(connectUrl.startsWith(`${PUBLIC_BASE_URL}/connect#session=`)).toBe(true);
    expect(await service.deps.store.endUsers.findByExternalId('agent-human-1')).toBeUndefined();
    const refusedToken = await token('agent-human-1');
    expect(refusedToken.statusCode).toBe(409);
    expect(refusedToken.json().error.details.connectUrl).toMatch(/#session=/);
    expect(provider.counts.authorization + provider.counts.token).toBe(0);

    // The link is limited to that connector, and works.
    const linkToken = tokenOfConnectUrl(connectUrl);
    const view = await asSession(service, linkToken, {
      method: 'GET',
      url: '/api/connect_session',
    });
    expect(view.json().connectors.map((c: { id: string }) => c.id)).toEqual([connectorId]);
    const { response } = await connectWithSession(service, linkToken, connectorId);
    expect(readResult(response).status).toBe('success');
    expect((await proxy('agent-human-1')).statusCode).toBe(200);
  });

  it('answers an end user whose grant is gone 409 reauth_required with a link that reconnects them', async () => {
    await connectEndUser('reauth-1');
    const endUser = await service.deps.store.endUsers.findByExternalId('reauth-1');
    const tokens = await storedTokens(service, connectorId, endUser?.id ?? '');
    // The person revoked the app at the provider: that grant only, other end users keep theirs.
    const grantId = provider.store.get('RefreshToken', tokens?.refreshToken ?? '')?.grantId;
    if (!grantId) throw new Error('no grant found for the refresh token');
    provider.store.revokeByGrantId(grantId);
    service.clock.now += 2 * 3600 * 1000;
    const apiRequestsBefore = api.counts.requests;

    const refused = await proxy('reauth-1');
    const handed = await token('reauth-1');

    for (const response of [refused, handed]) {
      expect([response.statusCode, response.json().error.code]).toEqual([409, 'reauth_required']);
      expect(response.json().error.details.connectUrl).toMatch(/#session=/);
      expect(response.body).not.toContain('accessToken');
    }
    expect(api.counts.requests).toBe(apiRequestsBefore);
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
    expect(await service.deps.store.connections.find(connectorId, endUser?.id ?? '')).toMatchObject(
      { status: 'reauth_required', sealedCredentials: null },
    );
    // The link is for that connector and that end user, and reconnects them.
    const linkToken = tokenOfConnectUrl(refused.json().error.details.connectUrl);
    const view = await asSession(service, linkToken, {
      method: 'GET',
      url: '/api/connect_session',
    });
    expect(view.json()).toMatchObject({ endUser: { externalId: 'reauth-1' } });
    expect(view.json().connectors.map((c: { id: string }) => c.id)).toEqual([connectorId]);
    expect(view.json().connectors[0].userAuthStatus).toBe('reauth_required');
    const { response } = await connectWithSession(service, linkToken, connectorId);
    expect(readResult(response).status).toBe('success');
    expect((await proxy('reauth-1')).statusCode).toBe(200);
  });

  it('refuses every end-user route to a key without end_users, and changes nothing', async () => {
    await connectEndUser('guarded-1');
    const other = (await createApiKey(service, ['proxy', 'tokens:read', 'on_behalf'])).key;
    const headers = { authorization: `ApiKey ${other}` };
    const asEndUser = { ...headers, 'x-latchkey-end-user': 'guarded-1' };
    const answers = [
      await service.request({ method: 'GET', url: '/api/end_users', headers }),
      await service.request({ method: 'GET', url: '/api/end_users/guarded-1', headers }),
      await service.request({ method: 'DELETE', url: '/api/end_users/guarded-1', headers }),
      await service.request({
        method: 'POST',
        url: '/api/connect_sessions',
        headers,
        body: { endUser: { externalId: 'guarded-2' } },
      }),
      await service.request({
        method: 'GET',
        url: `/api/connectors/${connectorId}/_connection_status`,
        headers: asEndUser,
      }),
      await token('guarded-1', other),
    ];
    expect(answers.map((a) => [a.statusCode, a.json().error.code])).toEqual(
      answers.map(() => [403, 'api_key_forbidden']),
    );
    expect(answers.some((a) => a.body.includes('accessToken'))).toBe(false);
    const kept = await service.deps.store.endUsers.findByExternalId('guarded-1');
    expect(await service.deps.store.connections.listForUser(kept?.id ?? '')).toHaveLength(1);
    expect(await service.deps.store.endUsers.findByExternalId('guarded-2')).toBeUndefined();
  });

  it('gives no connectUrl to a key without end_users, and refuses it the header', async () => {
    const proxyOnly = (await createApiKey(service, ['proxy'])).key;
    const requestsBefore = api.counts.requests;
    const response = await proxy('agent-human-2', proxyOnly);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('api_key_forbidden');
    expect(JSON.stringify(response.json())).not.toContain('connect');
    const both = await service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/proxy/items`,
      headers: {
        authorization: `ApiKey ${appKey}`,
        'x-latchkey-end-user': 'x',
        'x-latchkey-user': 'y',
      },
    });
    expect(both.json().error.code).toBe('acting_user_ambiguous');
    expect(api.counts.requests).toBe(requestsBefore);
    expect(await service.deps.store.endUsers.findByExternalId('agent-human-2')).toBeUndefined();
  });

  it("refuses a key that names an end user's internal id as a user, handing nothing out", async () => {
    await connectEndUser('by-id-1');
    const endUser = await service.deps.store.endUsers.findByExternalId('by-id-1');
    if (!endUser) throw new Error('no end user');
    const onBehalf = (await createApiKey(service, ['proxy', 'tokens:read', 'on_behalf'])).key;
    const requestsBefore = api.counts.requests;
    const tokenRequestsBefore = provider.counts.token;
    const asUser = (path: string) =>
      service.request({
        method: 'GET',
        url: `/api/connectors/${connectorId}/${path}`,
        headers: { authorization: `ApiKey ${onBehalf}`, 'x-latchkey-user': endUser.id },
      });

    const handed = await asUser('_token');
    const proxied = await asUser('proxy/items');

    for (const refused of [handed, proxied]) {
      expect(refused.statusCode).toBe(404);
      expect(refused.json().error.code).toBe('user_not_found');
      expect(refused.body).not.toContain('accessToken');
    }
    expect(api.counts.requests).toBe(requestsBefore);
    expect(provider.counts.token).toBe(tokenRequestsBefore);
  });

  it('refuses the end-user routes to viewers, editors and keys without end_users, changing nothing', async () => {
    await connectEndUser('guarded-1');
    const [viewer, editor] = [
      await service.sessionFor('viewer'),
      await service.sessionFor('editor'),
    ];
    const proxyKey = (await createApiKey(service, ['proxy', 'tokens:read', 'on_behalf'])).key;
    const callers = [
      { name: 'viewer', cookie: viewer.cookie, code: 'forbidden' },
      { name: 'editor', cookie: editor.cookie, code: 'forbidden' },
      {
        name: 'key without end_users',
        headers: { authorization: `ApiKey ${proxyKey}` },
        code: 'api_key_forbidden',
      },
    ];
    const routes = [
      { method: 'GET', url: '/api/end_users' },
      { method: 'GET', url: '/api/end_users/guarded-1' },
      { method: 'DELETE', url: '/api/end_users/guarded-1' },
    ] as const;
    const changes = await changesMadeBy(service, async () => {
      for (const { name, code, ...credentials } of callers) {
        for (const route of routes) {
          const response = await service.request({ ...route, ...credentials });
          const what = `${name}: ${route.method} ${route.url}`;
          expect(response.statusCode, what).toBe(403);
          expect(response.json().error.code, what).toBe(code);
          expect(response.body).not.toContain('guarded-1');
        }
      }
    });
    // A key's use is recorded whatever the answer; nothing else may move.
    const keyUse = changes.filter(
      (c) => c.table === 'api_keys' && changedColumns(c).join() === 'last_used_at',
    );
    expect(changes.filter((c) => !keyUse.includes(c))).toEqual([]);
    expect(provider.counts.revocation).toBe(0);
    expect((await proxy('guarded-1')).statusCode).toBe(200);
  });

  it('long-polls: answers as soon as the connection lands, for an end user who did not exist', async () => {
    const startedAt = performance.now();
    const waiting = asKeyForEndUser(service, appKey, 'poller-1', {
      url: `/api/connectors/${connectorId}/_connection_status?wait=30`,
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await connectEndUser('poller-1');
    const landedAt = performance.now();
    const answer = await waiting;

    expect(answer.json()).toEqual({ status: 'connected' });
    expect(performance.now() - landedAt).toBeLessThan(2000);
    expect(performance.now() - startedAt).toBeLessThan(15_000);
  });

  it('long-polls until the wait is over when nothing lands', async () => {
    const startedAt = performance.now();
    const answer = await asKeyForEndUser(service, appKey, 'poller-2', {
      url: `/api/connectors/${connectorId}/_connection_status?wait=1`,
    });
    expect(answer.json()).toEqual({ status: 'not_connected' });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(900);
    const tooLong = await asKeyForEndUser(service, appKey, 'poller-2', {
      url: `/api/connectors/${connectorId}/_connection_status?wait=61`,
    });
    expect(tooLong.statusCode).toBe(400);
  });

  it('deletes an end user: sessions end, connections go, and the provider revokes their tokens', async () => {
    const session = await connectEndUser('leaver-1');
    const endUser = await service.deps.store.endUsers.findByExternalId('leaver-1');
    const tokens = await storedTokens(service, connectorId, endUser?.id ?? '');
    if (!tokens?.refreshToken) throw new Error('no refresh token stored');
    expect(await activeAt(provider, [tokens.refreshToken, tokens.accessToken])).toEqual([
      true,
      true,
    ]);

    const deleted = await service.request({
      method: 'DELETE',
      url: '/api/end_users/leaver-1',
      headers: { authorization: `ApiKey ${appKey}` },
    });
    expect(deleted.statusCode).toBe(204);
    await service.jobs.runNow('revocation-retries');

    expect(await activeAt(provider, [tokens.refreshToken, tokens.accessToken])).toEqual([
      false,
      false,
    ]);
    const afterwards = await asSession(service, session.token, {
      method: 'GET',
      url: '/api/connect_session',
    });
    expect(afterwards.json().error.code).toBe('connect_session_invalid');
    expect(await service.deps.store.endUsers.findByExternalId('leaver-1')).toBeUndefined();
    const again = await service.asAdmin({ method: 'DELETE', url: '/api/end_users/leaver-1' });
    expect(again.json().error.code).toBe('end_user_not_found');
    const audit = await service.deps.store.audit.page(50);
    expect(audit.find((e) => e.action === 'end_user_deleted')).toMatchObject({
      subjectUserId: endUser?.id,
      details: { connections: 1 },
    });
  });
});
