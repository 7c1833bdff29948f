/**
 * The scope an API asked for when it refused a token for lacking one: a `Bearer` challenge
 * with `error="insufficient_scope"` and, optionally, `scope="…"` (RFC 6750 §3, §3.1).
 * Undefined for any other answer; an empty string when the challenge names no scope.
 */
export function insufficientScopeOf(
  statusCode: number,
  challenge: string | string[] | undefined,
): string | undefined {
  if (statusCode !== 403 || challenge === undefined) return undefined;
  const text = Array.isArray(challenge) ? challenge.join(', ') : challenge;
  if (!/\bbearer\b/i.test(text)) return undefined;
  if (!/\berror\s*=\s*"?insufficient_scope"?/i.test(text)) return undefined;
  return /\bscope\s*=\s*"([^"]*)"/i.exec(text)?.[1] ?? '';
}

/** The response header that reports it to the caller, beside the API's own answer. */
export const INSUFFICIENT_SCOPE_HEADER = 'x-latchkey-insufficient-scope';
