// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY, takeConnectSessionToken } from './connect-session-token';

beforeEach(() => window.sessionStorage.clear());

describe('takeConnectSessionToken', () => {
  it('moves the token from the fragment to sessionStorage and out of the address bar', () => {
    window.history.replaceState(null, '', '/connect?lang=en#session=cs_abc-123');
    expect(takeConnectSessionToken(window.location, window.sessionStorage)).toBe('cs_abc-123');
    expect(window.location.href).toBe('http://localhost:3000/connect?lang=en');
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('cs_abc-123');
  });

  it('finds the stored token when a redirect flow comes back without the fragment', () => {
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, 'cs_stored');
    window.history.replaceState(null, '', '/connect?oauth_authorization=success&connector_id=c1');
    expect(takeConnectSessionToken(window.location, window.sessionStorage)).toBe('cs_stored');
  });

  it('lets a new link win over a stored token', () => {
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, 'cs_old');
    window.history.replaceState(null, '', '/connect#session=cs_new');
    expect(takeConnectSessionToken(window.location, window.sessionStorage)).toBe('cs_new');
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('cs_new');
  });

  it('has none without a fragment or a stored token', () => {
    window.history.replaceState(null, '', '/connect#other=1');
    expect(takeConnectSessionToken(window.location, window.sessionStorage)).toBeNull();
  });
});
