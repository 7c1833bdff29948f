import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perUserConnectorBody } from './support/connector-bodies';
import { queryDatabase } from './support/database-queries';
import { fillParams, listRoutes } from './support/list-routes';
import { sampleBody } from './support/sample-bodies';
import {
  ADMIN_PASSWORD,
  PUBLIC_BASE_URL,
  startTestService,
  type TestService,
} from './support/test-service';

const CROSS_SITE_HEADERS: Record<string, Record<string, string>> = {
  'Sec-Fetch-Site: cross-site': { 'sec-fetch-site': 'cross-site' },
  'Sec-Fetch-Site: same-site': { 'sec-fetch-site': 'same-site' },
  'Origin of another site': { origin: 'https://evil.example' },
  'Origin of a look-alike host': { origin: `${PUBLIC_BASE_URL}.evil.example` },
  'Origin: null (sandboxed frame)': { origin: 'null' },
};
/**
 * Routes that take any content type on purpose, and why. Listed, never skipped: the test
 * above still refuses every cross-site call to them.
 */
const ANY_CONTENT_TYPE: Record<string, string> = {
  'POST /api/connectors/:id/proxy/*': 'the proxy forwards bodies to the upstream API untouched',
};
/** Bodies a cross-site HTML form (or a no-preflight fetch) can send. */
const FORM_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
];

describe('cross-site requests on every state-changing route', () => {
  let service: TestService;
  let admin: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    service = await startTestService();
    admin = await service.login('admin', ADMIN_PASSWORD);
    ids.users = (await service.sessionFor('viewer', 'bystander')).userId;
    ids.connectors = (
      await service.request({
        method: 'POST',
        url: '/api/connectors',
        cookie: admin,
        body: perUserConnectorBody(),
      })
    ).json().id;
  });
  afterAll(() => service.stop());

  // Real ids and valid bodies: if the guard let a request through, it would change data.
  const targets = () =>
    listRoutes(service.app)
      .filter((route) => !['GET', 'HEAD', 'OPTIONS'].includes(route.method))
      .map((route) => ({
        ...route,
        target: fillParams(
          route.url,
          route.url.startsWith('/api/users') ? (ids.users as string) : (ids.connectors as string),
        ),
        body: JSON.stringify(sampleBody(route.method, route.url)),
      }));
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(
        [
          'users',
          'connectors',
          'sessions',
          'connections',
          'api_keys',
          'oauth_states',
          'pending_revocations',
          'audit_events',
        ].map((table) => queryDatabase(service, `select * from ${table} order by 1`)),
      ),
    );

  it('refuses foreign Sec-Fetch-Site and Origin with 403 cross_site_request, changing nothing', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    expect(targets().length).toBeGreaterThan(5);
    for (const { method, url, target, body } of targets()) {
      for (const [name, headers] of Object.entries(CROSS_SITE_HEADERS)) {
        const response = await service.app.inject({
          method: method as 'POST',
          url: target,
          headers: { cookie: admin, 'content-type': 'application/json', ...headers },
          payload: body,
        });
        const code = response.json().error?.code;
        if (response.statusCode !== 403 || code !== 'cross_site_request') {
          failures.push(`${method} ${url} with ${name} → ${response.statusCode} ${code}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('refuses form content types on every POST with 415 unsupported_media_type, changing nothing', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const posts = targets().filter(
      (t) => t.method === 'POST' && !(`POST ${t.url}` in ANY_CONTENT_TYPE),
    );
    expect(posts.length).toBeGreaterThan(5);
    for (const { method, url, target } of posts) {
      for (const type of FORM_TYPES) {
        const response = await service.app.inject({
          method: 'POST',
          url: target,
          headers: { cookie: admin, 'content-type': type },
          payload: 'username=admin&password=x&role=admin',
        });
        if (
          response.statusCode !== 415 ||
          response.json().error.code !== 'unsupported_media_type'
        ) {
          failures.push(`${method} ${url} as ${type} → ${response.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('sets no session cookie for a cross-site login (login CSRF)', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      payload: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('accepts same-origin and user-initiated (none) requests', async () => {
    for (const [site, username] of [
      ['same-origin', 'via-fetch'],
      ['none', 'via-address-bar'],
    ]) {
      const response = await service.request({
        method: 'POST',
        url: '/api/users',
        cookie: admin,
        headers: { 'sec-fetch-site': site as string, origin: PUBLIC_BASE_URL },
        body: { username, password: `${username}-password`, role: 'viewer' },
      });
      expect(response.statusCode).toBe(201);
    }
  });
});
