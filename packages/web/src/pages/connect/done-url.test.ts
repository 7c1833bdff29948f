import { describe, expect, it } from 'vitest';
import { doneUrl } from './done-url';

describe('doneUrl', () => {
  const RETURN = 'https://app.example/settings?tab=accounts#top';

  it('leaves the return URL as it is when nothing was tried', () => {
    expect(doneUrl(RETURN, undefined)).toBe(RETURN);
  });

  it('adds the result parameters of a redirect-mode callback', () => {
    expect(doneUrl(RETURN, { connectorId: 'c1', status: 'success' })).toBe(
      'https://app.example/settings?tab=accounts&oauth_authorization=success&connector_id=c1#top',
    );
    expect(
      doneUrl(RETURN, { connectorId: 'c 1', status: 'error', error: 'oauth_access_denied' }),
    ).toBe(
      'https://app.example/settings?tab=accounts&oauth_authorization=error&connector_id=c+1&error=oauth_access_denied#top',
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
});
