import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refuseDeletes } from './support/database-queries';
import {
  activeAt,
  connectedTokens,
  createProviderConnector,
  PROVIDER_CLIENT_SECRET,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { runLatchkey } from './support/run-latchkey';
import { storedBytes } from './support/stored-bytes';
import {
  countRows,
  pendingRevocationRows,
  revocationQueuedEvents,
  storedTokens,
} from './support/stored-state';
import { ADMIN_PASSWORD, dataEnv, TEST_KEY_A, type TestService } from './support/test-service';

/**
 * Deleting a user drops every connection of theirs; their tokens are revoked at the provider
 * that issued each (RFC 7009) by the retry job, after the user is gone.
 */
describe('user deletion revokes the user’s tokens (real oidc-provider)', () => {
  let provider: TestProvider;
  let otherProvider: TestProvider;
  let service: TestService;
  let admin: string;
  let adminId: string;
  let connectorId: string;
  let otherConnectorId: string;
  let users = 0;

  beforeAll(async () => {
    [provider, otherProvider] = await Promise.all([startProvider(), startProvider()]);
    service = await startOAuthService();
    admin = await service.login('admin', ADMIN_PASSWORD);
    adminId = (await service.request({ method: 'GET', url: '/api/auth/me', cookie: admin })).json()
      .id;
    connectorId = await createProviderConnector(service, provider);
    otherConnectorId = await createProviderConnector(service, otherProvider);
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([provider.stop(), otherProvider.stop()]);
  });
  beforeEach(() => {
    provider.resetCounts();
    otherProvider.resetCounts();
  });

  function newUser(): Promise<UserSession> {
    return service.sessionFor('viewer', `user-${++users}`);
  }

  function deleteUser(userId: string) {
    return service.request({ method: 'DELETE', url: `/api/users/${userId}`, cookie: admin });
  }

  async function expectNoClearValue(clearValues: string[]) {
    for (const { name, bytes } of await storedBytes(service)) {
      for (const clear of clearValues) expect(bytes.includes(clear), name).toBe(false);
    }
    const logs = service.logs();
    for (const clear of clearValues) expect(logs).not.toContain(clear);
  }

  it('queues every connection’s tokens and audits each, sending nothing; the job revokes them at their provider', async () => {
    const [leaving, staying] = [await newUser(), await newUser()];
    const tokens = await connectedTokens(service, leaving, connectorId);
    const otherTokens = await connectedTokens(service, leaving, otherConnectorId);
    const stayingTokens = await connectedTokens(service, staying, connectorId);
    provider.resetCounts();
    otherProvider.resetCounts();

    expect((await deleteUser(leaving.userId)).statusCode).toBe(204);

    expect(await service.deps.store.users.findById(leaving.userId)).toBeUndefined();
    expect(await service.deps.store.connections.find(connectorId, leaving.userId)).toBeUndefined();
    expect(provider.counts.revocation + otherProvider.counts.revocation).toBe(0);
    const queued = await pendingRevocationRows(service, leaving.userId);
    expect(queued.map((row) => row.connector_id).sort()).toEqual(
      [connectorId, connectorId, otherConnectorId, otherConnectorId].sort(),
    );
    for (const row of queued) {
      expect(row).toMatchObject({ attempts: 0, next_attempt_at: service.clock.now });
      expect(row.client).toMatch(/^lk1\./);
    }
    const events = await revocationQueuedEvents(service, leaving.userId);
    expect(events).toHaveLength(2);
    for (const connector of [connectorId, otherConnectorId]) {
      expect(events).toContainEqual({
        outcome: 'success',
        reason: 'user_deleted',
        actorUserId: adminId,
        connectorId: connector,
      });
    }
    const deletedLine = service
      .logs()
      .split('\n')
      .find((line) => line.includes('"user deleted"'));
    expect(JSON.parse(deletedLine ?? '{}')).toMatchObject({
      connectionsDeleted: 2,
      revocationsQueued: 4,
    });
    await expectNoClearValue([...tokens, ...otherTokens, ...stayingTokens, PROVIDER_CLIENT_SECRET]);
    expect(await activeAt(provider, tokens)).toEqual([true, true]);

    await service.jobs.runNow('revocation-retries');

    expect([provider.counts.revocation, otherProvider.counts.revocation]).toEqual([2, 2]);
    expect(await activeAt(provider, tokens)).toEqual([false, false]);
    expect(await activeAt(otherProvider, otherTokens)).toEqual([false, false]);
    expect(await countRows(service, 'pending_revocations')).toBe(0);
    // Another user's connection is untouched, at Latchkey and at the provider.
    expect(await service.deps.store.connections.find(connectorId, staying.userId)).toBeDefined();
    expect(await activeAt(provider, stayingTokens)).toEqual([true, true]);
    expect(await revocationQueuedEvents(service, staying.userId)).toEqual([]);
    await expectNoClearValue([...tokens, ...otherTokens, ...stayingTokens, PROVIDER_CLIENT_SECRET]);
  });

  it('queues and audits in the deletion’s transaction: a deletion that fails leaves all as it was', async () => {
    const user = await newUser();
    const tokens = await connectedTokens(service, user, connectorId);
    const allowDeletes = await refuseDeletes(service, 'users');
    try {
      expect((await deleteUser(user.userId)).statusCode).toBe(500);
    } finally {
      await allowDeletes();
    }

    expect(await service.deps.store.users.findById(user.userId)).toBeDefined();
    expect(await storedTokens(service, connectorId, user.userId)).toMatchObject({
      refreshToken: tokens[0],
    });
    expect(await pendingRevocationRows(service, user.userId)).toEqual([]);
    expect(await revocationQueuedEvents(service, user.userId)).toEqual([]);

    expect((await deleteUser(user.userId)).statusCode).toBe(204);
    expect(await pendingRevocationRows(service, user.userId)).toHaveLength(2);
    expect(await revocationQueuedEvents(service, user.userId)).toHaveLength(1);
  });

  it('`npx latchkey users remove` queues and audits them the same way, sending nothing; the job revokes them', async () => {
    const user = await service.sessionFor('viewer', 'leaving-by-cli');
    const tokens = await connectedTokens(service, user, connectorId);
    const env = { ...dataEnv(service), LATCHKEY_ENCRYPTION_KEYS: TEST_KEY_A };

    const removed = await runLatchkey(['users', 'remove', 'leaving-by-cli'], env);

    expect(removed).toMatchObject({ code: 0, stdout: 'removed leaving-by-cli\n' });
    expect(provider.counts.revocation).toBe(0);
    expect(await pendingRevocationRows(service, user.userId)).toHaveLength(2);
    // Nobody is logged in at the CLI: the events name no actor.
    expect(await revocationQueuedEvents(service, user.userId)).toEqual([
      { outcome: 'success', reason: 'user_deleted', actorUserId: null, connectorId },
    ]);
    for (const token of tokens) expect(removed.stdout + removed.stderr).not.toContain(token);
    await expectNoClearValue([...tokens, PROVIDER_CLIENT_SECRET]);
    expect(await activeAt(provider, tokens)).toEqual([true, true]);
    // The CLI queued them due on the wall clock, which the service's clock has to reach.
    service.clock.now = Date.now();

    await service.jobs.runNow('revocation-retries');

    expect(await activeAt(provider, tokens)).toEqual([false, false]);
    expect(await pendingRevocationRows(service, user.userId)).toEqual([]);
  });
});
