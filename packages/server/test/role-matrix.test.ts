import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SECRET, perUserConnectorBody } from './support/connector-bodies';
import {
  ADMIN_PASSWORD,
  type RequestOptions,
  startTestService,
  type TestService,
} from './support/test-service';

type Caller = 'admin' | 'editor' | 'viewer' | 'anonymous';

interface RouteCase {
  name: string;
  request: (connectorId: string) => Omit<RequestOptions, 'cookie'>;
  expected: Record<Caller, number>;
}

const ROUTES: RouteCase[] = [
  {
    name: 'GET /api/connectors',
    request: () => ({ method: 'GET', url: '/api/connectors' }),
    expected: { admin: 200, editor: 200, viewer: 200, anonymous: 401 },
  },
  {
    name: 'GET /api/connectors/:id',
    request: (id) => ({ method: 'GET', url: `/api/connectors/${id}` }),
    expected: { admin: 200, editor: 200, viewer: 200, anonymous: 401 },
  },
  {
    name: 'POST /api/connectors/_me/auth_status',
    request: () => ({ method: 'POST', url: '/api/connectors/_me/auth_status', body: {} }),
    expected: { admin: 200, editor: 200, viewer: 200, anonymous: 401 },
  },
  {
    name: 'POST /api/connectors',
    request: () => ({ method: 'POST', url: '/api/connectors', body: perUserConnectorBody() }),
    expected: { admin: 201, editor: 201, viewer: 403, anonymous: 401 },
  },
  {
    name: 'PUT /api/connectors/:id',
    request: (id) => ({
      method: 'PUT',
      url: `/api/connectors/${id}`,
      body: perUserConnectorBody({ name: `Renamed ${Math.random()}` }),
    }),
    expected: { admin: 200, editor: 200, viewer: 403, anonymous: 401 },
  },
  {
    name: 'DELETE /api/connectors/:id',
    request: (id) => ({ method: 'DELETE', url: `/api/connectors/${id}` }),
    expected: { admin: 204, editor: 204, viewer: 403, anonymous: 401 },
  },
];

describe('connectors routes × roles', () => {
  let service: TestService;
  const cookies: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    service = await startTestService();
    cookies.admin = await service.login('admin', ADMIN_PASSWORD);
    cookies.editor = (await service.sessionFor('editor')).cookie;
    cookies.viewer = (await service.sessionFor('viewer')).cookie;
  });
  afterAll(() => service.stop());

  async function snapshot() {
    const connectors = await service.deps.store.connectors.list();
    return JSON.stringify(connectors);
  }

  for (const route of ROUTES) {
    for (const caller of ['admin', 'editor', 'viewer', 'anonymous'] as const) {
      const expected = route.expected[caller];
      it(`${route.name} as ${caller} → ${expected}`, async () => {
        const created = await service.request({
          method: 'POST',
          url: '/api/connectors',
          cookie: cookies.admin,
          body: perUserConnectorBody(),
        });
        const before = await snapshot();
        const response = await service.request({
          ...route.request(created.json().id),
          ...(cookies[caller] ? { cookie: cookies[caller] } : {}),
        });
        expect(response.statusCode).toBe(expected);
        if (expected === 403 || expected === 401) {
          expect(response.json().error.code).toBe(
            expected === 403 ? 'forbidden' : 'unauthenticated',
          );
          expect(await snapshot()).toBe(before);
        } else {
          expect(response.body).not.toContain(CLIENT_SECRET);
        }
      });
    }
  }
});
