import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';

/** Deletes a connector and, with it, every user's connection and pending flow. */
export async function deleteConnector(deps: CoreDeps, id: string): Promise<void> {
  await deps.store.transaction(async (store) => {
    await store.connections.deleteForConnector(id);
    if (!(await store.connectors.delete(id))) throw new LatchkeyError('connector_not_found');
  });
}
