import {
  createConnectFlow,
  createLatchkeyClient,
  isLatchkeyApiError,
  OAUTH_CHANNEL_NAME,
  readCallerConnector,
  readOAuthRedirectResult,
} from '@latchkey/sdk';

/**
 * What an app's page does with a connect session's token (headless SDK, no React): read the
 * session and a connector's status from Latchkey's origin, connect in a new tab. Exposed for
 * the test to call.
 */
const clientFor = (baseUrl: string, token: string) =>
  createLatchkeyClient({ baseUrl, connectSessionToken: token });

export async function readSession(baseUrl: string, token: string) {
  try {
    const session = await clientFor(baseUrl, token).getConnectSession();
    return { ok: true, externalId: session.endUser.externalId, count: session.connectors.length };
  } catch (error) {
    return { ok: false, code: isLatchkeyApiError(error) ? error.code : 'unknown' };
  }
}

export async function readStatus(baseUrl: string, token: string, connectorId: string) {
  return (await readCallerConnector(clientFor(baseUrl, token), connectorId))?.userAuthStatus;
}

/** An app's Connect button: the SDK's new-tab flow; resolves with how it ended. */
export function connectInNewTab(
  baseUrl: string,
  token: string,
  connectorId: string,
  returnUrl: string,
): Promise<{ ok: true } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    createConnectFlow({
      client: clientFor(baseUrl, token),
      connectorId,
      redirectMode: 'new_tab',
      returnUrl,
      onSuccess: () => resolve({ ok: true }),
      onError: (error) => resolve({ ok: false, code: error.code }),
      onFallbackToRedirect: () => resolve({ ok: false, code: 'popup_blocked' }),
    }).start();
  });
}

/**
 * The app's return page, as useOAuthRedirectResult does it without React: the result goes on
 * this origin's channel to the waiting page, then the tab closes itself.
 */
function relayRedirectResult() {
  const found = readOAuthRedirectResult(new URL(window.location.href));
  if (!found) return;
  const channel = new BroadcastChannel(OAUTH_CHANNEL_NAME);
  channel.postMessage({
    connectorId: found.connectorId ?? '',
    status: found.status,
    ...(found.error ? { error: found.error } : {}),
  });
  channel.close();
  if (found.autoClose) window.close();
}

relayRedirectResult();
