import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';

/** RFC 6750 §3.1 `insufficient_scope` from the API, reported to the proxy's caller. */
describe('proxied 403 insufficient_scope (real oidc-provider and resource API)', () => {
  let scene: ProxyScene;

  beforeAll(async () => {
    scene = await startProxyScene();
  });
  afterAll(() => scene.stop());

  it('passes the API answer on and names the scope it asked for', async () => {
    const answer = await scene.proxied('scoped/admin/projects');
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toEqual({ error: 'insufficient_scope' });
    expect(answer.headers['x-latchkey-insufficient-scope']).toBe('admin');
    expect(answer.headers['www-authenticate']).toContain('insufficient_scope');
  });

  it("passes on none of the API's own X-Latchkey-* headers: only Latchkey names the scope", async () => {
    const forged = {
      'x-latchkey-insufficient-scope': 'forged',
      'x-latchkey-user': 'someone-else',
      'x-latchkey-end-user': 'someone-else',
    };
    scene.api.addToNextAnswer(forged);
    const refused = await scene.proxied('scoped/admin/projects');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['x-latchkey-insufficient-scope']).toBe('admin');
    scene.api.addToNextAnswer(forged);
    const granted = await scene.proxied('scoped/read/projects');
    expect(granted.statusCode).toBe(200);
    for (const name of Object.keys(forged)) {
      expect(granted.headers[name], name).toBeUndefined();
      if (name !== 'x-latchkey-insufficient-scope') {
        expect(refused.headers[name], name).toBeUndefined();
      }
    }
  });

  it('says nothing for a scope the grant has, nor for a 401', async () => {
    const granted = await scene.proxied('scoped/read/projects');
    expect(granted.statusCode).toBe(200);
    expect(granted.headers['x-latchkey-insufficient-scope']).toBeUndefined();
    scene.api.failNextWith401(2);
    const refused = await scene.proxied('projects');
    expect(refused.headers['x-latchkey-insufficient-scope']).toBeUndefined();
  });
});
