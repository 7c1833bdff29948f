import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { LatchkeyError } from '@latchkey/core';
import type { FastifyInstance } from 'fastify';

const DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
/**
 * Client-side routes of the single-page app; each serves the same page, without a login
 * (the page asks the API). `/connect` is the hosted connect page of connect sessions.
 */
const UI_ROUTES = ['/', '/login', '/users', '/api-keys', '/audit', '/end-users', '/connect'];

/**
 * The page's policy: scripts only from us, styles from us or carrying this response's nonce
 * (EUI's CSS-in-JS inserts <style> elements and is given the nonce), nothing framed.
 */
function uiContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Serves the built React UI (packages/web/dist) at `/`. */
export async function registerWebUi(app: FastifyInstance) {
  const indexFile = `${DIST}index.html`;
  if (!existsSync(indexFile)) {
    app.log.warn({ dist: DIST }, 'the web UI is not built; run `npm run build:web`');
  }
  await app.register(fastifyStatic, {
    root: `${DIST}assets`,
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    index: false,
  });
  for (const url of UI_ROUTES) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      if (!existsSync(indexFile))
        throw new LatchkeyError('service_unavailable', 'The web UI is not built.');
      const nonce = randomBytes(16).toString('base64');
      const page = readFileSync(indexFile, 'utf8').replace('__CSP_NONCE__', nonce);
      return reply
        .type('text/html; charset=utf-8')
        .headers({
          'content-security-policy': uiContentSecurityPolicy(nonce),
          'cross-origin-opener-policy': 'same-origin-allow-popups',
          'cache-control': 'no-store',
        })
        .send(page);
    });
  }
}
