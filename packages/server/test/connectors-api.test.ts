import { randomUUID } from 'node:crypto';
import { RESERVED_AUTHORIZATION_PARAMS } from '@latchkey/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_SECRET,
  perUserConnectorBody,
  SHARED_TOKEN,
  sharedConnectorBody,
} from './support/connector-bodies';
import { queryDatabase, runStatement } from './support/database-queries';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

describe('connectors API', () => {
  let service: TestService;
  let admin: string;
  let viewer: { cookie: string; userId: string };

  beforeAll(async () => {
    service = await startTestService();
    admin = await service.login('admin', ADMIN_PASSWORD);
    viewer = await service.sessionFor('viewer');
  });
  afterAll(() => service.stop());

  const create = (body: unknown) =>
    service.request({ method: 'POST', url: '/api/connectors', cookie: admin, body });

  it('creates a per-user connector, never returns its secret, and reports which secrets are set', async () => {
    const response = await create(perUserConnectorBody({ name: 'GitHub' }));
    expect(response.statusCode).toBe(201);
    const view = response.json();
    expect(view).toMatchObject({
      name: 'GitHub',
      authMode: 'per-user',
      userAuthStatus: 'not_connected',
      secretsSet: ['clientSecret'],
    });
    expect(response.body).not.toContain(CLIENT_SECRET);
    const listed = await service.request({
      method: 'GET',
      url: '/api/connectors',
      cookie: viewer.cookie,
    });
    expect(listed.body).not.toContain(CLIENT_SECRET);
    expect(listed.json().connectors.map((c: { name: string }) => c.name)).toContain('GitHub');
  });

  it('shows shared connectors as not_applicable and agrees across list, detail and _me/auth_status', async () => {
    const shared = (await create(sharedConnectorBody())).json();
    const perUser = (await create(perUserConnectorBody())).json();
    const list = (
      await service.request({ method: 'GET', url: '/api/connectors', cookie: viewer.cookie })
    ).json();
    const statuses = (
      await service.request({
        method: 'POST',
        url: '/api/connectors/_me/auth_status',
        cookie: viewer.cookie,
        body: {},
      })
    ).json();
    for (const [id, expected] of [
      [shared.id, 'not_applicable'],
      [perUser.id, 'not_connected'],
    ]) {
      const detail = (
        await service.request({
          method: 'GET',
          url: `/api/connectors/${id}`,
          cookie: viewer.cookie,
        })
      ).json();
      expect(detail.userAuthStatus).toBe(expected);
      expect(list.connectors.find((c: { id: string }) => c.id === id).userAuthStatus).toBe(
        expected,
      );
      expect(statuses[id]).toEqual({ user_auth_status: expected, connection: null });
    }
    expect(JSON.stringify(list)).not.toContain(SHARED_TOKEN);
  });

  it('refuses a second connector with the same name', async () => {
    await create(perUserConnectorBody({ name: 'Unique' }));
    const response = await create(perUserConnectorBody({ name: 'Unique' }));
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('connector_name_taken');
  });

  it('requires the client secret on create', async () => {
    const response = await create(perUserConnectorBody({ secrets: undefined }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('secret_required');
  });

  it.each([
    ['http on a public host', 'http://auth.example.com/token'],
    ['another scheme', 'ftp://auth.example.com/token'],
    ['credentials in the URL', 'https://user:pass@auth.example.com/token'],
    ['a fragment', 'https://auth.example.com/token#x'],
    ['not a URL', 'token'],
  ])('refuses a token URL with %s', async (_name, tokenUrl) => {
    const body = perUserConnectorBody();
    const response = await create({ ...body, config: { ...body.config, tokenUrl } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('insecure_endpoint');
  });

  it('accepts http on loopback only when LATCHKEY_ALLOW_HTTP_LOOPBACK is true', async () => {
    const body = perUserConnectorBody();
    const loopback = {
      ...body,
      config: { ...body.config, tokenUrl: 'http://127.0.0.1:9999/token' },
    };
    expect((await create(loopback)).statusCode).toBe(201);
    const strict = await startTestService({ LATCHKEY_ALLOW_HTTP_LOOPBACK: 'false' });
    try {
      const strictAdmin = await strict.login('admin', ADMIN_PASSWORD);
      const response = await strict.request({
        method: 'POST',
        url: '/api/connectors',
        cookie: strictAdmin,
        body: { ...loopback, name: 'x' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain('LATCHKEY_ALLOW_HTTP_LOOPBACK');
    } finally {
      await strict.stop();
    }
  });

  it('keeps the stored secret when an update omits it, and replaces it when given', async () => {
    const created = (await create(perUserConnectorBody())).json();
    const { secrets: _omitted, ...withoutSecrets } = perUserConnectorBody({ name: created.name });
    const kept = await service.request({
      method: 'PUT',
      url: `/api/connectors/${created.id}`,
      cookie: admin,
      body: withoutSecrets,
    });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().secretsSet).toEqual(['clientSecret']);
    const stored = await service.deps.store.connectors.findById(created.id);
    const secret = JSON.parse(
      service.deps.vault.decrypt(stored!.sealedSecrets, {
        table: 'connectors',
        column: 'secrets',
        rowId: created.id,
      }),
    );
    expect(secret.clientSecret).toBe(CLIENT_SECRET);
  });

  it('deletes every user token when OAuth settings change, but not on a rename or new scopes', async () => {
    const created = (await create(perUserConnectorBody())).json();
    await insertConnection(service, created.id, viewer.userId);
    const renamed = perUserConnectorBody({ name: `${created.name} renamed` });
    await service.request({
      method: 'PUT',
      url: `/api/connectors/${created.id}`,
      cookie: admin,
      body: renamed,
    });
    expect(await countConnections(service, created.id)).toBe(1);
    const widened = { ...renamed, config: { ...renamed.config, scope: 'read write admin' } };
    const kept = await service.request({
      method: 'PUT',
      url: `/api/connectors/${created.id}`,
      cookie: admin,
      body: widened,
    });
    expect(kept.statusCode).toBe(200);
    expect(await countConnections(service, created.id)).toBe(1);
    const params = { ...widened.config, authorizationParams: { prompt: 'consent' } };
    const response = await service.request({
      method: 'PUT',
      url: `/api/connectors/${created.id}`,
      cookie: admin,
      body: { ...widened, config: params },
    });
    expect(response.statusCode).toBe(200);
    expect(await countConnections(service, created.id)).toBe(0);
  });

  it('deletes every user token with the connector', async () => {
    const created = (await create(perUserConnectorBody())).json();
    await insertConnection(service, created.id, viewer.userId);
    const response = await service.request({
      method: 'DELETE',
      url: `/api/connectors/${created.id}`,
      cookie: admin,
    });
    expect(response.statusCode).toBe(204);
    expect(await countConnections(service, created.id)).toBe(0);
    const again = await service.request({
      method: 'DELETE',
      url: `/api/connectors/${created.id}`,
      cookie: admin,
    });
    expect(again.json().error.code).toBe('connector_not_found');
  });

  it('refuses authorization parameters that would override the flow', async () => {
    const body = perUserConnectorBody();
    const response = await create({
      ...body,
      config: { ...body.config, authorizationParams: { redirect_uri: 'https://evil.example' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it.each(RESERVED_AUTHORIZATION_PARAMS.filter((param) => param !== 'scope'))(
    'refuses scopeParamName %s, a parameter of the flow itself',
    async (scopeParamName) => {
      const body = perUserConnectorBody();
      const response = await create({ ...body, config: { ...body.config, scopeParamName } });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect(response.json().error.message).toContain('scopeParamName');
    },
  );

  it('a scopeParamName stored before it was checked still cannot replace the flow’s parameters', async () => {
    const body = perUserConnectorBody();
    const created = (
      await create({ ...body, config: { ...body.config, scopeParamName: 'scope' } })
    ).json();
    const stored = await service.deps.store.connectors.findById(created.id);
    if (stored?.authMode !== 'per-user') throw new Error('the connector is per-user');
    const scope = 'https://evil.example/steal';
    // Written behind the API's back, as a connector saved by an older version could be.
    await service.deps.store.connectors.update({
      ...stored,
      config: { ...stored.config, scope, scopeParamName: 'redirect_uri' },
    });
    const started = await service.request({
      method: 'POST',
      url: `/api/connectors/${created.id}/_start_oauth_flow`,
      cookie: viewer.cookie,
      body: {},
    });
    expect(started.statusCode).toBe(200);
    const params = new URL(started.json().authorizationUrl).searchParams;
    expect(params.getAll('redirect_uri')).toEqual([
      'http://localhost:5601/api/connectors/_oauth_callback',
    ]);
  });
});

/** A connection without tokens to seal: one whose grant is gone, as the store allows. */
async function insertConnection(service: TestService, connectorId: string, userId: string) {
  const now = Date.now();
  await runStatement(
    service,
    'insert into connections (id, connector_id, user_id, status, created_at, updated_at, last_used_at) values (?, ?, ?, ?, ?, ?, ?)',
    randomUUID(),
    connectorId,
    userId,
    'reauth_required',
    now,
    now,
    now,
  );
}

async function countConnections(service: TestService, connectorId: string): Promise<number> {
  const [row] = await queryDatabase<{ n: number }>(
    service,
    'select count(*) as n from connections where connector_id = ?',
    connectorId,
  );
  return row?.n ?? 0;
}
