import type { ConnectorView } from '@latchkey/core';
import type { LatchkeyClient } from '../client';
import type { LatchkeyApiError } from '../errors/latchkey-api-error';

/** As long as the service keeps a flow's state (10 minutes): waiting longer is pointless. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10 * 60 * 1000;

export type RedirectMode = 'new_tab' | 'redirect';

/**
 * `idle` → `starting` (asking the service for the authorization URL) → `awaiting_callback`
 * (new tab at the provider) ⇄ `confirming` (a result message is being checked with the
 * service) → `ended`; or, in redirect mode, `starting` → `redirecting` (the page is leaving).
 */
export type ConnectFlowState =
  | 'idle'
  | 'starting'
  | 'awaiting_callback'
  | 'confirming'
  | 'redirecting'
  | 'ended';

export interface ConnectSuccess {
  connectorId: string;
  /** The connector as the service now reports it (`userAuthStatus: 'connected'`). */
  connector: ConnectorView;
}

/** Why a new-tab flow went on as a full-page redirect. */
export interface RedirectFallbackNotice {
  connectorId: string;
  reason: 'popup_blocked';
}

export interface ConnectFlowOptions {
  client: LatchkeyClient;
  connectorId: string;
  redirectMode: RedirectMode;
  /** new_tab: omitted = the service's result page. redirect: omitted = this page, cleaned. */
  returnUrl?: string;
  timeoutMs?: number;
  onSuccess?: (result: ConnectSuccess) => void;
  onError?: (error: LatchkeyApiError) => void;
  /** The tab was blocked; the flow goes on by redirect (called before the page leaves). */
  onFallbackToRedirect?: (notice: RedirectFallbackNotice) => void;
  onStateChange?: (state: ConnectFlowState) => void;
}

/** One connect attempt. Single use: create another one to connect again. */
export interface ConnectFlow {
  readonly state: ConnectFlowState;
  /** Call synchronously inside the user's click handler: it may open a tab. */
  start(): void;
  /** Ends the wait at once, closes the tab and cancels the flow on the service. */
  cancel(): Promise<void>;
  /**
   * Stops listening, without callbacks. Before the provider page opened, the attempt is
   * abandoned (blank tab closed, flow cancelled); after, the tab may still finish on its own.
   */
  dispose(): void;
}
