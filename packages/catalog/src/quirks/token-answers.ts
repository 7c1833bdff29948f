/**
 * Reading and rewriting token endpoint answers, for the modules whose provider answers in
 * its own shape. https://www.rfc-editor.org/rfc/rfc6749#section-5
 */

/** An answer's text, and its fields when it is a JSON object or a form-encoded body. */
export interface TokenAnswer {
  text: string;
  fields: Record<string, unknown> | undefined;
}

export async function readTokenAnswer(response: Response): Promise<TokenAnswer> {
  const text = await response.text();
  return { text, fields: parseFields(text, mediaTypeOf(response)) };
}

function mediaTypeOf(response: Response): string | undefined {
  return response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
}

function parseFields(text: string, mediaType: string | undefined) {
  if (mediaType === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answer as it came, its body already read. */
export function unchangedAnswer(response: Response, text: string): Response {
  const { status, statusText, headers } = response;
  return new Response(text, { status, statusText, headers });
}

/** RFC 6749 §5.1: a successful token answer, as JSON. */
export function tokenAnswer(fields: Record<string, unknown>): Response {
  return jsonAnswer(200, fields);
}

/** RFC 6749 §5.2: an error answer, `400` with `error` and an optional description. */
export function tokenErrorAnswer(error: string, description?: string): Response {
  return jsonAnswer(400, description ? { error, error_description: description } : { error });
}

function jsonAnswer(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

/**
 * RFC 6749 §3.3 delimits scopes with spaces; GitHub and Slack answer with commas. A scope
 * token never holds a comma, so splitting on both is safe.
 */
export function spaceDelimitedScope(scope: unknown): unknown {
  if (typeof scope !== 'string') return scope;
  return scope
    .split(/[\s,]+/)
    .filter(Boolean)
    .join(' ');
}
