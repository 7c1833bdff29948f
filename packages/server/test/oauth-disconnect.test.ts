import { MAX_REVOCATION_ATTEMPTS } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryDatabase } from './support/database-queries';
import {
  connect,
  createProviderConnector,
  PROVIDER_CLIENT_SECRET,
  sessionsFor,
  startOAuthService,
  startProvider,
  statusOf,
  type UserSession,
} from './support/oauth-harness';
import { storedTokens } from './support/stored-state';
import type { TestService } from './support/test-service';

const RETRY_DELAY_MS = 60_000;

/** Disconnect deletes the caller's tokens and revokes them at the provider (RFC 7009). */
describe('disconnect and revocation (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let users: UserSession[];

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider);
    users = await sessionsFor(service, ...Array<'viewer'>(7).fill('viewer'));
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => {
    provider.resetCounts();
    provider.setRevocationAvailable(true);
  });

  async function connectedUser() {
    const user = users.pop() as UserSession;
    await connect(service, user.cookie, connectorId);
    const tokens = await storedTokens(service, connectorId, user.userId);
    if (!tokens?.refreshToken) throw new Error('no refresh token stored');
    expect((await provider.introspect(tokens.refreshToken)).active).toBe(true);
    return { user, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  }

  function disconnect(user: UserSession) {
    return service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
  }

  /** A refresh attempt as any client holding the token would make it. */
  async function refreshWith(refreshToken: string) {
    const response = await fetch(provider.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`latchkey:${encodeURIComponent(PROVIDER_CLIENT_SECRET)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    return { status: response.status, body: (await response.json()) as { error?: string } };
  }

  function pendingRevocations(userId: string) {
    return queryDatabase<{ token: string; attempts: number; next_attempt_at: number }>(
      service,
      'select token, attempts, next_attempt_at from pending_revocations where user_id = ?',
      userId,
    );
  }

  async function auditActions(userId: string) {
    const events = await service.deps.store.audit.page(500);
    return events.filter((e) => e.subjectUserId === userId).map((e) => e.action);
  }

  it('revokes the tokens at the provider, which then rejects the old refresh token', async () => {
    const { user, accessToken, refreshToken } = await connectedUser();

    const response = await disconnect(user);

    expect(response.statusCode).toBe(204);
    expect(provider.counts.revocation).toBeGreaterThanOrEqual(1);
    expect((await provider.introspect(refreshToken)).active).toBe(false);
    expect((await provider.introspect(accessToken)).active).toBe(false);
    const refresh = await refreshWith(refreshToken);
    expect(refresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await statusOf(service, user.cookie, connectorId)).toBe('not_connected');
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeUndefined();
    expect(await pendingRevocations(user.userId)).toEqual([]);
    expect(await auditActions(user.userId)).toContain('oauth_disconnected');
  });

  it('answers 204 again when there is nothing left to disconnect', async () => {
    const { user } = await connectedUser();
    expect((await disconnect(user)).statusCode).toBe(204);
    provider.resetCounts();
    expect((await disconnect(user)).statusCode).toBe(204);
    expect(provider.counts.revocation).toBe(0);
  });

  it('still disconnects when the revocation endpoint is down, and the job revokes later', async () => {
    const { user, accessToken, refreshToken } = await connectedUser();
    provider.setRevocationAvailable(false);

    const response = await disconnect(user);

    expect(response.statusCode).toBe(204);
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeUndefined();
    expect(await statusOf(service, user.cookie, connectorId)).toBe('not_connected');
    expect(await auditActions(user.userId)).toContain('oauth_revocation_failed');
    const queued = await pendingRevocations(user.userId);
    expect(queued).toHaveLength(2);
    for (const row of queued) {
      expect(row.token).toMatch(/^lk1\./);
      expect(row.token).not.toContain(refreshToken);
      expect(row.token).not.toContain(accessToken);
    }
    // Not revoked yet: the provider never processed the request.
    expect((await provider.introspect(refreshToken)).active).toBe(true);

    provider.setRevocationAvailable(true);
    await service.jobs.runNow('revocation-retries');
    expect(await pendingRevocations(user.userId)).toHaveLength(2); // not due yet

    service.clock.now += RETRY_DELAY_MS + 1000;
    await service.jobs.runNow('revocation-retries');

    expect(await pendingRevocations(user.userId)).toEqual([]);
    expect((await provider.introspect(refreshToken)).active).toBe(false);
    expect((await provider.introspect(accessToken)).active).toBe(false);
    expect(await auditActions(user.userId)).toContain('oauth_revoked_later');
    // The job revoked it, not the user: the event names the user as subject only.
    const events = await service.deps.store.audit.page(500);
    const revokedLater = events.find(
      (e) => e.action === 'oauth_revoked_later' && e.subjectUserId === user.userId,
    );
    expect(revokedLater?.actorUserId).toBeNull();
  });

  it('backs off exponentially while the provider stays down', async () => {
    const { user, refreshToken } = await connectedUser();
    provider.setRevocationAvailable(false);
    await disconnect(user);
    const [first] = await pendingRevocations(user.userId);
    expect(first?.attempts).toBe(1);
    expect(first?.next_attempt_at).toBe(service.clock.now + RETRY_DELAY_MS);

    service.clock.now += RETRY_DELAY_MS;
    await service.jobs.runNow('revocation-retries');
    const [second] = await pendingRevocations(user.userId);
    expect(second?.attempts).toBe(2);
    expect(second?.next_attempt_at).toBe(service.clock.now + 2 * RETRY_DELAY_MS);

    provider.setRevocationAvailable(true);
    service.clock.now += 2 * RETRY_DELAY_MS;
    await service.jobs.runNow('revocation-retries');
    expect(await pendingRevocations(user.userId)).toEqual([]);
    expect((await provider.introspect(refreshToken)).active).toBe(false);
  });

  it('logs the failed revocation without the token', async () => {
    const { user, accessToken, refreshToken } = await connectedUser();
    provider.setRevocationAvailable(false);
    await disconnect(user);

    const logs = service.logs();
    expect(logs).toContain('token revocation failed at the provider; queued for retry');
    expect(logs).not.toContain(refreshToken);
    expect(logs).not.toContain(accessToken);
  });

  // Last: it moves the fake clock days ahead, past every session's expiry.
  it('gives up after the last attempt, and audits that it did', async () => {
    const { user } = await connectedUser();
    provider.setRevocationAvailable(false);
    await disconnect(user);
    for (let attempt = 1; attempt <= MAX_REVOCATION_ATTEMPTS; attempt += 1) {
      service.clock.now += RETRY_DELAY_MS * 2 ** attempt;
      await service.jobs.runNow('revocation-retries');
    }
    expect(await pendingRevocations(user.userId)).toEqual([]);
    expect(await auditActions(user.userId)).toContain('oauth_revocation_abandoned');
    expect(await auditActions(user.userId)).not.toContain('oauth_revoked_later');
  });
});
