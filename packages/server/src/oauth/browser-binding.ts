import { randomToken } from '@latchkey/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { hostCookie } from '../plugins/host-cookie';

/** Path=/ under https too: the `__Host-` prefix requires it. */
export function browserBindingCookie(publicBaseUrl: string) {
  return hostCookie(publicBaseUrl, 'latchkey_oauth_browser');
}

/**
 * The value that binds a flow to the browser that started it. One per browser (so several
 * flows can run at once), HttpOnly, `__Host-` under https, and SameSite=Lax so the
 * provider's top-level redirect back still carries it (Strict would not).
 */
export function ensureBrowserBinding(
  config: Config,
  request: FastifyRequest,
  reply: FastifyReply,
): string {
  const cookie = browserBindingCookie(config.publicBaseUrl);
  const binding = request.cookies[cookie.name] ?? randomToken();
  reply.setCookie(cookie.name, binding, { ...cookie.options, maxAge: config.oauthStateTtlSeconds });
  return binding;
}

export function readBrowserBinding(config: Config, request: FastifyRequest): string | undefined {
  return request.cookies[browserBindingCookie(config.publicBaseUrl).name];
}
