import type { LightMyRequestResponse } from 'fastify';
import { REPO_ROOT } from './run-latchkey';

/** A value that must never reach a client, and whose it is. */
export interface KnownSecret {
  label: string;
  value: string;
  /** For stored tokens: the user and connector they belong to. */
  userId?: string;
  connectorId?: string;
  kind?: 'access_token' | 'refresh_token';
}

/** Traces of an unhandled error: stack frames, source paths, dependencies. */
const STACK_TRACE_SIGNS: [string, RegExp][] = [
  ['a stack frame', /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+\)?/],
  ['a stack frame', /\n\s+at\s/],
  ['node_modules', /node_modules/],
  ['a source file path', /\/packages\/(?:core|store|server|sdk|testing|outbound)\/src\//],
  ['a source file name', /\.[cm]?[tj]s:\d+(?::\d+)?\b/],
  ['an internal error name', /\b(?:TypeError|ReferenceError|RangeError|SqliteError)\b/],
];

/** Everything the client received, headers included (`set-cookie` too unless told), as one text. */
export function responseText(
  response: LightMyRequestResponse,
  options: { withCookies?: boolean } = {},
): string {
  const headers = Object.entries(response.headers)
    .filter(([name]) => options.withCookies !== false || name !== 'set-cookie')
    .map(([name, value]) => `${name}: ${[value].flat().join(', ')}`)
    .join('\n');
  return `${headers}\n\n${response.body}`;
}

/** What in the response looks like a leaked stack trace or source location. */
export function stackTraceSign(text: string): string | undefined {
  if (text.includes(REPO_ROOT)) return 'the repository path';
  return STACK_TRACE_SIGNS.find(([, pattern]) => pattern.test(text))?.[0];
}

const SPELLINGS = new WeakMap<KnownSecret, string[]>();

/** The spellings a secret may leak in: as is, percent-encoded, Base64. */
function spellings(secret: KnownSecret): string[] {
  let known = SPELLINGS.get(secret);
  if (!known) {
    const { value } = secret;
    known = [
      value,
      encodeURIComponent(value),
      Buffer.from(value).toString('base64'),
      Buffer.from(value).toString('base64url'),
    ];
    SPELLINGS.set(secret, known);
  }
  return known;
}

/** The known secrets found in the response, except those `allowed` names. */
export function leakedSecrets(
  text: string,
  secrets: readonly KnownSecret[],
  allowed: (secret: KnownSecret) => boolean = () => false,
): string[] {
  return secrets
    .filter((secret) => !allowed(secret))
    .filter((secret) => spellings(secret).some((spelling) => text.includes(spelling)))
    .map((secret) => secret.label);
}
