import { createServer, type Server, type ServerResponse } from 'node:http';
import { DEAD_TOKEN_ANSWER_MAX_BYTES, QUIRKS } from '@latchkey/catalog';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTokenRefusal } from './dead-token-answer';

const slack = QUIRKS.slack;
const DEAD = JSON.stringify({ ok: false, error: 'invalid_auth' });
/** A dead-token answer padded past the bound: what an API must not make the proxy buffer. */
const LONG_DEAD = JSON.stringify({
  ok: false,
  error: 'invalid_auth',
  padding: 'x'.repeat(DEAD_TOKEN_ANSWER_MAX_BYTES),
});

/** An API on loopback: `/dead`, `/long`, `/401`, and `/endless`, which never ends its body. */
function answer(path: string | undefined, response: ServerResponse): void {
  if (path === '/endless') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write(LONG_DEAD);
    return; // The body stays open until the client goes away.
  }
  const status = path === '/401' ? 401 : 200;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(path === '/long' ? LONG_DEAD : DEAD);
}

describe('readTokenRefusal', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => answer(req.url, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const text = async (body: AsyncIterable<Buffer>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };

  it('reads a short answer for the quirk module, and passes it on whole', async () => {
    const { answer, refused } = await readTokenRefusal(await request(`${base}/dead`), slack);
    expect(refused).toBe(true);
    expect(await text(answer.body)).toBe(DEAD);
  });

  it('takes a 401 as a refusal without reading, whatever the module', async () => {
    const { answer, refused } = await readTokenRefusal(await request(`${base}/401`), undefined);
    expect(refused).toBe(true);
    expect(await text(answer.body)).toBe(DEAD);
  });

  it('streams a longer answer on untouched, and never takes it for a refusal', async () => {
    const { answer, refused } = await readTokenRefusal(await request(`${base}/long`), slack);
    expect(refused).toBe(false);
    expect(await text(answer.body)).toBe(LONG_DEAD);
  });

  it('stops reading an endless answer at the bound instead of waiting for its end', async () => {
    const { answer, refused } = await readTokenRefusal(await request(`${base}/endless`), slack);
    expect(refused).toBe(false);
    answer.body.destroy();
  });
});
