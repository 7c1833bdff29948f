import { vi } from 'vitest';
import { OAUTH_CHANNEL_NAME } from '../oauth/oauth-result';

/** A tab as `window.open` returns it, recording what the flow does to it. */
export function fakeTab() {
  const tab = {
    opener: 'the app window' as unknown,
    closed: false,
    location: { href: 'about:blank' },
    close: vi.fn(() => {
      tab.closed = true;
    }),
  };
  return tab;
}

/**
 * Another page of the same origin on the result channel: the result page posting, or a
 * listener that sees what a page posted. Node's BroadcastChannel delivers across instances
 * in one process, asynchronously, like a browser's.
 */
export function otherPage() {
  const channel = new BroadcastChannel(OAUTH_CHANNEL_NAME);
  const received: unknown[] = [];
  channel.onmessage = (event: MessageEvent) => received.push(event.data);
  return {
    post: (message: unknown) => channel.postMessage(message),
    received,
    close: () => channel.close(),
  };
}
