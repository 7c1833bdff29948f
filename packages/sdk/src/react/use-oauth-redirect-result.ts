import { useEffect, useState } from 'react';
import type { LatchkeyClient } from '../client';
import { LatchkeyApiError, toLatchkeyApiError } from '../errors/latchkey-api-error';
import { postOAuthResult } from '../oauth/browser-environment';
import { readCallerConnector } from '../oauth/caller-connector';
import type { ConnectSuccess } from '../oauth/connect-flow-types';
import {
  type OAuthFlowMessage,
  type OAuthRedirectResult,
  oauthResultError,
  readOAuthRedirectResult,
  withoutResultParams,
} from '../oauth/oauth-result';
import { useLatchkeyClient } from './client-context';
import { useLatest } from './use-latest';

export interface UseOAuthRedirectResultOptions {
  /** The service confirmed the connection the URL announced. */
  onSuccess?: (result: ConnectSuccess) => void;
  /** The URL announced an error, or a success the service does not confirm. */
  onError?: (error: LatchkeyApiError, result: OAuthRedirectResult) => void;
  client?: LatchkeyClient;
}

export interface UseOAuthRedirectResultValue {
  /** What the URL said when the page loaded (null when it carried no result). */
  result: OAuthRedirectResult | null;
}

/**
 * For the page the callback redirects to. Once, on mount: reads the result from the URL,
 * removes it from the address bar (so a reload or a copied link does not report it again),
 * posts it on the channel for the tab that may be waiting, closes this tab if
 * `auto_close=true`, and reports it — a success only once the service confirms it, since
 * anyone can make a link with `oauth_authorization=success`.
 */
export function useOAuthRedirectResult(
  options: UseOAuthRedirectResultOptions = {},
): UseOAuthRedirectResultValue {
  const client = useLatchkeyClient(options.client);
  const latest = useLatest({ ...options, client });
  const [result, setResult] = useState<OAuthRedirectResult | null>(null);

  useEffect(() => {
    const found = readOAuthRedirectResult(new URL(window.location.href));
    if (!found) return;
    // The URL is cleaned first: a second run of this effect (React StrictMode) finds nothing.
    window.history.replaceState(
      window.history.state,
      '',
      withoutResultParams(window.location.href),
    );
    postOAuthResult(toMessage(found));
    setResult(found);
    void reportResult(found, latest);
    // A tab the browser refuses to close stays open, with the result reported.
    if (found.autoClose) window.close();
  }, [latest]);

  return { result };
}

function toMessage(result: OAuthRedirectResult): OAuthFlowMessage {
  const message: OAuthFlowMessage = {
    connectorId: result.connectorId ?? '',
    status: result.status,
  };
  if (result.error) message.error = result.error;
  return message;
}

/** Callbacks are read when called, so they are those of the latest render. */
async function reportResult(
  result: OAuthRedirectResult,
  latest: { readonly current: UseOAuthRedirectResultOptions & { client: LatchkeyClient } },
) {
  const fail = (error: LatchkeyApiError) => latest.current.onError?.(error, result);
  if (result.status === 'error') {
    fail(oauthResultError(result.error ?? 'oauth_provider_error'));
    return;
  }
  if (!result.connectorId) {
    fail(LatchkeyApiError.fromSdkCode('oauth_result_unconfirmed'));
    return;
  }
  try {
    const connector = await readCallerConnector(latest.current.client, result.connectorId);
    if (connector?.userAuthStatus !== 'connected') {
      fail(LatchkeyApiError.fromSdkCode('oauth_result_unconfirmed'));
      return;
    }
    latest.current.onSuccess?.({ connectorId: result.connectorId, connector });
  } catch (error) {
    fail(toLatchkeyApiError(error));
  }
}
