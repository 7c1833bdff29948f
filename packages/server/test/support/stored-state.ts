import {
  type ConnectionCredentials,
  codeVerifierLocation,
  openCredentials,
  sha256,
} from '@latchkey/core';
import { queryDatabase } from './database-queries';
import type { TestService } from './test-service';

// What Latchkey stored, read behind its back: tests compare it with what must (not) be there.

/** The tokens Latchkey holds for (connector, user), decrypted; undefined when none. */
export async function storedTokens(
  service: TestService,
  connectorId: string,
  userId: string,
): Promise<ConnectionCredentials | undefined> {
  const connection = await service.deps.store.connections.find(connectorId, userId);
  if (!connection?.sealedCredentials) return undefined;
  return openCredentials(service.deps.vault, connection.id, connection.sealedCredentials);
}

/** The PKCE verifier of a pending flow, decrypted from its row (before the callback). */
export async function codeVerifierOf(service: TestService, state: string): Promise<string> {
  const stateHash = sha256(state);
  const [row] = await queryDatabase<{ code_verifier: string }>(
    service,
    'select code_verifier from oauth_states where state_hash = ?',
    stateHash,
  );
  if (!row) throw new Error('no pending flow for that state');
  return service.deps.vault.decrypt(row.code_verifier, codeVerifierLocation(stateHash));
}

export interface PendingRevocationRow {
  connector_id: string;
  token: string;
  client: string | null;
  token_type_hint: string;
  attempts: number;
  next_attempt_at: number;
}

/** The user's queued revocations, as stored (sealed). */
export function pendingRevocationRows(
  service: TestService,
  userId: string,
): Promise<PendingRevocationRow[]> {
  return queryDatabase<PendingRevocationRow>(
    service,
    'select connector_id, token, client, token_type_hint, attempts, next_attempt_at from pending_revocations where user_id = ? order by token_type_hint',
    userId,
  );
}

export async function countRows(service: TestService, table: string): Promise<number> {
  const [row] = await queryDatabase<{ n: number }>(service, `select count(*) as n from "${table}"`);
  return row?.n ?? 0;
}

/** The `oauth_revocation_queued` audit events about the user, newest first. */
export async function revocationQueuedEvents(service: TestService, userId: string) {
  const events = await service.deps.store.audit.page(500);
  return events
    .filter((e) => e.action === 'oauth_revocation_queued' && e.subjectUserId === userId)
    .map(({ outcome, reason, actorUserId, connectorId }) => ({
      outcome,
      reason,
      actorUserId,
      connectorId,
    }));
}
