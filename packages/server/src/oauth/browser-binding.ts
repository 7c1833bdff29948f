import { randomToken } from '@latchkey/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';

const COOKIE = 'latchkey_oauth_browser';
// Covers the start route (to reuse the value) and the callback (to check it).
const BINDING_PATH = '/api/connectors';

/**
 * The value that binds a flow to the browser that started it. One per browser (so several
 * flows can run at once), HttpOnly, sent only under /api/connectors, and SameSite=Lax so the
 * provider's top-level redirect back still carries it (Strict would not).
 */
export function ensureBrowserBinding(
  config: Config,
  request: FastifyRequest,
  reply: FastifyReply,
): string {
  const binding = request.cookies[COOKIE] ?? randomToken();
  reply.setCookie(COOKIE, binding, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicBaseUrl.startsWith('https:'),
    path: BINDING_PATH,
    maxAge: config.oauthStateTtlSeconds,
  });
  return binding;
}

export function readBrowserBinding(request: FastifyRequest): string | undefined {
  return request.cookies[COOKIE];
}
