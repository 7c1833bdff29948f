import type { ConnectorView } from '@latchkey/core';
import type { LatchkeyClient } from '../client';

/**
 * The connector as the service reports it for the caller, to confirm a result. A connect
 * session may not read `/api/connectors/:id`; it reads its own session instead, where a
 * connector outside the session is simply absent (undefined: nothing to confirm).
 */
export async function readCallerConnector(
  client: LatchkeyClient,
  connectorId: string,
): Promise<ConnectorView | undefined> {
  if (client.credential !== 'connect_session') return client.getConnector(connectorId);
  const session = await client.getConnectSession();
  return session.connectors.find((connector) => connector.id === connectorId);
}
