/** Deliveries are retried this long after their event, then given up. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000;

/**
 * When to try again after `attempts` failed attempts: the base, doubled after each further
 * failure (base, 2×base, 4×base…), the last one at the end of the retry window; null once
 * the window is over.
 */
export function nextWebhookAttemptAt(
  eventCreatedAt: number,
  attempts: number,
  now: number,
  baseMs: number,
): number | null {
  const end = eventCreatedAt + WEBHOOK_RETRY_WINDOW_MS;
  if (now >= end) return null;
  return Math.min(now + baseMs * 2 ** Math.max(0, attempts - 1), end);
}
