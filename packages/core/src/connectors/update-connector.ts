import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordConnectionsDeleted } from '../events/connection-event';
import { recordAudit } from '../oauth/audit';
import { queueConnectionsRevocation } from '../oauth/revocation-queue';
import type { StoredConnector } from '../store';
import { checkConnectorDiscovery } from './check-connector-discovery';
import {
  changesConnectionSettings,
  describeConnectorChanges,
  secretBindingChanges,
  voidsConnections,
} from './connector-changes';
import type { AuthSettings, ConnectorInput } from './connector-schema';
import {
  assertSecretsComplete,
  openConnectorSecrets,
  type SecretValues,
  sealConnectorSecrets,
} from './connector-secrets';
import { connectorSettingsOf } from './connector-settings';
import { assertNameFree } from './create-connector';

export interface ConnectorUpdateResult {
  connector: StoredConnector;
  /** How many users' connections were deleted because OAuth settings other than scopes changed. */
  connectionsDeleted: number;
  /** Their tokens, queued for revocation where they were issued (the settings before). */
  revocationsQueued: number;
}

/**
 * Replaces a connector's settings. Omitted secrets keep their stored values only while every
 * setting they are bound to stays (`secretBindingChanges`): a secret goes only where it was
 * entered for. Any change to the auth mode or config but the scopes voids every user's
 * tokens, in the same transaction: tokens must never reach an endpoint they were not issued
 * for. A change of scopes alone keeps them (connections lacking a new one say so). The voided
 * tokens are queued for revocation with the settings and secret they were issued under, never
 * the new ones. `actorUserId`, the user making the change, is named in the audit events,
 * also of an update refused for want of its secrets.
 */
export async function updateConnector(
  deps: CoreDeps,
  id: string,
  input: ConnectorInput,
  actorUserId: string,
): Promise<ConnectorUpdateResult> {
  const settings = connectorSettingsOf(input, deps.catalog, deps.endpointPolicy);
  await checkConnectorDiscovery(deps, settings, id);
  try {
    return await deps.store.transaction((store) =>
      replaceConnector({ ...deps, store }, id, input, settings, actorUserId),
    );
  } catch (error) {
    if (error instanceof LatchkeyError && error.code === 'secret_required') {
      await auditRefusedUpdate(deps, id, actorUserId, error);
    }
    throw error;
  }
}

async function replaceConnector(
  deps: CoreDeps,
  id: string,
  input: ConnectorInput,
  settings: AuthSettings,
  actorUserId: string,
): Promise<ConnectorUpdateResult> {
  const current = await deps.store.connectors.findById(id);
  if (!current) throw new LatchkeyError('connector_not_found');
  await assertNameFree(deps, input.name, id);
  const next = { name: input.name, secrets: input.secrets, ...settings };
  const rebound = secretBindingChanges(current, next);
  const secrets = mergeSecrets(deps, current, input, rebound.length === 0);
  assertSecretsComplete(settings, secrets, rebound);
  const settingsChanged = changesConnectionSettings(current, settings);
  const connector: StoredConnector = {
    ...current,
    name: input.name,
    provider: input.provider,
    ...settings,
    sealedSecrets: sealConnectorSecrets(deps.vault, id, secrets),
    configVersion: current.configVersion + (settingsChanged ? 1 : 0),
    updatedAt: deps.now(),
  };
  await deps.store.connectors.update(connector);
  const voided = voidsConnections(current, settings) ? await takeVoidedConnections(deps, id) : [];
  const revocationsQueued = await queueConnectionsRevocation(
    deps,
    current,
    voided,
    'connector_changed',
    actorUserId,
  );
  await recordAudit(deps.store, deps.now(), {
    action: 'connector_updated',
    actorUserId,
    connectorId: id,
    details: {
      changes: describeConnectorChanges(current, next),
      connectionsDeleted: voided.length,
    },
  });
  return { connector, connectionsDeleted: voided.length, revocationsQueued };
}

/** The connections a settings change voids, each announced as deleted with them. */
async function takeVoidedConnections(deps: CoreDeps, id: string) {
  return deps.store.transaction(async (store) => {
    const voided = await store.connections.takeForConnector(id);
    await recordConnectionsDeleted(store, deps.now(), voided, 'connector_changed');
    return voided;
  });
}

/** The secrets given, over the stored ones when those may be kept. */
function mergeSecrets(
  deps: CoreDeps,
  current: StoredConnector,
  input: ConnectorInput,
  keepStored: boolean,
): SecretValues {
  const stored = keepStored
    ? openConnectorSecrets(deps.vault, current.id, current.sealedSecrets)
    : {};
  return { ...stored, ...(input.secrets ?? {}) };
}

/** An endpoint moved without its secrets is worth a trace: who tried, and what they changed. */
async function auditRefusedUpdate(
  deps: CoreDeps,
  id: string,
  actorUserId: string,
  refusal: LatchkeyError,
): Promise<void> {
  await recordAudit(deps.store, deps.now(), {
    action: 'connector_updated',
    outcome: 'failure',
    reason: refusal.code,
    actorUserId,
    connectorId: id,
    ...(refusal.details ? { details: refusal.details } : {}),
  });
}
