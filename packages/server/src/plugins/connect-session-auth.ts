import {
  ensureSessionEndUser,
  findLiveConnectSession,
  LatchkeyError,
  type StoredConnectSession,
  sessionAllowsConnector,
} from '@latchkey/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps';
import { requirePrivilege } from './sessions';

declare module 'fastify' {
  interface FastifyRequest {
    /** The live connect session, when the request carries `Authorization: ConnectSession …`. */
    connectSession: StoredConnectSession | undefined;
  }
}

const SCHEME = /^ConnectSession\s+(\S+)$/i;

/**
 * The only routes a connect session may call, by method and route pattern (docs/api.md).
 * Everything else refuses the scheme before any handler runs (invariant 10).
 */
export const CONNECT_SESSION_ROUTES: ReadonlyArray<{ method: 'GET' | 'POST'; url: string }> = [
  { method: 'GET', url: '/api/connect_session' },
  { method: 'POST', url: '/api/connectors/:id/_start_oauth_flow' },
  { method: 'POST', url: '/api/connectors/:id/_oauth_cancel' },
  { method: 'POST', url: '/api/connectors/:id/_oauth_disconnect' },
  { method: 'POST', url: '/api/connectors/_me/auth_status' },
];

export function isConnectSessionRoute(request: FastifyRequest): boolean {
  const url = request.routeOptions.url;
  return CONNECT_SESSION_ROUTES.some((r) => r.method === request.method && r.url === url);
}

export function registerConnectSessionAuth(app: FastifyInstance, deps: AppDeps) {
  app.decorateRequest('connectSession', undefined);
  // A callback hook: a request without the scheme (nearly all) makes no promise.
  app.addHook('onRequest', function authenticateConnectSession(request, _reply, done) {
    const match = SCHEME.exec(request.headers.authorization ?? '');
    if (!match?.[1]) return done();
    actAsConnectSession(deps, request, match[1]).then(() => done(), done);
  });
}

async function actAsConnectSession(deps: AppDeps, request: FastifyRequest, token: string) {
  if (!isConnectSessionRoute(request)) throw new LatchkeyError('connect_session_forbidden');
  request.connectSession = await findLiveConnectSession(deps, token);
  // The session acts alone: a Latchkey login in the same browser lends it nothing.
  request.user = undefined;
  request.sessionIdHash = undefined;
}

/** Who owns the connection a connection route acts on, and the session acting, if any. */
export interface ConnectionOwner {
  userId: string;
  connectSessionHash?: string;
}

/**
 * A connect session acts for its end user (created on first use), on its own connectors
 * only; a browser session acts for its user.
 */
export async function connectionOwner(
  deps: AppDeps,
  request: FastifyRequest,
  connectorId: string,
): Promise<ConnectionOwner> {
  const session = request.connectSession;
  if (!session) return { userId: requirePrivilege(request, 'connections:own').id };
  if (!sessionAllowsConnector(session, connectorId)) {
    throw new LatchkeyError('connect_session_forbidden');
  }
  const endUser = await ensureSessionEndUser(deps, session);
  return { userId: endUser.id, connectSessionHash: session.tokenHash };
}
