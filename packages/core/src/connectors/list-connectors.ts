import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { ConnectionStatus, StoredConnector } from '../store';
import type { ConnectorView, UserAuthStatus } from './connector-schema';
import { toConnectorView } from './connector-view';

/** One rule for the caller's status, used by the list, the detail and `_me/auth_status`. */
export function userAuthStatusOf(
  connector: StoredConnector,
  statuses: Map<string, ConnectionStatus>,
): UserAuthStatus {
  if (connector.authMode === 'shared') return 'not_applicable';
  return statuses.get(connector.id) ?? 'not_connected';
}

export async function listConnectorsForUser(
  deps: CoreDeps,
  userId: string,
): Promise<ConnectorView[]> {
  const [connectors, statuses] = await Promise.all([
    deps.store.connectors.list(),
    deps.store.connections.statusesForUser(userId),
  ]);
  return connectors.map((c) => toConnectorView(c, deps.vault, userAuthStatusOf(c, statuses)));
}

export async function getConnectorForUser(
  deps: CoreDeps,
  id: string,
  userId: string,
): Promise<ConnectorView> {
  const connector = await deps.store.connectors.findById(id);
  if (!connector) throw new LatchkeyError('connector_not_found');
  const statuses = await deps.store.connections.statusesForUser(userId);
  return toConnectorView(connector, deps.vault, userAuthStatusOf(connector, statuses));
}

export async function authStatusesForUser(
  deps: CoreDeps,
  userId: string,
): Promise<Record<string, { user_auth_status: UserAuthStatus }>> {
  const [connectors, statuses] = await Promise.all([
    deps.store.connectors.list(),
    deps.store.connections.statusesForUser(userId),
  ]);
  return Object.fromEntries(
    connectors.map((c) => [c.id, { user_auth_status: userAuthStatusOf(c, statuses) }]),
  );
}
