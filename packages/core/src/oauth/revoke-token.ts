import * as oauth from 'oauth4webapi';
import type { PerUserSecrets } from '../connectors/connector-schema';
import { openConnectorSecrets } from '../connectors/connector-secrets';
import type { CoreDeps } from '../deps';
import type { StoredConnector, TokenTypeHint } from '../store';
import type { Vault } from '../vault/vault';
import { type ConnectorSettings, providerClientWith } from './oauth-client';
import { assertProviderAvailable } from './provider-errors';

/** What revoking a token needs from its connector: the settings and the client secret. */
export interface RevocationClient {
  connector: ConnectorSettings;
  secrets: PerUserSecrets;
}

export function revocationClientOf(vault: Vault, connector: StoredConnector): RevocationClient {
  const secrets = openConnectorSecrets(vault, connector.id, connector.sealedSecrets);
  return {
    connector: { id: connector.id, config: connector.config },
    secrets: secrets as PerUserSecrets,
  };
}

/**
 * RFC 7009 §2.1: revokes one token at the connector's revocation endpoint. Resolves on 200
 * (which §2.2 also asks for a token the provider no longer knows); throws on any other
 * answer or when the provider is down, so the caller can retry later.
 */
export async function revokeToken(
  deps: CoreDeps,
  revocationClient: RevocationClient,
  token: string,
  tokenTypeHint: TokenTypeHint,
): Promise<void> {
  const { as, client, auth, options } = providerClientWith(
    deps,
    revocationClient.connector,
    revocationClient.secrets,
  );
  const response = await oauth.revocationRequest(as, client, auth, token, {
    ...options,
    additionalParameters: { token_type_hint: tokenTypeHint },
  });
  await oauth.processRevocationResponse(assertProviderAvailable(response));
}
