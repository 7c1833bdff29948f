import type { CoreDeps } from '../deps';
import { discoverAuthorizationServer } from '../oauth/discovery/discover-authorization-server';
import type { AuthSettings } from './connector-schema';

/**
 * A connector that discovers its endpoints is saved only once its issuer serves metadata that
 * names that very issuer, with endpoints the endpoint policy accepts and PKCE S256
 * (discover-authorization-server.ts); else nothing is stored. The metadata fetched here then
 * serves the first flows. `connectorId` is the connector's being updated, none on creation.
 */
export async function checkConnectorDiscovery(
  deps: CoreDeps,
  settings: AuthSettings,
  connectorId?: string,
): Promise<void> {
  if (settings.authMode !== 'per-user' || !settings.config.discovery) return;
  const { issuer } = settings.config;
  // The schema requires an issuer with discovery.
  if (issuer === undefined) return;
  const metadata = await discoverAuthorizationServer(deps, issuer, connectorId);
  deps.metadataCache.set(issuer, metadata, deps.now());
}
