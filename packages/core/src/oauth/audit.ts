import { timeOrderedId } from '../ids/time-ordered-id';
import type { AuditDetails, AuditEvent, Store } from '../store';

/** `docs/audit.md` lists the same actions; `audit-actions-doc.test.ts` keeps the two in step. */
export const AUDIT_ACTIONS = [
  'oauth_flow_started',
  'oauth_connected',
  'oauth_failed',
  'oauth_cancelled',
  'oauth_disconnected',
  'oauth_revocation_failed',
  'oauth_revocation_queued',
  'oauth_revoked_later',
  'oauth_revocation_abandoned',
  'connection_reauth_required',
  'connection_scopes_changed',
  'connection_verified',
  'connection_refresh_failed',
  'connection_recovered',
  'api_key_used',
  'egress_denied',
  'connector_created',
  'connector_updated',
  'connector_deleted',
  'connect_session_created',
  'end_user_deleted',
  'webhook_created',
  'webhook_deleted',
  'webhook_secret_rotated',
  'webhook_redelivered',
  'webhook_disabled',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  outcome?: 'success' | 'failure';
  reason?: string;
  actorUserId?: string;
  apiKeyId?: string;
  subjectUserId?: string;
  connectorId?: string;
  details?: AuditDetails;
}

/**
 * Appends an audit event. Entries name people, connectors and codes — never a token. Not
 * an async function: the append's own promise is the only one an API call makes for it.
 */
export function recordAudit(store: Store, now: number, entry: AuditEntry): Promise<void> {
  const event: AuditEvent = {
    id: timeOrderedId(now),
    createdAt: now,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    reason: entry.reason ?? null,
    actorUserId: entry.actorUserId ?? null,
    apiKeyId: entry.apiKeyId ?? null,
    subjectUserId: entry.subjectUserId ?? entry.actorUserId ?? null,
    connectorId: entry.connectorId ?? null,
    details: entry.details ?? null,
  };
  return store.audit.append(event);
}
