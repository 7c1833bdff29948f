import * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../../deps';
import { LatchkeyError } from '../../errors/latchkey-error';
import { providerRequestOptions } from '../oauth-client';
import { assertProviderAvailable, toProviderError } from '../provider-errors';
import { checkDiscoveredMetadata } from './check-discovered-metadata';

/**
 * Where the metadata is looked for, in this order: OpenID Connect Discovery 1.0 §4
 * (`<issuer>/.well-known/openid-configuration`), then RFC 8414 §3
 * (`/.well-known/oauth-authorization-server` inserted before the issuer's path).
 */
const WELL_KNOWN_ALGORITHMS = ['oidc', 'oauth2'] as const;

/**
 * Fetches the issuer's authorization server metadata and returns it once it names this very
 * issuer and passes the endpoint policy. `connectorId` names the connector in an egress audit
 * event; none while the connector is being created.
 */
export async function discoverAuthorizationServer(
  deps: CoreDeps,
  issuer: string,
  connectorId: string | undefined,
): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer);
  for (const algorithm of WELL_KNOWN_ALGORITHMS) {
    const response = await requestMetadata(deps, issuerUrl, algorithm, connectorId);
    // Not served here (404, a redirect, an error page): try the other location.
    if (response.status !== 200) {
      await response.body?.cancel();
      continue;
    }
    const metadata = await processMetadata(issuerUrl, response);
    assertSameIssuer(issuer, metadata);
    checkDiscoveredMetadata(metadata, deps.endpointPolicy);
    return metadata;
  }
  throw new LatchkeyError('discovery_failed', 'The issuer serves no metadata document.');
}

async function requestMetadata(
  deps: CoreDeps,
  issuerUrl: URL,
  algorithm: (typeof WELL_KNOWN_ALGORITHMS)[number],
  connectorId: string | undefined,
): Promise<Response> {
  try {
    const options = { ...providerRequestOptions(deps, connectorId), algorithm };
    return assertProviderAvailable(await oauth.discoveryRequest(issuerUrl, options));
  } catch (error) {
    const refusal = toProviderError(error);
    // The egress policy's refusal keeps its own code; any other failure is an outage.
    if (refusal.code === 'egress_denied') throw refusal;
    throw new LatchkeyError('discovery_failed');
  }
}

/** oauth4webapi's checks: a JSON object whose `issuer` is the expected URL. */
async function processMetadata(
  issuerUrl: URL,
  response: Response,
): Promise<oauth.AuthorizationServer> {
  try {
    return await oauth.processDiscoveryResponse(issuerUrl, response);
  } catch (error) {
    if (
      error instanceof oauth.OperationProcessingError &&
      error.code === oauth.JSON_ATTRIBUTE_COMPARISON
    ) {
      throw new LatchkeyError('issuer_mismatch');
    }
    throw new LatchkeyError('discovery_failed', 'The issuer answered with no valid metadata.');
  }
}

/**
 * RFC 8414 §3.3 and OpenID Connect Discovery §4.3: the `issuer` returned must be identical to
 * the one configured. oauth4webapi compares parsed URLs, which forgives a trailing slash;
 * the comparison here is character for character, as both specifications ask.
 */
function assertSameIssuer(issuer: string, metadata: oauth.AuthorizationServer): void {
  if (metadata.issuer !== issuer) throw new LatchkeyError('issuer_mismatch');
}
