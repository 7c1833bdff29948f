import { LatchkeyApiError } from '../errors/latchkey-api-error';

/** How every request of one client is sent: where, with which credential, through which fetch. */
export interface RequestContext {
  /** Origin (and optional path prefix) of the service, no trailing slash; '' = same origin. */
  baseUrl: string;
  fetch: typeof fetch;
  apiKey: string | undefined;
  actingUserId: string | undefined;
  /** `X-Latchkey-End-User`: the app's own id for an end user (keys with `end_users`). */
  actingEndUserId: string | undefined;
  /** A connect session's token, for the hosted connect page and embedded Connect buttons. */
  connectSessionToken: string | undefined;
}

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const BODY_METHODS = new Set<string>(['POST', 'PUT', 'PATCH']);

/**
 * Headers and credentials mode for one request. An API key is an explicit credential, so
 * ambient cookies are left out (`omit`): one request, one identity. A connect session sends
 * them (`include`; the service allows it only for its apps' origins): a browser drops the
 * Set-Cookie of an `omit` answer, and the flow's browser-binding cookie set at start must
 * come back with the callback. The service ignores a Latchkey login next to a session token.
 */
export function authenticate(context: RequestContext, headers: Headers): RequestCredentials {
  if (context.connectSessionToken) {
    headers.set('authorization', `ConnectSession ${context.connectSessionToken}`);
    return 'include';
  }
  if (context.apiKey) headers.set('authorization', `ApiKey ${context.apiKey}`);
  if (context.actingUserId) headers.set('x-latchkey-user', context.actingUserId);
  if (context.actingEndUserId) headers.set('x-latchkey-end-user', context.actingEndUserId);
  return context.apiKey ? 'omit' : 'same-origin';
}

/** `fetch`, with a failure to get any answer turned into `network_error`. */
export async function fetchOrFail(
  context: RequestContext,
  path: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await context.fetch(`${context.baseUrl}${path}`, init);
  } catch (error) {
    // The caller's own abort stays an abort: it is not a failure of the service.
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw LatchkeyApiError.fromSdkCode('network_error', { cause: error });
  }
}

/**
 * Sends one API request and returns its parsed JSON body (undefined for 204). Every POST,
 * PUT and PATCH carries a JSON body, `{}` when there is nothing to say: the server refuses
 * state changes that are not `application/json`.
 */
export async function sendRequest<T>(
  context: RequestContext,
  method: HttpMethod,
  path: string,
  body?: unknown,
): Promise<T> {
  const headers = new Headers({ accept: 'application/json' });
  const credentials = authenticate(context, headers);
  const init: RequestInit = { method, headers, credentials };
  if (BODY_METHODS.has(method)) {
    headers.set('content-type', 'application/json');
    init.body = JSON.stringify(body ?? {});
  }
  const response = await fetchOrFail(context, path, init);
  if (!response.ok) throw await readErrorResponse(response);
  if (response.status === 204) return undefined as T;
  return (await readJson(response)) as T;
}

/** `{"error":{"code","message","details?"}}` as a `LatchkeyApiError`; anything else is `unexpected_response`. */
async function readErrorResponse(response: Response): Promise<LatchkeyApiError> {
  const body = await readJson(response).catch(() => undefined);
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    const details = isRecord(error.details) ? error.details : undefined;
    return new LatchkeyApiError(error.code, error.message, response.status, details);
  }
  return LatchkeyApiError.fromSdkCode('unexpected_response', { status: response.status });
}

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw LatchkeyApiError.fromSdkCode('unexpected_response', { status: response.status });
  }
  try {
    return await response.json();
  } catch (cause) {
    throw LatchkeyApiError.fromSdkCode('unexpected_response', { status: response.status, cause });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
