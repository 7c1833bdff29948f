import type { WebhookHeaders } from './sign-webhook';

/** How a POST to a receiver went: its status (2xx is success), or why none came. */
export type WebhookAttemptResult =
  | { answered: true; status: number; latencyMs: number }
  | { answered: false; error: string; latencyMs: number };

/** The one way a webhook leaves: a fetch that goes through the egress policy. */
export type WebhookFetch = (url: string, init: RequestInit) => Promise<Response>;

const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * POSTs one signed body. A redirect is an answer, not a path to follow (`redirect: 'manual'`):
 * following it would send the event to a host nobody registered.
 */
export async function sendWebhook(
  fetchWebhook: WebhookFetch,
  url: string,
  headers: WebhookHeaders,
  body: string,
  errorCodeOf: (error: unknown) => string,
): Promise<WebhookAttemptResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await fetchWebhook(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    // Only the status matters: the receiver's body is read to free the connection, no more.
    await response.body?.cancel();
    return { answered: true, status: response.status, latencyMs: latency() };
  } catch (error) {
    return { answered: false, error: errorCodeOf(error), latencyMs: latency() };
  }
}

export function isSuccessfulAttempt(result: WebhookAttemptResult): boolean {
  return result.answered && result.status >= 200 && result.status < 300;
}
