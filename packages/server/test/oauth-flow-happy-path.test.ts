import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryDatabase } from './support/database-queries';
import { connect, createProviderConnector, startProvider, statusOf } from './support/oauth-harness';
import { PUBLIC_BASE_URL, startTestService, type TestService } from './support/test-service';

describe('authorization code flow, happy paths (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startTestService();
    connectorId = await createProviderConnector(service, provider);
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  it('connects a viewer in result-page mode and shows the result page', async () => {
    const viewer = await service.sessionFor('viewer');
    expect(await statusOf(service, viewer.cookie, connectorId)).toBe('not_connected');
    const { response } = await connect(service, viewer.cookie, connectorId);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('data-status="success"');
    expect(response.body).toContain(`data-connector-id="${connectorId}"`);
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
    expect(await statusOf(service, viewer.cookie, connectorId)).toBe('connected');
    const statuses = await service.request({
      method: 'POST',
      url: '/api/connectors/_me/auth_status',
      cookie: viewer.cookie,
      body: {},
    });
    expect(statuses.json()[connectorId]).toMatchObject({
      user_auth_status: 'connected',
      connection: {
        status: 'connected',
        lastError: null,
        lastRefreshedAt: null,
        scopesMissing: [],
      },
    });
  });

  it('connects in redirect mode and returns to the same-origin return URL with the result', async () => {
    const viewer = await service.sessionFor('viewer');
    const returnUrl = `${PUBLIC_BASE_URL}/app/connectors?tab=mine#list`;
    const { response } = await connect(service, viewer.cookie, connectorId, { returnUrl });
    expect(response.statusCode).toBe(302);
    const location = new URL(response.headers.location as string);
    expect(location.origin).toBe(PUBLIC_BASE_URL);
    expect(location.pathname).toBe('/app/connectors');
    expect(location.hash).toBe('#list');
    expect(location.searchParams.get('tab')).toBe('mine');
    expect(location.searchParams.get('oauth_authorization')).toBe('success');
    expect(location.searchParams.get('connector_id')).toBe(connectorId);
    expect(location.searchParams.has('error')).toBe(false);
    expect(await statusOf(service, viewer.cookie, connectorId)).toBe('connected');
  });

  it('stores the tokens as ciphertext bound to the row, and a new connection replaces the old', async () => {
    const viewer = await service.sessionFor('viewer');
    await connect(service, viewer.cookie, connectorId);
    const first = await service.deps.store.connections.find(connectorId, viewer.userId);
    await connect(service, viewer.cookie, connectorId);
    const second = await service.deps.store.connections.find(connectorId, viewer.userId);
    // One row, its tokens sealed to a new id: a refresh still holding the old one fails.
    expect(second?.id).not.toBe(first?.id);
    expect(second?.createdAt).toBe(first?.createdAt);
    const rows = await queryDatabase<{ credentials: string }>(
      service,
      'select credentials from connections where user_id = ?',
      viewer.userId,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.credentials).toMatch(/^lk1\.ka\./);
    const credentials = JSON.parse(
      service.deps.vault.decrypt(rows[0]!.credentials, {
        table: 'connections',
        column: 'credentials',
        rowId: second!.id,
      }),
    );
    expect(credentials.refreshToken).toBeTruthy();
    expect(() =>
      service.deps.vault.decrypt(rows[0]!.credentials, {
        table: 'connections',
        column: 'credentials',
        rowId: first!.id,
      }),
    ).toThrow();
    expect(rows[0]?.credentials).not.toContain(credentials.accessToken);
    const introspection = await provider.introspect(credentials.accessToken);
    expect(introspection.active).toBe(true);
    expect(introspection.scope).toContain('read');
  });
});
