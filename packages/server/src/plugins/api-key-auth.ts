import {
  type ApiKeyPermission,
  createConnectSession,
  externalIdSchema,
  findLiveApiKey,
  isEndUserId,
  LatchkeyError,
  recordAudit,
  type StoredApiKey,
  type StoredConnector,
} from '@latchkey/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps';
import { requireEndUsersPermission } from './end-user-access';

declare module 'fastify' {
  interface FastifyRequest {
    /** The application's key, when the request carries `Authorization: ApiKey <key>`. */
    apiKey: StoredApiKey | undefined;
  }
}

const SCHEME = /^ApiKey\s+(\S+)$/i;
const ACTING_USER_HEADER = 'x-latchkey-user';
const END_USER_HEADER = 'x-latchkey-end-user';
const TOUCH_INTERVAL_MS = 60_000;

export function registerApiKeyAuth(app: FastifyInstance, deps: AppDeps) {
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async function authenticateApiKey(request) {
    const match = SCHEME.exec(request.headers.authorization ?? '');
    if (!match?.[1]) return;
    const key = await findLiveApiKey(deps.store, match[1]);
    if (!key) throw new LatchkeyError('invalid_api_key');
    request.apiKey = key;
    const now = deps.now();
    // The row just read says when it was last used: write only when that is stale.
    if (key.lastUsedAt === null || key.lastUsedAt < now - TOUCH_INTERVAL_MS) {
      await deps.store.apiKeys.touch(key.id, now, TOUCH_INTERVAL_MS);
    }
  });
}

/** Who a connector call runs for: a user (session or on-behalf), or nobody (shared only). */
export interface ConnectorActor {
  userId: string | null;
  apiKey: StoredApiKey | null;
  /** The user named by X-Latchkey-User, not looked up yet (see `confirmActingUser`). */
  unconfirmedUser: boolean;
  /** The end user named by X-Latchkey-End-User, not looked up yet (see `resolveEndUser`). */
  endUserExternalId?: string;
}

/**
 * A browser session acts for its own user. A key acts for the user named in
 * X-Latchkey-User, and only with `on_behalf`; without the header it acts for nobody.
 */
export function resolveConnectorActor(
  request: FastifyRequest,
  permission: ApiKeyPermission,
): ConnectorActor {
  const key = request.apiKey;
  if (!key) {
    if (!request.user) throw new LatchkeyError('unauthenticated');
    if (permission === 'tokens:read') throw new LatchkeyError('api_key_required');
    return { userId: request.user.id, apiKey: null, unconfirmedUser: false };
  }
  if (!key.permissions.includes(permission)) throw new LatchkeyError('api_key_forbidden');
  const endUser = request.headers[END_USER_HEADER];
  if (endUser !== undefined) return endUserActor(request, key, endUser);
  const actingUser = request.headers[ACTING_USER_HEADER];
  if (actingUser === undefined) return { userId: null, apiKey: key, unconfirmedUser: false };
  if (!key.permissions.includes('on_behalf')) {
    throw new LatchkeyError('api_key_forbidden', 'This API key may not act for users (on_behalf).');
  }
  // An end user is reached only by external id, with `end_users`: never as a user by id.
  if (typeof actingUser !== 'string' || isEndUserId(actingUser)) {
    throw new LatchkeyError('user_not_found');
  }
  return { userId: actingUser, apiKey: key, unconfirmedUser: true };
}

/** A key acts for an end user only with `end_users`, and for one person at a time. */
function endUserActor(
  request: FastifyRequest,
  key: StoredApiKey,
  externalId: string | string[],
): ConnectorActor {
  requireEndUsersPermission(key, 'This API key may not act for end users.');
  if (request.headers[ACTING_USER_HEADER] !== undefined) {
    throw new LatchkeyError('acting_user_ambiguous');
  }
  const parsed = externalIdSchema.safeParse(externalId);
  if (!parsed.success) throw new LatchkeyError('end_user_not_found');
  return { userId: null, apiKey: key, unconfirmedUser: false, endUserExternalId: parsed.data };
}

/**
 * Looks up the end user a key named. One who does not exist has no connection: they are
 * `not_connected` (with a link to connect, see `explainNotConnected`), and stay unknown.
 */
export async function resolveEndUser(deps: AppDeps, actor: ConnectorActor): Promise<void> {
  if (actor.endUserExternalId === undefined) return;
  const endUser = await deps.store.endUsers.findByExternalId(actor.endUserExternalId);
  if (!endUser) throw new LatchkeyError('not_connected');
  actor.userId = endUser.id;
}

/**
 * Checks that the user a key named exists. A user's connection row proves it (foreign key,
 * deleted with the user), so calls that find a connection skip this read: it runs only
 * when no connection is involved (shared connectors) or none was found.
 */
export async function confirmActingUser(deps: AppDeps, actor: ConnectorActor): Promise<void> {
  if (!actor.unconfirmedUser || actor.userId === null) return;
  const exists = await deps.store.users.findById(actor.userId);
  actor.unconfirmedUser = false;
  if (!exists) {
    // The audit event must not name a user that does not exist.
    actor.userId = null;
    throw new LatchkeyError('user_not_found');
  }
}

/**
 * `not_connected` for a named user who does not exist is `user_not_found`. For an end user,
 * `not_connected` and `reauth_required` carry `connectUrl`: a fresh link, for that connector
 * only, that the agent hands to its human (minting it creates no end user). A link is a
 * connect session: past the key's limit on those, the answer comes without one.
 */
export async function explainNotConnected(
  deps: AppDeps,
  request: FastifyRequest,
  actor: ConnectorActor,
  error: unknown,
  connectorId?: string,
): Promise<never> {
  if (!(error instanceof LatchkeyError)) throw error;
  if (error.code === 'not_connected') await confirmActingUser(deps, actor);
  const noConnection = error.code === 'not_connected' || error.code === 'reauth_required';
  if (noConnection && actor.endUserExternalId !== undefined && actor.apiKey && connectorId) {
    if (!(await request.server.connectSessionLimit.allows(request))) throw error;
    const session = await createConnectSession(deps, {
      endUser: { externalId: actor.endUserExternalId },
      connectorIds: [connectorId],
      apiKeyId: actor.apiKey.id,
      createEndUser: false,
    });
    throw new LatchkeyError(error.code, error.message, { connectUrl: session.url });
  }
  throw error;
}

/** What a connector call by a key got as far as resolving, for its audit event. */
export interface KeyUse {
  actor?: ConnectorActor;
  connector?: StoredConnector;
}

/**
 * Audits one use of an API key on a connector (issue 4: key, user, connector, outcome),
 * refused uses included: a key trying what it may not is what an audit is for. A refused
 * key names the user it tried to act for, when that user exists. Sessions are not key uses.
 */
export function auditKeyUse(
  deps: AppDeps,
  request: FastifyRequest,
  use: KeyUse,
  outcome: 'success' | 'failure',
  reason: string,
): Promise<void> {
  const key = request.apiKey;
  if (!key) return Promise.resolve();
  const record = (subjectUserId: string | null | undefined) =>
    recordAudit(deps.store, deps.now(), {
      action: 'api_key_used',
      outcome,
      reason,
      apiKeyId: key.id,
      ...(subjectUserId ? { subjectUserId } : {}),
      ...(use.connector ? { connectorId: use.connector.id } : {}),
    });
  // A success proves the named user (their connection was used); a failure may not have.
  if (use.actor && (outcome === 'success' || !use.actor.unconfirmedUser)) {
    return record(use.actor.userId);
  }
  return namedExistingUser(deps, request).then(record);
}

async function namedExistingUser(deps: AppDeps, request: FastifyRequest) {
  const named = request.headers[ACTING_USER_HEADER];
  if (typeof named !== 'string') return undefined;
  return (await deps.store.users.findById(named))?.id;
}

/** The code an audit event records for a failure; never the error's text. */
export function failureReason(error: unknown): string {
  return error instanceof LatchkeyError ? error.code : 'internal_error';
}
