import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyPermission, Role } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import { hashSessionId, sessionCookieName } from '../../src/plugins/sessions';
import { SHARED_TOKEN } from './connector-bodies';
import { type DatabaseDigest, openDatabaseDigest } from './database-digest';
import { type EchoUpstream, startEchoUpstream } from './echo-upstream';
import {
  codeVerifierOf,
  connect,
  PROVIDER_CLIENT_SECRET,
  providerConnectorBody,
  startFlow,
  startProvider,
  storedTokens,
} from './oauth-harness';
import type { KnownSecret } from './response-leaks';
import { startServiceOnCopy } from './service-on-copy';
import {
  ADMIN_PASSWORD,
  type RequestOptions,
  startTestService,
  TEST_KEY_A,
  type TestService,
} from './test-service';

/**
 * The fuzzed service's settings: limits high enough that a run never turns every later
 * request into a 429 (a 429 is still a fine answer), small body limits so that oversize
 * bodies are cheap to send, and no background jobs (nothing changes the database but the
 * requests). Logs only warnings and errors: the fuzz looks for errors among them.
 */
const FUZZ_ENV = {
  LATCHKEY_JOBS_ENABLED: 'false',
  LATCHKEY_LOG_LEVEL: 'warn',
  LATCHKEY_SESSION_TTL_SECONDS: String(30 * 86400),
  LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: '100000',
  LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: '10000',
  LATCHKEY_OAUTH_START_LIMIT_PER_HOUR: '100000',
  LATCHKEY_OAUTH_CALLBACK_LIMIT_PER_HOUR: '100000',
  LATCHKEY_BODY_LIMIT_BYTES: '16384',
  LATCHKEY_PROXY_BODY_LIMIT_BYTES: '16384',
};

const SHARED_API_KEY = 'shared-api-key-header-secret-0123456789';
const USER_ROLES: Role[] = ['admin', 'editor', 'viewer'];
const PERMISSIONS: ApiKeyPermission[] = ['proxy', 'tokens:read', 'on_behalf'];
/** Grows with every request (refusals by keys are audited): digested by its count only. */
export const AUDIT_TABLE = 'audit_events';

/** Who sends a request: nobody, a browser session, or an application's key. */
export interface Caller {
  name: string;
  headers: Record<string, string>;
  /** Only for keys: the permissions it holds, and whether it names a user to act for. */
  permissions?: readonly ApiKeyPermission[];
  actsForUser?: boolean;
}

export interface PendingFlow {
  userId: string;
  connectorId: string;
  state: string;
  binding: string;
}

export interface FuzzScene {
  /** The service as it is now: restoring the database replaces it. */
  readonly service: TestService;
  callers: Caller[];
  secrets: KnownSecret[];
  /** Ids of real rows, by kind, for path parameters and ids in bodies. */
  ids: { users: string[]; connectors: string[]; apiKeys: string[] };
  usernames: string[];
  flows: PendingFlow[];
  upstream: EchoUpstream;
  digest(): Promise<DatabaseDigest>;
  /** Audit events written since `digest` was taken (the table is append-only). */
  auditEventsSince(digest: DatabaseDigest): Promise<Record<string, unknown>[]>;
  /** The digest of the database as the scene left it, before any fuzzing. */
  pristine: DatabaseDigest;
  /** Server errors (level 50 and up) every service of the scene logged so far. */
  serverErrors(): string[];
  /** Puts the database back as it was before fuzzing, and a fresh service on it. */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Real data to fuzz against: a user of each role, each connected through a real provider
 * (real tokens stored), a pending flow each, shared connectors with static secrets, and an
 * API key for every combination of permissions.
 */
export async function startFuzzScene(): Promise<FuzzScene> {
  const provider = await startProvider();
  const upstream = await startEchoUpstream({ echo: false });
  const first = await startTestService(FUZZ_ENV);
  const built = await populate(first, provider, upstream);
  // Kept as populated: every service of the scene runs on a copy of it.
  await first.stop({ keepData: true });

  let service = await startServiceOnCopy(first, FUZZ_ENV);
  const openReader = () => openDatabaseDigest(service, [AUDIT_TABLE]);
  let reader = await openReader();
  const loggedErrors: string[] = [];
  const pristine = await reader.read();
  return {
    ...built,
    get service() {
      return service;
    },
    upstream,
    pristine,
    serverErrors: () => [...loggedErrors, ...serverErrorLines(service)],
    digest: () => reader.read(),
    auditEventsSince: (digest) => reader.rowsAfter(AUDIT_TABLE, digest),
    async restore() {
      loggedErrors.push(...serverErrorLines(service));
      await reader.close();
      await service.stop();
      service = await startServiceOnCopy(first, FUZZ_ENV);
      reader = await openReader();
    },
    async stop() {
      await reader.close();
      await service.stop();
      await first.stop();
      await upstream.stop();
      await provider.stop();
    },
  };
}

function serverErrorLines(service: TestService): string[] {
  return service
    .logs()
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line));
}

async function populate(service: TestService, provider: TestProvider, upstream: EchoUpstream) {
  const secrets: KnownSecret[] = [
    { label: 'the admin password', value: ADMIN_PASSWORD },
    { label: "the connector's client secret", value: PROVIDER_CLIENT_SECRET },
    { label: 'the shared bearer token', value: SHARED_TOKEN },
    { label: 'the shared API key', value: SHARED_API_KEY },
    { label: 'the encryption key', value: TEST_KEY_A.slice(TEST_KEY_A.indexOf(':') + 1) },
  ];
  const callers: Caller[] = [{ name: 'anonymous', headers: {} }];
  const sessions = [];
  for (const role of USER_ROLES) {
    const username = role === 'admin' ? 'admin' : `fuzz-${role}`;
    const session = await userSession(service, role, username);
    secrets.push({ label: `${role}'s session`, value: session.cookie.split('=')[1] as string });
    callers.push({ name: `${role} session`, headers: { cookie: session.cookie } });
    sessions.push({ ...session, role, username });
  }
  const admin = sessions[0]?.cookie as string;
  const created = (body: unknown) =>
    asAdmin(service, admin, { method: 'POST', url: '/api/connectors', body });
  const connectorId = (
    await created(providerConnectorBody(provider, { apiBaseUrl: `${upstream.url}/per-user/` }))
  ).id as string;
  const shared = [
    await created(sharedBody({ credentialType: 'bearer_token' }, { token: SHARED_TOKEN })),
    await created(
      sharedBody(
        { credentialType: 'api_key_header', headerName: 'X-Api-Key' },
        { apiKey: SHARED_API_KEY },
      ),
    ),
  ].map((connector) => connector.id as string);
  function sharedBody(config: Record<string, string>, sharedSecrets: Record<string, string>) {
    const apiBaseUrl = `${upstream.url}/${config.credentialType}/`;
    const name = `Shared ${config.credentialType}`;
    return { name, authMode: 'shared', config: { ...config, apiBaseUrl }, secrets: sharedSecrets };
  }

  const flows: PendingFlow[] = [];
  for (const { cookie, userId, role } of sessions) {
    await connect(service, cookie, connectorId);
    const tokens = await storedTokens(service, connectorId, userId);
    if (!tokens?.refreshToken) throw new Error(`${role} not connected`);
    const owner = { userId, connectorId };
    secrets.push(
      {
        label: `${role}'s access token`,
        value: tokens.accessToken,
        kind: 'access_token',
        ...owner,
      },
      {
        label: `${role}'s refresh token`,
        value: tokens.refreshToken,
        kind: 'refresh_token',
        ...owner,
      },
    );
    const flow = await startFlow(service, cookie, connectorId);
    flows.push({ ...owner, state: flow.state, binding: flow.binding });
    secrets.push(
      { label: `${role}'s code verifier`, value: await codeVerifierOf(service, flow.state) },
      { label: `${role}'s browser binding`, value: flow.binding },
    );
  }

  const apiKeys: string[] = [];
  const createKey = (name: string, permissions: ApiKeyPermission[]) =>
    asAdmin(service, admin, { method: 'POST', url: '/api/api_keys', body: { name, permissions } });
  for (const permissions of permissionCombinations()) {
    const name = `key ${permissions.join('+')}`;
    const { key, id } = await createKey(name, permissions);
    apiKeys.push(id);
    secrets.push({ label: `the API key ${permissions.join('+')}`, value: key });
    const headers = { authorization: `ApiKey ${key}` };
    callers.push({ name, headers, permissions, actsForUser: false });
    callers.push({ name: `${name} acting for a user`, headers, permissions, actsForUser: true });
  }
  const revoked = await createKey('revoked', PERMISSIONS);
  await asAdmin(service, admin, { method: 'DELETE', url: `/api/api_keys/${revoked.id}` });
  apiKeys.push(revoked.id);
  callers.push(
    { name: 'revoked key', headers: { authorization: `ApiKey ${revoked.key}` }, permissions: [] },
    {
      name: 'unknown key',
      headers: { authorization: 'ApiKey lk_unknown0123456789' },
      permissions: [],
    },
  );
  return {
    callers,
    secrets,
    ids: {
      users: sessions.map((session) => session.userId),
      connectors: [connectorId, ...shared],
      apiKeys,
    },
    usernames: sessions.map((session) => session.username),
    flows,
  };
}

/**
 * A user of that role (the bootstrap admin for 'admin') and a session for them, both rows
 * written as the API writes them: the others share the admin's password hash, and no one
 * logs in, because every password hash and check is deliberately slow.
 */
async function userSession(service: TestService, role: Role, username: string) {
  const { store } = service.deps;
  const admin = await store.users.findByUsername('admin');
  if (!admin) throw new Error('no bootstrap admin');
  let user = admin;
  if (role !== 'admin') {
    const now = service.clock.now;
    user = { ...admin, id: randomUUID(), username, role, createdAt: now, updatedAt: now };
    await store.users.insert(user);
  }
  const sessionId = randomBytes(32).toString('base64url');
  const now = service.clock.now;
  await store.sessions.insert({
    idHash: hashSessionId(sessionId),
    userId: user.id,
    createdAt: now,
    expiresAt: now + service.deps.config.sessionTtlSeconds * 1000,
  });
  const name = sessionCookieName(service.deps.config.publicBaseUrl);
  return { cookie: `${name}=${sessionId}`, userId: user.id };
}

/** A request as the admin session of the scene (no login: see `userSession`). */
async function asAdmin(service: TestService, admin: string, options: AdminRequest) {
  const response = await service.request({ ...options, cookie: admin });
  if (response.statusCode >= 300) throw new Error(`${options.url}: ${response.body}`);
  return response.body ? response.json() : undefined;
}

type AdminRequest = Omit<RequestOptions, 'cookie'>;

/** Every non-empty set of permissions, in a stable order. */
function permissionCombinations(): ApiKeyPermission[][] {
  const all = PERMISSIONS;
  const sets: ApiKeyPermission[][] = [];
  for (let mask = 1; mask < 1 << all.length; mask++) {
    sets.push(all.filter((_, bit) => mask & (1 << bit)));
  }
  return sets;
}
