import { z } from 'zod';
import type { StoredConnection, StoredConnector } from '../store';
import { missingScopes, scopeTokens } from './granted-scopes';

/** A connection's health as the API says it: `refresh_failing` is connected, cooling down. */
export const CONNECTION_STATES = ['connected', 'refresh_failing', 'reauth_required'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

const isoTime = z.string().nullable();

/** The caller's connection to a connector, beside `userAuthStatus`; never a token. */
export const connectionViewSchema = z.object({
  status: z.enum(CONNECTION_STATES),
  /** The error code of the last failed refresh while `refresh_failing`, else null. */
  lastError: z.string().nullable(),
  /** When a refresh may next go to the provider while `refresh_failing`, else null. */
  nextAttemptAt: isoTime,
  lastUsedAt: isoTime,
  /** When a refresh last renewed the tokens; null until the first one. */
  lastRefreshedAt: isoTime,
  /** The scopes the provider granted (or, when it did not say, those asked for). */
  grantedScopes: z.array(z.string()),
  /** The connector's scopes the grant lacks: reconnect to grant them. */
  scopesMissing: z.array(z.string()),
  /** Who the user connected as (an email, a login); null when the provider did not say. */
  account: z.string().nullable(),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export function connectionStateOf(connection: StoredConnection): ConnectionState {
  switch (connection.status) {
    case 'connected':
      return connection.refreshFailure ? 'refresh_failing' : 'connected';
    case 'reauth_required':
      return 'reauth_required';
  }
}

/**
 * The connection's view. Scopes the provider never echoes back (`offline_access`, those its
 * preset names) are never reported missing.
 */
export function toConnectionView(
  connector: StoredConnector,
  connection: StoredConnection,
): ConnectionView {
  const failure = connection.refreshFailure;
  const notEchoed = connector.authMode === 'per-user' ? connector.config.notEchoedScopes : [];
  return {
    status: connectionStateOf(connection),
    lastError: failure?.code ?? null,
    nextAttemptAt: isoOrNull(failure?.nextAttemptAt ?? null),
    lastUsedAt: isoOrNull(connection.lastUsedAt),
    lastRefreshedAt: isoOrNull(connection.lastRefreshedAt),
    grantedScopes: scopeTokens(connection.scopes),
    scopesMissing: missingScopes(connector.config.scope, connection.scopes, notEchoed),
    account: connection.account,
  };
}

function isoOrNull(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}
