import { type RecordingServer, startRecordingServer } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';
import { listenOnLoopback, rawRequest } from './support/raw-http';
import { PUBLIC_BASE_URL } from './support/test-service';

/**
 * Paths that would leave the API base URL (`<api>/v1/`) if the proxy joined them naively:
 * to another origin (the attacker's) or above the base path. Each is sent byte for byte.
 */
function escapeVectors(attackerHost: string): Record<string, string> {
  return {
    'absolute URL': `http://${attackerHost}/steal`,
    'absolute URL, other scheme': `https://${attackerHost}/steal`,
    'scheme with encoded slashes': `http:%2f%2f${attackerHost}/steal`,
    'scheme-relative //': `/${attackerHost}/steal`,
    'empty segment inside': `a//${attackerHost}/steal`,
    '..': '../steal',
    '../..': '../../steal',
    'trailing ..': 'a/..',
    '%2e%2e': '%2e%2e/steal',
    '.%2e': '.%2e/steal',
    '%2E%2E (upper case)': '%2E%2E/steal',
    '%2e%2e%2f': '%2e%2e%2fsteal',
    '%2f..%2f': 'a%2f..%2f..%2fsteal',
    '%5c': `%5c%5c${attackerHost}%5csteal`,
    backslash: `\\\\${attackerHost}\\steal`,
    'backslash traversal': '..\\steal',
    '@ userinfo': `@${attackerHost}/steal`,
    'x@host': `x@${attackerHost}/steal`,
    '%40': `%40${attackerHost}/steal`,
    '%00': 'steal%00/../..',
    'double-encoded %252e': '%252e%252e/steal',
    'double-encoded %252f': `%252f%252f${attackerHost}/steal`,
    '..; (path parameter)': '..;/steal',
    '.; (path parameter)': 'a/.;/..;/steal',
    tab: 'a%09/../steal',
  };
}

describe('proxy: paths that try to leave the API base URL', () => {
  let scene: ProxyScene;
  let attacker: RecordingServer;
  let port: number;

  beforeAll(async () => {
    attacker = await startRecordingServer();
    scene = await startProxyScene({ apiPath: '/v1/' });
    port = await listenOnLoopback(scene.service);
  });
  afterAll(async () => {
    await scene.stop();
    await attacker.stop();
  });

  const send = (path: string, headers: Record<string, string> = {}) =>
    rawRequest(port, { path, headers: { cookie: scene.user.cookie, ...headers } });

  it('forwards an ordinary path under the base URL (the control case)', async () => {
    const response = await send(`/api/connectors/${scene.connectorId}/proxy/items/1?q=a%2Fb`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ path: '/v1/items/1', query: { q: 'a/b' } });
  });

  it('refuses every escape vector with 400 proxy_path_invalid; nothing leaves', async () => {
    const attackerHost = new URL(attacker.url).host;
    const vectors = escapeVectors(attackerHost);
    expect(Object.keys(vectors).length).toBeGreaterThanOrEqual(12);
    const apiBefore = scene.api.counts.requests;
    scene.provider.resetCounts();
    const outcomes: Record<string, string> = {};
    for (const [name, vector] of Object.entries(vectors)) {
      const response = await send(`/api/connectors/${scene.connectorId}/proxy/${vector}`);
      const code = response.status === 400 ? JSON.parse(response.body).error.code : '';
      outcomes[name] = `${response.status} ${code}`;
    }
    const expected = Object.fromEntries(
      Object.keys(vectors).map((name) => [name, '400 proxy_path_invalid']),
    );
    expect(outcomes).toEqual(expected);
    expect(attacker.requests).toEqual([]);
    expect(scene.api.counts.requests).toBe(apiBefore);
  });

  it('refuses a spelling of the proxy route that the router decodes (prox%79, %70roxy)', async () => {
    const apiBefore = scene.api.counts.requests;
    const outcomes: Record<string, string> = {};
    for (const prefix of ['prox%79', '%70roxy', 'PROXY']) {
      for (const site of ['same-origin', 'cross-site']) {
        const response = await send(`/api/connectors/${scene.connectorId}/${prefix}/items`, {
          'sec-fetch-site': site,
        });
        outcomes[`${prefix} ${site}`] =
          `${response.status} ${JSON.parse(response.body).error?.code}`;
      }
    }
    // The guard knows the route, whatever its spelling; the route refuses odd spellings.
    expect(outcomes).toEqual({
      'prox%79 same-origin': '400 proxy_path_invalid',
      'prox%79 cross-site': '403 cross_site_request',
      '%70roxy same-origin': '400 proxy_path_invalid',
      '%70roxy cross-site': '403 cross_site_request',
      'PROXY same-origin': '404 not_found',
      'PROXY cross-site': '404 not_found',
    });
    expect(scene.api.counts.requests).toBe(apiBefore);
  });

  it('returns an upstream redirect to another origin instead of following it', async () => {
    scene.api.redirectNextTo(`${attacker.url}/steal`);
    const response = await send(`/api/connectors/${scene.connectorId}/proxy/moved`);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${attacker.url}/steal`);
    expect(attacker.requests).toEqual([]);
  });

  it('never hands the browser a redirect back into Latchkey', async () => {
    // Relative to the API, not to Latchkey: a browser would follow `/api/users/x` to
    // Latchkey itself, repeating the method and body with the session cookie.
    scene.api.redirectNextTo('/api/users/someone');
    const relative = await send(`/api/connectors/${scene.connectorId}/proxy/moved`);
    expect(relative.status).toBe(302);
    expect(relative.headers.location).toBe(`${scene.api.url}/api/users/someone`);

    scene.api.redirectNextTo(`${PUBLIC_BASE_URL}/api/connectors`);
    const ours = await send(`/api/connectors/${scene.connectorId}/proxy/moved`);
    expect(ours.status).toBe(302);
    expect(ours.headers.location).toBeUndefined();
  });
});
