import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatedForwarder {
  url: string;
  /** Resolves when the first request has arrived (and is being held). */
  arrived: Promise<void>;
  /** Lets the held request (and every later one) through to the target. */
  release(): void;
  stop(): Promise<void>;
}

/**
 * A loopback forwarder in front of one provider endpoint that holds requests until the test
 * releases them, so a test can act while Latchkey waits for the provider (a race, made
 * deterministic).
 */
export async function startGatedForwarder(target: string): Promise<GatedForwarder> {
  let arrive = () => {};
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    arrive();
    await released;
    const upstream = await fetch(target, {
      method: request.method ?? 'POST',
      headers: forwardedHeaders(request),
      body,
    });
    response.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    response.end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    arrived,
    release,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forwardedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'authorization', 'accept']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
