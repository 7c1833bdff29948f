import { LatchkeyApiError } from '../errors/latchkey-api-error';

/**
 * How the end of a flow travels back to the app: the result page (new-tab mode) posts a
 * message on a BroadcastChannel; the callback in redirect mode appends query parameters to
 * the return URL. Both are hints anyone on this origin (or with a link) could produce: the
 * SDK confirms a success with the server before reporting it.
 */

/** The channel the result page (`result-page-script.ts` of the server) posts on. */
export const OAUTH_CHANNEL_NAME = 'oauth_flow_completed';

/** What the result page posts, and what `useOAuthRedirectResult` re-posts. */
export interface OAuthFlowMessage {
  /** '' when the service could not tell which connector the callback was for. */
  connectorId: string;
  status: 'success' | 'error';
  /** One of the service's error codes, present when status is `error`. */
  error?: string;
}

/** Query parameters of a return URL that belong to us (the callback's and `auto_close`). */
export const RESULT_PARAMS = ['oauth_authorization', 'connector_id', 'error', 'auto_close'];

const CODE = /^[a-z][a-z0-9_]{0,99}$/;
/** Used when an error result names no code (never sent by the service). */
const UNKNOWN_ERROR = 'oauth_provider_error';

/** A received message as an `OAuthFlowMessage`, or undefined when it is not one. */
export function parseOAuthFlowMessage(data: unknown): OAuthFlowMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { connectorId, status, error } = data as Record<string, unknown>;
  if (typeof connectorId !== 'string' || connectorId.length > 128) return undefined;
  if (status === 'success') return { connectorId, status };
  if (status !== 'error') return undefined;
  return {
    connectorId,
    status,
    error: typeof error === 'string' && CODE.test(error) ? error : UNKNOWN_ERROR,
  };
}

/** The result the callback appended to this URL, if any. */
export interface OAuthRedirectResult {
  status: 'success' | 'error';
  connectorId: string | null;
  /** The service's error code, when status is `error`. */
  error?: string;
  /** The return URL asked the page to close itself (a new tab using an app page as return page). */
  autoClose: boolean;
}

export function readOAuthRedirectResult(url: URL): OAuthRedirectResult | undefined {
  const params = url.searchParams;
  const status = params.get('oauth_authorization');
  if (status !== 'success' && status !== 'error') return undefined;
  const connectorId = params.get('connector_id') || null;
  const autoClose = params.get('auto_close') === 'true';
  if (status === 'success') return { status, connectorId, autoClose };
  const error = params.get('error');
  return {
    status,
    connectorId,
    error: error && CODE.test(error) ? error : UNKNOWN_ERROR,
    autoClose,
  };
}

/**
 * The URL without our parameters. The rest of the query is kept byte for byte (a round trip
 * through URLSearchParams would re-encode it), and so is the fragment.
 */
export function withoutResultParams(href: string, base?: string): string {
  const url = new URL(href, base);
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !RESULT_PARAMS.includes(paramName(pair)));
  url.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  return url.href;
}

/**
 * The URL with a flow's result in the parameters a redirect-mode callback appends (the
 * server's `result-redirect.ts` writes the same), for a page that sends the browser back
 * itself, as the hosted connect page's Done does. Our parameters already in it, `auto_close`
 * included, are dropped; the rest of the query and the fragment are kept byte for byte.
 */
export function withOAuthRedirectResult(href: string, result: OAuthFlowMessage): string {
  const url = new URL(withoutResultParams(href));
  const ours = new URLSearchParams({ oauth_authorization: result.status });
  if (result.connectorId) ours.set('connector_id', result.connectorId);
  if (result.status === 'error') ours.set('error', result.error ?? UNKNOWN_ERROR);
  url.search = url.search ? `${url.search}&${ours}` : ours.toString();
  return url.href;
}

function paramName(pair: string): string {
  return new URLSearchParams(pair).keys().next().value ?? '';
}

/** The error a result carries (a code only: the result page and the URL hold no message). */
export function oauthResultError(code: string): LatchkeyApiError {
  return new LatchkeyApiError(code, `The connection did not complete (${code}).`);
}
