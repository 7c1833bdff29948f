import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ConfigError } from '../config';
import { failureSummary } from '../logger';
import { formatListenAddress, type ListenAddress } from './listen-address';

export interface MetricsListener {
  /** `http://host:port/metrics`, with the port actually bound. */
  url: string;
  close(): Promise<void>;
}

const METRICS_PATH = '/metrics';

/**
 * `GET /metrics` in the Prometheus text format, on a listener of its own: the operator keeps
 * it off the public address, and a scrape never queues behind API traffic's limits. Anything
 * else answers 404.
 */
export async function startMetricsListener(
  registry: Registry,
  address: ListenAddress,
  logger: Logger,
): Promise<MetricsListener> {
  const server = createServer(
    (request, response) => void answer(registry, logger, request, response),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(bindError(address, error)));
    server.listen({ host: address.host, port: address.port }, resolve);
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : address.port;
  return {
    url: `http://${formatListenAddress({ host: address.host, port })}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Prometheus keeps its connection alive between scrapes.
        server.closeAllConnections();
      }),
  };
}

async function answer(
  registry: Registry,
  logger: Logger,
  request: IncomingMessage,
  response: ServerResponse,
) {
  response.setHeader('cache-control', 'no-store');
  response.setHeader('x-content-type-options', 'nosniff');
  const path = request.url?.split('?')[0];
  if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  try {
    const text = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType });
    response.end(request.method === 'HEAD' ? undefined : text);
  } catch (error) {
    logger.error({ failure: failureSummary(error) }, 'metrics scrape failed');
    response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Failed\n');
  }
}

const BIND_FAILURES: Record<string, string> = {
  EADDRINUSE: 'the port is in use',
  EADDRNOTAVAIL: 'no interface of this machine has that address',
  EACCES: 'permission denied',
  ENOTFOUND: 'no such host',
};

function bindError(address: ListenAddress, error: NodeJS.ErrnoException): ConfigError {
  const reason = BIND_FAILURES[error.code ?? ''] ?? error.code ?? error.message;
  return new ConfigError(
    `LATCHKEY_METRICS_ADDRESS: cannot listen on ${formatListenAddress(address)} (${reason}); choose another address, or off to disable metrics`,
  );
}
