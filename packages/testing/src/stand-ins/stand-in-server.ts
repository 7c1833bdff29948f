import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, LOOPBACK_HOST, listenOnLoopback, readBody } from '../loopback-server';

/** One request as a stand-in received it, for tests to assert exactly what was sent. */
export interface StandInRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StandInAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type StandInRoutes = (request: StandInRequest) => StandInAnswer;

export interface StandInServer {
  baseUrl: string;
  /** Every request received, in order. */
  requests: StandInRequest[];
  close(): Promise<void>;
}

/**
 * A provider stand-in on 127.0.0.1 (port 0): records every request, then answers it from
 * `routes`, which replay the provider's documented answers.
 */
export async function startStandInServer(routes: StandInRoutes): Promise<StandInServer> {
  const requests: StandInRequest[] = [];
  const server = createServer(async (incoming, response) => {
    const url = new URL(incoming.url ?? '/', 'http://stand-in.invalid');
    const request: StandInRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: incoming.headers,
      body: await readBody(incoming),
    };
    requests.push(request);
    const answer = answerOrFailure(routes, request);
    response.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
  });
  const port = await listenOnLoopback(server);
  return { baseUrl: `http://${LOOPBACK_HOST}:${port}`, requests, close: () => closeServer(server) };
}

/** A route that throws is a bug in the stand-in: answered 500 so the test sees it. */
function answerOrFailure(routes: StandInRoutes, request: StandInRequest): StandInAnswer {
  try {
    return routes(request);
  } catch (error) {
    return { status: 500, body: error instanceof Error ? error.message : String(error) };
  }
}

export function jsonAnswer(status: number, body: unknown): StandInAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

export function formAnswer(status: number, fields: Record<string, string | number>): StandInAnswer {
  const entries = Object.entries(fields).map(([name, value]) => [name, String(value)]);
  return {
    status,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(entries).toString(),
  };
}

/** RFC 6749 §4.1.2: back to the client's redirect URI with these parameters. */
export function redirectAnswer(
  redirectUri: string,
  parameters: Record<string, string | undefined>,
) {
  const location = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) location.searchParams.set(name, value);
  }
  return { status: 302, headers: { location: location.href } };
}

/** The request's fields, from a form-encoded or a JSON body. */
export function fieldsOf(request: StandInRequest): Record<string, string> {
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim();
  if (mediaType !== 'application/json')
    return Object.fromEntries(new URLSearchParams(request.body));
  const parsed: unknown = JSON.parse(request.body || '{}');
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/** RFC 7617 Basic credentials, as sent (no decoding beyond Base64). */
export function basicCredentialsOf(request: StandInRequest) {
  const match = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** A token request's client credentials: HTTP Basic (RFC 6749 §2.3.1 encoding) or the body. */
export function clientCredentialsOf(request: StandInRequest, fields: Record<string, string>) {
  const basic = basicCredentialsOf(request);
  if (!basic) return { id: fields.client_id, secret: fields.client_secret };
  const decode = (value: string) => decodeURIComponent(value.replaceAll('+', ' '));
  return { id: decode(basic.id), secret: decode(basic.secret) };
}

/** The token of an `Authorization: <scheme> <token>` header, for the schemes given. */
export function tokenOf(request: StandInRequest, schemes: readonly string[]) {
  const [scheme, token, extra] = (request.headers.authorization ?? '').split(' ');
  const known = schemes.some((name) => name.toLowerCase() === scheme?.toLowerCase());
  return known && token && extra === undefined ? token : undefined;
}

export function randomTokenValue(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('hex')}`;
}
