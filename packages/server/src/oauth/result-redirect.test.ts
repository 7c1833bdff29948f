import { type OAuthFlowMessage, withOAuthRedirectResult } from '@latchkey/sdk';
import { describe, expect, it } from 'vitest';
import { resultRedirectUrl } from './result-redirect';

/** What the callback appends, in the callback's own terms. */
function asCallbackResult(result: OAuthFlowMessage) {
  return {
    oauth_authorization: result.status,
    ...(result.connectorId ? { connector_id: result.connectorId } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}

/**
 * The callback in redirect mode and the hosted connect page's Done (through the SDK) send the
 * browser back with one and the same result: the app reads both with one reader.
 */
describe('resultRedirectUrl', () => {
  const RESULTS: OAuthFlowMessage[] = [
    { connectorId: 'c1', status: 'success' },
    { connectorId: 'c 1', status: 'error', error: 'oauth_access_denied' },
    { connectorId: '', status: 'error', error: 'oauth_state_invalid' },
  ];

  it("writes the SDK's result parameters, keeping the rest of the URL byte for byte", () => {
    const returnUrl = 'https://app.example/p?q=a%20b&flag&connector_id=forged&error=x#top';
    for (const result of RESULTS) {
      expect(resultRedirectUrl(returnUrl, asCallbackResult(result))).toBe(
        withOAuthRedirectResult(returnUrl, result),
      );
    }
  });

  it('keeps auto_close: an app page used as a new tab’s result page closes itself on it', () => {
    const url = resultRedirectUrl('https://app.example/done?auto_close=true', {
      oauth_authorization: 'success',
    });
    expect(url).toBe('https://app.example/done?auto_close=true&oauth_authorization=success');
  });
});
