import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoUpstream, startEchoUpstream } from './support/echo-upstream';
import { type GatedForwarder, startGatedForwarder } from './support/gated-forwarder';
import { connect, createProviderConnector } from './support/oauth-harness';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';
import { listenOnLoopback, rawRequest } from './support/raw-http';

const MAX_CALLS = 2;
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;

/**
 * A scene whose connectors reach the echo API through a gate: calls wait there, in flight,
 * until the test opens it.
 */
function gatedScene(env: Record<string, string>) {
  let scene: ProxyScene;
  let echo: EchoUpstream;
  beforeAll(async () => {
    scene = await startProxyScene({ env });
    echo = await startEchoUpstream();
  });
  afterAll(async () => {
    await scene.stop();
    await echo.stop();
  });
  return {
    scene: () => scene,
    echo: () => echo,
    /** A connector of its own behind a fresh, closed gate, with the user connected. */
    async gatedConnector(): Promise<{ gate: GatedForwarder; id: string }> {
      const gate = await startGatedForwarder(`${echo.url}/echo`);
      const id = await createProviderConnector(scene.service, scene.provider, {
        apiBaseUrl: `${new URL(gate.url).origin}/`,
      });
      await connect(scene.service, scene.user.cookie, id);
      return { gate, id };
    },
    call(id: string, body = 'x') {
      return scene.service.request({
        method: 'POST',
        url: `/api/connectors/${id}/proxy/echo`,
        cookie: scene.user.cookie,
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });
    },
  };
}

function expectBusy(
  response: { statusCode: number; headers: Record<string, unknown> },
  body: string,
) {
  expect(response.statusCode).toBe(503);
  expect(JSON.parse(body).error.code).toBe('proxy_busy');
  expect(response.headers['retry-after']).toBe('1');
}

describe('proxy: a cap on calls in flight per instance', () => {
  const env = gatedScene({ LATCHKEY_PROXY_MAX_CONCURRENT_CALLS: String(MAX_CALLS) });

  it('refuses the call past the cap with 503 proxy_busy and Retry-After, sends it nowhere, and frees the slots after', async () => {
    const { gate, id } = await env.gatedConnector();
    try {
      const held = [env.call(id), env.call(id)];
      await expect.poll(() => gate.received()).toBe(MAX_CALLS);
      const echoed = env.echo().requests.length;

      const refused = await env.call(id);
      expectBusy(refused, refused.body);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(gate.received()).toBe(MAX_CALLS);
      expect(env.echo().requests.length).toBe(echoed);

      gate.release();
      for (const answer of await Promise.all(held)) expect(answer.statusCode).toBe(200);
      // Every slot was given back: the cap's worth of calls at once passes again.
      const again = await Promise.all([env.call(id), env.call(id)]);
      expect(again.map((answer) => answer.statusCode)).toEqual([200, 200]);
    } finally {
      gate.release();
      await gate.stop();
    }
  });

  it('frees the slot of a call that failed', async () => {
    const { gate, id } = await env.gatedConnector();
    await gate.stop();
    // The API is gone: each call fails with 502, more of them than there are slots.
    for (let i = 0; i < MAX_CALLS + 2; i++) {
      expect((await env.call(id)).statusCode).toBe(502);
    }
    const { gate: open, id: working } = await env.gatedConnector();
    open.release();
    try {
      const answers = await Promise.all([env.call(working), env.call(working)]);
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    } finally {
      await open.stop();
    }
  });

  it('counts a call whose caller hung up until the API has answered, then frees it', async () => {
    const { gate, id } = await env.gatedConnector();
    try {
      const port = await listenOnLoopback(env.scene().service);
      const held = env.call(id);
      const abandoned = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/connectors/${id}/proxy/echo`,
        headers: { cookie: env.scene().user.cookie, 'content-type': 'application/octet-stream' },
      });
      abandoned.on('error', () => {});
      abandoned.end('y');
      await expect.poll(() => gate.received()).toBe(MAX_CALLS);
      abandoned.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));

      // Latchkey still waits for the API on the abandoned call's behalf: it still counts.
      const refused = await env.call(id);
      expectBusy(refused, refused.body);

      gate.release();
      expect((await held).statusCode).toBe(200);
      await expect
        .poll(async () =>
          (await Promise.all([env.call(id), env.call(id)])).map((a) => a.statusCode),
        )
        .toEqual([200, 200]);
    } finally {
      gate.release();
      await gate.stop();
    }
  });
});

describe('proxy: a cap on buffered request bytes per instance', () => {
  const env = gatedScene({ LATCHKEY_PROXY_MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES) });
  // Each buffered whole (under 1 MiB); two fit under the cap, a third does not.
  const body = 'a'.repeat(900 * 1024);

  it('refuses a body past the cap with 503 proxy_busy, sends it nowhere, and frees the bytes after', async () => {
    const { gate, id } = await env.gatedConnector();
    try {
      const held = [env.call(id, body), env.call(id, body)];
      await expect.poll(() => gate.received()).toBe(2);
      const echoed = env.echo().requests.length;

      const refused = await env.call(id, body);
      expectBusy(refused, refused.body);
      // A small body still fits beside them.
      const small = env.call(id, 'small');
      await expect.poll(() => gate.received()).toBe(3);
      expect(env.echo().requests.length).toBe(echoed);

      // A chunked body announces no length: counted as it arrives, refused once past the cap.
      const port = await listenOnLoopback(env.scene().service);
      const chunked = await rawRequest(port, {
        method: 'POST',
        path: `/api/connectors/${id}/proxy/echo`,
        headers: { cookie: env.scene().user.cookie, 'content-type': 'application/octet-stream' },
        body: [0, 1, 2].map(() => Buffer.alloc(200 * 1024, 'c')),
      });
      expect(chunked.status).toBe(503);
      expect(JSON.parse(chunked.body).error.code).toBe('proxy_busy');
      expect(chunked.headers['retry-after']).toBe('1');
      expect(gate.received()).toBe(3);

      gate.release();
      for (const answer of await Promise.all([...held, small])) expect(answer.statusCode).toBe(200);
      const again = await Promise.all([env.call(id, body), env.call(id, body)]);
      expect(again.map((answer) => answer.statusCode)).toEqual([200, 200]);
    } finally {
      gate.release();
      await gate.stop();
    }
  });
});
