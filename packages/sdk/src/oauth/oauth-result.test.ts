import { describe, expect, it } from 'vitest';
import {
  parseOAuthFlowMessage,
  readOAuthRedirectResult,
  withOAuthRedirectResult,
  withoutResultParams,
} from './oauth-result';

describe('parseOAuthFlowMessage', () => {
  it('accepts what the result page posts', () => {
    expect(parseOAuthFlowMessage({ connectorId: 'c1', status: 'success' })).toEqual({
      connectorId: 'c1',
      status: 'success',
    });
    expect(
      parseOAuthFlowMessage({ connectorId: '', status: 'error', error: 'oauth_state_invalid' }),
    ).toEqual({ connectorId: '', status: 'error', error: 'oauth_state_invalid' });
  });

  it('refuses anything else, and never passes on text that is not a code', () => {
    for (const junk of [
      undefined,
      null,
      'x',
      { status: 'success' },
      { connectorId: 'c', status: 'ok' },
    ]) {
      expect(parseOAuthFlowMessage(junk)).toBeUndefined();
    }
    expect(
      parseOAuthFlowMessage({ connectorId: 'c', status: 'error', error: '<img src=x>' })?.error,
    ).toBe('oauth_provider_error');
    expect(
      parseOAuthFlowMessage({ connectorId: 'c'.repeat(129), status: 'success' }),
    ).toBeUndefined();
  });
});

describe('readOAuthRedirectResult', () => {
  const read = (query: string) => readOAuthRedirectResult(new URL(`https://lk.example/p${query}`));

  it('reads success, error and auto_close', () => {
    expect(read('?oauth_authorization=success&connector_id=c1&auto_close=true')).toEqual({
      status: 'success',
      connectorId: 'c1',
      autoClose: true,
    });
    expect(read('?oauth_authorization=error&error=oauth_access_denied')).toEqual({
      status: 'error',
      connectorId: null,
      error: 'oauth_access_denied',
      autoClose: false,
    });
  });

  it('finds nothing without a valid oauth_authorization', () => {
    expect(read('')).toBeUndefined();
    expect(read('?connector_id=c1')).toBeUndefined();
    expect(read('?oauth_authorization=maybe')).toBeUndefined();
  });
});

describe('withoutResultParams', () => {
  it('removes only our parameters, keeping the rest and the fragment byte for byte', () => {
    expect(
      withoutResultParams(
        'https://lk.example/p?a=%20&oauth_authorization=success&b&connector_id=c&error=e&auto_close=true#h',
      ),
    ).toBe('https://lk.example/p?a=%20&b#h');
    expect(withoutResultParams('https://lk.example/p?oauth_authorization=success')).toBe(
      'https://lk.example/p',
    );
    expect(withoutResultParams('/r?auto_close=true', 'https://lk.example/p')).toBe(
      'https://lk.example/r',
    );
  });
});

describe('withOAuthRedirectResult', () => {
  it('appends the result, keeping the rest of the query and the fragment byte for byte', () => {
    expect(
      withOAuthRedirectResult('https://app.example/p?q=a%20b&flag&x=%7E#top', {
        connectorId: 'c 1',
        status: 'error',
        error: 'oauth_access_denied',
      }),
    ).toBe(
      'https://app.example/p?q=a%20b&flag&x=%7E&oauth_authorization=error&connector_id=c+1&error=oauth_access_denied#top',
    );
    expect(
      withOAuthRedirectResult('https://app.example/', { connectorId: '', status: 'success' }),
    ).toBe('https://app.example/?oauth_authorization=success');
  });

  it('drops our parameters already there, auto_close included, so none is forged or repeated', () => {
    const url = new URL(
      withOAuthRedirectResult(
        'https://app.example/?auto_close=true&oauth_authorization=success&connector_id=x&error=e&keep=1',
        { connectorId: 'c1', status: 'success' },
      ),
    );
    expect(url.search).toBe('?keep=1&oauth_authorization=success&connector_id=c1');
  });

  it('writes what readOAuthRedirectResult reads', () => {
    const written = withOAuthRedirectResult('https://app.example/done?auto_close=true', {
      connectorId: 'c1',
      status: 'error',
      error: 'oauth_state_expired',
    });
    expect(readOAuthRedirectResult(new URL(written))).toEqual({
      status: 'error',
      connectorId: 'c1',
      error: 'oauth_state_expired',
      autoClose: false,
    });
  });
});
