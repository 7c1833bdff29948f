import { randomBytes } from 'node:crypto';
import { LatchkeyError, type Privilege, roleHas, sha256, type UserRecord } from '@latchkey/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps';
import { type HostCookie, hostCookie } from './host-cookie';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user, if the session cookie names a live session. */
    user: UserRecord | undefined;
    sessionIdHash: string | undefined;
  }
}

export function sessionCookie(publicBaseUrl: string): HostCookie {
  return hostCookie(publicBaseUrl, 'latchkey_session');
}

export function sessionCookieName(publicBaseUrl: string): string {
  return sessionCookie(publicBaseUrl).name;
}

export function hashSessionId(sessionId: string): string {
  return sha256(sessionId);
}

/** Resolves the session cookie to a user before any handler runs. */
export function registerSessions(app: FastifyInstance, deps: AppDeps) {
  const cookieName = sessionCookieName(deps.config.publicBaseUrl);
  app.decorateRequest('user', undefined);
  app.decorateRequest('sessionIdHash', undefined);
  // A callback hook: a request without the cookie (every API-key call) makes no promise.
  app.addHook('onRequest', function resolveSessionCookie(request, _reply, done) {
    const sessionId = request.cookies[cookieName];
    if (!sessionId) return done();
    resolveSession(deps, request, sessionId).then(() => done(), done);
  });
}

async function resolveSession(deps: AppDeps, request: FastifyRequest, sessionId: string) {
  const idHash = hashSessionId(sessionId);
  const session = await deps.store.sessions.find(idHash);
  if (!session || session.expiresAt <= deps.now()) return;
  request.user = await deps.store.users.findById(session.userId);
  request.sessionIdHash = request.user ? idHash : undefined;
}

export async function startSession(
  deps: AppDeps,
  reply: FastifyReply,
  user: UserRecord,
): Promise<void> {
  const sessionId = randomBytes(32).toString('base64url');
  const now = deps.now();
  const ttlMs = deps.config.sessionTtlSeconds * 1000;
  await deps.store.sessions.insert({
    idHash: hashSessionId(sessionId),
    userId: user.id,
    createdAt: now,
    expiresAt: now + ttlMs,
  });
  const cookie = sessionCookie(deps.config.publicBaseUrl);
  reply.setCookie(cookie.name, sessionId, {
    ...cookie.options,
    maxAge: deps.config.sessionTtlSeconds,
  });
}

export async function endSession(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  if (request.sessionIdHash) await deps.store.sessions.delete(request.sessionIdHash);
  const cookie = sessionCookie(deps.config.publicBaseUrl);
  reply.clearCookie(cookie.name, cookie.options);
}

export function requireUser(request: FastifyRequest): UserRecord {
  if (!request.user) throw new LatchkeyError('unauthenticated');
  return request.user;
}

export function requirePrivilege(request: FastifyRequest, privilege: Privilege): UserRecord {
  const user = requireUser(request);
  if (!roleHas(user.role, privilege)) throw new LatchkeyError('forbidden');
  return user;
}
