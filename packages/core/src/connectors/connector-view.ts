import type { StoredConnector } from '../store';
import type { Vault } from '../vault/vault';
import type { ConnectorView, UserAuthStatus } from './connector-schema';
import { openConnectorSecrets } from './connector-secrets';

/** What the API shows of a connector: config and the names of the secrets that are set. */
export function toConnectorView(
  connector: StoredConnector,
  vault: Vault,
  userAuthStatus: UserAuthStatus,
): ConnectorView {
  const secrets = openConnectorSecrets(vault, connector.id, connector.sealedSecrets);
  return {
    id: connector.id,
    name: connector.name,
    provider: connector.provider,
    authMode: connector.authMode,
    config: { ...connector.config },
    secretsSet: Object.keys(secrets).filter((key) => Boolean(secrets[key])),
    userAuthStatus,
    createdAt: new Date(connector.createdAt).toISOString(),
    updatedAt: new Date(connector.updatedAt).toISOString(),
  };
}
