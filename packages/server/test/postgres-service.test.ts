import { createTestPostgresDatabase, type TestPostgresDatabase } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perUserConnectorBody } from './support/connector-bodies';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

/** The service on PostgreSQL (`LATCHKEY_DATABASE_URL=postgres://…`), end to end. */
describe('the service on PostgreSQL', () => {
  let database: TestPostgresDatabase;
  let service: TestService;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    service = await startTestService({
      LATCHKEY_DATABASE_URL: database.url,
      LATCHKEY_DATABASE_POOL_SIZE: '3',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  it('is ready, creates the first admin once, and keeps users across a restart', async () => {
    expect((await service.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const { userId } = await service.sessionFor('viewer', 'Viewer-1');
    const again = await startTestService({ LATCHKEY_DATABASE_URL: database.url });
    try {
      await again.login('admin', ADMIN_PASSWORD);
      const users = await again.asAdmin({ method: 'GET', url: '/api/users' });
      const listed = users.json().users as { id: string; username: string }[];
      expect(listed.map((u) => u.username)).toEqual(['Viewer-1', 'admin']);
      expect(listed.find((u) => u.username === 'Viewer-1')?.id).toBe(userId);
    } finally {
      await again.stop();
    }
  });

  it('refuses text holding U+0000, which PostgreSQL cannot take, with a 400, not a 500', async () => {
    const { cookie } = await service.sessionFor('viewer');
    const cursor = Buffer.from(`${Date.now()}:a\u0000b`).toString('base64url');
    const answers = [
      await service.asAdmin({ method: 'GET', url: '/api/connectors/a%00b' }),
      await service.asAdmin({ method: 'DELETE', url: '/api/users/a%00b' }),
      await service.request({
        method: 'POST',
        url: '/api/connectors/a%00b/_oauth_disconnect',
        cookie,
        body: {},
      }),
      await service.asAdmin({ method: 'GET', url: `/api/audit?cursor=${cursor}` }),
      await service.asAdmin({
        method: 'POST',
        url: '/api/connectors',
        body: perUserConnectorBody({ name: 'Nul\u0000Name' }),
      }),
      await service.asAdmin({
        method: 'POST',
        url: '/api/api_keys',
        body: { name: 'nul\u0000key', permissions: ['proxy'] },
      }),
      await service.request({
        method: 'POST',
        url: '/api/auth/login',
        body: { username: 'admin\u0000', password: ADMIN_PASSWORD },
      }),
    ];
    expect(answers.map((a) => [a.statusCode, a.json().error.code])).toEqual(
      answers.map(() => [400, 'validation_failed']),
    );
    expect(service.logs()).not.toMatch(/"level":50/);
    expect((await service.deps.store.connectors.list()).map((c) => c.name)).toEqual([]);
    expect((await service.deps.store.apiKeys.list()).map((k) => k.name)).toEqual([]);
  });

  it('answers /readyz 503 once the database is gone, and logs no password', async () => {
    const own = await createTestPostgresDatabase();
    // Trust authentication: the server never asks for the password, the URL still holds it.
    const url = new URL(own.url);
    url.password = 'pg-secret-pw';
    const doomed = await startTestService({ LATCHKEY_DATABASE_URL: url.toString() });
    try {
      expect((await doomed.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      await own.drop();
      const response = await doomed.request({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('service_unavailable');
      expect(doomed.logs()).toContain('database not reachable');
      // A job's turn skips, logged: a rejection would be unhandled in its timer and end the
      // process.
      expect(await doomed.jobs.runNow('audit-retention')).toBe(false);
      expect(doomed.logs()).toContain('job not started');
      expect(doomed.logs()).not.toContain('pg-secret-pw');
    } finally {
      await doomed.stop().catch(() => {});
    }
  });
});
