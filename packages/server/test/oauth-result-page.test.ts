import type { TestProvider } from '@latchkey/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResult } from './support/callback-results';
import {
  connect,
  createProviderConnector,
  deliverCallback,
  REDIRECT_URI,
  sessionsFor,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { storedTokens } from './support/stored-state';
import type { TestService } from './support/test-service';

const RESULT_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SCRIPT_PATH = '/api/connectors/_oauth_callback_script';

/** The new-tab result page: no inline code, nothing from elsewhere, never cached. */
describe('result page and its script (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let user: UserSession;
  const pages: { name: string; response: LightMyRequestResponse }[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider);
    [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
    const success = await connect(service, user.cookie, connectorId);
    pages.push({ name: 'success', response: success.response });
    const replay = await deliverCallback(service, success.callbackUrl, success.flow.browserCookie);
    pages.push({ name: 'error', response: replay });
    const anonymous = await deliverCallback(service, REDIRECT_URI);
    pages.push({ name: 'error without session or state', response: anonymous });
    const tokens = await storedTokens(service, connectorId, user.userId);
    secrets.push(
      success.callbackUrl.searchParams.get('code') as string,
      success.flow.state,
      success.flow.binding,
      tokens?.accessToken as string,
      tokens?.refreshToken as string,
    );
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  it('renders success and errors as result pages', () => {
    expect(pages.map(({ response }) => readResult(response).status)).toEqual([
      'success',
      'error',
      'error',
    ]);
    expect(readResult(pages[0]!.response).connectorId).toBe(connectorId);
  });

  it('sends exactly the required security headers', () => {
    for (const { name, response } of pages) {
      expect(response.headers['content-security-policy'], name).toBe(RESULT_PAGE_CSP);
      expect(response.headers['referrer-policy'], name).toBe('no-referrer');
      expect(response.headers['cache-control'], name).toBe('no-store');
      expect(response.headers['x-content-type-options'], name).toBe('nosniff');
      expect(response.headers['content-type'], name).toBe('text/html; charset=utf-8');
    }
  });

  it('has no inline script, no inline style and no event handler attributes', () => {
    for (const { name, response } of pages) {
      const html = response.body;
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts, name).toHaveLength(1);
      for (const [, attributes, content] of scripts) {
        expect(content?.trim(), name).toBe('');
        expect(attributes, name).toContain(`src="${SCRIPT_PATH}"`);
      }
      expect(html, name).not.toMatch(/<style\b/i);
      expect(html, name).not.toMatch(/\sstyle\s*=/i);
      expect(html, name).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, name).not.toMatch(/javascript:/i);
    }
  });

  it('loads nothing from another origin and shows no token, code or state', () => {
    expect(secrets.every((secret) => secret.length >= 20)).toBe(true);
    for (const { name, response } of pages) {
      expect(response.body, name).not.toMatch(/https?:\/\//i);
      expect(response.body, name).not.toMatch(/(src|href|action)\s*=\s*["']?\/\//i);
      for (const secret of secrets) expect(response.body, name).not.toContain(secret);
      expect(JSON.stringify(response.headers), name).not.toContain(secrets[3]);
    }
  });

  it('serves the script as cacheable JavaScript posting on the oauth_flow_completed channel', async () => {
    const script = await service.request({ method: 'GET', url: SCRIPT_PATH });

    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(script.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(script.body).toContain("new BroadcastChannel('oauth_flow_completed')");
    expect(script.body).toContain('postMessage');
    expect(script.body).toContain('window.close()');
    expect(script.body).not.toMatch(/https?:\/\//i);
    // The page's data-* attributes are what the script reads.
    for (const attribute of ['connectorId', 'status', 'error']) {
      expect(script.body).toContain(`dataset.${attribute}`);
    }
  });
});
