import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';
import { listenOnLoopback, rawRequest } from './support/raw-http';

const MiB = 1024 * 1024;
/** Over the 1 MiB that is buffered for a replay, under the limit configured below. */
const STREAMED_BYTES = 2 * MiB + 7;
const LIMIT_BYTES = 3 * MiB;

/** Bodies over 1 MiB are streamed through, once, within a configurable limit. */
describe('proxy: request bodies', () => {
  let scene: ProxyScene;
  let port: number;
  let userB: { cookie: string };
  let agent: Agent;

  beforeAll(async () => {
    scene = await startProxyScene({
      env: { LATCHKEY_PROXY_BODY_LIMIT_BYTES: String(LIMIT_BYTES) },
    });
    userB = await scene.service.sessionFor('viewer');
    // Over a real socket a body arrives in chunks, over time, as it would in production.
    port = await listenOnLoopback(scene.service);
  });
  afterAll(() => scene.stop());

  /** Two requests over one keep-alive connection: the second shows the first left it usable. */
  async function thenSameConnection(first: () => Promise<{ status: number; body: string }>) {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await first();
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        rawRequest(port, {
          path: `/api/connectors/${scene.connectorId}/proxy/next`,
          headers: { cookie: scene.user.cookie },
          agent,
        }),
        new Promise<never>((_, reject) => {
          // Generous: a loaded CI machine is slow, a wedged connection never answers.
          timer = setTimeout(() => reject(new Error('the connection is wedged')), 10_000);
        }),
      ]).finally(() => clearTimeout(timer));
      expect(next.status).toBe(200);
      return answer;
    } finally {
      agent.destroy();
    }
  }
  const upload = (cookie: string, body: Buffer | Buffer[]) =>
    rawRequest(port, {
      method: 'POST',
      path: `/api/connectors/${scene.connectorId}/proxy/echo`,
      headers: {
        cookie,
        'content-type': 'application/octet-stream',
        ...(Array.isArray(body) ? {} : { 'content-length': String(body.length) }),
      },
      body,
      agent,
    });
  const code = (response: { body: string }) => JSON.parse(response.body).error?.code;

  it('streams a body over 1 MiB to the API intact, with its length', async () => {
    const response = await thenSameConnection(() =>
      upload(scene.user.cookie, Buffer.alloc(STREAMED_BYTES, 'x')),
    );
    expect(response.status).toBe(200);
    const received = JSON.parse(response.body);
    expect(received.body).toHaveLength(STREAMED_BYTES);
    expect(received.headers['content-length']).toBe(String(STREAMED_BYTES));
  });

  it('streams a chunked body (no Content-Length) over 1 MiB intact', async () => {
    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(64 * 1024, 'c'));
    const response = await thenSameConnection(() => upload(scene.user.cookie, chunks));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).body).toHaveLength(40 * 64 * 1024);
  });

  it('refuses a large body before forwarding and leaves the connection usable', async () => {
    const apiBefore = scene.api.counts.requests;
    const refused = await thenSameConnection(() =>
      upload(userB.cookie, Buffer.alloc(STREAMED_BYTES, 'b')),
    );
    expect([refused.status, code(refused)]).toEqual([409, 'not_connected']);
    expect(scene.api.counts.requests).toBe(apiBefore + 1); // only the follow-up call
  });

  it('answers 413 to a body announced over the limit; nothing reaches the API', async () => {
    const apiBefore = scene.api.counts.requests;
    const announced = await thenSameConnection(() =>
      upload(scene.user.cookie, Buffer.alloc(LIMIT_BYTES + 1, 'o')),
    );
    expect([announced.status, code(announced)]).toEqual([413, 'proxy_body_too_large']);
    expect(scene.api.counts.requests).toBe(apiBefore + 1); // only the follow-up call
  });

  it('streams a chunked body past 1 MiB on intact, what was buffered first', async () => {
    const chunks = Array.from({ length: 24 }, (_, i) => Buffer.alloc(64 * 1024, 97 + i));
    const response = await thenSameConnection(() => upload(scene.user.cookie, chunks));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).body).toBe(Buffer.concat(chunks).toString());
  });

  it('cuts a chunked body off at the limit with 413 (the API sees an aborted request)', async () => {
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(64 * 1024, 'o'));
    const chunked = await thenSameConnection(() => upload(scene.user.cookie, chunks));
    expect([chunked.status, code(chunked)]).toEqual([413, 'proxy_body_too_large']);
  });
});

/** A limit under 1 MiB: a chunked body is buffered while it is read, so it never starts. */
describe('proxy: a chunked body over a small limit', () => {
  const SMALL_LIMIT_BYTES = 256 * 1024;
  let scene: ProxyScene;
  let port: number;

  beforeAll(async () => {
    scene = await startProxyScene({
      env: { LATCHKEY_PROXY_BODY_LIMIT_BYTES: String(SMALL_LIMIT_BYTES) },
    });
    port = await listenOnLoopback(scene.service);
  });
  afterAll(() => scene.stop());

  it('is refused with 413 before anything reaches the API', async () => {
    const apiBefore = scene.api.counts.requests;
    const response = await rawRequest(port, {
      method: 'POST',
      path: `/api/connectors/${scene.connectorId}/proxy/echo`,
      headers: { cookie: scene.user.cookie, 'content-type': 'application/octet-stream' },
      body: Array.from({ length: 5 }, () => Buffer.alloc(64 * 1024, 's')),
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.code).toBe('proxy_body_too_large');
    expect(scene.api.counts.requests).toBe(apiBefore);
    const within = await rawRequest(port, {
      method: 'POST',
      path: `/api/connectors/${scene.connectorId}/proxy/echo`,
      headers: { cookie: scene.user.cookie, 'content-type': 'application/octet-stream' },
      body: Array.from({ length: 3 }, () => Buffer.alloc(64 * 1024, 'w')),
    });
    expect(within.status).toBe(200);
    expect(JSON.parse(within.body).body).toHaveLength(3 * 64 * 1024);
  });
});
