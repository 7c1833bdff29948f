import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDatabase } from './support/database-queries';
import { storedBytes } from './support/stored-bytes';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

const login = (service: TestService, username: string, password: string) =>
  service.request({ method: 'POST', url: '/api/auth/login', body: { username, password } });
const me = (service: TestService, cookie?: string) =>
  service.request({ method: 'GET', url: '/api/auth/me', ...(cookie ? { cookie } : {}) });

describe('login, logout and me', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.stop());

  it('logs in with an HttpOnly, SameSite=Lax, Path=/ cookie, not Secure on http', async () => {
    const response = await login(service, 'admin', ADMIN_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json()).sort()).toEqual(['createdAt', 'id', 'role', 'username']);
    expect(response.json()).toMatchObject({ username: 'admin', role: 'admin' });
    const raw = String(response.headers['set-cookie']);
    expect(raw).toMatch(/^latchkey_session=[\w-]{43}; /);
    expect(raw).toMatch(/; HttpOnly/);
    expect(raw).toMatch(/; SameSite=Lax/);
    expect(raw).toMatch(/; Path=\/(;|$)/);
    expect(raw).toMatch(/; Max-Age=28800/);
    expect(raw).not.toMatch(/Secure|Domain/i);
  });

  it('answers me for a live session only', async () => {
    const cookie = await service.login('admin', ADMIN_PASSWORD);
    expect((await me(service, cookie)).json()).toMatchObject({ username: 'admin', role: 'admin' });
    for (const bad of [undefined, 'latchkey_session=forged-session-id', 'other=1']) {
      const response = await me(service, bad);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });

  it('answers a wrong password and an unknown user alike: 401 invalid_credentials, no cookie', async () => {
    const wrong = await login(service, 'admin', 'not-the-admin-password');
    const unknown = await login(service, 'nobody-here', 'not-the-admin-password');
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('invalid_credentials');
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(unknown.body).toBe(wrong.body);
  });

  it('stores only a hash of the session id', async () => {
    const cookie = await service.login('admin', ADMIN_PASSWORD);
    const value = cookie.split('=')[1] as string;
    const rows = await queryDatabase<Record<string, unknown>>(service, 'select * from sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(value);
    for (const { name, bytes } of await storedBytes(service)) {
      expect(bytes.includes(value), name).toBe(false);
    }
  });

  it('ends a session at its TTL', async () => {
    const cookie = await service.login('admin', ADMIN_PASSWORD);
    service.clock.now += 28800 * 1000 - 1000;
    expect((await me(service, cookie)).statusCode).toBe(200);
    service.clock.now += 2000;
    const expired = await me(service, cookie);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('unauthenticated');
  });

  it('logs out on the server side: the old cookie no longer works, other sessions do', async () => {
    const cookie = await service.login('admin', ADMIN_PASSWORD);
    const other = await service.login('admin', ADMIN_PASSWORD);
    const count = async () =>
      (await queryDatabase<{ n: number }>(service, 'select count(*) as n from sessions'))[0]?.n;
    const before = await count();
    const response = await service.request({
      method: 'POST',
      url: '/api/auth/logout',
      cookie,
      body: {},
    });
    expect(response.statusCode).toBe(204);
    expect(String(response.headers['set-cookie'])).toMatch(
      /^latchkey_session=;.*Expires=Thu, 01 Jan 1970/,
    );
    expect(await count()).toBe((before as number) - 1);
    expect((await me(service, cookie)).statusCode).toBe(401);
    expect((await me(service, other)).statusCode).toBe(200);
  });
});

describe('session cookie behind https', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ LATCHKEY_PUBLIC_BASE_URL: 'https://latchkey.example.com' });
  });
  afterAll(() => service.stop());

  it('is __Host-latchkey_session, Secure, Path=/ and without Domain', async () => {
    const response = await login(service, 'admin', ADMIN_PASSWORD);
    const raw = String(response.headers['set-cookie']);
    expect(raw).toMatch(/^__Host-latchkey_session=[\w-]{43}; /);
    expect(raw).toMatch(/; Secure/);
    expect(raw).toMatch(/; HttpOnly/);
    expect(raw).toMatch(/; SameSite=Lax/);
    expect(raw).toMatch(/; Path=\/(;|$)/);
    expect(raw).not.toMatch(/Domain/i);
    const value = raw.split(';')[0]?.split('=')[1];
    expect((await me(service, `__Host-latchkey_session=${value}`)).statusCode).toBe(200);
    expect((await me(service, `latchkey_session=${value}`)).statusCode).toBe(401);
  });

  it('is cleared at logout with the attributes it was set with (else a browser keeps it)', async () => {
    const cookie = await service.login('admin', ADMIN_PASSWORD);
    const response = await service.request({
      method: 'POST',
      url: '/api/auth/logout',
      cookie,
      body: {},
    });
    expect(response.statusCode).toBe(204);
    const raw = String(response.headers['set-cookie']);
    expect(raw).toMatch(/^__Host-latchkey_session=;.*Expires=Thu, 01 Jan 1970/);
    // A browser refuses a __Host- cookie without Secure and Path=/, also one that clears.
    expect(raw).toMatch(/; Secure/);
    expect(raw).toMatch(/; Path=\/(;|$)/);
    expect(raw).toMatch(/; HttpOnly/);
    expect(raw).toMatch(/; SameSite=Lax/);
    expect(raw).not.toMatch(/Domain/i);
    expect((await me(service, cookie)).statusCode).toBe(401);
  });
});
