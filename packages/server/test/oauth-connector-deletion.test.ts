import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refuseDeletes, runStatement } from './support/database-queries';
import {
  activeAt,
  connectedTokens,
  PROVIDER_CLIENT_SECRET,
  providerConnectorBody,
  sessionsFor,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { storedBytes } from './support/stored-bytes';
import {
  countRows,
  pendingRevocationRows,
  revocationQueuedEvents,
  storedTokens,
} from './support/stored-state';
import { ADMIN_PASSWORD, type TestService } from './support/test-service';

const RETRY_DELAY_MS = 60_000;

/**
 * Deleting a connector, or changing its OAuth settings, drops every user's tokens; they are
 * revoked at the provider they were issued by (RFC 7009), after the connector is gone.
 */
describe('connector deletion and update revoke users’ tokens (real oidc-provider)', () => {
  let provider: TestProvider;
  let otherProvider: TestProvider;
  let service: TestService;
  let admin: string;
  let adminId: string;
  let editor: UserSession;
  let users: UserSession[];

  beforeAll(async () => {
    [provider, otherProvider] = await Promise.all([startProvider(), startProvider()]);
    service = await startOAuthService();
    admin = await service.login('admin', ADMIN_PASSWORD);
    adminId = (await service.request({ method: 'GET', url: '/api/auth/me', cookie: admin })).json()
      .id;
    [editor, ...users] = await sessionsFor(service, 'editor', ...Array<'viewer'>(9).fill('viewer'));
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([provider.stop(), otherProvider.stop()]);
  });
  beforeEach(() => {
    provider.resetCounts();
    otherProvider.resetCounts();
    provider.setRevocationAvailable(true);
  });

  function nextUser(): UserSession {
    const user = users.pop();
    if (!user) throw new Error('no user left: create more in beforeAll');
    return user;
  }

  async function createConnector(at: TestProvider): Promise<string> {
    const response = await service.request({
      method: 'POST',
      url: '/api/connectors',
      cookie: admin,
      body: providerConnectorBody(at),
    });
    return response.json().id;
  }

  function deleteConnector(connectorId: string) {
    return service.request({
      method: 'DELETE',
      url: `/api/connectors/${connectorId}`,
      cookie: admin,
    });
  }

  function disconnect(user: UserSession, connectorId: string) {
    return service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
  }

  /** Makes every queued row look like one queued before rows kept their client copy. */
  function forgetClientCopies() {
    return runStatement(service, 'update pending_revocations set client = null');
  }

  async function auditedFor(userId: string, connectorId: string) {
    const events = await service.deps.store.audit.page(500);
    return events
      .filter((e) => e.subjectUserId === userId && e.connectorId === connectorId)
      .map((e) => `${e.action}${e.reason ? `:${e.reason}` : ''}`);
  }

  it('queues every user’s tokens with the connector’s client sealed, and the job revokes them once it is gone', async () => {
    const deletedId = await createConnector(provider);
    const keptId = await createConnector(provider);
    const [alice, bob] = [nextUser(), nextUser()];
    const aliceTokens = await connectedTokens(service, alice, deletedId);
    const bobTokens = await connectedTokens(service, bob, deletedId);
    const keptTokens = await connectedTokens(service, alice, keptId);
    provider.resetCounts();

    expect((await deleteConnector(deletedId)).statusCode).toBe(204);

    expect(await service.deps.store.connectors.findById(deletedId)).toBeUndefined();
    expect(await service.deps.store.connections.find(deletedId, alice.userId)).toBeUndefined();
    expect(await service.deps.store.connections.find(deletedId, bob.userId)).toBeUndefined();
    expect(provider.counts.revocation).toBe(0);
    const queued = (
      await Promise.all([alice, bob].map((user) => pendingRevocationRows(service, user.userId)))
    ).flat();
    expect(queued).toHaveLength(4);
    for (const row of queued) {
      expect(row).toMatchObject({ connector_id: deletedId, attempts: 0 });
      expect(row.next_attempt_at).toBe(service.clock.now);
      expect(row.client).toMatch(/^lk1\./);
    }
    for (const user of [alice, bob]) {
      expect(await revocationQueuedEvents(service, user.userId)).toEqual([
        {
          outcome: 'success',
          reason: 'connector_deleted',
          actorUserId: adminId,
          connectorId: deletedId,
        },
      ]);
    }
    const clearValues = [...aliceTokens, ...bobTokens, PROVIDER_CLIENT_SECRET];
    for (const { name, bytes } of await storedBytes(service)) {
      for (const clear of clearValues) expect(bytes.includes(clear), name).toBe(false);
    }
    expect(await activeAt(provider, [...aliceTokens, ...bobTokens])).toEqual([
      true,
      true,
      true,
      true,
    ]);

    await service.jobs.runNow('revocation-retries');

    expect(provider.counts.revocation).toBe(4);
    expect(await activeAt(provider, [...aliceTokens, ...bobTokens])).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(await countRows(service, 'pending_revocations')).toBe(0);
    expect(await auditedFor(alice.userId, deletedId)).not.toContain(
      'oauth_revocation_abandoned:connector_deleted',
    );
    expect(await auditedFor(bob.userId, deletedId)).toContain('oauth_revoked_later');
    // The other connector's connection is untouched, at Latchkey and at the provider.
    expect(await service.deps.store.connections.find(keptId, alice.userId)).toBeDefined();
    expect(await activeAt(provider, keptTokens)).toEqual([true, true]);
    const logs = service.logs();
    for (const clear of clearValues) expect(logs).not.toContain(clear);
  });

  it('queues and audits in the deletion’s transaction: a deletion that fails leaves all as it was', async () => {
    const connectorId = await createConnector(provider);
    const user = nextUser();
    const tokens = await connectedTokens(service, user, connectorId);
    const allowDeletes = await refuseDeletes(service, 'connectors');
    try {
      expect((await deleteConnector(connectorId)).statusCode).toBe(500);
    } finally {
      await allowDeletes();
    }

    expect(await service.deps.store.connectors.findById(connectorId)).toBeDefined();
    expect(await storedTokens(service, connectorId, user.userId)).toMatchObject({
      refreshToken: tokens[0],
    });
    expect(await pendingRevocationRows(service, user.userId)).toEqual([]);
    expect(await revocationQueuedEvents(service, user.userId)).toEqual([]);

    expect((await deleteConnector(connectorId)).statusCode).toBe(204);
    expect(await pendingRevocationRows(service, user.userId)).toHaveLength(2);
    expect(await revocationQueuedEvents(service, user.userId)).toHaveLength(1);
  });

  it('keeps retrying with the sealed client while the provider is down after the deletion', async () => {
    const connectorId = await createConnector(provider);
    const user = nextUser();
    const tokens = await connectedTokens(service, user, connectorId);
    await deleteConnector(connectorId);
    provider.setRevocationAvailable(false);

    await service.jobs.runNow('revocation-retries');

    const rescheduled = await pendingRevocationRows(service, user.userId);
    expect(rescheduled.map((row) => row.attempts)).toEqual([1, 1]);
    expect(rescheduled[0]?.next_attempt_at).toBe(service.clock.now + RETRY_DELAY_MS);
    expect(await auditedFor(user.userId, connectorId)).not.toContain(
      'oauth_revocation_abandoned:connector_deleted',
    );
    expect(await activeAt(provider, tokens)).toEqual([true, true]);

    provider.setRevocationAvailable(true);
    service.clock.now += RETRY_DELAY_MS;
    await service.jobs.runNow('revocation-retries');

    expect(await pendingRevocationRows(service, user.userId)).toEqual([]);
    expect(await activeAt(provider, tokens)).toEqual([false, false]);
  });

  it('still retries a revocation that failed at disconnect after the connector is deleted', async () => {
    const connectorId = await createConnector(provider);
    const user = nextUser();
    const tokens = await connectedTokens(service, user, connectorId);
    provider.setRevocationAvailable(false);
    await disconnect(user, connectorId);
    expect((await pendingRevocationRows(service, user.userId)).map((row) => row.attempts)).toEqual([
      1, 1,
    ]);

    await deleteConnector(connectorId);
    expect(await pendingRevocationRows(service, user.userId)).toHaveLength(2);
    provider.setRevocationAvailable(true);
    service.clock.now += RETRY_DELAY_MS;
    await service.jobs.runNow('revocation-retries');

    expect(await pendingRevocationRows(service, user.userId)).toEqual([]);
    expect(await activeAt(provider, tokens)).toEqual([false, false]);
  });

  it('revokes rows queued without a client copy (before 0004) with their connector, while it exists', async () => {
    const [keptId, deletedId] = await Promise.all([
      createConnector(provider),
      createConnector(provider),
    ]);
    const [kept, orphaned] = [nextUser(), nextUser()];
    const keptTokens = await connectedTokens(service, kept, keptId);
    const orphanedTokens = await connectedTokens(service, orphaned, deletedId);
    provider.setRevocationAvailable(false);
    await disconnect(kept, keptId);
    await disconnect(orphaned, deletedId);
    await forgetClientCopies();
    await deleteConnector(deletedId);
    provider.setRevocationAvailable(true);
    provider.resetCounts();
    service.clock.now += RETRY_DELAY_MS;

    await service.jobs.runNow('revocation-retries');

    expect(await activeAt(provider, keptTokens)).toEqual([false, false]);
    expect(provider.counts.revocation).toBe(2);
    expect(await auditedFor(orphaned.userId, deletedId)).toContain(
      'oauth_revocation_abandoned:connector_deleted',
    );
    expect(await activeAt(provider, orphanedTokens)).toEqual([true, true]);
    expect(await countRows(service, 'pending_revocations')).toBe(0);
  });

  it('revokes the tokens an update voids at the provider that issued them, not the new one', async () => {
    const connectorId = await createConnector(provider);
    const user = nextUser();
    const tokens = await connectedTokens(service, user, connectorId);
    provider.resetCounts();

    // Editors may change connectors too: the audit names whoever did.
    const moved = await service.request({
      method: 'PUT',
      url: `/api/connectors/${connectorId}`,
      cookie: editor.cookie,
      body: providerConnectorBody(otherProvider),
    });
    expect(moved.statusCode).toBe(200);
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeUndefined();
    expect(await pendingRevocationRows(service, user.userId)).toHaveLength(2);
    expect(await revocationQueuedEvents(service, user.userId)).toEqual([
      { outcome: 'success', reason: 'connector_changed', actorUserId: editor.userId, connectorId },
    ]);

    await service.jobs.runNow('revocation-retries');

    expect(provider.counts.revocation).toBe(2);
    expect(otherProvider.counts.revocation).toBe(0);
    expect(await activeAt(provider, tokens)).toEqual([false, false]);
    expect(await pendingRevocationRows(service, user.userId)).toEqual([]);
  });

  it('queues nothing for a rename, which keeps the connections', async () => {
    const body = providerConnectorBody(provider);
    const created = await service.request({
      method: 'POST',
      url: '/api/connectors',
      cookie: admin,
      body,
    });
    const connectorId = created.json().id as string;
    const user = nextUser();
    const tokens = await connectedTokens(service, user, connectorId);

    const renamed = await service.request({
      method: 'PUT',
      url: `/api/connectors/${connectorId}`,
      cookie: admin,
      body: { ...body, name: `${body.name} renamed` },
    });

    expect(renamed.statusCode).toBe(200);
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeDefined();
    expect(await pendingRevocationRows(service, user.userId)).toEqual([]);
    expect(await revocationQueuedEvents(service, user.userId)).toEqual([]);
    await service.jobs.runNow('revocation-retries');
    expect(provider.counts.revocation).toBe(0);
    expect(await activeAt(provider, tokens)).toEqual([true, true]);
  });
});
