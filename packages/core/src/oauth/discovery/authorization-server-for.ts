import type * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../../deps';
import { LatchkeyError } from '../../errors/latchkey-error';
import { authorizationServerOf, type OAuthClientSettings } from '../oauth-client';
import { discoverAuthorizationServer } from './discover-authorization-server';

/**
 * The connector's authorization server: from its issuer's metadata when it discovers its
 * endpoints (cached, metadata-cache.ts), else from the endpoints typed into its config.
 */
export async function authorizationServerFor(
  deps: CoreDeps,
  connector: OAuthClientSettings,
): Promise<oauth.AuthorizationServer> {
  if (connector.authMode !== 'per-user' || !connector.config.discovery) {
    return authorizationServerOf(connector);
  }
  const { issuer } = connector.config;
  // The schema requires an issuer with discovery; a row without one cannot discover anything.
  if (!issuer) throw new LatchkeyError('discovery_failed', 'The connector names no issuer.');
  return deps.metadataCache.get(issuer, deps.now(), () =>
    discoverAtRunTime(deps, issuer, connector.id),
  );
}

/**
 * At run time the metadata was fine when the connector was saved: whatever refuses it now
 * (another issuer, an endpoint gone) is the server's failure, a 502, not the caller's input.
 */
async function discoverAtRunTime(
  deps: CoreDeps,
  issuer: string,
  connectorId: string,
): Promise<oauth.AuthorizationServer> {
  try {
    return await discoverAuthorizationServer(deps, issuer, connectorId);
  } catch (error) {
    if (!(error instanceof LatchkeyError) || error.status >= 500) throw error;
    throw new LatchkeyError('discovery_failed', undefined, { reason: error.code });
  }
}
