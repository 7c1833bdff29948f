import { OAUTH_CHANNEL_NAME } from './oauth-result';

/** The part of a tab the flow touches. */
export interface TabHandle {
  opener: unknown;
  readonly closed: boolean;
  location: { href: string };
  close(): void;
}

/** What the connect flow needs from the browser; a seam for non-DOM hosts and tests. */
export interface BrowserEnvironment {
  /** Opens an empty tab; null when a popup blocker refused it. Call inside a click handler. */
  openBlankTab(): TabHandle | null;
  /** Full-page navigation (redirect mode). */
  navigate(url: string): void;
  currentUrl(): string;
  /** Listens on the `oauth_flow_completed` channel; returns the function that stops it. */
  listenForResults(onMessage: (data: unknown) => void): () => void;
  /** Returns the function that clears the timer. */
  startTimer(callback: () => void, ms: number): () => void;
  /** Calls back when this page comes back from the back/forward cache; returns the stop function. */
  onPageRestored(callback: () => void): () => void;
}

/** The real browser, looked up at call time. */
export function browserEnvironment(): BrowserEnvironment {
  return {
    openBlankTab: () => {
      const tab = window.open('about:blank', '_blank');
      if (!tab) return null;
      // Reverse tabnabbing: the provider's pages must not be able to navigate this one.
      // (A `noopener` feature would make window.open return null, and we need the handle.)
      tab.opener = null;
      return tab;
    },
    navigate: (url) => window.location.assign(url),
    currentUrl: () => window.location.href,
    listenForResults: (onMessage) => {
      if (typeof BroadcastChannel !== 'function') return () => undefined;
      const channel = new BroadcastChannel(OAUTH_CHANNEL_NAME);
      channel.onmessage = (event: MessageEvent) => onMessage(event.data);
      return () => channel.close();
    },
    startTimer: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      return () => clearTimeout(timer);
    },
    onPageRestored: (callback) => {
      const listener = (event: PageTransitionEvent) => {
        if (event.persisted) callback();
      };
      window.addEventListener('pageshow', listener);
      return () => window.removeEventListener('pageshow', listener);
    },
  };
}

/** Tells every tab of this origin how a flow ended (same message as the result page). */
export function postOAuthResult(message: unknown): void {
  if (typeof BroadcastChannel !== 'function') return;
  const channel = new BroadcastChannel(OAUTH_CHANNEL_NAME);
  channel.postMessage(message);
  channel.close();
}
