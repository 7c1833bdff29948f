import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, LOOPBACK_HOST, listenOnLoopback, readBody } from './loopback-server';

export interface RecordedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted, answered or not: a refused egress must open none. */
  connections(): number;
  stop(): Promise<void>;
}

/**
 * The "attacker" stand-in: a redirect target or exfiltration endpoint that must receive
 * nothing (or nothing sensitive). It records every request and answers 200.
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    requests.push({ method: request.method, url: request.url, headers: request.headers, body });
    response.writeHead(200, { 'content-type': 'text/plain' }).end('recorded');
  });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://${LOOPBACK_HOST}:${port}`,
    requests,
    connections: () => connections,
    stop: () => closeServer(server),
  };
}
