import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@latchkey/core';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { PROXIED_CONTENT_SECURITY_POLICY } from '../src/proxy/proxy-headers';
import { clientErrorProblem } from './support/client-error-check';
import {
  changedColumns,
  type DatabaseDigest,
  diffDigests,
  type RowChange,
} from './support/database-digest';
import {
  type FuzzRequest,
  type Operation,
  operationsOf,
  plainRequest,
  requestArbitrary,
} from './support/fuzz-requests';
import { AUDIT_TABLE, type Caller, startFuzzScene } from './support/fuzz-scene';
import { listRoutes } from './support/list-routes';
import {
  type KnownSecret,
  leakedSecrets,
  responseText,
  stackTraceSign,
} from './support/response-leaks';

/**
 * Property-based: every route of the OpenAPI document (and every route it hides), as every
 * kind of caller, gets generated and mutated bodies, queries, path parameters and headers.
 * No answer may be a 5xx, carry a stack trace or a secret, or break the error shape; a
 * refused request (4xx) may not change the database (see `refusalMayChange`).
 *
 * CI runs a fixed seed; `npm run fuzz` runs longer with a new seed (FUZZ_SEED, FUZZ_RUNS).
 */
const LONG = process.env.FUZZ_MODE === 'long';
const SEED = Number(process.env.FUZZ_SEED ?? (LONG ? Date.now() % 2 ** 31 : 20261204));
/** Runs per (route, caller). */
const RUNS = Number(process.env.FUZZ_RUNS ?? (LONG ? 40 : 2));
const WEB_UI_BUILT = existsSync(
  fileURLToPath(new URL('../../web/dist/index.html', import.meta.url)),
);
if (LONG) process.stderr.write(`fuzz: seed ${SEED}, ${RUNS} runs per route and caller\n`);

// Top-level await: the routes must be known when the tests are collected.
const scene = await startFuzzScene();
const OPERATIONS = await operationsOf(scene.service.app);
const CALLBACK = 'GET /api/connectors/_oauth_callback';
const LOGIN = '/api/auth/login';
const TOKEN = /^(GET|HEAD) \/api\/connectors\/:id\/_token$/;
const UI_PAGES = ['/', '/login', '/users', '/api-keys', '/audit', '/end-users', '/connect'];

describe('generated and mutated requests to every route, as every caller', () => {
  afterAll(async () => {
    if (LONG) process.stderr.write(`fuzz: seed ${SEED}; the data was restored ${restores} times\n`);
    await scene.stop();
  });

  it('fuzzes every route the router has, and all of the OpenAPI document', () => {
    const fuzzed = new Set(OPERATIONS.map((o) => `${o.method} ${o.pattern}`));
    const routes = listRoutes(scene.service.app).map((r) => `${r.method} ${r.url}`);
    expect(routes.filter((route) => !fuzzed.has(route))).toEqual([]);
    expect(OPERATIONS.filter((o) => o.documented).length).toBeGreaterThan(25);
    expect(scene.callers.length).toBe(1 + 3 + 2 * 7 + 2);
  });

  for (const operation of OPERATIONS) {
    const name = `${operation.method} ${operation.pattern}`;
    it(
      `${name}: no 5xx, stack trace, secret, odd error or refused change`,
      async () => {
        for (const caller of scene.callers) await fuzzOne(operation, caller);
      },
      60_000 + RUNS * 20_000,
    );
  }

  it('polluted no prototype and logged no server error', async () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
    // Without `npm run build:web` the UI pages answer (and log) 503: an unbuilt checkout.
    const unbuiltUi = (line: string) => !WEB_UI_BUILT && line.includes('The web UI is not built.');
    expect(scene.serverErrors().filter((line) => !unbuiltUi(line))).toEqual([]);
  });
});

let restores = 0;
let lastDigest: DatabaseDigest | undefined;
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

async function fuzzOne(operation: Operation, caller: Caller) {
  const property = fc.asyncProperty(requestArbitrary(operation, caller, scene), (request) =>
    checkRequest(operation, caller, request),
  );
  try {
    await fc.assert(property, {
      seed: seedFor(operation, caller),
      numRuns: RUNS,
      endOnFailure: !LONG,
      includeErrorInReport: true,
      // Logging in runs a deliberately slow password check: login gets generated runs only.
      examples: operation.pattern === LOGIN ? [] : [[plainRequest(operation, caller, scene)]],
    });
  } catch (error) {
    throw new Error(
      `${operation.method} ${operation.pattern} as ${caller.name} (replay: FUZZ_SEED=${SEED} ` +
        `FUZZ_RUNS=${RUNS} npm run fuzz)\n${(error as Error).message}`,
    );
  }
}

/** Each (route, caller) its own sequence, all derived from the one seed. */
function seedFor(operation: Operation, caller: Caller): number {
  const text = `${SEED} ${operation.method} ${operation.pattern} ${caller.name}`;
  return createHash('sha256').update(text).digest().readInt32LE(0);
}

async function checkRequest(operation: Operation, caller: Caller, request: FuzzRequest) {
  // Nothing but the requests changes the database: the last answer's digest is this one's.
  const before = lastDigest ?? (await scene.digest());
  const upstreamBefore = scene.upstream.requests.length;
  const response = await scene.service.app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    ...(request.payload !== undefined ? { payload: request.payload } : {}),
  });
  const after = await scene.digest();
  lastDigest = after;
  const problems = [
    ...answerProblems(operation, caller, request, response),
    ...(await refusalProblems(operation, request, response, before, after)),
  ];
  if (
    response.statusCode >= 400 &&
    !fromUpstream(response) &&
    scene.upstream.requests.length !== upstreamBefore
  ) {
    problems.push('a refused request reached the upstream API');
  }
  if (Object.getOwnPropertyNames(Object.prototype).length !== PROTOTYPE_NAMES.length) {
    problems.push('Object.prototype was polluted');
  }
  problems.push(...(await savedConnectorProblems(response)));
  if (fixtureChanged(after)) {
    restores++;
    await scene.restore();
    // Else one request's change would leak into every later run, and replays would differ.
    lastDigest = await scene.digest();
    if (fixtureChanged(lastDigest)) problems.push('the restore did not bring the scene back');
  }
  if (problems.length) {
    const shown = `${response.statusCode} ${response.body.slice(0, 300)}`;
    throw new Error(`${problems.join('; ')}\n  answer: ${shown}`);
  }
}

/** What is wrong with the answer itself: status, error shape, traces, secrets. */
function answerProblems(
  operation: Operation,
  caller: Caller,
  request: FuzzRequest,
  response: LightMyRequestResponse,
): string[] {
  const problems: string[] = [];
  const status = response.statusCode;
  const unbuiltPage = !WEB_UI_BUILT && UI_PAGES.includes(operation.pattern);
  if (status >= 500 && !(unbuiltPage && status === 503)) problems.push(`a ${status}`);
  const shape = clientErrorProblem(
    {
      label: `${request.method} ${request.url.slice(0, 120)}`,
      response,
      expect: { lenient: true },
    },
    request.method,
  );
  if (shape && status < 500 && !fromUpstream(response)) problems.push(shape);
  const text = responseText(response);
  const code = (response.headers['content-type'] ?? '').toString();
  // Static scripts are code, not answers: they may well name an error type.
  if (!/javascript|css/.test(code) || status >= 400) {
    const trace = stackTraceSign(text);
    if (trace) problems.push(`carries ${trace}`);
  }
  // A cookie the request carried may be set again for the same client (a refreshed
  // binding): in `set-cookie` only, and only a value the client sent.
  const sent = JSON.stringify(request);
  const carried = scene.secrets.filter((secret) => sent.includes(secret.value));
  const others = scene.secrets.filter((secret) => !carried.includes(secret));
  const allowed = (secret: KnownSecret) => handedOut(operation, caller, request, response, secret);
  const leaks = [
    ...leakedSecrets(text, others, allowed),
    ...leakedSecrets(responseText(response, { withCookies: false }), carried, allowed),
  ];
  if (leaks.length) problems.push(`leaks ${leaks.join(', ')}`);
  return problems;
}

/**
 * The one place a secret may be answered: `GET /_token` hands a key with tokens:read the
 * access token of the user it names, for that connector, and no other.
 */
function handedOut(
  operation: Operation,
  caller: Caller,
  request: FuzzRequest,
  response: LightMyRequestResponse,
  secret: KnownSecret,
): boolean {
  return (
    TOKEN.test(`${operation.method} ${operation.pattern}`) &&
    response.statusCode === 200 &&
    caller.permissions?.includes('tokens:read') === true &&
    secret.kind === 'access_token' &&
    secret.userId === request.actingUser &&
    secret.connectorId === request.id
  );
}

/**
 * An answer the proxy passed on from the upstream API (its own policy header says so): its
 * status and body are the API's (Node's parser there answers 431 to an over-long URL).
 */
function fromUpstream(response: LightMyRequestResponse): boolean {
  return response.headers['content-security-policy'] === PROXIED_CONTENT_SECURITY_POLICY;
}

/** A refused request leaves the database as it was, but for `refusalMayChange`. */
async function refusalProblems(
  operation: Operation,
  request: FuzzRequest,
  response: LightMyRequestResponse,
  before: DatabaseDigest,
  after: DatabaseDigest,
): Promise<string[]> {
  if (response.statusCode < 400 || fromUpstream(response)) return [];
  const problems = diffDigests(before, after)
    .filter((change) => change.table !== AUDIT_TABLE)
    .filter((change) => !refusalMayChange(operation, request, change))
    .map(
      (change) => `a refusal changed the database: ${change.kind} ${change.table} ${change.key}`,
    );
  const added = await scene.auditEventsSince(before);
  const count = (digest: DatabaseDigest) => Number(digest.get(AUDIT_TABLE)?.get('$count'));
  if (count(after) !== count(before) + added.length) {
    problems.push('a refusal removed audit events');
  }
  for (const event of added) {
    if (event.outcome !== 'failure') {
      problems.push(`a refusal audited a ${event.outcome}: ${event.action}`);
    }
  }
  return problems;
}

/**
 * What a refused request may change, and why:
 * - audit events (checked apart): a refusal may add `failure` events (a key trying what it
 *   may not is what an audit is for), never a success, never remove one;
 * - `api_keys.last_used_at`: a key was used, whatever the answer;
 * - the OAuth flow whose state a callback presented: a state is single-use, consumed as it
 *   is read, whoever presents it (the callback then refuses a wrong user or browser).
 * Rate-limit counters live in memory, not in the database.
 */
function refusalMayChange(operation: Operation, request: FuzzRequest, change: RowChange) {
  if (change.table === 'api_keys') {
    return change.kind === 'changed' && changedColumns(change).join() === 'last_used_at';
  }
  if (change.table === 'oauth_states') {
    return (
      `${operation.method} ${operation.pattern}` === CALLBACK &&
      change.kind === 'removed' &&
      request.state !== undefined &&
      change.key === sha256(request.state)
    );
  }
  return false;
}

/**
 * A connector the request saved must still be callable: one proxied call to it, when it
 * points at the scene's upstream with a static or per-user credential, answers below 500
 * (a saved header name once made every call a 502).
 */
async function savedConnectorProblems(response: LightMyRequestResponse): Promise<string[]> {
  if (response.statusCode !== 200 && response.statusCode !== 201) return [];
  let saved: { id?: unknown; config?: { apiBaseUrl?: unknown; credentialType?: unknown } };
  try {
    saved = response.json();
  } catch {
    return [];
  }
  const base = saved.config?.apiBaseUrl;
  if (typeof saved.id !== 'string' || typeof base !== 'string') return [];
  if (
    !base.startsWith(scene.upstream.url) ||
    saved.config?.credentialType === 'client_credentials'
  ) {
    return [];
  }
  const admin = scene.callers.find((caller) => caller.name === 'admin session');
  const call = await scene.service.app.inject({
    method: 'GET',
    url: `/api/connectors/${saved.id}/proxy/items`,
    headers: { ...admin?.headers, 'sec-fetch-site': 'same-origin' },
  });
  return call.statusCode >= 500
    ? [`a call to the saved connector answered ${call.statusCode}`]
    : [];
}

/** Whether a request changed the scene's data (beyond audit and key use): then restore it. */
function fixtureChanged(after: DatabaseDigest): boolean {
  return diffDigests(scene.pristine, after).some(
    (change) =>
      change.table !== AUDIT_TABLE &&
      !(change.table === 'api_keys' && changedColumns(change).join() === 'last_used_at'),
  );
}
