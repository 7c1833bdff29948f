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

/**
 * Refuses a connector without every secret its shape needs, naming all that are missing.
 * `rebound`: the settings an update changed that dropped the stored secrets (see
 * `secretBindingChanges`), for the message.
 */
export function assertSecretsComplete(
  input: ConnectorInput,
  secrets: ConnectorSecrets,
  rebound: string[] = [],
): void {
  const present = secrets as Record<string, string | undefined>;
  const missing = requiredSecretNames(input)
    .filter((secretName) => !present[secretName])
    .map((secretName) => `secrets.${secretName}`);
  if (missing.length === 0) return;
  const because =
    rebound.length > 0
      ? ` ${rebound.join(', ')} changed: a stored secret is only sent where it was entered for.`
      : '';
  throw new LatchkeyError(
    'secret_required',
    `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required.${because}`,
    { fields: missing, ...(rebound.length > 0 ? { changed: rebound } : {}) },
  );
}
