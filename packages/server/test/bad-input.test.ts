import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientErrorProblem,
  type Expectation,
  type SentRequest,
} from './support/client-error-check';
import { perUserConnectorBody } from './support/connector-bodies';
import { fillParams, hasParams, listRoutes } from './support/list-routes';
import { sampleBody, unknownFieldVariants, wrongTypeVariants } from './support/sample-bodies';
import { ADMIN_PASSWORD, startTestService } from './support/test-service';

const BODY_LIMIT = 4096;
// Top-level await: the routes must be known when the tests are collected.
const service = await startTestService({
  LATCHKEY_BODY_LIMIT_BYTES: String(BODY_LIMIT),
  LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: '100000',
  LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: '10000',
});
await service.app.ready();
const ROUTES = listRoutes(service.app);
/** `METHOD /pattern` of documented routes → whether the route declares a body schema. */
const DOCUMENTED = new Map(
  Object.entries(service.app.swagger().paths ?? {}).flatMap(([path, operations]) =>
    Object.entries(operations as Record<string, object>).map(([method, operation]) => [
      `${method.toUpperCase()} ${path.replace(/\{\*\}/g, '*').replace(/\{(\w+)\}/g, ':$1')}`,
      'requestBody' in operation,
    ]),
  ),
);
/** Methods without a body: they get the unknown-id and query cases only. */
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];
/** Routes that answer 2xx for unknown ids on purpose, and why. Listed, never skipped. */
const SUCCEEDS_ON_UNKNOWN_IDS: Record<string, string> = {
  'POST /api/connectors/:id/_oauth_cancel': 'cancel is idempotent: an unknown flow is no flow',
};

const MALFORMED_JSON = ['{"username":', "{'a':1}", 'not json', '{"a":1}}', '', '{"__proto__":{}}'];
const WRONG_TOP_LEVEL: unknown[] = [[], 'text', 42, null, true];
const ODD_IDS = [
  randomUUID(),
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '%E0%A4%A',
  encodeURIComponent('🔑 key'),
  'x'.repeat(150),
  'x'.repeat(300),
  "1' or '1'='1",
];
const ODD_QUERIES = [
  '?%zz=%',
  '?a[b][c]=1&a[b][c]=2&a=3',
  '?__proto__[polluted]=1&constructor[prototype][polluted]=1',
  `?q=${'x'.repeat(3000)}`,
  '?=&&==&;',
  '?code=x&state=y&error=%3Cscript%3E',
];

let admin = '';
async function send(method: string, url: string, payload?: string) {
  const headers: Record<string, string> = { cookie: admin };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return service.app.inject({ method: method as 'GET', url, headers, payload });
}

function bodyCases(method: string, url: string): [string, string, Expectation][] {
  const sample = sampleBody(method, url);
  // Routes with a body schema parse JSON themselves; others (the proxy) may pass bodies on.
  const schema = (code: string) => (DOCUMENTED.get(`${method} ${url}`) ? { codes: [code] } : {});
  const wrongTypes: [string, unknown][] = [
    ...WRONG_TOP_LEVEL.map((value): [string, unknown] => ['the body', value]),
    ...wrongTypeVariants(sample),
  ];
  return [
    ...MALFORMED_JSON.map((p): [string, string, Expectation] => [
      `malformed JSON ${JSON.stringify(p)}`,
      p,
      schema('invalid_json'),
    ]),
    ...wrongTypes.map(([field, body]): [string, string, Expectation] => [
      `wrong type of ${field}`,
      JSON.stringify(body),
      schema('validation_failed'),
    ]),
    ...unknownFieldVariants(sample).map(([field, body]): [string, string, Expectation] => [
      `unknown field in ${field}`,
      JSON.stringify(body),
      schema('validation_failed'),
    ]),
    [
      `a body over ${BODY_LIMIT} bytes`,
      JSON.stringify({ ...sample, padding: 'x'.repeat(BODY_LIMIT) }),
      schema('payload_too_large'),
    ],
  ];
}

async function sendAll(method: string, url: string): Promise<SentRequest[]> {
  const safe = SAFE_METHODS.includes(method);
  const sent: SentRequest[] = [];
  const record = async (label: string, target: string, expect: Expectation, payload?: string) =>
    sent.push({ label, response: await send(method, target, payload), expect });
  // Unknown ids everywhere: a bad body must never reach (or change) a real row.
  const unknownTarget = fillParams(url, randomUUID());
  if (!safe) {
    for (const [label, payload, expect] of bodyCases(method, url)) {
      await record(label, unknownTarget, expect, payload);
    }
  }
  if (hasParams(url)) {
    const sample = safe ? undefined : JSON.stringify(sampleBody(method, url));
    const allowSuccess = `${method} ${url}` in SUCCEEDS_ON_UNKNOWN_IDS;
    for (const id of ODD_IDS) {
      await record(`id ${id.slice(0, 40)}`, fillParams(url, id), { allowSuccess }, sample);
    }
  }
  const lenient = safe && !hasParams(url);
  for (const query of ODD_QUERIES) {
    const payload = safe ? undefined : '[]';
    await record(`query ${query.slice(0, 50)}`, `${unknownTarget}${query}`, { lenient }, payload);
  }
  return sent;
}

async function snapshot() {
  const { users, connectors } = service.deps.store;
  return JSON.stringify([await users.list(), await connectors.list()]);
}

describe('bad input on every route (as admin)', () => {
  let before: string;
  beforeAll(async () => {
    admin = await service.login('admin', ADMIN_PASSWORD);
    const editor = { username: 'kept-user', password: 'kept-user-password', role: 'editor' };
    await service.request({ method: 'POST', url: '/api/users', cookie: admin, body: editor });
    const connector = perUserConnectorBody({ name: 'Kept' });
    await service.request({
      method: 'POST',
      url: '/api/connectors',
      cookie: admin,
      body: connector,
    });
    before = await snapshot();
  });
  afterAll(() => service.stop());

  it('enumerates every route, at least all the OpenAPI document shows', () => {
    const found = new Set(ROUTES.map((r) => `${r.method} ${r.url}`));
    expect([...DOCUMENTED.keys()].filter((key) => !found.has(key))).toEqual([]);
    expect(found).toContain('GET /api/openapi.json');
    expect(found).toContain('PATCH /api/users/:id');
  });

  for (const { method, url } of ROUTES) {
    const safe = SAFE_METHODS.includes(method);
    const cases = [
      !safe && 'malformed JSON, wrong types, unknown fields, oversize body',
      hasParams(url) && 'unknown ids',
      'odd query strings',
    ].filter(Boolean);
    it(`${method} ${url}: ${cases.join(', ')} → client errors only`, async () => {
      const sent = await sendAll(method, url);
      expect(sent.length).toBeGreaterThanOrEqual(ODD_QUERIES.length);
      expect(sent.map((s) => clientErrorProblem(s, method)).filter(Boolean)).toEqual([]);
    });
  }

  it('lost no data, logged no server error and polluted no prototype', async () => {
    expect(await snapshot()).toBe(before);
    expect(service.logs()).not.toMatch(/"level":50/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const me = await service.request({ method: 'GET', url: '/api/auth/me', cookie: admin });
    expect(me.statusCode).toBe(200);
  });
});
