import { createContext, createElement, type ReactNode, useContext } from 'react';
import { createLatchkeyClient, type LatchkeyClient } from '../client';

const LatchkeyClientContext = createContext<LatchkeyClient | null>(null);

let defaultClient: LatchkeyClient | undefined;

/** The same-origin browser client (session cookie), made on first use. */
function sameOriginClient(): LatchkeyClient {
  defaultClient ??= createLatchkeyClient();
  return defaultClient;
}

export interface LatchkeyClientProviderProps {
  client: LatchkeyClient;
  children?: ReactNode;
}

/** Gives every hook below it this client. Optional: without it, hooks use the same-origin client. */
export function LatchkeyClientProvider({ client, children }: LatchkeyClientProviderProps) {
  return createElement(LatchkeyClientContext.Provider, { value: client }, children);
}

/** The client a hook should use: its own option, else the provider's, else the same-origin one. */
export function useLatchkeyClient(client?: LatchkeyClient): LatchkeyClient {
  const provided = useContext(LatchkeyClientContext);
  return client ?? provided ?? sameOriginClient();
}
