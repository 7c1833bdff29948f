import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryDatabase } from './support/database-queries';
import {
  connect,
  createProviderConnector,
  providerConnectorBody,
  startFlow,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

/** Granted scopes, widened connector scopes and reconnects, against a real oidc-provider. */
describe('granted scopes (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  async function connectorWithScope(scope: string) {
    const name = `Scopes ${Math.random().toString(36).slice(2, 8)}`;
    const id = await createProviderConnector(service, provider, { name, scope });
    return { id, name };
  }

  async function setScope(connector: { id: string; name: string }, scope: string) {
    const body = providerConnectorBody(provider, { name: connector.name, scope });
    const { secrets: _kept, ...withoutSecrets } = body;
    const response = await service.asAdmin({
      method: 'PUT',
      url: `/api/connectors/${connector.id}`,
      body: withoutSecrets,
    });
    expect(response.statusCode, response.body).toBe(200);
  }

  async function connectionView(user: UserSession, connectorId: string) {
    const response = await service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}`,
      cookie: user.cookie,
    });
    return response.json().connection;
  }

  it('stores the scopes the provider granted and shows them with the status', async () => {
    const connector = await connectorWithScope('openid read');
    const user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connector.id);
    const stored = await service.deps.store.connections.find(connector.id, user.userId);
    expect(stored?.scopes?.split(' ').sort()).toEqual(['openid', 'read']);
    expect(await connectionView(user, connector.id)).toMatchObject({
      status: 'connected',
      grantedScopes: expect.arrayContaining(['openid', 'read']),
      scopesMissing: [],
      account: 'user-1',
    });
    const statuses = await service.request({
      method: 'POST',
      url: '/api/connectors/_me/auth_status',
      cookie: user.cookie,
      body: {},
    });
    expect(statuses.json()[connector.id]).toMatchObject({
      user_auth_status: 'connected',
      connection: { scopesMissing: [], account: 'user-1' },
    });
  });

  it('keeps connections when the scopes grow, and names the missing ones', async () => {
    const connector = await connectorWithScope('openid read');
    const user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connector.id);
    const before = await service.deps.store.connections.find(connector.id, user.userId);
    // offline_access is never echoed back: it must not count as missing.
    await setScope(connector, 'openid read write offline_access');
    const after = await service.deps.store.connections.find(connector.id, user.userId);
    expect(after?.id).toBe(before?.id);
    expect(after?.status).toBe('connected');
    expect(await connectionView(user, connector.id)).toMatchObject({
      status: 'connected',
      scopesMissing: ['write'],
    });
    // Nothing was revoked: the connection's token still works at the provider.
    expect(provider.counts.revocation ?? 0).toBe(0);
  });

  it('still deletes connections when an endpoint changes', async () => {
    const connector = await connectorWithScope('openid read');
    const user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connector.id);
    const body = providerConnectorBody(provider, { name: connector.name, scope: 'openid read' });
    const moved = { ...body, config: { ...body.config, apiBaseUrl: `${provider.issuer}/v2/` } };
    const response = await service.asAdmin({
      method: 'PUT',
      url: `/api/connectors/${connector.id}`,
      body: moved,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await service.deps.store.connections.find(connector.id, user.userId)).toBeUndefined();
  });

  it('reconnects with the connector scopes plus those granted, and grants the union', async () => {
    const connector = await connectorWithScope('openid read');
    const user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connector.id);
    // The admin now asks for write instead of read: the user's read must not be lost.
    await setScope(connector, 'openid write');
    const flow = await startFlow(service, user.cookie, connector.id);
    const asked = new URL(flow.authorizationUrl).searchParams.get('scope');
    expect(asked?.split(' ').sort()).toEqual(['openid', 'read', 'write']);
    expect(new URL(flow.authorizationUrl).searchParams.has('include_granted_scopes')).toBe(false);
    await connect(service, user.cookie, connector.id);
    const view = await connectionView(user, connector.id);
    expect([...view.grantedScopes].sort()).toEqual(['openid', 'read', 'write']);
    expect(view.scopesMissing).toEqual([]);
    const events = await service.deps.store.audit.page(100);
    const changed = events.filter(
      (event) => event.action === 'connection_scopes_changed' && event.connectorId === connector.id,
    );
    expect(changed).toHaveLength(1);
    expect(changed[0]?.details).toEqual({ added: ['write'], removed: [] });
    expect(await eventTypes(connector.id)).toEqual([
      'connection.created',
      'connection.reconnected',
      'connection.scopes_changed',
    ]);
  });

  it('does not record a scope change for a first connect or an identical reconnect', async () => {
    const connector = await connectorWithScope('openid read');
    const user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connector.id);
    await connect(service, user.cookie, connector.id);
    const events = await service.deps.store.audit.page(100);
    expect(
      events.filter(
        (e) => e.action === 'connection_scopes_changed' && e.connectorId === connector.id,
      ),
    ).toEqual([]);
    expect(await eventTypes(connector.id)).toEqual([
      'connection.created',
      'connection.reconnected',
    ]);
  });

  /** The connector's events by type, sorted: events of one fake-clock moment share a time. */
  async function eventTypes(connectorId: string): Promise<string[]> {
    const rows = await queryDatabase<{ type: string }>(
      service,
      'select type from connection_events where connector_id = ?',
      connectorId,
    );
    return rows.map((row) => row.type).sort();
  }
});
