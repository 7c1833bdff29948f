import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { Caller, FuzzScene } from './fuzz-scene';
import { listRoutes } from './list-routes';
import { BROWSER_COOKIE } from './oauth-harness';
import { sampleBody } from './sample-bodies';
import {
  anyText,
  type Hints,
  type JsonSchema,
  malformedJsonText,
  mutation,
  OAUTH_PARAMETERS,
  POLLUTING_KEYS,
  validArbitrary,
} from './schema-arbitraries';
import { PUBLIC_BASE_URL } from './test-service';

/** One route as the fuzzer sees it: from the OpenAPI document, or found in the router. */
export interface Operation {
  method: string;
  /** Fastify's pattern: `/api/users/:id`, `/api/connectors/:id/proxy/*`. */
  pattern: string;
  query: { name: string; schema: JsonSchema }[];
  body?: JsonSchema;
  documented: boolean;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** Query parameters a route reads from its raw query rather than through a schema. */
const UNDOCUMENTED_QUERY: Record<string, string[]> = {
  'GET /api/connectors/_oauth_callback': ['code', 'state', 'iss', 'error', 'error_description'],
};

/**
 * Every operation of the OpenAPI document, plus every route the router has that the document
 * hides (HEAD twins, the UI pages, static assets, the document itself), fuzzed without a schema.
 */
export async function operationsOf(app: FastifyInstance): Promise<Operation[]> {
  const served = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  const paths = (served.json().paths ?? {}) as Record<string, Record<string, OpenApiOperation>>;
  const documented = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]): Operation => {
      const pattern = path.replace(/\{\*\}/g, '*').replace(/\{(\w+)\}/g, ':$1');
      return {
        method: method.toUpperCase(),
        pattern,
        query: (operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map(({ name, schema }) => ({ name, schema })),
        body: operation.requestBody?.content['application/json']?.schema,
        documented: true,
      };
    }),
  );
  const known = new Set(documented.map((o) => `${o.method} ${o.pattern}`));
  const hidden = listRoutes(app)
    .filter((route) => !known.has(`${route.method} ${route.url}`))
    .map(({ method, url }): Operation => ({ method, pattern: url, query: [], documented: false }));
  return [...documented, ...hidden];
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** The OAuth state presented in the query, if any. */
  state?: string;
  /** The user named in X-Latchkey-User, if any. */
  actingUser?: string;
  /** The value given for `:id`, decoded as the router would. */
  id?: string;
}

const ODD_IDS = [
  '..%2f..%2fetc%2fpasswd',
  '..%2F',
  '%2e%2e',
  '%00',
  '%E0%A4%A',
  '%',
  '__proto__',
  'constructor',
  "1'%20or%20'1'%3D'1",
  '%F0%9F%94%91',
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(5000),
];

const PROXY_PATHS = [
  '',
  'items',
  'items/1',
  '..%2f..%2fadmin',
  '%2e%2e/%2e%2e/x',
  'a%2fb',
  'a//b',
  '%00',
  '%5cevil',
  '@evil.example/',
  'http://evil.example/',
  '%E0%A4%A',
  'a/'.repeat(400),
  'x'.repeat(5000),
];

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/jsonx',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
];

/** Header values as clients may send them: visible ASCII and Latin-1 bytes (obs-text). */
const headerText = fc
  .string({
    maxLength: 40,
    unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
  })
  .map((value) => value.replace(/\x7f/g, '').trim());

const encodedText = anyText().map((text) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as a client would encode it
  }
});

export function requestArbitrary(
  operation: Operation,
  caller: Caller,
  scene: FuzzScene,
): fc.Arbitrary<FuzzRequest> {
  const idArbitrary = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...realIdsFor(operation.pattern, scene)) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_IDS) },
    { weight: 1, arbitrary: encodedText.filter((text) => text.length > 0) },
  );
  const restArbitrary = fc.oneof(
    fc.constantFrom(...PROXY_PATHS),
    fc.array(encodedText, { maxLength: 4 }).map((parts) => parts.join('/')),
  );
  const users = [
    ...scene.ids.users,
    // Two X-Latchkey-User headers arrive joined, as Node joins unknown repeated headers.
    scene.ids.users.slice(0, 2).join(', '),
    'no-such-user',
    '',
    ' ',
    '__proto__',
    'x'.repeat(5000),
  ];
  return fc
    .record({
      id: idArbitrary,
      rest: restArbitrary,
      query: queryArbitrary(operation, scene),
      body: bodyArbitrary(operation, scene),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { freq: 4 }),
      actingUser: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...scene.ids.users) },
        fc.constantFrom(...users),
        headerText,
      ),
      extraHeaders: extraHeadersArbitrary(scene),
    })
    .map(({ id, rest, query, body, contentType, actingUser, extraHeaders }) => {
      const path = operation.pattern.replace(/:id\b/, id).replace(/\*$/, rest);
      const headers: Record<string, string> = { ...extraHeaders };
      const cookies = [caller.headers.cookie, extraHeaders.cookie].filter(Boolean);
      if (caller.headers.authorization) headers.authorization = caller.headers.authorization;
      if (cookies.length) headers.cookie = cookies.join('; ');
      else delete headers.cookie;
      if (caller.permissions) delete headers['x-latchkey-user'];
      if (caller.actsForUser) headers['x-latchkey-user'] = actingUser;
      const named = headers['x-latchkey-user'];
      if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
      return {
        method: operation.method,
        url: `${path}${query.text}`,
        headers,
        ...(body !== undefined ? { payload: body } : {}),
        ...(query.state !== undefined ? { state: query.state } : {}),
        ...(named !== undefined ? { actingUser: named } : {}),
        ...(operation.pattern.includes(':id') ? { id: safeDecode(id) } : {}),
      };
    });
}

/** Ids of real rows of the kind the route takes (users for /api/users/:id…), others too. */
function realIdsFor(pattern: string, scene: FuzzScene): string[] {
  const { users, connectors, apiKeys } = scene.ids;
  if (pattern.startsWith('/api/users/')) return [...users, ...users, connectors[0] as string];
  if (pattern.startsWith('/api/api_keys/')) return [...apiKeys, users[0] as string];
  // The per-user connector first: the one with connections, flows and tokens behind it.
  const perUser = connectors[0] as string;
  return [perUser, perUser, perUser, ...connectors.slice(1), users[0] as string];
}

/**
 * The plain request of a route for a caller: a real id of the right kind (the per-user
 * connector, the viewer), the acting user named (the viewer), a valid body. Each route and
 * caller gets it first, so that every permission check meets real data at least once.
 */
export function plainRequest(operation: Operation, caller: Caller, scene: FuzzScene): FuzzRequest {
  const { users, connectors, apiKeys } = scene.ids;
  const viewer = users[users.length - 1] as string;
  const id = operation.pattern.startsWith('/api/users/')
    ? viewer
    : operation.pattern.startsWith('/api/api_keys/')
      ? (apiKeys[0] as string)
      : (connectors[0] as string);
  const path = operation.pattern.replace(/:id\b/, id).replace(/\*$/, 'items');
  const headers: Record<string, string> = { ...caller.headers };
  if (caller.actsForUser) headers['x-latchkey-user'] = viewer;
  const safe = operation.method === 'GET' || operation.method === 'HEAD';
  const body = safe ? undefined : JSON.stringify(sampleBody(operation.method, operation.pattern));
  if (body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: operation.method,
    url: path,
    headers,
    ...(body !== undefined ? { payload: body } : {}),
    ...(caller.actsForUser ? { actingUser: viewer } : {}),
    ...(operation.pattern.includes(':id') ? { id } : {}),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function hintsFor(scene: FuzzScene): Hints {
  return {
    username: fc.constantFrom(...scene.usernames),
    state: fc.constantFrom(...scene.flows.map((flow) => flow.state)),
    name: fc.constantFrom('Shared bearer_token', 'Shared api_key_header'),
    scopeParamName: fc.constantFrom(...OAUTH_PARAMETERS),
    headerName: fc.constantFrom(
      'Authorization',
      'Cookie',
      'Host',
      'Content-Length',
      'X-Latchkey-User',
    ),
    returnUrl: fc.constantFrom(
      `${PUBLIC_BASE_URL}/app`,
      '/relative',
      'https://evil.example/',
      'javascript:alert(1)',
      `${PUBLIC_BASE_URL}@evil.example/`,
    ),
    // The audit's paging cursor: base64url of `<createdAt>:<id>`.
    cursor: fc
      .tuple(
        fc.constantFrom('0', '1', '9'.repeat(400), '-1', '1e3', ''),
        fc.oneof(fc.uuid(), anyText()),
      )
      .map(([createdAt, id]) => Buffer.from(`${createdAt}:${id}`).toString('base64url')),
    apiBaseUrl: fc.constantFrom(
      `${scene.upstream.url}/`,
      `${scene.upstream.url}/`,
      'https://10.0.0.5/',
      'https://169.254.169.254/latest/',
      'https://[fd00::1]/',
      'ftp://example.com/',
    ),
  };
}

/** A JSON body, valid-ish or mutated, or text that is not JSON; or no body at all. */
function bodyArbitrary(operation: Operation, scene: FuzzScene): fc.Arbitrary<string | undefined> {
  const safe = operation.method === 'GET' || operation.method === 'HEAD';
  const valid = validArbitrary(operation.body ?? { type: 'object' }, hintsFor(scene));
  const stringify = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
  return fc.oneof(
    { weight: safe ? 12 : 1, arbitrary: fc.constant(undefined) },
    { weight: operation.body ? 4 : 1, arbitrary: valid.map(stringify) },
    {
      weight: 5,
      arbitrary: fc.tuple(valid, mutation).map(([value, change]) => stringify(change.apply(value))),
    },
    { weight: 2, arbitrary: malformedJsonText },
  );
}

/** The documented parameters (valid or not), unknown and polluting ones, repeats, bad escapes. */
function queryArbitrary(
  operation: Operation,
  scene: FuzzScene,
): fc.Arbitrary<{ text: string; state?: string }> {
  const hints = hintsFor(scene);
  const documented = operation.query.map(({ name, schema }) =>
    fc
      .oneof(validArbitrary(schema, hints, name).map(String), encodedText)
      .map((value): [string, string] => [name, value]),
  );
  const raw = UNDOCUMENTED_QUERY[`${operation.method} ${operation.pattern}`] ?? [];
  const states = scene.flows.map((flow) => flow.state);
  const undocumented = raw.map((name) =>
    (name === 'state' ? fc.oneof(fc.constantFrom(...states), encodedText) : encodedText).map(
      (value): [string, string] => [name, value],
    ),
  );
  const extra = fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          ...POLLUTING_KEYS,
          '__proto__[polluted]',
          'constructor[prototype][x]',
          'a[b][c]',
        ),
        encodedText,
      ),
      fc.oneof(encodedText, fc.constant('x'.repeat(9000)), fc.constantFrom('%zz', '%', '&&', '==')),
    )
    .map(([name, value]): [string, string] => [name, value]);
  const known = [...documented, ...undocumented].map((pair) => fc.option(pair, { freq: 2 }));
  return fc
    .tuple(fc.tuple(...known), fc.array(extra, { maxLength: 3 }), fc.boolean())
    .map(([chosen, extras, repeat]) => {
      const pairs = chosen.filter((pair): pair is [string, string] => pair !== null);
      const all = [...pairs, ...extras, ...(repeat && pairs[0] ? [pairs[0]] : [])];
      const state = all.find(([name]) => name === 'state')?.[1];
      const text = all.length ? `?${all.map(([n, v]) => `${n}=${v}`).join('&')}` : '';
      return { text, ...(state !== undefined ? { state: safeDecode(state) } : {}) };
    });
}

/** Headers any client may add: cross-site markers, stray cookies, other credentials. */
function extraHeadersArbitrary(scene: FuzzScene): fc.Arbitrary<Record<string, string>> {
  const bindings = scene.flows.map((flow) => `${BROWSER_COOKIE}=${flow.binding}`);
  return fc
    .record({
      origin: rarely(fc.constantFrom(PUBLIC_BASE_URL, 'https://evil.example', 'null', '')),
      'sec-fetch-site': rarely(fc.constantFrom('same-origin', 'cross-site', 'none', 'x')),
      cookie: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom(...bindings) },
        fc.constantFrom(
          'latchkey_session=forged',
          'latchkey_session=',
          'latchkey_session=%E0%A4%A',
          'latchkey_session="quoted"',
          '=;;=',
          `${BROWSER_COOKIE}=x`,
          `${BROWSER_COOKIE}=%ZZ`,
        ),
        headerText.map((text) => text.replace(/;/g, '')),
      ),
      authorization: rarely(
        fc.oneof(
          fc.constantFrom('ApiKey', 'ApiKey ', 'Bearer abc', 'Basic Og==', 'ApiKey a b'),
          headerText,
        ),
      ),
      accept: rarely(fc.constantFrom('*/*', 'text/html', 'application/xml', '')),
      'x-passed-on': rarely(headerText),
      'content-encoding': rarely(fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'x')),
      'x-forwarded-for': rarely(headerText),
      'x-latchkey-user': rarely(fc.oneof(fc.constantFrom(...scene.ids.users), headerText)),
    })
    .map(
      (headers) =>
        Object.fromEntries(
          Object.entries(headers).filter(([, value]) => value !== undefined),
        ) as Record<string, string>,
    );
}

/** Absent most of the time: each extra header should be the one odd thing of a request. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}
