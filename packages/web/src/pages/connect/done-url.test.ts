import { describe, expect, it } from 'vitest';
import { doneUrl } from './done-url';

describe('doneUrl', () => {
  const RETURN = 'https://app.example/settings?tab=accounts&q=a%20b&flag#top';

  it('leaves the return URL as it is when nothing was tried', () => {
    expect(doneUrl(RETURN, undefined)).toBe(RETURN);
  });

  it('adds the result parameters of a redirect-mode callback, re-encoding nothing else', () => {
    expect(doneUrl(RETURN, { connectorId: 'c1', status: 'success' })).toBe(
      'https://app.example/settings?tab=accounts&q=a%20b&flag&oauth_authorization=success&connector_id=c1#top',
    );
    expect(
      doneUrl(RETURN, { connectorId: 'c 1', status: 'error', error: 'oauth_access_denied' }),
    ).toBe(
      'https://app.example/settings?tab=accounts&q=a%20b&flag&oauth_authorization=error&connector_id=c+1&error=oauth_access_denied#top',
    );
  });

  it('replaces result parameters already in the return URL instead of repeating them', () => {
    const url = new URL(
      doneUrl('https://app.example/?oauth_authorization=success&connector_id=x&error=e', {
        connectorId: 'c1',
        status: 'success',
      }),
    );
    expect(url.searchParams.getAll('oauth_authorization')).toEqual(['success']);
    expect(url.searchParams.getAll('connector_id')).toEqual(['c1']);
    expect(url.searchParams.has('error')).toBe(false);
  });

  it('never carries auto_close or a stale result back to the app', () => {
    const returnUrl = 'https://app.example/?auto_close=true&oauth_authorization=success&keep=1';
    expect(doneUrl(returnUrl, undefined)).toBe('https://app.example/?keep=1');
    expect(doneUrl(returnUrl, { connectorId: 'c1', status: 'error', error: 'x_y' })).toBe(
      'https://app.example/?keep=1&oauth_authorization=error&connector_id=c1&error=x_y',
    );
  });
});
