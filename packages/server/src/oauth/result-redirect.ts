/** The parameters the callback adds to a return URL; the SDK's `useOAuthRedirectResult` reads them. */
interface RedirectResult {
  oauth_authorization: 'success' | 'error';
  connector_id?: string;
  /** One of our error codes, never provider text. */
  error?: string;
}

const RESULT_PARAMS = new Set(['oauth_authorization', 'connector_id', 'error']);

/**
 * The stored return URL with the result appended. The URL's own query is kept byte for byte
 * (re-encoding it through URLSearchParams would turn `%20` into `+` and `flag` into `flag=`),
 * except for parameters named like ours: a return URL must not be able to forge the result.
 */
export function resultRedirectUrl(returnUrl: string, result: RedirectResult): string {
  const url = new URL(returnUrl);
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !RESULT_PARAMS.has(nameOf(pair)));
  const ours = new URLSearchParams();
  for (const [name, value] of Object.entries(result)) {
    if (value !== undefined) ours.append(name, value);
  }
  url.search = [...kept, ours.toString()].join('&');
  return url.href;
}

/** The decoded name of one `name=value` pair, as any query parser would read it. */
function nameOf(pair: string): string {
  return new URLSearchParams(pair).keys().next().value ?? '';
}
