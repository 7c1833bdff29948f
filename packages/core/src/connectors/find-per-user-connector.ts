import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { StoredPerUserConnector } from '../store';

/** The connector a user connects, uses or disconnects an account of: a per-user one. */
export async function findPerUserConnector(
  deps: CoreDeps,
  id: string,
): Promise<StoredPerUserConnector> {
  const connector = await deps.store.connectors.findById(id);
  if (!connector) throw new LatchkeyError('connector_not_found');
  if (connector.authMode !== 'per-user') throw new LatchkeyError('connector_not_per_user');
  return connector;
}
