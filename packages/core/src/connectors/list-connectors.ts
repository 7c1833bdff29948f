import { type ConnectionView, toConnectionView } from '../connections/connection-view';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { StoredConnection, StoredConnector } from '../store';
import type { ConnectorView, UserAuthStatus } from './connector-schema';
import { toConnectorView } from './connector-view';

/** The caller's connections, by connector id. */
type UserConnections = Map<string, StoredConnection>;

/** One rule for the caller's status, used by the list, the detail and `_me/auth_status`. */
export function userAuthStatusOf(
  connector: StoredConnector,
  connections: UserConnections,
): UserAuthStatus {
  if (connector.authMode === 'shared') return 'not_applicable';
  return connections.get(connector.id)?.status ?? 'not_connected';
}

/** The caller's connection to the connector as the API shows it; null when there is none. */
export function connectionViewOf(
  connector: StoredConnector,
  connections: UserConnections,
): ConnectionView | null {
  const connection = connections.get(connector.id);
  return connector.authMode === 'per-user' && connection
    ? toConnectionView(connector, connection)
    : null;
}

async function connectionsOf(deps: CoreDeps, userId: string): Promise<UserConnections> {
  const connections = await deps.store.connections.listForUser(userId);
  return new Map(connections.map((connection) => [connection.connectorId, connection]));
}

function viewFor(deps: CoreDeps, connector: StoredConnector, connections: UserConnections) {
  return toConnectorView(
    connector,
    deps.vault,
    userAuthStatusOf(connector, connections),
    connectionViewOf(connector, connections),
  );
}

export async function listConnectorsForUser(
  deps: CoreDeps,
  userId: string,
): Promise<ConnectorView[]> {
  const [connectors, connections] = await Promise.all([
    deps.store.connectors.list(),
    connectionsOf(deps, userId),
  ]);
  return connectors.map((connector) => viewFor(deps, connector, connections));
}

export async function getConnectorForUser(
  deps: CoreDeps,
  id: string,
  userId: string,
): Promise<ConnectorView> {
  const connector = await deps.store.connectors.findById(id);
  if (!connector) throw new LatchkeyError('connector_not_found');
  return viewFor(deps, connector, await connectionsOf(deps, userId));
}

/** Kibana's `_me/auth_status` answer: its snake_case field, beside the connection view. */
export interface MyAuthStatus {
  user_auth_status: UserAuthStatus;
  connection: ConnectionView | null;
}

export async function authStatusesForUser(
  deps: CoreDeps,
  userId: string,
): Promise<Record<string, MyAuthStatus>> {
  const [connectors, connections] = await Promise.all([
    deps.store.connectors.list(),
    connectionsOf(deps, userId),
  ]);
  return Object.fromEntries(
    connectors.map((c) => [
      c.id,
      {
        user_auth_status: userAuthStatusOf(c, connections),
        connection: connectionViewOf(c, connections),
      },
    ]),
  );
}
