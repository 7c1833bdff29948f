import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDatabase } from './support/database-queries';
import {
  authorizeAtProvider,
  createProviderConnector,
  deliverCallback,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { codeVerifierOf, storedTokens } from './support/stored-state';
import { ADMIN_PASSWORD, type TestService } from './support/test-service';

interface AuditEventView {
  id: string;
  createdAt: string;
  action: string;
  outcome: 'success' | 'failure';
  reason: string | null;
  actorUserId: string | null;
  connectorId: string | null;
}

/** Invariant 1 for the audit log: who did what, when, with which outcome — never a token. */
describe('audit events of the OAuth flow (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let viewer: UserSession;
  let admin: string;
  /** Every secret value the run produced: none may appear in the audit log. */
  const secrets: string[] = [];

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider);
    [viewer] = (await sessionsFor(service, 'viewer')) as [UserSession];
    admin = await service.login('admin', ADMIN_PASSWORD);

    // Connected, then a replay (failed), then a cancelled flow, then a disconnect.
    const flow = await tick(startFlow(service, viewer.cookie, connectorId));
    const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
    secrets.push(flow.state, await codeVerifierOf(service, flow.state));
    secrets.push(callbackUrl.searchParams.get('code') as string);
    await tick(deliverCallback(service, callbackUrl, flow.browserCookie));
    const tokens = await storedTokens(service, connectorId, viewer.userId);
    secrets.push(tokens?.accessToken as string, tokens?.refreshToken as string);
    await tick(deliverCallback(service, callbackUrl, flow.browserCookie));
    const cancelled = await tick(startFlow(service, viewer.cookie, connectorId));
    await tick(post(`/api/connectors/${connectorId}/_oauth_cancel`, { state: cancelled.state }));
    await tick(post(`/api/connectors/${connectorId}/_oauth_disconnect`, {}));
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  /** Lets the fake clock move on, so that events have distinct times and a clear order. */
  async function tick<T>(work: Promise<T>): Promise<T> {
    const result = await work;
    service.clock.now += 1000;
    return result;
  }

  function post(url: string, body: unknown) {
    return service.request({ method: 'POST', url, cookie: viewer.cookie, body });
  }

  function listAudit(cookie: string, query = '') {
    return service.request({ method: 'GET', url: `/api/audit${query}`, cookie });
  }

  async function allEvents(limit: number): Promise<AuditEventView[]> {
    const events: AuditEventView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await listAudit(admin, query)).json();
      expect(page.events.length).toBeLessThanOrEqual(limit);
      events.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  }

  it('is for admins only', async () => {
    const response = await listAudit(viewer.cookie);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
    expect((await service.request({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
  });

  it('records started, connected, failed (with its code), cancelled and disconnected', async () => {
    const events = (await allEvents(100)).filter((e) => e.actorUserId === viewer.userId);
    expect(events.map((e) => e.action).reverse()).toEqual([
      'oauth_flow_started',
      'oauth_connected',
      'oauth_failed',
      'oauth_flow_started',
      'oauth_cancelled',
      'oauth_disconnected',
    ]);
    const failed = events.find((e) => e.action === 'oauth_failed');
    expect(failed).toMatchObject({ outcome: 'failure', reason: 'oauth_state_invalid' });
    for (const event of events) {
      expect(Number.isNaN(Date.parse(event.createdAt))).toBe(false);
      if (event.action !== 'oauth_failed') expect(event.connectorId).toBe(connectorId);
    }
  });

  it('pages through every event exactly once, newest first, with nextCursor', async () => {
    const everything = await allEvents(500);
    const paged = await allEvents(2);
    expect(paged.map((e) => e.id)).toEqual(everything.map((e) => e.id));
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
    const times = paged.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const first = (await listAudit(admin, '?limit=2')).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    const bad = await listAudit(admin, '?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
  });

  it('holds no token, code, state or verifier, neither in the API nor in the table', async () => {
    expect(secrets.every((secret) => typeof secret === 'string' && secret.length >= 20)).toBe(true);
    const api = JSON.stringify(await allEvents(500));
    const table = JSON.stringify(await queryDatabase(service, 'select * from audit_events'));
    for (const secret of secrets) {
      expect(api).not.toContain(secret);
      expect(table).not.toContain(secret);
    }
  });
});
