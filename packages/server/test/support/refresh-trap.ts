import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RefreshTrap {
  url: string;
  /**
   * The next refresh with this refresh token reaches the provider, which rotates it, but its
   * answer never goes back: the caller is left waiting, as it would be dying. Resolves once
   * the provider has answered.
   */
  trapRefresh(refreshToken: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A loopback forwarder in front of a provider's token endpoint, for killing an instance in
 * the middle of a refresh: after the provider acted (a rotated refresh token) and before
 * the instance could store the result.
 */
export async function startRefreshTrap(target: string): Promise<RefreshTrap> {
  let trap: { refreshToken: string; caught: () => void } | undefined;
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const upstream = await forward(target, request, body);
    const answer = await upstream.text();
    if (trap && new URLSearchParams(body).get('refresh_token') === trap.refreshToken) {
      const { caught } = trap;
      trap = undefined;
      // Kept open and never answered; `stop` closes it.
      caught();
      return;
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
    trapRefresh: (refreshToken) =>
      new Promise((resolve) => {
        trap = { refreshToken, caught: resolve };
      }),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(target: string, request: IncomingMessage, body: string): Promise<Response> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'authorization', 'accept']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return fetch(target, { method: 'POST', headers, body });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
