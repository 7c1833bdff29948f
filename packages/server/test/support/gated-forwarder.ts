import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatedForwarder {
  url: string;
  /** Resolves when the first held request has arrived (or, holding answers, been answered). */
  arrived: Promise<void>;
  /** Lets what is held (and everything later) through. */
  release(): void;
  /** The target's answers to the held requests, as sent on, in the order they came. */
  heldAnswers: string[];
  /** How many requests have reached the forwarder, held or not. */
  received(): number;
  stop(): Promise<void>;
}

export interface GateOptions {
  /** Which requests the gate holds, by their form body; the others pass. All by default. */
  holds?: (form: URLSearchParams) => boolean;
  /**
   * `request` (the default) holds a request before the target sees it. `response` sends it
   * at once and holds the target's answer: the provider has acted (issued tokens, rotated a
   * refresh token) while Latchkey still waits for it.
   */
  hold?: 'request' | 'response';
}

/**
 * A loopback forwarder in front of one provider endpoint that holds requests (or their
 * answers) until the test releases them, so a test can act while Latchkey waits for the
 * provider (a race, made deterministic).
 */
export async function startGatedForwarder(
  target: string,
  options: GateOptions = {},
): Promise<GatedForwarder> {
  const holds = options.holds ?? (() => true);
  const holdAnswer = options.hold === 'response';
  let arrive = () => {};
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const heldAnswers: string[] = [];
  let received = 0;
  const server = createServer(async (request, response) => {
    received += 1;
    const body = await readBody(request);
    const held = holds(new URLSearchParams(body));
    if (held && !holdAnswer) {
      arrive();
      await released;
    }
    const upstream = await fetch(target, {
      method: request.method ?? 'POST',
      headers: forwardedHeaders(request),
      body,
    });
    const answer = await upstream.text();
    if (held) {
      heldAnswers.push(answer);
      if (holdAnswer) {
        arrive();
        await released;
      }
    }
    response.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    response.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    arrived,
    release,
    heldAnswers,
    received: () => received,
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
