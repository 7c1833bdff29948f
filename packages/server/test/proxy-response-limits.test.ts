import { createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedConnectorBody } from './support/connector-bodies';
import { sampleValue, scrape } from './support/metrics-scrape';
import { rawRequest } from './support/raw-http';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

const LIMIT_BYTES = 64 * 1024;

interface SizedApi {
  url: string;
  server: Server;
  /** Answers the API could not finish because the reader left. */
  abandoned: number;
  /** `/stalled/` answers begun (their headers and first bytes sent). */
  stalled: number;
}

/**
 * An API answering `/sized/<n>` with n bytes and a Content-Length, `/chunked/<n>` with
 * n bytes in 4 KiB chunks, slowly, and none, and `/stalled/<n>/<m>` with its status and
 * headers (a Content-Length of n) and m bytes of the body, then nothing: it finishes only
 * if its reader leaves.
 */
async function startSizedApi(): Promise<SizedApi> {
  const api = { url: '', server: undefined as unknown as Server, abandoned: 0, stalled: 0 };
  const server = createServer((request, response) => {
    // An answer whose reader went away before the end: Latchkey let go of the request.
    response.on('close', () => {
      if (!response.writableFinished) api.abandoned += 1;
    });
    const [, shape, size, sent] = (request.url ?? '').split('/');
    const bytes = Buffer.alloc(Number(size), 'r');
    if (shape === 'sized') {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': bytes.length });
      response.end(bytes);
      return;
    }
    if (shape === 'stalled') {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': bytes.length });
      response.flushHeaders();
      response.write(bytes.subarray(0, Number(sent ?? 0)));
      api.stalled += 1;
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' });
    writeSlowly(response, bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.server = server;
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

/** 4 KiB every 20 ms: an answer that comes in pieces, as a large one from an API does. */
function writeSlowly(response: ServerResponse, bytes: Buffer, at = 0) {
  if (response.destroyed) return;
  if (at >= bytes.length) {
    response.end();
    return;
  }
  response.write(bytes.subarray(at, at + SLOW_CHUNK_BYTES));
  setTimeout(() => writeSlowly(response, bytes, at + SLOW_CHUNK_BYTES), 20);
}

const SLOW_CHUNK_BYTES = 4 * 1024;

/** The answer as the caller's socket sees it: complete, or cut off (by the caller too). */
function fetchRaw(port: number, path: string, cookie: string, hangUpAfterBytes = Infinity) {
  return new Promise<{
    status: number;
    headers: Record<string, unknown>;
    bytes: number;
    complete: boolean;
  }>((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, headers: { cookie }, agent: false },
      (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= hangUpAfterBytes) request.destroy();
        });
        const done = (complete: boolean) => () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes, complete });
        response.on('end', done(true));
        response.on('aborted', done(false));
        response.on('error', done(false));
        response.on('close', done(response.complete));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('proxy: the response size limit', () => {
  let service: TestService;
  let api: SizedApi;
  let port: number;
  let viewer: { cookie: string };
  let connectorId: string;

  beforeAll(async () => {
    api = await startSizedApi();
    service = await startTestService({
      LATCHKEY_PROXY_RESPONSE_LIMIT_BYTES: String(LIMIT_BYTES),
      LATCHKEY_JOBS_ENABLED: 'false',
      LATCHKEY_METRICS_ADDRESS: '127.0.0.1:0',
    });
    const admin = await service.login('admin', ADMIN_PASSWORD);
    const created = await service.request({
      method: 'POST',
      url: '/api/connectors',
      cookie: admin,
      body: sharedConnectorBody({
        config: { credentialType: 'bearer_token', apiBaseUrl: `${api.url}/` },
      }),
    });
    connectorId = created.json().id;
    viewer = await service.sessionFor('viewer');
    // With its metrics listener: the hang-up test waits for a call to be counted.
    port = Number(new URL(await service.listen('127.0.0.1', 0)).port);
  });
  afterAll(async () => {
    await service.stop();
    api.server.close();
    api.server.closeAllConnections();
  });

  const path = (shape: string, bytes: number) =>
    `/api/connectors/${connectorId}/proxy/${shape}/${bytes}`;
  /** Proxied calls of the connector whose answer began with this status from the API. */
  const callsAnswered = async (status: number) =>
    sampleValue(await scrape(service.metricsUrl()), 'latchkey_proxy_calls_total', {
      connector: connectorId,
      upstream_status: String(status),
    }) ?? 0;

  it('passes an answer within the limit through whole, with its Content-Length', async () => {
    const answer = await fetchRaw(port, path('sized', LIMIT_BYTES), viewer.cookie);
    expect([answer.status, answer.complete, answer.bytes]).toEqual([200, true, LIMIT_BYTES]);
    expect(answer.headers['content-length']).toBe(String(LIMIT_BYTES));
    const chunked = await fetchRaw(port, path('chunked', LIMIT_BYTES), viewer.cookie);
    expect([chunked.status, chunked.complete, chunked.bytes]).toEqual([200, true, LIMIT_BYTES]);
  });

  it('refuses an answer announced over the limit before sending any of it', async () => {
    const answer = await rawRequest(port, {
      path: path('sized', LIMIT_BYTES + 1),
      headers: { cookie: viewer.cookie },
    });
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body).error.code).toBe('upstream_response_too_large');
    expect(answer.body).not.toContain('rrrr');
  });

  it('lets HEAD through whatever length it announces: it has no body', async () => {
    const answer = await rawRequest(port, {
      method: 'HEAD',
      path: path('sized', 4 * LIMIT_BYTES),
      headers: { cookie: viewer.cookie },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe(String(4 * LIMIT_BYTES));
    expect(answer.body).toBe('');
  });

  it('cuts off an unannounced answer past the limit: the caller never gets it complete', async () => {
    const answer = await fetchRaw(port, path('chunked', 4 * LIMIT_BYTES), viewer.cookie);
    expect(answer.complete).toBe(false);
    expect(answer.bytes).toBeLessThanOrEqual(LIMIT_BYTES);
    // And the upstream request ends too: its pooled connection is not left waiting.
    await vi.waitFor(() => expect(api.abandoned).toBe(1), { timeout: 3000 });
    // Our answer broke, not the caller: that is worth a warning.
    expect(linesWith(service.logs(), 'the answer broke off after its headers were sent')).toEqual([
      expect.objectContaining({ level: 40, failure: expect.any(Object) }),
    ]);
  });

  /**
   * The one `info` line, without an error, and no warning. Fastify's own log controller
   * wrote a `warn` with the error's stack ("response terminated with an error with headers
   * already sent") for a caller that left before the body's first byte (the API's body,
   * destroyed for it, fails with an abort error), and "stream closed prematurely" mid-body.
   */
  async function expectHangUpAtInfo(newLines: () => string) {
    const hungUp = () => linesWith(newLines(), 'the caller hung up before the answer was complete');
    await vi.waitFor(() => expect(hungUp()).toHaveLength(1));
    expect(hungUp()[0]).toMatchObject({ level: 30 });
    expect(hungUp()[0]).not.toHaveProperty('err');
    expect(newLines()).not.toContain('headers already sent');
    expect(newLines()).not.toContain('"level":40,');
  }

  it('logs a caller who hangs up before the first byte at info, and lets the API go', async () => {
    const [abandonedBefore, stalledBefore] = [api.abandoned, api.stalled];
    const answeredBefore = await callsAnswered(200);
    const logsBefore = service.logs().length;
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      path: `${path('stalled', LIMIT_BYTES)}/0`,
      headers: { cookie: viewer.cookie },
      agent: false,
    });
    request.on('error', () => {});
    request.end();
    await vi.waitFor(() => expect(api.stalled).toBe(stalledBefore + 1));
    // Counted as the answer starts: Latchkey has the API's headers, and waits for its body.
    await expect.poll(() => callsAnswered(200), { timeout: 3000 }).toBe(answeredBefore + 1);
    request.destroy();
    await vi.waitFor(() => expect(api.abandoned).toBe(abandonedBefore + 1), { timeout: 3000 });
    await expectHangUpAtInfo(() => service.logs().slice(logsBefore));
  });

  it('logs a caller who hangs up mid-answer the same way, and lets the API go', async () => {
    const [abandonedBefore, stalledBefore] = [api.abandoned, api.stalled];
    const logsBefore = service.logs().length;
    // The API sends 16 KiB of 64 and waits: only Latchkey letting go can end its answer.
    const stalled = `${path('stalled', LIMIT_BYTES)}/${16 * 1024}`;
    const answer = await fetchRaw(port, stalled, viewer.cookie, 16 * 1024);
    expect(answer).toMatchObject({ complete: false, bytes: 16 * 1024 });
    expect(api.stalled).toBe(stalledBefore + 1);
    await vi.waitFor(() => expect(api.abandoned).toBe(abandonedBefore + 1), { timeout: 3000 });
    await expectHangUpAtInfo(() => service.logs().slice(logsBefore));
  });
});

/** The lines with this message, parsed. */
function linesWith(logs: string, message: string): Record<string, unknown>[] {
  return logs
    .split('\n')
    .filter((line) => line.includes(message))
    .map((line) => JSON.parse(line));
}
