import type { ConnectSessionView, LatchkeyClient } from '@latchkey/sdk';
import { isLatchkeyApiError } from '@latchkey/sdk';
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../../components/error-message';

/** What the hosted page can show: the session, or why there is none. */
export type ConnectSessionState =
  | { state: 'loading' }
  | { state: 'ready'; session: ConnectSessionView }
  | { state: 'expired' }
  | { state: 'failed'; message: string };

/** True for the answer the service gives an expired, ended or unknown session token. */
export function isSessionInvalid(error: unknown): boolean {
  return isLatchkeyApiError(error) && error.code === 'connect_session_invalid';
}

/**
 * Loads the session on mount and on `reload`, and turns to `expired` when the service says
 * so or when its `expiresAt` passes while the page is open (nothing can be started then).
 */
export function useConnectSession(client: LatchkeyClient) {
  const [current, setCurrent] = useState<ConnectSessionState>({ state: 'loading' });

  const reload = useCallback(async () => {
    try {
      setCurrent({ state: 'ready', session: await client.getConnectSession() });
    } catch (error) {
      setCurrent(
        isSessionInvalid(error)
          ? { state: 'expired' }
          : { state: 'failed', message: errorText(error) },
      );
    }
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const expiresAt = current.state === 'ready' ? current.session.expiresAt : undefined;
  useEffect(() => {
    if (!expiresAt) return;
    const timer = setTimeout(
      () => setCurrent({ state: 'expired' }),
      Math.max(0, Date.parse(expiresAt) - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [expiresAt]);

  const expire = useCallback(() => setCurrent({ state: 'expired' }), []);
  return { current, reload, expire };
}
