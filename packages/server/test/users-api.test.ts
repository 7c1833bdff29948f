import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

describe('users API (admin only)', () => {
  let service: TestService;
  let admin: string;
  beforeAll(async () => {
    service = await startTestService();
    admin = await service.login('admin', ADMIN_PASSWORD);
  });
  afterAll(() => service.stop());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    service.request({ method, url, cookie: admin, ...(body === undefined ? {} : { body }) });
  const usernames = async () =>
    (await service.deps.store.users.list()).map((u) => `${u.username}:${u.role}`);
  const meAs = (cookie: string) => service.request({ method: 'GET', url: '/api/auth/me', cookie });

  it.each(['admin', 'editor', 'viewer'] as const)('creates a user with role %s', async (role) => {
    const password = `${role}-created-password`;
    const response = await call('POST', '/api/users', { username: `new-${role}`, password, role });
    expect(response.statusCode).toBe(201);
    expect(Object.keys(response.json()).sort()).toEqual(['createdAt', 'id', 'role', 'username']);
    expect(response.json()).toMatchObject({ username: `new-${role}`, role });
    expect(response.body).not.toContain(password);
    const cookie = await service.login(`new-${role}`, password);
    expect((await meAs(cookie)).json()).toMatchObject({ id: response.json().id, role });
  });

  it('lists users without any password material', async () => {
    const response = await call('GET', '/api/users');
    expect(response.statusCode).toBe(200);
    const users = response.json().users as Array<Record<string, unknown>>;
    expect(users.map((u) => u.username)).toContain('admin');
    for (const user of users)
      expect(Object.keys(user).sort()).toEqual(['createdAt', 'id', 'role', 'username']);
    expect(response.body).not.toMatch(/scrypt|password/i);
  });

  it('changes a role, which applies to live sessions at once', async () => {
    const { cookie, userId } = await service.sessionFor('viewer', 'promoted');
    const response = await call('PATCH', `/api/users/${userId}`, { role: 'editor' });
    expect(response.statusCode).toBe(200);
    expect(response.json().role).toBe('editor');
    expect((await meAs(cookie)).json().role).toBe('editor');
  });

  it("changes a password and ends that user's sessions, not others'", async () => {
    const { cookie, userId } = await service.sessionFor('editor', 'rotating');
    const response = await call('PATCH', `/api/users/${userId}`, {
      password: 'brand-new-password',
    });
    expect(response.statusCode).toBe(200);
    expect((await meAs(cookie)).statusCode).toBe(401);
    expect((await meAs(admin)).statusCode).toBe(200);
    const old = await service.request({
      method: 'POST',
      url: '/api/auth/login',
      body: { username: 'rotating', password: 'rotating-password' },
    });
    expect(old.json().error.code).toBe('invalid_credentials');
    expect((await meAs(await service.login('rotating', 'brand-new-password'))).statusCode).toBe(
      200,
    );
  });

  it('deletes a user, with their sessions; a second delete is 404 user_not_found', async () => {
    const { cookie, userId } = await service.sessionFor('viewer', 'leaving');
    expect((await call('DELETE', `/api/users/${userId}`)).statusCode).toBe(204);
    expect(await usernames()).not.toContain('leaving:viewer');
    expect((await meAs(cookie)).statusCode).toBe(401);
    const again = await call('DELETE', `/api/users/${userId}`);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('user_not_found');
  });

  it('refuses a taken username with 409 username_taken', async () => {
    const body = { username: 'twice', password: 'twice-password-1', role: 'viewer' };
    expect((await call('POST', '/api/users', body)).statusCode).toBe(201);
    const response = await call('POST', '/api/users', { ...body, role: 'admin' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('username_taken');
    expect((await usernames()).filter((u) => u.startsWith('twice:'))).toEqual(['twice:viewer']);
  });

  it('answers 403 to editors and viewers and 401 to anonymous callers, changing nothing', async () => {
    const target = (await service.sessionFor('viewer', 'target')).userId;
    const callers = {
      editor: (await service.sessionFor('editor')).cookie,
      viewer: (await service.sessionFor('viewer')).cookie,
      anonymous: undefined,
    };
    const before = JSON.stringify(await service.deps.store.users.list());
    const attempts = [
      { method: 'GET', url: '/api/users' },
      {
        method: 'POST',
        url: '/api/users',
        body: { username: 'sneaky', password: 'sneaky-password', role: 'admin' },
      },
      { method: 'PATCH', url: `/api/users/${target}`, body: { role: 'admin' } },
      { method: 'DELETE', url: `/api/users/${target}` },
    ] as const;
    for (const [caller, cookie] of Object.entries(callers)) {
      for (const attempt of attempts) {
        const response = await service.request({ ...attempt, ...(cookie ? { cookie } : {}) });
        const expected = caller === 'anonymous' ? [401, 'unauthenticated'] : [403, 'forbidden'];
        expect(
          [response.statusCode, response.json().error.code],
          `${caller} ${attempt.method}`,
        ).toEqual(expected);
      }
    }
    expect(JSON.stringify(await service.deps.store.users.list())).toBe(before);
  });
});

describe('the last admin', () => {
  let service: TestService;
  let admin: string;
  let adminId: string;
  beforeAll(async () => {
    service = await startTestService();
    admin = await service.login('admin', ADMIN_PASSWORD);
    adminId = (await service.request({ method: 'GET', url: '/api/auth/me', cookie: admin })).json()
      .id;
  });
  afterAll(() => service.stop());

  const expectLastAdmin = async (method: 'PATCH' | 'DELETE', id: string, body?: unknown) => {
    const response = await service.request({
      method,
      url: `/api/users/${id}`,
      cookie: admin,
      body,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('last_admin');
    expect((await service.deps.store.users.findById(id))?.role).toBe('admin');
  };

  it('cannot be deleted or demoted (409 last_admin), not even by itself', async () => {
    await expectLastAdmin('DELETE', adminId);
    await expectLastAdmin('PATCH', adminId, { role: 'editor' });
    await expectLastAdmin('PATCH', adminId, { role: 'viewer' });
  });

  it('can be demoted once another admin exists, and then the other one is the last', async () => {
    const second = await service.sessionFor('admin', 'second-admin');
    const demoted = await service.request({
      method: 'PATCH',
      url: `/api/users/${second.userId}`,
      cookie: admin,
      body: { role: 'viewer' },
    });
    expect(demoted.statusCode).toBe(200);
    await expectLastAdmin('DELETE', adminId);
    expect(await service.deps.store.users.countByRole('admin')).toBe(1);
  });
});
