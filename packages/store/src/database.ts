import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them; times are epoch milliseconds in `bigint` columns. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  connectors: ConnectorsTable;
  connections: ConnectionsTable;
  oauth_states: OAuthStatesTable;
  pending_revocations: PendingRevocationsTable;
  audit_events: AuditEventsTable;
  leases: LeasesTable;
  api_keys: ApiKeysTable;
  connect_sessions: ConnectSessionsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  connection_events: ConnectionEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  failing_since: number | null;
  disabled_at: number | null;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookSubscriptionsTable {
  endpoint_id: string;
  event_type: string;
}

export interface ConnectionEventsTable {
  id: string;
  type: string;
  connector_id: string;
  user_id: string;
  end_user_id: string | null;
  reason: string | null;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  event_id: string;
  endpoint_id: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_response_status: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: number;
}

export interface ConnectSessionsTable {
  token_hash: string;
  external_id: string;
  display_name: string | null;
  email: string | null;
  /** JSON array of connector ids; null allows every per-user connector. */
  connector_ids: string | null;
  return_url: string | null;
  api_key_id: string | null;
  created_at: number;
  expires_at: number;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  permissions: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface OAuthStatesTable {
  state_hash: string;
  connector_id: string;
  user_id: string;
  browser_hash: string;
  code_verifier: string;
  return_url: string | null;
  token_endpoint: string;
  issuer: string | null;
  config_version: number;
  created_at: number;
  expires_at: number;
  connect_session_hash: string | null;
}

export interface PendingRevocationsTable {
  id: string;
  connector_id: string;
  user_id: string;
  token: string;
  /** Sealed copy of the connector settings and client secret that revoke `token`. */
  client: string | null;
  token_type_hint: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

export interface AuditEventsTable {
  id: string;
  created_at: number;
  action: string;
  outcome: string;
  reason: string | null;
  actor_user_id: string | null;
  api_key_id: string | null;
  subject_user_id: string | null;
  connector_id: string | null;
  /** JSON text. */
  details: string | null;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface UsersTable {
  id: string;
  username: string;
  role: string;
  password_hash: string;
  /** `user` (logs in) or `end_user` (known by `external_id` only, never logs in). */
  kind: Generated<string>;
  external_id: string | null;
  display_name: string | null;
  email: string | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface ConnectorsTable {
  id: string;
  name: string;
  provider: string;
  auth_mode: string;
  config: string;
  secrets: string;
  config_version: number;
  created_at: number;
  updated_at: number;
}

export interface ConnectionsTable {
  id: string;
  connector_id: string;
  user_id: string;
  status: string;
  scopes: string | null;
  credentials: string | null;
  /** JSON text: the connection's non-secret values kept from the provider. */
  metadata: string | null;
  /** The display identity of the connected account; null when unknown. */
  account: string | null;
  expires_at: number | null;
  refresh_expires_at: number | null;
  version: Generated<number>;
  created_at: number;
  updated_at: number;
  last_used_at: number;
  refresh_failures: Generated<number>;
  last_error: string | null;
  next_attempt_at: number | null;
  last_refreshed_at: number | null;
}
