/** Where the hosted page keeps the token for this tab (redirect flows come back to it). */
export const TOKEN_STORAGE_KEY = 'latchkey.connectSession';

const FRAGMENT_PARAM = 'session';

/**
 * The connect session's token for this tab. A link carries it in the fragment (never sent to
 * a server, so never in a log or a `Referer`); it is moved to sessionStorage and removed from
 * the address bar, so a copied URL or a bookmark does not carry it. Back from a redirect flow,
 * the fragment is gone and sessionStorage still has it.
 */
export function takeConnectSessionToken(location: Location, storage: Storage): string | null {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get(FRAGMENT_PARAM);
  if (fromLink) {
    storage.setItem(TOKEN_STORAGE_KEY, fromLink);
    window.history.replaceState(window.history.state, '', `${location.pathname}${location.search}`);
    return fromLink;
  }
  return storage.getItem(TOKEN_STORAGE_KEY);
}
