import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestService } from './test-service';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Listens on a real loopback port. `inject` parses its URL with WHATWG URL, which removes
 * `..`, turns `\` into `/` and decodes `%2e`: path tests need the bytes a client really sends.
 */
export async function listenOnLoopback(service: TestService): Promise<number> {
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  return (service.app.server.address() as AddressInfo).port;
}

/** One request with its path sent byte for byte as given (node:http does not normalise it). */
export function rawRequest(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    /** Sent as one chunk, or as chunks without a Content-Length (chunked encoding). */
    body?: Buffer | Buffer[];
    /** A keep-alive agent, to send several requests over one connection. */
    agent?: Agent;
    /** The loopback address to connect from (any of 127.0.0.0/8), to be another client. */
    localAddress?: string;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: options.agent ?? false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    if (Array.isArray(options.body)) {
      for (const chunk of options.body) request.write(chunk);
      request.end();
    } else {
      request.end(options.body);
    }
  });
}
