import type { ConnectOutcome } from '../connectors/connector-actions';

/**
 * The session's return URL with the last attempt's result, in the parameters a redirect-mode
 * callback appends (`oauth_authorization`, `connector_id`, `error`); unchanged when nothing
 * was tried. Parameters of ours already in the URL are replaced, the rest is kept.
 */
export function doneUrl(returnUrl: string, outcome: ConnectOutcome | undefined): string {
  const url = new URL(returnUrl);
  if (!outcome) return url.href;
  for (const name of ['oauth_authorization', 'connector_id', 'error']) {
    url.searchParams.delete(name);
  }
  url.searchParams.set('oauth_authorization', outcome.status);
  url.searchParams.set('connector_id', outcome.connectorId);
  if (outcome.status === 'error')
    url.searchParams.set('error', outcome.error ?? 'oauth_provider_error');
  return url.href;
}
