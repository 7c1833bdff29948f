import { type ConnectionView, toConnectionView } from '../connections/connection-view';
import type { StoredConnection, StoredConnector } from '../store';
import type { Vault } from '../vault/vault';
import type { ConnectorView, UserAuthStatus } from './connector-schema';
import { openConnectorSecrets } from './connector-secrets';

/**
 * What the API shows of a connector: its config as given (a preset's client, scopes and
 * inputs), the endpoints it resolved to, and the names of the secrets that are set.
 */
export function toConnectorView(
  connector: StoredConnector,
  vault: Vault,
  connection: StoredConnection | undefined,
): ConnectorView {
  const secrets = openConnectorSecrets(vault, connector.id, connector.sealedSecrets);
  return {
    id: connector.id,
    name: connector.name,
    provider: connector.provider,
    authMode: connector.authMode,
    config: configAsGiven(connector),
    endpoints: endpointsOf(connector),
    secretsSet: Object.keys(secrets).filter((key) => Boolean(secrets[key])),
    ...callerConnectionOf(connector, connection),
    createdAt: new Date(connector.createdAt).toISOString(),
    updatedAt: new Date(connector.updatedAt).toISOString(),
  };
}

/** One rule for the caller's status, used by the list, the detail and `_me/auth_status`. */
export function callerConnectionOf(
  connector: StoredConnector,
  connection: StoredConnection | undefined,
): { userAuthStatus: UserAuthStatus; connection: ConnectionView | null } {
  if (connector.authMode === 'shared')
    return { userAuthStatus: 'not_applicable', connection: null };
  if (!connection) return { userAuthStatus: 'not_connected', connection: null };
  const view = toConnectionView(connector, connection);
  return { userAuthStatus: view.status, connection: view };
}

function configAsGiven(connector: StoredConnector): Record<string, unknown> {
  const { preset } = connector.config;
  if (!preset) return { ...connector.config };
  const { clientId } = connector.config;
  const keepAlive = connector.authMode === 'per-user' && connector.config.keepAlive;
  return {
    clientId,
    ...(preset.scope ? { scope: preset.scope } : {}),
    ...preset.inputs,
    ...(keepAlive ? { keepAlive: 'true' } : {}),
  };
}

function endpointsOf(connector: StoredConnector): ConnectorView['endpoints'] {
  if (connector.authMode === 'shared') {
    const { tokenUrl, apiBaseUrl } = connector.config;
    return { ...(tokenUrl ? { tokenUrl } : {}), apiBaseUrl };
  }
  const { authorizationUrl, tokenUrl, revocationUrl, issuer, apiBaseUrl } = connector.config;
  return {
    authorizationUrl,
    tokenUrl,
    ...(revocationUrl ? { revocationUrl } : {}),
    ...(issuer ? { issuer } : {}),
    apiBaseUrl,
  };
}
