import type { ConnectorView } from '@latchkey/core';
import { createLatchkeyClient, type LatchkeyClient } from '../client';

/**
 * A stand-in for the Latchkey service at the SDK's boundary (`fetch`). It answers routes a
 * test declares, records every request, and can hold an answer back (`deferred`) so a test
 * can act while a request is in flight. Unknown routes answer 404 `not_found`, like the service.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export interface FakeService {
  fetch: typeof fetch;
  client: LatchkeyClient;
  requests: RecordedRequest[];
  on(method: string, url: string, handler: Handler): void;
  /** Requests to `METHOD url`, in order. */
  sent(method: string, url: string): RecordedRequest[];
}

export function createFakeService(): FakeService {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      url: String(input),
      headers: new Headers(init.headers),
      credentials: init.credentials,
      body: readBody(init),
    };
    requests.push(request);
    const handler = routes.get(`${request.method} ${request.url}`);
    return handler ? handler(request) : jsonResponse(404, errorBody('not_found', 'No such route.'));
  }) as typeof globalThis.fetch;
  return {
    fetch,
    client: createLatchkeyClient({ fetch }),
    requests,
    on: (method, url, handler) => routes.set(`${method} ${url}`, handler),
    sent: (method, url) => requests.filter((r) => r.method === method && r.url === url),
  };
}

/** A JSON body parsed (as the service would), any other body as it was sent. */
function readBody(init: RequestInit): unknown {
  const type = new Headers(init.headers).get('content-type') ?? '';
  return typeof init.body === 'string' && type.startsWith('application/json')
    ? JSON.parse(init.body)
    : init.body;
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

export const noContent = () => new Response(null, { status: 204 });

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

export function connectorView(overrides: Partial<ConnectorView> = {}): ConnectorView {
  return {
    id: 'c1',
    name: 'Demo',
    provider: 'custom',
    authMode: 'per-user',
    config: { clientId: 'demo' },
    endpoints: {
      authorizationUrl: 'https://provider.example/authorize',
      tokenUrl: 'https://provider.example/token',
      apiBaseUrl: 'https://api.provider.example',
    },
    secretsSet: ['clientSecret'],
    userAuthStatus: 'not_connected',
    connection: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A promise and the functions that settle it, for answers held back. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
