import {
  type ApiKeyPermission,
  findLiveApiKey,
  LatchkeyError,
  recordAudit,
  type StoredApiKey,
  type StoredConnector,
} from '@latchkey/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps';

declare module 'fastify' {
  interface FastifyRequest {
    /** The application's key, when the request carries `Authorization: ApiKey <key>`. */
    apiKey: StoredApiKey | undefined;
  }
}

const SCHEME = /^ApiKey\s+(\S+)$/i;
const ACTING_USER_HEADER = 'x-latchkey-user';
const TOUCH_INTERVAL_MS = 60_000;

export function registerApiKeyAuth(app: FastifyInstance, deps: AppDeps) {
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (request) => {
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
interface ConnectorActor {
  userId: string | null;
  apiKey: StoredApiKey | null;
  /** The user named by X-Latchkey-User, not looked up yet (see `confirmActingUser`). */
  unconfirmedUser: boolean;
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
  const actingUser = request.headers[ACTING_USER_HEADER];
  if (actingUser === undefined) return { userId: null, apiKey: key, unconfirmedUser: false };
  if (!key.permissions.includes('on_behalf')) {
    throw new LatchkeyError('api_key_forbidden', 'This API key may not act for users (on_behalf).');
  }
  if (typeof actingUser !== 'string') throw new LatchkeyError('user_not_found');
  return { userId: actingUser, apiKey: key, unconfirmedUser: true };
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

/** `not_connected` for a named user who does not exist is `user_not_found`. */
export async function explainNotConnected(
  deps: AppDeps,
  actor: ConnectorActor,
  error: unknown,
): Promise<never> {
  if (error instanceof LatchkeyError && error.code === 'not_connected') {
    await confirmActingUser(deps, actor);
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
export async function auditKeyUse(
  deps: AppDeps,
  request: FastifyRequest,
  use: KeyUse,
  outcome: 'success' | 'failure',
  reason: string,
): Promise<void> {
  const key = request.apiKey;
  if (!key) return;
  // A success proves the named user (their connection was used); a failure may not have.
  const subjectUserId =
    use.actor && (outcome === 'success' || !use.actor.unconfirmedUser)
      ? use.actor.userId
      : await namedExistingUser(deps, request);
  await recordAudit(deps.store, deps.now(), {
    action: 'api_key_used',
    outcome,
    reason,
    apiKeyId: key.id,
    ...(subjectUserId ? { subjectUserId } : {}),
    ...(use.connector ? { connectorId: use.connector.id } : {}),
  });
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
