import { z } from 'zod';
import {
  CONNECTION_STATES,
  connectionStateOf,
  connectionViewSchema,
  toConnectionView,
} from '../connections/connection-view';
import type { CoreDeps } from '../deps';
import type { EndUserRecord } from '../store';

/** An end user as the API shows them (`GET /api/end_users`), by the app's own id. */
export const endUserViewSchema = z.object({
  externalId: z.string(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.string(),
});
export type EndUserView = z.infer<typeof endUserViewSchema>;

/** One of an end user's connections, with its connector's name. */
export const endUserConnectionViewSchema = z.object({
  connectorId: z.string(),
  connectorName: z.string(),
  status: z.enum(CONNECTION_STATES),
  connection: connectionViewSchema,
});
export type EndUserConnectionView = z.infer<typeof endUserConnectionViewSchema>;

/** `GET /api/end_users/:externalId`: the end user with their connections. */
export const endUserDetailSchema = endUserViewSchema.extend({
  connections: z.array(endUserConnectionViewSchema),
});
export type EndUserDetail = z.infer<typeof endUserDetailSchema>;

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
