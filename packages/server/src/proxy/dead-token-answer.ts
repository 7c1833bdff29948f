import { Readable } from 'node:stream';
import { DEAD_TOKEN_ANSWER_MAX_BYTES, type ProviderQuirks } from '@latchkey/catalog';
import type { Dispatcher } from 'undici';

/** An API answer as the proxy passes it on: a status, headers and a body stream. */
export interface UpstreamAnswer {
  statusCode: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Readable;
}

/** An API's answer, and whether it refused the access token. */
export interface TokenRefusal {
  answer: UpstreamAnswer;
  refused: boolean;
}

/** Whether the API refused the access token by its status alone: a 401 (RFC 6750 §3.1). */
export function readStatusRefusal(response: Dispatcher.ResponseData): TokenRefusal {
  return { answer: response, refused: response.statusCode === 401 };
}

/**
 * Whether the API refused the access token: a 401, or what the provider's quirk module
 * reads as one (Slack's `200 {ok:false, error:"invalid_auth"}`). For that the first
 * DEAD_TOKEN_ANSWER_MAX_BYTES of the body are read; the answer passed on replays them
 * before the rest, so a longer body streams on untouched and is never a refusal.
 */
export async function readTokenRefusal(
  response: Dispatcher.ResponseData,
  quirks: ProviderQuirks | undefined,
): Promise<TokenRefusal> {
  const isDead = quirks?.isDeadTokenAnswer;
  if (response.statusCode === 401 || !isDead) return readStatusRefusal(response);
  const iterator = response.body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (!ended && size <= DEAD_TOKEN_ANSWER_MAX_BYTES) {
    const next = await iterator.next();
    if (next.done) ended = true;
    else {
      head.push(next.value);
      size += next.value.length;
    }
  }
  const body = Readable.from(replay(head, ended ? undefined : iterator));
  const answer = { statusCode: response.statusCode, headers: response.headers, body };
  if (!ended) return { answer, refused: false };
  const text = Buffer.concat(head).toString('utf8');
  const headers = new Headers(headerEntries(response.headers));
  return { answer, refused: isDead({ status: response.statusCode, headers, body: text }) };
}

/** The chunks already read, then the rest of the stream; ending early ends the upstream. */
async function* replay(head: Buffer[], rest: AsyncIterator<Buffer> | undefined) {
  try {
    yield* head;
    if (!rest) return;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    await rest?.return?.();
  }
}

function headerEntries(headers: UpstreamAnswer['headers']): [string, string][] {
  return Object.entries(headers).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]],
  );
}
