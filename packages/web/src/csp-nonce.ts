// EUI's private @emotion/css instance (color mode classes); EUI offers no way to give it a nonce.
import { cache as euiCssCache } from '@elastic/eui/es/services/emotion/css';
import { cache as emotionCssCache } from '@emotion/css';
import { setNonce } from 'get-nonce';

/**
 * The server stamps a fresh nonce into a meta tag and into the page's CSP. This module is
 * imported first: some EUI modules insert styles when they load, through @emotion/css's
 * default instance, and react-style-singleton (scroll locks) asks get-nonce; both must
 * carry the nonce before anything else runs.
 */
function readNonce(): string | undefined {
  const value = document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content');
  return value && value !== '__CSP_NONCE__' ? value : undefined;
}

export const cspNonce = readNonce();
if (cspNonce) {
  emotionCssCache.sheet.nonce = cspNonce;
  euiCssCache.sheet.nonce = cspNonce;
  setNonce(cspNonce);
}
