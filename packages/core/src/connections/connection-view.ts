import { z } from 'zod';
import type { StoredConnection, StoredConnector } from '../store';
import { missingScopes, scopeTokens } from './granted-scopes';

/** A user's connection to a connector as the API shows it: never a token. */
export const connectionViewSchema = z.object({
  status: z.enum(['connected', 'reauth_required']),
  /** The scopes the provider granted (or, when it did not say, those asked for). */
  grantedScopes: z.array(z.string()),
  /** The connector's scopes the grant lacks: reconnect to grant them. */
  scopesMissing: z.array(z.string()),
  /** Who the user connected as (an email, a login); null when the provider did not say. */
  account: z.string().nullable(),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

/**
 * The connection's view. Scopes the provider never echoes back (`offline_access`, those its
 * preset names) are never reported missing.
 */
export function toConnectionView(
  connector: StoredConnector,
  connection: StoredConnection,
): ConnectionView {
  const notEchoed = connector.authMode === 'per-user' ? connector.config.notEchoedScopes : [];
  return {
    status: connection.status,
    grantedScopes: scopeTokens(connection.scopes),
    scopesMissing: missingScopes(connector.config.scope, connection.scopes, notEchoed),
    account: connection.account,
  };
}
