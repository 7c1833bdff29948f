import { useCallback, useEffect, useRef, useState } from 'react';
import type { LatchkeyClient } from '../client';
import type { LatchkeyApiError } from '../errors/latchkey-api-error';
import { createConnectFlow } from '../oauth/connect-flow';
import type {
  ConnectFlow,
  ConnectFlowState,
  ConnectSuccess,
  RedirectFallbackNotice,
  RedirectMode,
} from '../oauth/connect-flow-types';
import { useLatchkeyClient } from './client-context';
import { useLatest } from './use-latest';

export interface UseConnectorOAuthConnectOptions {
  connectorId: string;
  redirectMode: RedirectMode;
  /**
   * redirect: where the service sends the browser back (same origin as the service);
   * default this page without the `oauth_*` parameters. new_tab: default the service's
   * result page; an app page here should add `auto_close=true` and use `useOAuthRedirectResult`.
   */
  returnUrl?: string;
  /** new_tab only. Default 10 minutes (the life of a flow on the service). */
  timeoutMs?: number;
  /** Called once the service confirms the connection (new_tab mode). */
  onSuccess?: (result: ConnectSuccess) => void;
  onError?: (error: LatchkeyApiError) => void;
  /**
   * new_tab only: the browser blocked the tab, so the flow goes on by full-page redirect
   * back to this page (which should use `useOAuthRedirectResult`). Called before leaving.
   */
  onFallbackToRedirect?: (notice: RedirectFallbackNotice) => void;
  client?: LatchkeyClient;
}

export interface UseConnectorOAuthConnectResult {
  /** Call directly in the click handler (it opens the tab synchronously). */
  connect: () => void;
  /** Ends the wait at once, closes the tab, cancels the flow on the service. */
  cancelConnect: () => Promise<void>;
  /** From the click until the flow ends (or, in redirect mode, until the page leaves). */
  isConnecting: boolean;
  /** The provider tab is open and the result has not come yet: show Cancel. */
  isAwaitingCallback: boolean;
}

const AWAITING: ConnectFlowState[] = ['awaiting_callback', 'confirming'];

/** Connect the user's own account to a connector, in a new tab or by redirect. */
export function useConnectorOAuthConnect(
  options: UseConnectorOAuthConnectOptions,
): UseConnectorOAuthConnectResult {
  const client = useLatchkeyClient(options.client);
  const latest = useLatest({ ...options, client });
  const flowRef = useRef<ConnectFlow | null>(null);
  const [state, setState] = useState<ConnectFlowState>('idle');

  // Unmount: stop listening and clear the timer; a tab at the provider may still finish.
  useEffect(
    () => () => {
      flowRef.current?.dispose();
      flowRef.current = null;
    },
    [],
  );

  const connect = useCallback(() => {
    const running = flowRef.current;
    if (running && running.state !== 'ended') return;
    const { client, connectorId, redirectMode, returnUrl, timeoutMs } = latest.current;
    const flow: ConnectFlow = createConnectFlow({
      client,
      connectorId,
      redirectMode,
      ...(returnUrl !== undefined ? { returnUrl } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      onSuccess: (result) => latest.current.onSuccess?.(result),
      onError: (error) => latest.current.onError?.(error),
      onFallbackToRedirect: (notice) => latest.current.onFallbackToRedirect?.(notice),
      onStateChange: (next) => {
        if (flowRef.current === flow) setState(next === 'ended' ? 'idle' : next);
      },
    });
    flowRef.current = flow;
    flow.start();
  }, [latest]);

  const cancelConnect = useCallback(async () => {
    await flowRef.current?.cancel();
  }, []);

  return {
    connect,
    cancelConnect,
    isConnecting: state !== 'idle',
    isAwaitingCallback: AWAITING.includes(state),
  };
}
