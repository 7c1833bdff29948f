import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, storedTokens } from './support/oauth-harness';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';
import { listenOnLoopback, rawRequest } from './support/raw-http';

/** Over the 1 MiB a proxied body may have to be buffered for a replay. */
const LARGE_BODY_BYTES = 2 * 1024 * 1024 + 7;

/** RFC 6750 §3.1: a 401 `invalid_token` from the API means "refresh, then try once more". */
describe('proxy: the API refuses the token', () => {
  let scene: ProxyScene;
  let port: number;

  beforeAll(async () => {
    scene = await startProxyScene();
    // Over a real socket the body arrives in chunks, over time, as it would in production.
    port = await listenOnLoopback(scene.service);
  });
  afterAll(() => scene.stop());
  beforeEach(() => scene.provider.resetCounts());

  /** Revokes only the current access token at the provider: the API now refuses it. */
  async function revokeCurrentAccessToken() {
    const tokens = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    scene.provider.store.delete('AccessToken', tokens?.accessToken as string);
    expect((await scene.provider.introspect(tokens?.accessToken as string)).active).toBe(false);
  }

  /** A Buffer goes with its Content-Length; chunks go chunked, with no length announced. */
  async function upload(body: Buffer | Buffer[]) {
    const response = await rawRequest(port, {
      method: 'POST',
      path: `/api/connectors/${scene.connectorId}/proxy/echo`,
      headers: {
        cookie: scene.user.cookie,
        'content-type': 'application/octet-stream',
        ...(Array.isArray(body) ? {} : { 'content-length': String(body.length) }),
      },
      body,
    });
    return { statusCode: response.status, json: () => JSON.parse(response.body) };
  }

  it('refreshes once (forced) and retries once when the API refuses the token', async () => {
    await revokeCurrentAccessToken();
    const requestsBefore = scene.api.counts.requests;
    const response = await scene.proxied('echo', {
      method: 'POST',
      body: { replayable: true },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().body).toBe('{"replayable":true}');
    expect(scene.refreshes()).toBe(1);
    expect(scene.api.counts.requests - requestsBefore).toBe(2);
  });

  it('answers 401 after one refresh and one retry when the API refuses twice', async () => {
    const requestsBefore = scene.api.counts.requests;
    scene.api.failNextWith401(2);
    const response = await scene.proxied('refused-twice');
    expect(response.statusCode).toBe(401);
    expect(scene.refreshes()).toBe(1);
    expect(scene.api.counts.requests - requestsBefore).toBe(2);
    // A refused token is not a refused grant: the connection stays usable.
    expect((await scene.proxied('afterwards')).statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);
  });

  it('does not refresh a reconnected connection for a 401 to the token of the one before', async () => {
    const { service, connectorId, user } = scene;
    async function reconnect() {
      const disconnected = await service.request({
        method: 'POST',
        url: `/api/connectors/${connectorId}/_oauth_disconnect`,
        cookie: user.cookie,
        body: {},
      });
      expect(disconnected.statusCode).toBe(204);
      const connected = await connect(service, user.cookie, connectorId);
      expect(connected.response.statusCode).toBeLessThan(400);
      return service.deps.store.connections.find(connectorId, user.userId);
    }
    await reconnect();
    const refused = await service.deps.accessTokens.get(connectorId, user.userId);
    const reconnected = await reconnect();
    // A new row, whose version starts again where the refused token's did.
    expect(reconnected?.id).not.toBe(refused.connectionId);
    expect(reconnected?.version).toBe(refused.connectionVersion);
    scene.provider.resetCounts();

    const token = await service.deps.accessTokens.get(connectorId, user.userId, refused);

    expect(scene.refreshes()).toBe(0);
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(token.accessToken).toBe(stored?.accessToken);
    expect(token.accessToken).not.toBe(refused.accessToken);
  });

  it('replays a chunked body within 1 MiB after a 401, whole', async () => {
    await revokeCurrentAccessToken();
    const chunks = Array.from({ length: 12 }, (_, i) => Buffer.alloc(64 * 1024, 97 + i));
    const requestsBefore = scene.api.counts.requests;
    const response = await upload(chunks);
    expect(response.statusCode).toBe(200);
    expect(response.json().body).toBe(Buffer.concat(chunks).toString());
    expect(scene.refreshes()).toBe(1);
    expect(scene.api.counts.requests - requestsBefore).toBe(2);
  });

  it('does not replay a streamed body after a 401, and the retry by the caller works', async () => {
    await revokeCurrentAccessToken();
    const body = Buffer.alloc(LARGE_BODY_BYTES, 'y');
    const requestsBefore = scene.api.counts.requests;
    const refused = await upload(body);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('upstream_unauthorized_not_replayed');
    expect(scene.api.counts.requests - requestsBefore).toBe(1);

    // "Retry", says the error: the token the API refused must not be sent again.
    const retried = await upload(body);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().body).toHaveLength(LARGE_BODY_BYTES);
    expect(scene.refreshes()).toBe(1);
    expect(scene.api.counts.requests - requestsBefore).toBe(2);
  });
});
