import { randomUUID } from 'node:crypto';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordAudit } from '../oauth/audit';
import type { StoredConnector } from '../store';
import { checkConnectorDiscovery } from './check-connector-discovery';
import type { ConnectorInput } from './connector-schema';
import { assertSecretsComplete, sealConnectorSecrets } from './connector-secrets';
import { connectorSettingsOf } from './connector-settings';

/**
 * Creates a connector, audited with `actorUserId`, the user creating it (none for a script
 * such as the demo's).
 */
export async function createConnector(
  deps: CoreDeps,
  input: ConnectorInput,
  actorUserId?: string,
): Promise<StoredConnector> {
  const settings = connectorSettingsOf(input, deps.catalog, deps.endpointPolicy);
  const secrets = input.secrets ?? {};
  assertSecretsComplete(settings, secrets);
  await assertNameFree(deps, input.name);
  await checkConnectorDiscovery(deps, settings);
  const id = randomUUID();
  const now = deps.now();
  const connector: StoredConnector = {
    id,
    name: input.name,
    provider: input.provider,
    ...settings,
    sealedSecrets: sealConnectorSecrets(deps.vault, id, secrets),
    configVersion: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.transaction(async (store) => {
    await store.connectors.insert(connector);
    await recordAudit(store, now, { action: 'connector_created', actorUserId, connectorId: id });
  });
  return connector;
}

export async function assertNameFree(deps: CoreDeps, name: string, exceptId?: string) {
  const existing = await deps.store.connectors.findByName(name);
  if (existing && existing.id !== exceptId) throw new LatchkeyError('connector_name_taken');
}
