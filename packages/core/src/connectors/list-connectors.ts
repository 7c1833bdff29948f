import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { StoredConnection } from '../store';
import type { AuthStatus, ConnectorView } from './connector-schema';
import { callerConnectionOf, toConnectorView } from './connector-view';

async function connectionsOf(
  deps: CoreDeps,
  userId: string,
): Promise<Map<string, StoredConnection>> {
  const connections = await deps.store.connections.listForUser(userId);
  return new Map(connections.map((connection) => [connection.connectorId, connection]));
}

export async function listConnectorsForUser(
  deps: CoreDeps,
  userId: string,
): Promise<ConnectorView[]> {
  const [connectors, connections] = await Promise.all([
    deps.store.connectors.list(),
    connectionsOf(deps, userId),
  ]);
  return connectors.map((c) => toConnectorView(c, deps.vault, connections.get(c.id)));
}

export async function getConnectorForUser(
  deps: CoreDeps,
  id: string,
  userId: string,
): Promise<ConnectorView> {
  const connector = await deps.store.connectors.findById(id);
  if (!connector) throw new LatchkeyError('connector_not_found');
  const connection = await deps.store.connections.find(id, userId);
  return toConnectorView(connector, deps.vault, connection);
}

export async function authStatusesForUser(
  deps: CoreDeps,
  userId: string,
): Promise<Record<string, AuthStatus>> {
  const [connectors, connections] = await Promise.all([
    deps.store.connectors.list(),
    connectionsOf(deps, userId),
  ]);
  return Object.fromEntries(
    connectors.map((c) => {
      const { userAuthStatus, connection } = callerConnectionOf(c, connections.get(c.id));
      return [c.id, { user_auth_status: userAuthStatus, connection }];
    }),
  );
}
