import type * as oauth from 'oauth4webapi';
import { checkEndpointUrl, type EndpointPolicy } from '../../connectors/endpoint-policy';
import { LatchkeyError } from '../../errors/latchkey-error';

/** Endpoints of the metadata Latchkey sends requests to; the first two it cannot work without. */
const REQUIRED_ENDPOINTS = ['authorization_endpoint', 'token_endpoint'] as const;
const OPTIONAL_ENDPOINTS = [
  'revocation_endpoint',
  'pushed_authorization_request_endpoint',
] as const;

/**
 * What Latchkey needs of discovered metadata, with the same endpoint policy as typed URLs
 * (https, egress): an authorization and a token endpoint, and PKCE S256, which every flow
 * uses. RFC 8414 §2: a server that omits `code_challenge_methods_supported` does not
 * support PKCE.
 */
export function checkDiscoveredMetadata(
  metadata: oauth.AuthorizationServer,
  policy: EndpointPolicy,
): void {
  for (const field of REQUIRED_ENDPOINTS) {
    const value = metadata[field];
    if (typeof value !== 'string') throw unsupported(`The metadata names no ${field}.`);
    checkEndpointUrl(`metadata.${field}`, value, policy);
  }
  for (const field of OPTIONAL_ENDPOINTS) {
    const value = metadata[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw unsupported(`The metadata's ${field} is not a URL.`);
    checkEndpointUrl(`metadata.${field}`, value, policy);
  }
  // RFC 9126 §5: a server that requires PAR must say where to push.
  if (
    metadata.require_pushed_authorization_requests &&
    !metadata.pushed_authorization_request_endpoint
  ) {
    throw unsupported(
      'The metadata requires PAR but names no pushed_authorization_request_endpoint.',
    );
  }
  const methods = metadata.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    throw unsupported('The metadata does not list S256 in code_challenge_methods_supported.');
  }
}

function unsupported(message: string): LatchkeyError {
  return new LatchkeyError('discovery_metadata_unsupported', message);
}
