import { useCallback, useRef, useState } from 'react';
import type { LatchkeyClient } from '../client';
import { type LatchkeyApiError, toLatchkeyApiError } from '../errors/latchkey-api-error';
import { useLatchkeyClient } from './client-context';
import { useLatest } from './use-latest';

export interface UseConnectorOAuthDisconnectOptions {
  connectorId: string;
  onSuccess?: (result: { connectorId: string }) => void;
  onError?: (error: LatchkeyApiError) => void;
  client?: LatchkeyClient;
}

export interface UseConnectorOAuthDisconnectResult {
  /** Resolves when done; never rejects (errors go to `onError`). Ignored while one runs. */
  disconnect: () => Promise<void>;
  isDisconnecting: boolean;
}

/** Disconnect the user's own account: the service deletes the tokens and revokes them. */
export function useConnectorOAuthDisconnect(
  options: UseConnectorOAuthDisconnectOptions,
): UseConnectorOAuthDisconnectResult {
  const client = useLatchkeyClient(options.client);
  const latest = useLatest({ ...options, client });
  const running = useRef(false);
  const [isDisconnecting, setDisconnecting] = useState(false);

  const disconnect = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setDisconnecting(true);
    const { client, connectorId } = latest.current;
    let failure: LatchkeyApiError | undefined;
    try {
      await client.disconnect(connectorId);
    } catch (error) {
      failure = toLatchkeyApiError(error);
    }
    running.current = false;
    setDisconnecting(false);
    if (failure) latest.current.onError?.(failure);
    else latest.current.onSuccess?.({ connectorId });
  }, [latest]);

  return { disconnect, isDisconnecting };
}
