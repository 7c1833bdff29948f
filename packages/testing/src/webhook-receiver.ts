import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, LOOPBACK_HOST, listenOnLoopback, readBody } from './loopback-server';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The answer it got: what the receiver was set to answer then; 0 when it was held. */
  answeredWith: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** What the next requests get: `200` while up, `503` while "down", a 3xx to redirect. */
  answerWith(status: number, location?: string): void;
  /** Keeps the next requests unanswered (a receiver that hangs) until `answerWith`. */
  hold(): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  connections(): number;
  stop(): Promise<void>;
}

/** A loopback webhook endpoint that records each request and answers as the test says. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  let location: string | undefined;
  let holding = false;
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    received.push({ headers: request.headers, body, answeredWith: holding ? 0 : status });
    for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
    if (holding) return;
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
      holding = false;
      status = next;
      location = nextLocation;
    },
    hold() {
      holding = true;
    },
    waitForRequests(count) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    connections: () => connections,
    stop: () => closeServer(server),
  };
}
