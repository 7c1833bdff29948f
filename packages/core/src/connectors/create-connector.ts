import { randomUUID } from 'node:crypto';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { StoredConnector } from '../store';
import { checkConnectorConfig } from './check-connector-config';
import type { ConnectorInput } from './connector-schema';
import { assertSecretsComplete, sealConnectorSecrets } from './connector-secrets';

export async function createConnector(
  deps: CoreDeps,
  input: ConnectorInput,
): Promise<StoredConnector> {
  const config = checkConnectorConfig(input, deps.endpointPolicy);
  const secrets = input.secrets ?? {};
  assertSecretsComplete(input, secrets);
  await assertNameFree(deps, input.name);
  const id = randomUUID();
  const now = deps.now();
  const connector: StoredConnector = {
    id,
    name: input.name,
    provider: input.provider,
    authMode: input.authMode,
    config,
    sealedSecrets: sealConnectorSecrets(deps.vault, id, secrets),
    configVersion: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.connectors.insert(connector);
  return connector;
}

export async function assertNameFree(deps: CoreDeps, name: string, exceptId?: string) {
  const existing = await deps.store.connectors.findByName(name);
  if (existing && existing.id !== exceptId) throw new LatchkeyError('connector_name_taken');
}
