import { createLatchkeyClient } from '@latchkey/sdk';

type SessionEndedListener = () => void;

const sessionEndedListeners = new Set<SessionEndedListener>();

/**
 * Calls `listener` at every `401 unauthenticated` answer (docs/errors.md): the session
 * expired, was logged out in another tab, or its user was deleted. A wrong password at login
 * is `invalid_credentials` and does not count. Returns the unsubscribe function.
 */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => {
    sessionEndedListeners.delete(listener);
  };
}

/** `fetch` that reports a dead session; the response goes on to the SDK untouched. */
async function fetchReportingSessionEnd(
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<Response> {
  const response = await globalThis.fetch(input, init);
  if (response.status === 401 && (await readErrorCode(response)) === 'unauthenticated') {
    for (const listener of sessionEndedListeners) listener();
  }
  return response;
}

/** `error.code` of a `{"error":{…}}` body, read from a clone so the SDK still reads the body. */
async function readErrorCode(response: Response): Promise<unknown> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } } | null;
    return body?.error?.code;
  } catch {
    return undefined;
  }
}

/** The same-origin client the whole UI shares (session cookie, JSON bodies). */
export const client = createLatchkeyClient({ fetch: fetchReportingSessionEnd });
