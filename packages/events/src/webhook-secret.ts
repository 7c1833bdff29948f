import { randomBytes } from 'node:crypto';
import type { SecretLocation, Vault } from '@latchkey/core';

/** 24 random bytes, as the Standard Webhooks specification suggests (between 24 and 64). */
const SECRET_BYTES = 24;

/** A new signing secret in the specification's `whsec_<base64>` form. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

export type WebhookSecretColumn = 'secret' | 'previous_secret';

function locationOf(endpointId: string, column: WebhookSecretColumn): SecretLocation {
  return { table: 'webhook_endpoints', column, rowId: endpointId };
}

export function sealWebhookSecret(
  vault: Vault,
  endpointId: string,
  column: WebhookSecretColumn,
  secret: string,
): string {
  return vault.encrypt(secret, locationOf(endpointId, column));
}

export function openWebhookSecret(
  vault: Vault,
  endpointId: string,
  column: WebhookSecretColumn,
  sealed: string,
): string {
  return vault.decrypt(sealed, locationOf(endpointId, column));
}
