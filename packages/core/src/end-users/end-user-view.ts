import {
  type ConnectionState,
  type ConnectionView,
  connectionStateOf,
  toConnectionView,
} from '../connections/connection-view';
import type { CoreDeps } from '../deps';
import type { EndUserRecord } from '../store';

export interface EndUserView {
  externalId: string;
  displayName: string | null;
  email: string | null;
  createdAt: string;
}

export interface EndUserConnectionView {
  connectorId: string;
  connectorName: string;
  status: ConnectionState;
  connection: ConnectionView;
}

export function toEndUserView(endUser: EndUserRecord): EndUserView {
  return {
    externalId: endUser.externalId,
    displayName: endUser.displayName,
    email: endUser.email,
    createdAt: new Date(endUser.createdAt).toISOString(),
  };
}

/** The end user's connections with their status, by connector name. */
export async function endUserConnections(
  deps: CoreDeps,
  endUser: EndUserRecord,
): Promise<EndUserConnectionView[]> {
  const [connectors, connections] = await Promise.all([
    deps.store.connectors.list(),
    deps.store.connections.listForUser(endUser.id),
  ]);
  const byConnector = new Map(connections.map((c) => [c.connectorId, c]));
  return connectors.flatMap((connector) => {
    const connection = byConnector.get(connector.id);
    if (!connection) return [];
    return [
      {
        connectorId: connector.id,
        connectorName: connector.name,
        status: connectionStateOf(connection),
        connection: toConnectionView(connector, connection),
      },
    ];
  });
}
