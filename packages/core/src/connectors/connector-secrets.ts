import { z } from 'zod';
import { LatchkeyError } from '../errors/latchkey-error';
import type { Vault } from '../vault/vault';
import type { AuthSettings } from './connector-schema';

function secretsLocation(connectorId: string) {
  return { table: 'connectors', column: 'secrets', rowId: connectorId };
}

const present = z.string().min(1);

/**
 * The secrets each kind of connector cannot work without: per-user, or a shared credential
 * type. Each is a schema, so that opening one both checks and types it.
 */
export const NEEDED_SECRETS = {
  'per-user': z.object({ clientSecret: present }),
  /** A public client (RFC 6749 §2.1) of a preset that declares one: PKCE alone, no secret. */
  'per-user-public': z.object({}),
  bearer_token: z.object({ token: present }),
  api_key_header: z.object({ apiKey: present }),
  client_credentials: z.object({ clientSecret: present }),
};
export type ConnectorKind = keyof typeof NEEDED_SECRETS;

/** The sealed document: secret names to values, as many as were entered. */
const sealedSecretsSchema = z.record(z.string(), z.string());
export type SecretValues = Partial<Record<string, string>>;

/** Per-user, or the shared connector's credential type: what decides the secrets it needs. */
export function connectorKindOf(settings: AuthSettings): ConnectorKind {
  switch (settings.authMode) {
    case 'per-user':
      return settings.config.tokenEndpointAuthMethod === 'none' ? 'per-user-public' : 'per-user';
    case 'shared':
      return settings.config.credentialType;
  }
}

export function sealConnectorSecrets(
  vault: Vault,
  connectorId: string,
  secrets: SecretValues,
): string {
  return vault.encrypt(JSON.stringify(secrets), secretsLocation(connectorId));
}

/** Every secret stored, by name: to list them, or keep them through an update. */
export function openConnectorSecrets(
  vault: Vault,
  connectorId: string,
  sealed: string,
): SecretValues {
  const opened = sealedSecretsSchema.safeParse(
    JSON.parse(vault.decrypt(sealed, secretsLocation(connectorId))),
  );
  if (!opened.success) throw new LatchkeyError('decryption_failed');
  return opened.data;
}

/**
 * The secrets a connector uses (`NEEDED_SECRETS[its kind]`), checked to be there: a connector
 * is only saved with them (`assertSecretsComplete`), so a document without them is not one
 * Latchkey sealed.
 */
export function openNeededSecrets<T>(
  vault: Vault,
  connector: { id: string; sealedSecrets: string },
  needed: z.ZodType<T>,
): T {
  const secrets = needed.safeParse(
    openConnectorSecrets(vault, connector.id, connector.sealedSecrets),
  );
  if (!secrets.success) throw new LatchkeyError('decryption_failed');
  return secrets.data;
}

/** The names of the secrets a connector of this shape cannot work without. */
export function requiredSecretNames(settings: AuthSettings): string[] {
  return Object.keys(NEEDED_SECRETS[connectorKindOf(settings)].shape);
}

/**
 * Refuses a connector without every secret its shape needs, naming all that are missing.
 * `rebound`: the settings an update changed that dropped the stored secrets (see
 * `secretBindingChanges`), for the message.
 */
export function assertSecretsComplete(
  settings: AuthSettings,
  secrets: SecretValues,
  rebound: string[] = [],
): void {
  const missing = requiredSecretNames(settings)
    .filter((secretName) => !secrets[secretName])
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
