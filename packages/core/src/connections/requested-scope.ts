import type { CoreDeps } from '../deps';
import type { StoredPerUserConnector } from '../store';
import { scopesForReconnect } from './granted-scopes';

/** What an authorization request asks for, for one user. */
export interface RequestedScope {
  /** The connector's scopes and those the user already granted; none when both are empty. */
  scope: string | undefined;
  /** The user has a connection whose grant this one extends (a reconnect). */
  extendsGrant: boolean;
}

/**
 * The connector's scopes, plus those the user's connection was already granted, so that a
 * reconnect (to grant a new permission) takes none away. Written with the connector's
 * separator: a comma when its scopes have one and no space (GitHub-style presets).
 */
export async function requestedScopeFor(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  userId: string,
): Promise<RequestedScope> {
  const existing = await deps.store.connections.find(connector.id, userId);
  const granted = existing?.scopes ?? null;
  const { scope } = connector.config;
  const separator = scope?.includes(',') && !/\s/.test(scope) ? ',' : ' ';
  return {
    scope: scopesForReconnect(scope, granted, separator),
    extendsGrant: granted !== null,
  };
}
