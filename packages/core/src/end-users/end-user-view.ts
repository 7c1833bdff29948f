import type { CoreDeps } from '../deps';
import type { ConnectionStatus, EndUserRecord } from '../store';

export interface EndUserView {
  externalId: string;
  displayName: string | null;
  email: string | null;
  createdAt: string;
}

export interface EndUserConnectionView {
  connectorId: string;
  connectorName: string;
  status: ConnectionStatus;
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
  const [connectors, statuses] = await Promise.all([
    deps.store.connectors.list(),
    deps.store.connections.statusesForUser(endUser.id),
  ]);
  return connectors.flatMap((connector) => {
    const status = statuses.get(connector.id);
    return status ? [{ connectorId: connector.id, connectorName: connector.name, status }] : [];
  });
}
