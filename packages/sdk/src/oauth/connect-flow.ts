import type { ConnectorView } from '@latchkey/core';
import { LatchkeyApiError, toLatchkeyApiError } from '../errors/latchkey-api-error';
import { type BrowserEnvironment, browserEnvironment, type TabHandle } from './browser-environment';
import { readCallerConnector } from './caller-connector';
import {
  type ConnectFlow,
  type ConnectFlowOptions,
  type ConnectFlowState,
  DEFAULT_CONNECT_TIMEOUT_MS,
} from './connect-flow-types';
import { oauthResultError, parseOAuthFlowMessage, withoutResultParams } from './oauth-result';

/**
 * The new-tab and redirect flows, without any framework. Sequence of a new-tab flow: open a
 * blank tab (inside the click) → ask the service for the authorization URL → listen on the
 * channel, start the timer → send the tab to the provider → on a matching message, confirm
 * with the service → report.
 */
export function createConnectFlow(
  options: ConnectFlowOptions,
  env: BrowserEnvironment = browserEnvironment(),
): ConnectFlow {
  const { client, connectorId } = options;
  let state: ConnectFlowState = 'idle';
  let tab: TabHandle | null = null;
  /** The OAuth `state` of this flow, once the service gave it. */
  let oauthState: string | undefined;
  let stopListening: (() => void) | undefined;
  let clearTimer: (() => void) | undefined;
  let silent = false;

  function setState(next: ConnectFlowState) {
    if (state === next) return;
    state = next;
    if (!silent) options.onStateChange?.(next);
  }

  /** Ends the flow once; false when it had already ended. */
  function end(): boolean {
    if (state === 'ended') return false;
    stopListening?.();
    clearTimer?.();
    setState('ended');
    return true;
  }

  function closeTab() {
    if (tab && !tab.closed) tab.close();
    tab = null;
  }

  /** Best effort: a flow the service still holds expires by itself anyway. */
  async function cancelOnService(): Promise<void> {
    if (oauthState === undefined) return;
    await client.cancelOAuthFlow(connectorId, oauthState).catch(() => undefined);
  }

  /** Reports an error; the flow is also cancelled on the service, so it cannot finish later. */
  function fail(error: LatchkeyApiError, { closeTab: close }: { closeTab: boolean }) {
    if (!end()) return;
    void cancelOnService();
    if (close) closeTab();
    if (!silent) options.onError?.(error);
  }

  async function requestAuthorizationUrl(returnUrl: string | undefined) {
    setState('starting');
    try {
      const started = await client.startOAuthFlow(connectorId, returnUrl ? { returnUrl } : {});
      oauthState = started.state;
      if (state === 'ended') {
        // Cancelled or disposed while we waited: nobody will open the provider page.
        void cancelOnService();
        closeTab();
        return undefined;
      }
      return started.authorizationUrl;
    } catch (error) {
      fail(toLatchkeyApiError(error), { closeTab: true });
      return undefined;
    }
  }

  async function startInTab() {
    const authorizationUrl = await requestAuthorizationUrl(options.returnUrl);
    if (authorizationUrl === undefined || !tab) return;
    if (tab.closed) {
      // The user closed the blank tab before the provider page could load.
      end();
      void cancelOnService();
      return;
    }
    stopListening = env.listenForResults(handleMessage);
    clearTimer = env.startTimer(
      () => fail(LatchkeyApiError.fromSdkCode('oauth_flow_timeout'), { closeTab: true }),
      options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    );
    setState('awaiting_callback');
    tab.location.href = authorizationUrl;
  }

  async function startByRedirect(returnUrl: string) {
    const authorizationUrl = await requestAuthorizationUrl(returnUrl);
    if (authorizationUrl === undefined) return;
    setState('redirecting');
    // Back from the provider with the browser's Back button, this page may be restored
    // as it was (bfcache), still "redirecting": end the attempt so Connect works again.
    stopListening = env.onPageRestored(() => {
      if (end()) void cancelOnService();
    });
    env.navigate(authorizationUrl);
  }

  /** Messages are hints: only one for this connector, while we wait, is looked at. */
  function handleMessage(data: unknown) {
    if (state !== 'awaiting_callback') return;
    const message = parseOAuthFlowMessage(data);
    if (!message || message.connectorId !== connectorId) return;
    if (message.status === 'error') {
      // The tab stays open: the result page explains the error where the user looks.
      fail(oauthResultError(message.error ?? 'oauth_provider_error'), { closeTab: false });
      return;
    }
    void confirmConnected();
  }

  /**
   * A success message is believed only when the service says the user is connected. If it
   * says otherwise the message was not about our flow (or was forged): keep waiting for the
   * real result, the timeout or a cancel. If the service cannot be asked, report that.
   */
  async function confirmConnected() {
    setState('confirming');
    let connector: ConnectorView | undefined;
    try {
      connector = await readCallerConnector(client, connectorId);
    } catch (error) {
      if (state === 'confirming') fail(toLatchkeyApiError(error), { closeTab: false });
      return;
    }
    if (state !== 'confirming') return;
    if (connector?.userAuthStatus !== 'connected') {
      setState('awaiting_callback');
      return;
    }
    end();
    if (!silent) options.onSuccess?.({ connectorId, connector });
  }

  return {
    get state() {
      return state;
    },
    start() {
      if (state !== 'idle') return;
      if (options.redirectMode === 'new_tab') {
        // Synchronously, still inside the click: popup blockers allow only that.
        tab = env.openBlankTab();
        if (tab) {
          void startInTab();
          return;
        }
        options.onFallbackToRedirect?.({ connectorId, reason: 'popup_blocked' });
        // Back to the page that asked (or its return page), without `auto_close`: this
        // window was not opened by a script and could not close itself.
        const back = withoutResultParams(options.returnUrl ?? env.currentUrl(), env.currentUrl());
        void startByRedirect(back);
        return;
      }
      void startByRedirect(options.returnUrl ?? withoutResultParams(env.currentUrl()));
    },
    async cancel() {
      if (!end()) return;
      closeTab();
      // While starting, `oauthState` is not known yet; requestAuthorizationUrl cancels then.
      await cancelOnService();
    },
    dispose() {
      silent = true;
      const abandoned = state === 'starting';
      end();
      if (abandoned) closeTab();
    },
  };
}
