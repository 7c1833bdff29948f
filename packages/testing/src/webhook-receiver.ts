import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, LOOPBACK_HOST, listenOnLoopback, readBody } from './loopback-server';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The answer it got: what the receiver was set to answer at that moment. */
  answeredWith: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** What the next requests get: `200` while up, `503` while "down", a 3xx to redirect. */
  answerWith(status: number, location?: string): void;
  connections(): number;
  stop(): Promise<void>;
}

/** A loopback webhook endpoint that records each request and answers as the test says. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  let location: string | undefined;
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    received.push({ headers: request.headers, body, answeredWith: status });
    response.writeHead(status, location ? { location } : {}).end();
  });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://${LOOPBACK_HOST}:${port}/hooks`,
    received,
    answerWith(next, nextLocation) {
      status = next;
      location = nextLocation;
    },
    connections: () => connections,
    stop: () => closeServer(server),
  };
}
