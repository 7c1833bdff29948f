import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import {
  type EchoUpstream,
  ORIGIN_STATE_HEADERS,
  rawHeaderValues,
  SECURITY_HEADER_OVERRIDES,
  startEchoUpstream,
} from './support/echo-upstream';
import { connect, createProviderConnector, storedTokens } from './support/oauth-harness';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';
import { PUBLIC_BASE_URL } from './support/test-service';

/** Headers a caller may send that must never reach the API (RFC 9110 §7.6.1 and ours). */
const HOP_AND_CALLER_HEADERS = {
  connection: 'keep-alive, x-hop-secret',
  'x-hop-secret': 'named in Connection, so hop-by-hop',
  'keep-alive': 'timeout=5',
  te: 'trailers',
  upgrade: 'websocket',
  'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
  'proxy-connection': 'keep-alive',
  forwarded: 'for=203.0.113.9',
  'x-forwarded-for': '203.0.113.9',
  origin: PUBLIC_BASE_URL,
  referer: `${PUBLIC_BASE_URL}/app`,
};
const NEVER_FORWARDED = [
  ...Object.keys(HOP_AND_CALLER_HEADERS).filter((name) => name !== 'connection'),
  'cookie',
  'x-latchkey-user',
  'expect',
];

describe('proxy: what crosses it in each direction', () => {
  let scene: ProxyScene;
  let echo: EchoUpstream;
  let echoConnectorId: string;

  beforeAll(async () => {
    scene = await startProxyScene();
    echo = await startEchoUpstream();
    echoConnectorId = await createProviderConnector(scene.service, scene.provider, {
      apiBaseUrl: `${echo.url}/`,
    });
    await connect(scene.service, scene.user.cookie, echoConnectorId);
  });
  afterAll(async () => {
    await scene.stop();
    await echo.stop();
  });

  async function userAccessToken() {
    const tokens = await storedTokens(scene.service, echoConnectorId, scene.user.userId);
    return tokens?.accessToken as string;
  }
  const callEcho = (headers: Record<string, string>) =>
    scene.service.app.inject({
      method: 'POST',
      url: `/api/connectors/${echoConnectorId}/proxy/echo?x=1`,
      headers: { 'content-type': 'text/plain', 'x-custom-kept': 'yes', ...headers },
      payload: 'hello',
    });

  it('sends the user token as the one Authorization, and none of the caller credentials', async () => {
    const { key } = await createApiKey(scene.service, ['proxy', 'on_behalf']);
    const callers = {
      session: {
        cookie: `${scene.user.cookie}; other=cookie-value`,
        authorization: 'Bearer callers-own-token',
      },
      'API key': {
        authorization: `ApiKey ${key}`,
        'x-latchkey-user': scene.user.userId,
        cookie: 'other=cookie-value',
      },
    };
    for (const [caller, credentials] of Object.entries(callers)) {
      const response = await callEcho({ ...HOP_AND_CALLER_HEADERS, ...credentials });
      expect(response.statusCode, caller).toBe(200);
      const received = echo.requests.at(-1);
      if (!received) throw new Error('nothing reached the API');
      const token = await userAccessToken();
      expect(rawHeaderValues(received.rawHeaders, 'authorization'), caller).toEqual([
        `Bearer ${token}`,
      ]);
      expect((await scene.provider.introspect(token)).sub).toBe('user-1');
      for (const name of NEVER_FORWARDED) {
        expect(rawHeaderValues(received.rawHeaders, name), `${caller}: ${name}`).toEqual([]);
      }
      // The proxy's own connection to the API may say keep-alive; the caller's value is gone.
      expect(rawHeaderValues(received.rawHeaders, 'connection')).not.toContain(
        HOP_AND_CALLER_HEADERS.connection,
      );
      expect(received.headers['x-custom-kept']).toBe('yes');
      expect(received.headers.host).toBe(new URL(echo.url).host);
      expect(received.bodyBytes).toBe(5);
      expect(received.url).toBe('/echo?x=1');
      const wire = JSON.stringify(received.rawHeaders);
      expect(wire).not.toContain(key);
      expect(wire).not.toContain(scene.user.cookie.split('=')[1]);
      expect(wire).not.toContain('cookie-value');
      expect(wire).not.toContain('callers-own-token');
    }
  });

  it('passes back no Set-Cookie, no hop-by-hop header, nothing that loosens our policies', async () => {
    const response = await callEcho({ cookie: scene.user.cookie });
    expect(response.statusCode).toBe(200);
    for (const name of [
      'set-cookie',
      'x-upstream-hop',
      'keep-alive',
      'access-control-allow-origin',
      'access-control-allow-credentials',
      'clear-site-data',
      'refresh',
    ]) {
      expect(response.headers[name], name).toBeUndefined();
    }
    // The API's content is never an active page of Latchkey's origin.
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('sandbox');
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['x-upstream-kept']).toBe('end-to-end');
    // Same URL, a different answer per user: never for a shared cache.
    expect(response.headers['cache-control']).toBe('private, max-age=600');
  });

  it('passes back no header that leaves state in the browser for Latchkey’s origin', async () => {
    const response = await callEcho({ cookie: scene.user.cookie });
    expect(response.statusCode).toBe(200);
    for (const name of Object.keys(ORIGIN_STATE_HEADERS)) {
      expect(response.headers[name], name).toBeUndefined();
    }
  });

  it('keeps Latchkey’s own value of every security header it sets', async () => {
    const own = await scene.service.app.inject({ method: 'GET', url: '/healthz' });
    const response = await callEcho({ cookie: scene.user.cookie });
    expect(response.statusCode).toBe(200);
    for (const name of Object.keys(SECURITY_HEADER_OVERRIDES)) {
      expect(response.headers[name], name).toBe(own.headers[name]);
    }
  });

  it('passes back Bearer challenges, not those a browser would answer with a password', async () => {
    const challenges = {
      'Bearer error="insufficient_scope", scope="files.read"': true,
      'Basic realm="Latchkey"': false,
      'Bearer realm="api", Digest realm="x", nonce="1"': false,
      Negotiate: false,
      NTLM: false,
    };
    for (const [challenge, passed] of Object.entries(challenges)) {
      const response = await callEcho({
        cookie: scene.user.cookie,
        'x-echo-www-authenticate': challenge,
      });
      expect(response.headers['www-authenticate'], challenge).toBe(passed ? challenge : undefined);
    }
  });

  it('handles a caller that sent Expect: 100-continue (curl does, for large uploads)', async () => {
    const before = echo.requests.length;
    const response = await callEcho({ cookie: scene.user.cookie, expect: '100-continue' });
    expect(response.statusCode).toBe(200);
    expect(echo.requests.length).toBe(before + 1);
    expect(rawHeaderValues(echo.requests.at(-1)?.rawHeaders ?? [], 'expect')).toEqual([]);
  });
});
