import { LatchkeyError } from '../errors/latchkey-error';
import type { Vault } from '../vault/vault';
import type { ConnectorInput, ConnectorSecrets } from './connector-schema';

function secretsLocation(connectorId: string) {
  return { table: 'connectors', column: 'secrets', rowId: connectorId };
}

export function sealConnectorSecrets(
  vault: Vault,
  connectorId: string,
  secrets: ConnectorSecrets,
): string {
  return vault.encrypt(JSON.stringify(secrets), secretsLocation(connectorId));
}

export function openConnectorSecrets(
  vault: Vault,
  connectorId: string,
  sealed: string,
): ConnectorSecrets {
  return JSON.parse(vault.decrypt(sealed, secretsLocation(connectorId))) as ConnectorSecrets;
}

/** The names of the secrets a connector of this shape cannot work without. */
export function requiredSecretNames(input: ConnectorInput): string[] {
  if (input.authMode === 'per-user') return ['clientSecret'];
  switch (input.config.credentialType) {
    case 'bearer_token':
      return ['token'];
    case 'api_key_header':
      return ['apiKey'];
    case 'client_credentials':
      return ['clientSecret'];
  }
}

export function assertSecretsComplete(input: ConnectorInput, secrets: ConnectorSecrets): void {
  const present = secrets as Record<string, string | undefined>;
  for (const secretName of requiredSecretNames(input)) {
    if (!present[secretName]) {
      throw new LatchkeyError('secret_required', `secrets.${secretName} is required.`, {
        field: `secrets.${secretName}`,
      });
    }
  }
}
